// `alloclab exec [-a LIST] [options] -- CMD ARGS...`: runs a real program under each allocator
// that can serve a whole program (glibc, the deployments, --preload-lib), interleaved, a fresh
// process each, with the probe's proof of who owned malloc (harness/exec/). The options and the
// end of the run that `alloclab suite` shares with it are here too.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

#include "harness/exec/exec_run.hpp"

namespace alloclab::cli {

// Runs the parsed `exec` with alloclab's command line (for the results' context).
using ExecAction = std::function<int(const std::vector<std::string>&)>;

// Adds the `exec` subcommand; when parsed, `action` runs it and returns 0, 1 when a row failed,
// 2 (one line, nothing run) for bad input, 128 + signal when interrupted (rows so far written).
// pre: `action` outlives the parse of `app`.
void add_exec_command(CLI::App& app, ExecAction& action);

// The command line exec and suite share, as given.
struct ExecCommonOptions {
  std::string allocators = "all";
  std::vector<std::string> variants;
  std::string reps, warmup = "0", timeout = "600", shard, baseline, json;
  bool quiet = false, dry_run = false;
};
// Adds those options to `cmd`; `reps_help` says the default (an empty --reps takes it).
void add_exec_common_options(CLI::App& cmd, ExecCommonOptions& o, const std::string& reps_help);
// Adds a repeatable option taking one value each time it is given (a vector option would
// swallow exec's `--`).
void add_repeatable(CLI::App& cmd, const char* flag, std::vector<std::string>& into, const char* help);

// Those options checked (a bad one: a UsageError, nothing run).
struct ExecSetup {
  std::vector<exec::Contender> contenders;
  std::string baseline;
  exec::ExecRunOptions run;  // reps, warmup, shard
  double timeout_s = 600;
};
ExecSetup exec_setup(const ExecCommonOptions& o, unsigned default_reps, const std::string& preload_lib = {},
                     const std::string& preload_name = {});

// The rest of a run, shared: --dry-run lists `planned` (this shard's row names) and runs
// nothing; else the interrupt handler, `run` (given a progress callback for each row), `show`
// (the table, unless --quiet), the results file. Returns the exit code (finish_run's).
int run_exec_command(const char* tool, const ExecCommonOptions& o, const ExecSetup& s,
                     const std::vector<std::string>& planned, const std::vector<std::string>& command_line,
                     const std::function<exec::ExecOutcome(const std::function<void(const model::Row&)>&)>& run,
                     const std::function<void(const std::vector<model::Row>&)>& show);

}  // namespace alloclab::cli
