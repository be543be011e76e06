// What the executables share: the `run` command line (alloclab run, sweep and tb) parsed into
// the run spec (harness/run_spec.hpp), the run itself with its progress line, and one-line
// errors with the exit codes of model/exit_codes.hpp. Planning is harness/plan.hpp's.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "harness/plan.hpp"
#include "harness/results.hpp"
#include "harness/run_spec.hpp"
#include "model/exit_codes.hpp"

namespace alloclab::cli {

using model::kExitOk;
using model::kExitRowFailed;
using model::kExitUsage;
using model::UsageError;

// Adds the run options to `app`, each filling its field of `spec` (a bad value throws a
// UsageError while parsing); with `workload_params`, one option per parameter of any
// registered workload (--threads, --min-size, ...).
void add_run_options(CLI::App& app, RunSpec& spec, bool workload_params);

// Adds `--plugin FILE` (repeatable) to `app`, filling `plugins`.
void add_plugin_option(CLI::App& app, std::vector<std::string>& plugins);

// Loads each C ABI plugin; a bad one is a UsageError naming the file and the reason.
void load_plugins(const std::vector<std::string>& plugins);

// Loads the spec's plugins, plans (harness/plan.hpp), runs, prints the table, writes --json.
// Returns the exit code. With `sweep`, parameters may list values and every combination runs,
// all rows in one results file.
int execute_run(RunSpec spec, const std::vector<std::string>& command_line, bool sweep);

// The end of every measuring command (run, sweep, tb, exec): the results document written to
// `json` ('-': standard output; empty: nowhere), then the exit code: 128 + the signal when
// `stopped_by` interrupted the run (the rows so far are kept), 1 when a row failed, else 0.
int finish_run(const nlohmann::json& context, const std::vector<Row>& rows, const std::string& json,
               int stopped_by, bool any_failed);

// Parses argv with CLI11; help/version print and return 0, errors (CLI11's and a bad value's
// UsageError) print one line and return 2.
std::optional<int> parse_or_exit(CLI::App& app, int argc, char** argv);

// Runs `body` turning UsageError into a one-line message and kExitUsage.
int guarded(const std::string& tool, const std::function<int()>& body);

}  // namespace alloclab::cli
