// `alloclab suite [--list] [--quick] [NAME...] [-a LIST] [--reps N] [--json F]`: the curated real
// programs of harness/suite/ under each allocator, through exec, with the suite's report section.
#pragma once

#include <CLI/CLI.hpp>

#include "exec_command.hpp"

namespace alloclab::cli {

// Adds the `suite` subcommand; when parsed, `action` runs it (exit codes as exec's).
// pre: `action` outlives the parse of `app`.
void add_suite_command(CLI::App& app, ExecAction& action);

}  // namespace alloclab::cli
