// reports/render.hpp — the three report formats, each rendered to a string from one Report.
#pragma once

#include <string>

#include "reports/summary.hpp"

namespace alloclab::reports {

// Markdown sized for a pull-request comment: per group a heading, a one-line verdict and a table.
std::string render_markdown(const Report& report);
// One CSV record per row (allocator × group); every parameter and figure a column (RFC 4180).
std::string render_csv(const Report& report);
// One self-contained HTML page: inline CSS and SVG, no script, nothing fetched.
std::string render_html(const Report& report);

}  // namespace alloclab::reports
