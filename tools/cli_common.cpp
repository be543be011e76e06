#include "cli_common.hpp"

#include <unistd.h>

#include <chrono>
#include <fmt/format.h>
#include <iterator>
#include <map>
#include <stdexcept>
#include <utility>

#include "harness/child.hpp"
#include "harness/deployments.hpp"
#include "harness/environment.hpp"
#include "harness/plan.hpp"
#include "harness/plugin_loader.hpp"
#include "harness/runner.hpp"
#include "harness/shard.hpp"
#include "harness/table.hpp"
#include "model/keys.hpp"
#include "plan_notice.hpp"
#include "utf8_text.hpp"

namespace alloclab::cli {
namespace {

// An option whose text `parse` turns into its field of the spec (a bad value: UsageError),
// its default shown in --help.
template <class Parse>
void add_parsed(CLI::App& app, const std::string& flags, const std::string& help,
                const std::string& shown_default, Parse parse) {
  app.add_option_function<std::string>(flags, parse, help)->default_str(shown_default);
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

}  // namespace

void add_run_options(CLI::App& app, RunSpec& s, bool workload_params) {
  add_parsed(app, "--allocator,-a", "comma-separated allocators, or 'all'", "all",
             [&s](const std::string& v) { s.allocators = split_allocator_list(v); });
  app.add_option_function<std::string>(
      "--variant", [&s](const std::string& v) { s.variants.push_back(v); },
      "NAME=BASE{NAME=value,...}: an allocator with settings under a short name -a may use (repeatable)");
  app.add_option("--workload,-w", s.workload, "workload to run (see: alloclab list)")
      ->capture_default_str();
  if (workload_params) {
    std::map<std::string, std::string> helps;
    for (const WorkloadInfo& w : registered_workloads())
      for (const ParamSpec& p : w.params)
        helps.try_emplace(std::string(p.name), fmt::format("{} ({})", p.help, w.name));
    for (const auto& [name, help] : helps)
      app.add_option_function<std::string>(
          "--" + flag_of(name), [&s, name = name](const std::string& v) { s.param_text[name] = v; },
          help);
  }
  app.add_option("--trace", s.trace_file, "recorded trace to replay (--workload replay; alloclab record)");
  app.add_option("--spec", s.spec_file, "workload spec to generate from (--workload synth; alloclab analyze --workload-out)");
  app.add_option("--size-histogram", s.size_histogram.source,
                 "sizes to draw (dist 3): lines 'SIZE WEIGHT' or 'LO-HI WEIGHT'; sets --dist 3, "
                 "and --min-size/--max-size to its range when neither is given");
  add_parsed(app, "--reps,-r", "repetitions per allocator (interleaved)", std::to_string(s.reps),
             [&s](const std::string& v) { s.reps = parse_bounded(v, "--reps", 1, 1000); });
  add_parsed(app, "--duration", "run each row for this clock time (90s, 10m, 2h; at most 24h) instead of "
             "the workload's count (--iters, --frames ...); workloads that stream only", "off",
             [&s](const std::string& v) { s.duration_s = parse_duration_s(v); });
  add_parsed(app, "--touch", "write to blocks: none|lines|full", touch_name(s.touch), [&s](const std::string& v) {
    if (!parse_touch(v, s.touch))
      throw UsageError(fmt::format("--touch: '{}' is not one of none, lines, full", v));
  });
  app.add_flag("--verify", s.verify, "stamp every block and check it before it is freed");
  add_parsed(app, "--seed", "trace seed (0: the workload's default)", std::to_string(s.seed),
             [&s](const std::string& v) { s.seed = parse_u64(v, "--seed"); });
  add_parsed(app, "--timeout", "seconds per child before it is killed", fmt::format("{}", s.timeout_s),
             [&s](const std::string& v) { s.timeout_s = parse_bounded(v, "--timeout", 1, 86400); });
  add_parsed(app, "--rss-interval", "RSS sampling period in ms (0: off)", std::to_string(s.rss_interval_ms),
             [&s](const std::string& v) { s.rss_interval_ms = parse_bounded(v, "--rss-interval", 0, 60000); });
  add_parsed(app, "--latency", "time one op in N (cycle counter) into latency histograms; 0: off",
             std::to_string(s.latency_every),
             [&s](const std::string& v) { s.latency_every = parse_bounded(v, "--latency", 0, 1u << 30); });
  add_parsed(app, "--measure", "time, or instructions (each child under callgrind: slow, but repeatable)",
             s.count_instructions ? "instructions" : "time", [&s](const std::string& v) {
               if (v != "time" && v != "instructions")
                 throw UsageError(fmt::format("--measure: '{}' is not one of time, instructions", v));
               s.count_instructions = v == "instructions";
             });
  app.add_option("--json,-o", s.json, "write results (Google Benchmark JSON layout) to FILE ('-': stdout, the table then on stderr)");
  app.add_option("--baseline", s.baseline, "allocator the table's ratios are against")
      ->capture_default_str();
  app.add_option_function<std::string>(
      "--rss-budget",
      [&s](const std::string& v) {
        try {
          s.rss_budget = model::parse_rss_budget(v);
        } catch (const std::invalid_argument& e) {
          throw UsageError(e.what());
        }
      },
      "also name the fastest allocator within this peak RSS: 1.2x (of the smallest) or 256MiB");
  app.add_flag("--quiet,-q", s.quiet, "no table on stdout");
  app.add_flag("--dry-run", s.dry_run, "list the rows the run would measure, and their count; run nothing");
  app.add_option("--shard", s.shard, "K/N: run only this machine's share of the rows (0-based K); auto: from "
                                     "SLURM_ARRAY_TASK_ID/COUNT or JOB_COMPLETION_INDEX (auto/N)");
  add_parsed(app, "--max-rss", "bytes of RSS a child may reach before it is killed (0: the default budget, 75% of what is available)",
             std::to_string(s.max_rss), [&s](const std::string& v) {
               s.max_rss = parse_u64(v, "--max-rss");
               if (s.max_rss != 0 && s.max_rss < (std::uint64_t{1} << 20))
                 throw UsageError(fmt::format("--max-rss: {} bytes is below 1 MiB: no child could start", s.max_rss));
             });
  add_plugin_option(app, s.plugins);
  // Under callgrind the count does not move between repetitions, so one is the default there
  // (--reps still says otherwise); and a cycle counter inside callgrind would time callgrind.
  app.parse_complete_callback([&app, &s] {
    if (!s.count_instructions) return;
    if (s.latency_every > 0)
      throw UsageError("--latency: cannot time operations under --measure instructions (callgrind); drop one of them");
    if (app.get_option("--reps")->count() == 0) s.reps = 1;
  });
}

void add_plugin_option(CLI::App& app, std::vector<std::string>& plugins) {
  app.add_option("--plugin", plugins, "load a C ABI allocator plugin (.so); repeatable")
      ->allow_extra_args(false);
}

void load_plugins(const std::vector<std::string>& plugins) {
  for (const std::string& path : plugins)
    if (std::string err = load_plugin(path); !err.empty()) throw UsageError(err);
}

int execute_run(RunSpec spec, const std::vector<std::string>& command_line, bool sweep) {
  refuse_non_utf8(command_line);
  load_plugins(spec.plugins);
  auto [s, combos] = plan_run(std::move(spec), sweep);
  const Shard shard = s.shard.empty() ? Shard{} : parse_shard(s.shard);
  // Planned row index: combination-major, then the allocator's place in the list.
  const std::size_t width = s.allocators.size();
  const auto in_shard = [&shard, width](std::size_t combo) {
    return [&shard, width, combo](std::size_t i) { return shard.holds(combo * width + i); };
  };
  RunPlanNotice notice(s, combos, in_shard);
  if (s.dry_run) return notice.list_rows(stdout);
  notice.announce(stderr);
  Progress progress(notice.children());
  std::vector<Row> rows;
  nlohmann::json libraries = nlohmann::json::object();
  nlohmann::json memory_budget = nlohmann::json::object();
  bool any_failed = false;
  // --json -: the JSON alone goes to stdout, so the table goes to stderr.
  FILE* const table_out = s.json == "-" ? stderr : stdout;
  int stopped_by = 0;  // SIGINT/SIGTERM/SIGHUP: the rows so far are written, marked, and we exit 128+sig
  install_interrupt_handler();
  for (std::size_t combo = 0; combo < combos.size(); ++combo) {
    if (stopped_by != 0) break;
    s.params = combos[combo];
    RunOutcome outcome = run_spec(s, [&](const Row& r) { progress.row_done(r); }, in_shard(combo));
    if (outcome.rows.empty() && outcome.interrupted == 0) continue;
    stopped_by = outcome.interrupted;
    if (!s.quiet) {
      print_table(table_out, outcome.rows, s.baseline, ::isatty(::fileno(table_out)) != 0, s.rss_budget);
      if (combos.size() > 1) fmt::print(table_out, "\n");
    }
    any_failed = any_failed || outcome.any_failed;
    libraries.update(outcome.allocators);
    memory_budget = outcome.memory_budget;
    std::move(outcome.rows.begin(), outcome.rows.end(), std::back_inserter(rows));
    notice.estimate(stderr, combo);
  }
  nlohmann::json context;  // read only when it is written
  if (!s.json.empty()) context = capture_environment(RunContext{command_line, s.seed, libraries, memory_budget});
  if (!s.json.empty() && !shard.whole()) context[model::key::kAlloclab][model::key::kShard] = shard_json(shard);
  return finish_run(context, rows, s.json, stopped_by, any_failed);
}

int finish_run(const nlohmann::json& context, const std::vector<Row>& rows, const std::string& json,
               int stopped_by, bool any_failed) {
  if (!json.empty()) {
    auto doc = results_document(context, rows);
    if (stopped_by != 0) doc[model::key::kContext][model::key::kAlloclab][model::key::kInterrupted] = true;
    if (json == "-") {
      fmt::print("{}\n", doc.dump(2));
    } else if (std::string err = write_file_atomically(json, doc.dump(2) + "\n"); !err.empty()) {
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
  } catch (const UsageError& e) {  // an option's value, checked as it was parsed
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
