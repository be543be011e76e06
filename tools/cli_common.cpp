#include "cli_common.hpp"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <iterator>
#include <fmt/format.h>
#include <sstream>
#include <utility>

#include "build_info.hpp"
#include "harness/child.hpp"
#include "harness/deployments.hpp"
#include "harness/environment.hpp"
#include "harness/plugin_loader.hpp"
#include "harness/runner.hpp"
#include "harness/same_file.hpp"
#include "harness/table.hpp"
#include "workloads/generator.hpp"

namespace alloclab::cli {
namespace {

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ','))
    if (!item.empty()) out.push_back(item);
  return out;
}

std::vector<std::string> pick_allocators(const std::string& spec) {
  std::vector<std::string> names;
  if (spec == "all") {
    for (const Measurable& e : measurable_allocators()) names.emplace_back(e.traits.name);
    return names;
  }
  names = split_list(spec);
  if (names.empty()) throw UsageError("--allocator: empty list");
  for (auto it = names.begin(); it != names.end(); ++it)
    if (std::find(names.begin(), it, *it) != it)
      throw UsageError(fmt::format("--allocator: '{}' is listed twice (for more repetitions: --reps N)", *it));
  for (const std::string& n : names)
    if (!find_measurable(n))
      throw UsageError(fmt::format("--allocator: unknown allocator '{}' (see: alloclab list)", n));
  return names;
}

// --json must not overwrite the files the run reads (compared by device and inode).
void refuse_output_over_inputs(const RunOptions& o) {
  if (o.json.empty()) return;
  const std::pair<const char*, const std::string*> inputs[] = {{"--trace", &o.trace},
                                                                {"--size-histogram", &o.size_histogram}};
  for (const auto& [flag, input] : inputs)
    if (!input->empty() && same_file(o.json, *input))
      throw UsageError(fmt::format("--json: '{}' is the {} file this run reads; give another file", o.json, flag));
}

unsigned bounded(const std::string& text, const std::string& what, std::uint64_t lo,
                 std::uint64_t hi) {
  const std::uint64_t v = parse_u64(text, what);
  if (v < lo || v > hi)
    throw UsageError(fmt::format("{}: {} is out of range [{}, {}]", what, v, lo, hi));
  return static_cast<unsigned>(v);
}

}  // namespace

std::string flag_of(std::string_view param) {
  std::string f(param);
  for (char& c : f)
    if (c == '_') c = '-';
  return f;
}

std::uint64_t parse_u64(const std::string& text, const std::string& what) {
  std::uint64_t v = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (text.empty() || ec == std::errc::invalid_argument || ptr != end)
    throw UsageError(fmt::format("{}: '{}' is not a non-negative integer", what, text));
  if (ec == std::errc::result_out_of_range)
    throw UsageError(fmt::format("{}: '{}' is too large", what, text));
  return v;
}

void add_run_options(CLI::App& app, RunOptions& o, bool workload_params) {
  app.add_option("--allocator,-a", o.allocators, "comma-separated allocators, or 'all'")
      ->capture_default_str();
  app.add_option("--workload,-w", o.workload, "workload to run (see: alloclab list)")
      ->capture_default_str();
  if (workload_params) {
    std::map<std::string, std::string> helps;
    for (const WorkloadInfo& w : registered_workloads())
      for (const ParamSpec& p : w.params)
        helps.try_emplace(std::string(p.name), fmt::format("{} ({})", p.help, w.name));
    for (const auto& [name, help] : helps)
      app.add_option_function<std::string>(
          "--" + flag_of(name), [&o, name = name](const std::string& v) { o.params[name] = v; },
          help);
  }
  app.add_option("--trace", o.trace, "recorded trace to replay (--workload replay; alloclab record)");
  app.add_option("--size-histogram", o.size_histogram,
                 "sizes to draw (dist 3): lines 'SIZE WEIGHT' or 'LO-HI WEIGHT'; sets --dist 3, "
                 "and --min-size/--max-size to its range when neither is given");
  app.add_option("--reps,-r", o.reps, "repetitions per allocator (interleaved)")
      ->capture_default_str();
  app.add_option("--touch", o.touch, "write to blocks: none|lines|full")->capture_default_str();
  app.add_flag("--verify", o.verify, "stamp every block and check it before it is freed");
  app.add_option("--seed", o.seed, "trace seed (0: the workload's default)")->capture_default_str();
  app.add_option("--timeout", o.timeout, "seconds per child before it is killed")
      ->capture_default_str();
  app.add_option("--rss-interval", o.rss_interval, "RSS sampling period in ms (0: off)")
      ->capture_default_str();
  app.add_option("--latency", o.latency,
                 "time one op in N (cycle counter) into latency histograms; 0: off")
      ->capture_default_str();
  app.add_option("--measure", o.measure,
                 "time, or instructions (each child under callgrind: slow, but repeatable)")
      ->capture_default_str();
  app.add_option("--json,-o", o.json, "write results (Google Benchmark JSON layout) to FILE");
  app.add_option("--baseline", o.baseline, "allocator the table's ratios are against")
      ->capture_default_str();
  app.add_option("--rss-budget", o.rss_budget,
                 "also name the fastest allocator within this peak RSS: 1.2x (of the smallest) or 256MiB");
  app.add_flag("--quiet,-q", o.quiet, "no table on stdout");
  app.add_option("--max-rss", o.max_rss, "bytes of RSS a child may reach before it is killed (0: the default budget, 75% of what is available)")
      ->capture_default_str();
  add_plugin_option(app, o.plugins);
}

void add_plugin_option(CLI::App& app, std::vector<std::string>& plugins) {
  app.add_option("--plugin", plugins, "load a C ABI allocator plugin (.so); repeatable")
      ->allow_extra_args(false);
}

void load_plugins(const std::vector<std::string>& plugins) {
  for (const std::string& path : plugins)
    if (std::string err = load_plugin(path); !err.empty()) throw UsageError(err);
}

std::vector<std::uint64_t> parse_values(const std::string& text, const std::string& what) {
  std::vector<std::uint64_t> out;
  const std::vector<std::string> items = split_list(text);
  if (items.empty()) throw UsageError(fmt::format("{}: '{}' is not a non-negative integer", what, text));
  for (const std::string& item : items) {
    const auto dots = item.find("..");
    if (dots == std::string::npos) {
      out.push_back(parse_u64(item, what));
      continue;
    }
    // a..b, a..b:+step or a..b:xfactor (inclusive)
    const auto colon = item.find(':', dots);
    const std::uint64_t lo = parse_u64(item.substr(0, dots), what);
    const std::uint64_t hi = parse_u64(item.substr(dots + 2, colon == std::string::npos ? std::string::npos : colon - dots - 2), what);
    const std::string step = colon == std::string::npos ? "+1" : item.substr(colon + 1);
    if (lo > hi) throw UsageError(fmt::format("{}: range '{}' runs backwards", what, item));
    if (step.size() < 2 || (step[0] != '+' && step[0] != 'x'))
      throw UsageError(fmt::format("{}: range step '{}' is not +N or xN", what, step));
    const std::uint64_t by = parse_u64(step.substr(1), what);
    if (by < (step[0] == 'x' ? 2u : 1u))
      throw UsageError(fmt::format("{}: range step '{}' would never advance", what, step));
    for (std::uint64_t v = lo; v <= hi; v = step[0] == 'x' ? v * by : v + by) {
      out.push_back(v);
      if (out.size() > 10000) throw UsageError(fmt::format("{}: '{}' has too many values", what, item));
      if (step[0] == 'x' && v == 0) break;
    }
  }
  return out;
}

// Every combination of the parameter values given (a sweep), each completed and validated
// before anything runs. A plain run is the one-combination case.
std::vector<Params> expand_params(const WorkloadInfo& w,
                                  const std::map<std::string, std::string>& typed, bool sweep) {
  std::vector<Params> combos(1);
  for (const auto& [name, text] : typed) {
    const std::vector<std::uint64_t> values = parse_values(text, "--" + flag_of(name));
    if (values.size() > 1 && !sweep)
      throw UsageError(fmt::format("--{}: '{}' lists several values; use alloclab sweep", flag_of(name), text));
    std::vector<Params> next;
    for (const Params& c : combos)
      for (std::uint64_t v : values) {
        next.push_back(c);
        next.back()[name] = v;
      }
    combos = std::move(next);
    if (combos.size() > 100000) throw UsageError("sweep: more than 100000 combinations");
  }
  for (Params& c : combos)
    if (std::string err = complete_params(w, c); !err.empty()) throw UsageError(err);
  return combos;
}

// --size-histogram: reads the file into the plan and returns the typed params with what it
// implies (dist 3, and the histogram's range when neither --min-size nor --max-size is given).
std::map<std::string, std::string> apply_size_histogram(const WorkloadInfo& w, const RunOptions& o,
                                                        RunPlan& plan) {
  std::map<std::string, std::string> typed = o.params;
  if (o.size_histogram.empty()) return typed;
  if (std::none_of(w.params.begin(), w.params.end(), [](const ParamSpec& p) { return p.name == "dist"; }))
    throw UsageError(fmt::format("--size-histogram: workload '{}' has no size distribution (no --dist)", w.name));
  try {
    plan.size_histogram = read_size_histogram(o.size_histogram);
  } catch (const SizeHistogramError& e) {
    throw UsageError(e.what());
  }
  typed.try_emplace("dist", std::to_string(static_cast<int>(gen::SizeDist::kHistogram)));
  if (!typed.contains("min_size") && !typed.contains("max_size")) {
    typed["min_size"] = std::to_string(plan.size_histogram.min_size());
    typed["max_size"] = std::to_string(plan.size_histogram.max_size());
  }
  return typed;
}

// Every run with dist 3 has the histogram, within its size range; a histogram is used by one.
void check_size_histogram(const SizeHistogram& h, const std::vector<Params>& combos) {
  bool used = false;
  for (const Params& c : combos) {
    if (!gen::uses_histogram(c)) continue;
    used = true;
    if (h.empty()) throw UsageError("--dist 3 draws sizes from a histogram: give --size-histogram FILE");
    if (h.min_size() < c.at("min_size") || h.max_size() > c.at("max_size"))
      throw UsageError(fmt::format(
          "--size-histogram: {} holds sizes {}..{}, outside --min-size {} .. --max-size {} "
          "(leave both out to use its range)",
          h.source, h.min_size(), h.max_size(), c.at("min_size"), c.at("max_size")));
  }
  if (!h.empty() && !used)
    throw UsageError("--size-histogram: only --dist 3 draws from it, and no run has --dist 3");
}

// One progress line on stderr, only on a terminal: done / total, current row, ETA.
class Progress {
 public:
  explicit Progress(std::size_t total) : total_(total), tty_(::isatty(STDERR_FILENO) != 0) {}
  ~Progress() {
    if (tty_) fmt::print(stderr, "\r\033[K");
  }
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // A row that cannot run is reported once for all its repetitions.
  void row_done(const Row& r) {
    const bool unrunnable = r.m.status == Status::kUnsupported || r.m.status == Status::kUnavailable;
    done_ += unrunnable ? r.repetitions : 1;
    if (!tty_) return;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const double eta = done_ < total_ ? elapsed / static_cast<double>(done_) * static_cast<double>(total_ - done_) : 0;
    fmt::print(stderr, "\r\033[K[{}/{}] {} rep {}: {}  ETA {:.0f}s", done_, total_, r.name,
               r.repetition_index,
               r.m.status == Status::kOk ? fmt::format("{:.1f} ns/op", r.ns_per_op())
                                         : status_name(r.m.status),
               eta);
  }

 private:
  std::size_t total_;
  std::size_t done_ = 0;
  bool tty_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

ValidatedRun validate_run(const RunOptions& o, bool sweep) {
  RunPlan plan;
  plan.allocators = pick_allocators(o.allocators);
  const WorkloadInfo* w = find_workload(o.workload);
  if (w == nullptr)
    throw UsageError(fmt::format("--workload: unknown workload '{}' (see: alloclab list)", o.workload));
  plan.workload = o.workload;
  refuse_output_over_inputs(o);
  if ((w->load_file != nullptr) != !o.trace.empty())
    throw UsageError(w->load_file != nullptr
                         ? fmt::format("--workload {} needs --trace FILE", o.workload)
                         : fmt::format("--trace: workload '{}' takes no file (use --workload replay)", o.workload));
  std::vector<Params> combos = expand_params(*w, apply_size_histogram(*w, o, plan), sweep);
  check_size_histogram(plan.size_histogram, combos);
  if (w->load_file != nullptr)
    for (Params& params : combos)
      if (std::string err = w->load_file(o.trace, params); !err.empty()) throw UsageError(err);
  plan.trace_file = o.trace;
  if (!parse_touch(o.touch, plan.touch))
    throw UsageError(fmt::format("--touch: '{}' is not one of none, lines, full", o.touch));
  plan.verify = o.verify;
  plan.seed = parse_u64(o.seed, "--seed");
  plan.reps = bounded(o.reps, "--reps", 1, 1000);
  plan.timeout_s = bounded(o.timeout, "--timeout", 1, 86400);
  plan.rss_interval_ms = bounded(o.rss_interval, "--rss-interval", 0, 60000);
  plan.latency_every = bounded(o.latency, "--latency", 0, 1u << 30);
  if (o.measure != "time" && o.measure != "instructions")
    throw UsageError(fmt::format("--measure: '{}' is not one of time, instructions", o.measure));
  plan.count_instructions = o.measure == "instructions";
  plan.max_rss = parse_u64(o.max_rss, "--max-rss");
  if (plan.max_rss != 0 && plan.max_rss < (std::uint64_t{1} << 20))
    throw UsageError(fmt::format("--max-rss: {} bytes is below 1 MiB: no child could start", plan.max_rss));
  if (!find_measurable(o.baseline))
    throw UsageError(fmt::format("--baseline: unknown allocator '{}' (see: alloclab list)", o.baseline));
  model::RssBudget budget;
  try {
    if (!o.rss_budget.empty()) budget = model::parse_rss_budget(o.rss_budget);
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  if (o.quiet && o.json.empty())
    throw UsageError("--quiet without --json: the results would be shown nowhere");
  if (!o.json.empty())
    if (std::string err = check_writable(o.json); !err.empty()) throw UsageError("--json: " + err);
  return {std::move(plan), combos, budget};
}

int execute_run(const RunOptions& o, const std::vector<std::string>& command_line, bool sweep) {
  load_plugins(o.plugins);
  auto [plan, combos, budget] = validate_run(o, sweep);
  Progress progress(combos.size() * measured_allocators(plan).size() * plan.reps);
  std::vector<Row> rows;
  nlohmann::json libraries = nlohmann::json::object();
  nlohmann::json memory_budget = nlohmann::json::object();
  bool any_failed = false;
  int stopped_by = 0;  // SIGINT/SIGTERM: the rows so far are written, marked, and we exit 128+sig
  install_interrupt_handler();
  for (const Params& params : combos) {
    if (stopped_by != 0) break;
    plan.params = params;
    RunOutcome outcome = run_plan(plan, [&](const Row& r) { progress.row_done(r); });
    stopped_by = outcome.interrupted;
    if (!o.quiet) {
      print_table(stdout, outcome.rows, o.baseline, ::isatty(STDOUT_FILENO) != 0, budget);
      if (combos.size() > 1) fmt::print("\n");
    }
    any_failed = any_failed || outcome.any_failed;
    libraries.update(outcome.allocators);
    memory_budget = outcome.memory_budget;
    std::move(outcome.rows.begin(), outcome.rows.end(), std::back_inserter(rows));
  }
  if (!o.json.empty()) {
    RunContext rc{command_line, plan.seed, libraries, memory_budget};
    auto doc = results_document(capture_environment(rc), rows);
    if (stopped_by != 0) doc["context"]["alloclab"]["interrupted"] = true;
    if (std::string err = write_file_atomically(o.json, doc.dump(2) + "\n"); !err.empty()) {
      fmt::print(stderr, "alloclab: error: {}\n", err);
      return kExitUsage;
    }
  }
  if (stopped_by != 0) {
    fmt::print(stderr, "alloclab: interrupted; {} rows kept\n", rows.size());
    return 128 + stopped_by;
  }
  return any_failed ? kExitRowFailed : kExitOk;
}

std::optional<int> parse_or_exit(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    fmt::print(stderr, "{}: error: {}\n", app.get_name(), e.what());
    return kExitUsage;
  }
  return std::nullopt;
}

int guarded(const std::string& tool, const std::function<int()>& body) {
  try {
    return body();
  } catch (const UsageError& e) {
    fmt::print(stderr, "{}: error: {}\n", tool, e.what());
    return kExitUsage;
  }
}

}  // namespace alloclab::cli
