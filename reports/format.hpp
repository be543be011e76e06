// reports/format.hpp — number and text formatting shared by the report formats.
// Missing values (NaN) print as an em dash everywhere so a table never shows "nan".
#pragma once

#include <string>
#include <string_view>

#include "model/figure_text.hpp"

namespace alloclab::reports {

// kDash, fmt_num (~3 significant digits), fmt_bytes (30.0 MiB) and fmt_ratio (2.63×) are the
// model's, so the verdict sentence and the tables print figures alike.
using model::fmt_bytes;
using model::fmt_num;
using model::fmt_ratio;
using model::kDash;

std::string fmt_p(double p);      // 0.0079, <0.0001
std::string fmt_csv(double v);    // exact when whole, else 8 significant digits; empty when missing

// RFC 4180 quoting when needed; a text cell starting with = + - @ gets a leading ' (no formula).
std::string csv_field(std::string_view s);
// Escapes '|', line breaks and HTML (< > &) for a table cell or any text of a results file.
std::string md_cell(std::string_view s);
// `s` as a Markdown code span, whatever backticks it holds.
std::string md_code(std::string_view s);
std::string html_escape(std::string_view s);

}  // namespace alloclab::reports
