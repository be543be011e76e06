// The terminal summary of `alloclab exec`: one line per allocator from the model's per-row
// summary (wall time or the --metric figure, × baseline, peak RSS) plus the program's CPU time
// and children, then the same verdict `alloclab run` prints.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "model/row.hpp"

namespace alloclab::exec {

void print_exec_table(std::FILE* out, const std::vector<model::Row>& rows, const std::string& baseline, bool colour);

}  // namespace alloclab::exec
