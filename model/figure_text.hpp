// Figures as text, shared by every view: the verdict sentence (model/verdict.hpp), the terminal
// table and the reports print numbers the same way. Missing values (NaN) print as an em dash so
// a table never shows "nan".
#pragma once

#include <string>
#include <string_view>

namespace alloclab::model {

inline constexpr std::string_view kDash = "—";

std::string fmt_num(double v);    // ~3 significant digits: 95.3, 1234, 0.512
std::string fmt_bytes(double v);  // 30.0 MiB, 512 KiB, 812 B
std::string fmt_ratio(double v);  // 2.63×

}  // namespace alloclab::model
