// The terminal view of `alloclab check`: a check × allocator matrix of verdicts, then the
// evidence of every fail and note.
#pragma once

#include <cstdio>
#include <span>

#include "model/check_row.hpp"

namespace alloclab::check {

void print_matrix(std::FILE* out, std::span<const model::CheckRow> rows);

}  // namespace alloclab::check
