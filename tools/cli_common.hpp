// What the executables share: the `run` options (alloclab run and tb), number parsing with
// one-line errors, and the exit-code convention.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "harness/runner.hpp"
#include "model/verdict.hpp"

namespace alloclab::cli {

// Exit codes of every alloclab executable.
inline constexpr int kExitOk = 0;
inline constexpr int kExitRowFailed = 1;  // a measured row crashed, failed verify, timed out
inline constexpr int kExitUsage = 2;      // bad usage or input

// A bad value on the command line: main prints "<tool>: error: <what>" and exits kExitUsage.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// "min_size" -> "min-size": the command-line spelling of a workload parameter.
std::string flag_of(std::string_view param);

// Parses a whole unsigned decimal number ("-1", "1e3", "", "18446744073709551616" are errors).
std::uint64_t parse_u64(const std::string& text, const std::string& what);

struct RunOptions {
  std::string allocators = "all";
  std::string workload = "churn";
  std::map<std::string, std::string> params;  // workload parameters as typed
  std::string trace;                           // --trace FILE (replay)
  std::string size_histogram;                  // --size-histogram FILE (dist 3)
  std::string reps = "5";
  std::string touch = "lines";
  bool verify = false;
  std::string seed = "0";
  std::string timeout = "120";
  std::string rss_interval = "5";
  std::string latency = "0";
  std::string measure = "time";
  std::string json;
  std::string baseline = "glibc";
  std::string rss_budget;  // --rss-budget: empty, "1.2x" or "256MiB" (model::parse_rss_budget)
  bool quiet = false;
  std::vector<std::string> plugins;  // C ABI shared objects to load (--plugin)
  std::string max_rss = "0";         // bytes; 0 = no limit
};

// Adds the run options to `app`; with `workload_params`, one option per parameter of any
// registered workload (--threads, --min-size, ...).
void add_run_options(CLI::App& app, RunOptions& o, bool workload_params);

// Adds `--plugin FILE` (repeatable) to `app`, filling `plugins`.
void add_plugin_option(CLI::App& app, std::vector<std::string>& plugins);

// Loads each C ABI plugin; a bad one is a UsageError naming the file and the reason.
void load_plugins(const std::vector<std::string>& plugins);

// Every run option validated (nothing runs): the plan (params unset) and the parameter
// combinations to run it with. A bad value is a UsageError. tests/fuzz/fuzz_cli.cpp drives this.
struct ValidatedRun {
  RunPlan plan;
  std::vector<Params> combos;
  model::RssBudget budget;
};
ValidatedRun validate_run(const RunOptions& o, bool sweep);

// Validates everything, runs, prints the table, writes --json. Returns the exit code. With
// `sweep`, parameters may list values ("1,2,4", "1..8", "8..4096:x2", "0..100:+25") and every
// combination runs, all rows in one results file.
int execute_run(const RunOptions& o, const std::vector<std::string>& command_line, bool sweep);

// Parses argv with CLI11; help/version print and return 0, errors print one line and return 2.
std::optional<int> parse_or_exit(CLI::App& app, int argc, char** argv);

// Runs `body` turning UsageError into a one-line message and kExitUsage.
int guarded(const std::string& tool, const std::function<int()>& body);

}  // namespace alloclab::cli
