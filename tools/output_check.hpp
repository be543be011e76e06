// The last word of every executable (alloclab, tb, alloclab-micro) on its own output: a result
// that could not be written is an error, not a silent exit 0 nor an abort.
#pragma once

#include <functional>

namespace alloclab::cli {

// Runs `body` (main's work), then flushes standard output. A write error on stdout or stderr —
// fmt::print throws std::system_error, stdio and iostreams only set their error flags — becomes
// exit 2 with one line on stderr (when stderr can still take it). Otherwise body's exit code.
int with_checked_output(const char* tool, const std::function<int()>& body);

}  // namespace alloclab::cli
