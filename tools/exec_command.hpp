// `alloclab exec [-a LIST] [options] -- CMD ARGS...`: runs a real program under each allocator
// that can serve a whole program (glibc, the deployments, --preload-lib), interleaved, a fresh
// process each, with the probe's proof of who owned malloc (harness/exec/).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

namespace alloclab::cli {

// Runs the parsed `exec` with alloclab's command line (for the results' context).
using ExecAction = std::function<int(const std::vector<std::string>&)>;

// Adds the `exec` subcommand; when parsed, `action` runs it and returns 0, 1 when a row failed,
// 2 (one line, nothing run) for bad input, 128 + signal when interrupted (rows so far written).
// pre: `action` outlives the parse of `app`.
void add_exec_command(CLI::App& app, ExecAction& action);

}  // namespace alloclab::cli
