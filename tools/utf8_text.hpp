// Command-line text that a results file records must be UTF-8: the results are JSON, and JSON
// text holds UTF-8 only.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace alloclab::cli {

bool is_utf8(std::string_view s);

// Throws UsageError naming the first argument that is not UTF-8 (its bad bytes as \xNN).
// Refused rather than written with U+FFFD: a trace or histogram path travels to the measuring
// child inside JSON, and a replaced byte would name another file; a results file would record
// a path that does not exist.
void refuse_non_utf8(const std::vector<std::string>& command_line);

}  // namespace alloclab::cli
