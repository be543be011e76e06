// `alloclab record [--output FILE] -- COMMAND ARGS...`: runs a program with the heap-call
// recorder (liballoclab_record.so) preloaded, so `alloclab run --workload replay --trace FILE`
// can replay its allocations against any plugin.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace alloclab::cli {

// `alloclab record`'s exit status when the trace reached --max-trace-size and was cut.
inline constexpr int kExitTraceCut = 3;

// Adds the `record` subcommand. When it is parsed, `action` runs the command and returns its
// exit status (128 + signal when it was killed); kExitTraceCut (one line on stderr) when the
// trace was cut at --max-trace-size; 2 with one line on stderr, the command not run, when the
// output cannot be written or is another output, the program is statically linked, or the
// recorder is missing; 2 also when the command cannot be started or the trace it left is
// unreadable.
// pre: `action` outlives the parse of `app`.
void add_record_command(CLI::App& app, std::function<int()>& action);

}  // namespace alloclab::cli
