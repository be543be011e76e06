// reports/format.cpp — see format.hpp.
#include "reports/format.hpp"

#include <fmt/format.h>

#include <cmath>

namespace alloclab::reports {

std::string fmt_p(double p) {
  if (std::isnan(p)) return std::string(kDash);
  if (p < 1e-4) return "<0.0001";
  return fmt::format("{:.4f}", p);
}

std::string fmt_csv(double v) {
  if (std::isnan(v)) return {};
  // Whole numbers (bytes, counts) exactly; the rest to more digits than any measurement has.
  if (v == std::trunc(v) && std::fabs(v) < 1e15) return fmt::format("{:.0f}", v);
  return fmt::format("{:.8g}", v);
}

std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string md_cell(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string html_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace alloclab::reports
