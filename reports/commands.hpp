// reports/commands.hpp — the `report` and `compare` subcommands, for the alloclab executable.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace alloclab::reports {

// Adds the `report` and `compare` subcommands to `app`. When one of them is parsed, `action` is
// set to a callable that runs it and returns the process exit code: 0 ok, 1 regression found with
// --fail-on-regression, 2 bad input (unreadable / malformed file, bad option value, unwritable
// output) with a one-line "alloclab: error: ..." on stderr.
// pre: `action` outlives the parse of `app`.
void add_commands(CLI::App& app, std::function<int()>& action);

}  // namespace alloclab::reports
