// reports/suite_section.hpp — `alloclab suite` in a report: one line per program, one column per
// allocator with its × baseline (wall time, or the program's own figure) and its peak RSS over the
// baseline's, and the suite score: the geometric mean of those ratios over the programs with a
// 95% CI (scoreboard.cpp's geomean_ci). Empty when no group holds suite rows (param `program`).
#pragma once

#include <string>

#include "reports/summary.hpp"

namespace alloclab::reports {

std::string suite_section_markdown(const Report& report);

}  // namespace alloclab::reports
