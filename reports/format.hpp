// reports/format.hpp — number and text formatting shared by the report formats.
// Missing values (NaN) print as an em dash everywhere so a table never shows "nan".
#pragma once

#include <string>
#include <string_view>

namespace alloclab::reports {

inline constexpr std::string_view kDash = "—";

std::string fmt_num(double v);    // ~3 significant digits: 95.3, 1234, 0.512
std::string fmt_bytes(double v);  // 30.0 MiB, 512 KiB, 812 B
std::string fmt_ratio(double v);  // 2.63×
std::string fmt_p(double p);      // 0.0079, <0.0001
std::string fmt_csv(double v);    // exact when whole, else 8 significant digits; empty when missing

std::string csv_field(std::string_view s);  // RFC 4180 quoting when needed
std::string md_cell(std::string_view s);    // escapes '|' and line breaks for a table cell
std::string html_escape(std::string_view s);

}  // namespace alloclab::reports
