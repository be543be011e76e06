// reports/format.cpp — see format.hpp.
#include "reports/format.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

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

namespace {

bool is_plain_number(std::string_view s) {
  if (s.empty()) return false;
  char* end = nullptr;
  const std::string text(s);
  std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size();
}

}  // namespace

std::string csv_field(std::string_view s) {
  // A spreadsheet runs a cell that starts with = + - @ (or tab / CR) as a formula: a name from a
  // results file must stay text, so it gets a leading '. Numbers such as -0.5 stay numbers.
  std::string text;
  if (!s.empty() && std::string_view("=+-@\t\r").find(s.front()) != std::string_view::npos && !is_plain_number(s))
    text = "'";
  text += s;
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string md_cell(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '|': out += "\\|"; break;
      case '\n':
      case '\r': out += ' '; break;
      // Markdown passes raw HTML through; reports go into PR comments, so no text of a results
      // file may open a tag (a host name of "</details><script>").
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string md_code(std::string_view s) {
  // A code span shows HTML as text; its fence is one backtick longer than any run inside it.
  std::size_t longest = 0, run = 0;
  std::string text;
  for (char c : s) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
    text += c == '\n' || c == '\r' ? ' ' : c;
  }
  const std::string fence(longest + 1, '`');
  const char* pad = longest > 0 ? " " : "";
  return fence + pad + text + pad + fence;
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
