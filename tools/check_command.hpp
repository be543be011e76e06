// `alloclab check [-a LIST] [--preload-lib FILE] [--check LIST] [--timeout S] [--json FILE]`:
// the malloc conformance suite (harness/check/) against glibc, the deployments and a user's
// library; a matrix on stdout, check rows in --json.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

namespace alloclab::cli {

// Adds the `check` subcommand. When parsed, `action` runs it: 0 when every allocator passed
// every required check, 1 when one failed (crash and hang included), 2 with one line on stderr
// for bad usage (an unknown allocator or check, a missing --preload-lib file, an unwritable
// --json, the probe not built).
// pre: `action` and `command_line` outlive the parse of `app`.
void add_check_command(CLI::App& app, std::function<int()>& action, const std::vector<std::string>& command_line);

}  // namespace alloclab::cli
