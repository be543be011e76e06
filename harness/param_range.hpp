// Numbers as the user types them: one unsigned decimal, a bounded one, and a sweep's list of
// values ("1,2,4", "1..8", "8..4096:x2", "0..100:+25"). Every error is a one-line UsageError
// naming the option (`what`).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/exit_codes.hpp"

namespace alloclab {

using model::UsageError;

// "min_size" -> "min-size": the command-line spelling of a workload parameter.
std::string flag_of(std::string_view param);

// A whole unsigned decimal number ("-1", "1e3", "", "18446744073709551616" are errors).
std::uint64_t parse_u64(const std::string& text, const std::string& what);

// parse_u64 within [lo, hi].
unsigned parse_bounded(const std::string& text, const std::string& what, std::uint64_t lo, std::uint64_t hi);

// The values a comma-separated list of numbers and inclusive ranges names, in order:
// a..b steps by 1, a..b:+N by N, a..b:xN multiplies by N.
std::vector<std::uint64_t> parse_values(const std::string& text, const std::string& what);

// Splits "a,b,,c" into {"a", "b", "c"}.
std::vector<std::string> split_list(const std::string& text);

}  // namespace alloclab
