#include "cli_common.hpp"

#include <unistd.h>

#include <charconv>
#include <fmt/format.h>
#include <sstream>

#include "allocators/core/registry.hpp"
#include "build_info.hpp"
#include "harness/child.hpp"
#include "harness/environment.hpp"
#include "harness/plugin_loader.hpp"
#include "harness/runner.hpp"
#include "harness/table.hpp"

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
    for (const PluginEntry& e : registered_plugins()) names.emplace_back(e.traits.name);
    return names;
  }
  names = split_list(spec);
  if (names.empty()) throw UsageError("--allocator: empty list");
  for (const std::string& n : names)
    if (find_plugin(n) == nullptr)
      throw UsageError(fmt::format("--allocator: unknown allocator '{}' (see: alloclab list)", n));
  return names;
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
  app.add_option("--reps,-r", o.reps, "repetitions per allocator (interleaved)")
      ->capture_default_str();
  app.add_option("--touch", o.touch, "write to blocks: none|lines|full")->capture_default_str();
  app.add_flag("--verify", o.verify, "stamp every block and check it before it is freed");
  app.add_option("--seed", o.seed, "trace seed (0: the workload's default)")->capture_default_str();
  app.add_option("--timeout", o.timeout, "seconds per child before it is killed")
      ->capture_default_str();
  app.add_option("--rss-interval", o.rss_interval, "RSS sampling period in ms (0: off)")
      ->capture_default_str();
  app.add_option("--json,-o", o.json, "write results (Google Benchmark JSON layout) to FILE");
  app.add_option("--baseline", o.baseline, "allocator the table's ratios are against")
      ->capture_default_str();
  app.add_flag("--quiet,-q", o.quiet, "no table on stdout");
  app.add_option("--max-rss", o.max_rss, "bytes of RSS a child may reach before it is killed (0: no limit)")
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

RunPlan plan_from_options(const RunOptions& o) {
  RunPlan plan;
  plan.allocators = pick_allocators(o.allocators);
  const WorkloadInfo* w = find_workload(o.workload);
  if (w == nullptr)
    throw UsageError(fmt::format("--workload: unknown workload '{}' (see: alloclab list)", o.workload));
  plan.workload = o.workload;
  for (const auto& [name, text] : o.params) plan.params[name] = parse_u64(text, "--" + flag_of(name));
  if (std::string err = complete_params(*w, plan.params); !err.empty()) throw UsageError(err);
  if (!parse_touch(o.touch, plan.touch))
    throw UsageError(fmt::format("--touch: '{}' is not one of none, lines, full", o.touch));
  plan.verify = o.verify;
  plan.seed = parse_u64(o.seed, "--seed");
  plan.reps = bounded(o.reps, "--reps", 1, 1000);
  plan.timeout_s = bounded(o.timeout, "--timeout", 1, 86400);
  plan.rss_interval_ms = bounded(o.rss_interval, "--rss-interval", 0, 60000);
  plan.max_rss = parse_u64(o.max_rss, "--max-rss");
  if (plan.max_rss != 0 && plan.max_rss < (std::uint64_t{1} << 20))
    throw UsageError(fmt::format("--max-rss: {} bytes is below 1 MiB: no child could start", plan.max_rss));
  if (find_plugin(o.baseline) == nullptr)
    throw UsageError(fmt::format("--baseline: unknown allocator '{}' (see: alloclab list)", o.baseline));
  if (o.quiet && o.json.empty())
    throw UsageError("--quiet without --json: the results would be shown nowhere");
  if (!o.json.empty())
    if (std::string err = check_writable(o.json); !err.empty()) throw UsageError("--json: " + err);
  return plan;
}

int execute_run(const RunOptions& o, const std::vector<std::string>& command_line) {
  load_plugins(o.plugins);
  const RunPlan plan = plan_from_options(o);
  const bool tty = ::isatty(STDERR_FILENO) != 0;
  std::size_t done = 0;
  auto progress = [&](const Row& r) {
    ++done;
    if (!tty) return;
    fmt::print(stderr, "\r\033[K[{}] {} rep {}: {}", done, r.allocator, r.repetition_index,
               r.m.status == Status::kOk ? fmt::format("{:.1f} ns/op", r.ns_per_op())
                                         : status_name(r.m.status));
  };
  install_interrupt_handler();
  RunOutcome outcome = run_plan(plan, progress);
  if (tty) fmt::print(stderr, "\r\033[K");

  if (!o.quiet) print_table(stdout, outcome.rows, o.baseline, ::isatty(STDOUT_FILENO) != 0);
  if (!o.json.empty()) {
    RunContext rc{command_line, plan.seed, outcome.allocators};
    auto doc = results_document(capture_environment(rc), outcome.rows);
    // Rows measured before SIGINT/SIGTERM are kept, and the file says the run is partial.
    if (outcome.interrupted != 0) doc["context"]["alloclab"]["interrupted"] = true;
    if (std::string err = write_file_atomically(o.json, doc.dump(2) + "\n"); !err.empty()) {
      fmt::print(stderr, "alloclab: error: {}\n", err);
      return kExitUsage;
    }
  }
  if (outcome.interrupted != 0) {
    fmt::print(stderr, "alloclab: interrupted; {} rows kept\n", outcome.rows.size());
    return 128 + outcome.interrupted;
  }
  return outcome.any_failed ? kExitRowFailed : kExitOk;
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
