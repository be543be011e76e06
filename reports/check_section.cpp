// reports/check_section.cpp — see check_section.hpp.
#include "reports/check_section.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "reports/format.hpp"

namespace alloclab::reports {
namespace {

using model::CheckRow;
using model::CheckVerdict;

struct Matrix {
  std::vector<std::string> allocators, checks;  // first-appearance order
  const CheckRow* at(std::span<const CheckRow> rows, const std::string& a, const std::string& c) const {
    auto it = std::find_if(rows.begin(), rows.end(), [&](const CheckRow& r) { return r.allocator == a && r.check == c; });
    return it == rows.end() ? nullptr : &*it;
  }
};

Matrix matrix_of(std::span<const CheckRow> rows) {
  Matrix m;
  for (const CheckRow& r : rows) {
    if (std::find(m.allocators.begin(), m.allocators.end(), r.allocator) == m.allocators.end()) m.allocators.push_back(r.allocator);
    if (std::find(m.checks.begin(), m.checks.end(), r.check) == m.checks.end()) m.checks.push_back(r.check);
  }
  return m;
}

std::string cell(const CheckRow* r) { return r == nullptr ? std::string(kDash) : model::check_cell(*r); }

std::size_t count(std::span<const CheckRow> rows, CheckVerdict v) {
  return static_cast<std::size_t>(std::count_if(rows.begin(), rows.end(), [v](const CheckRow& r) { return r.verdict == v; }));
}

std::string summary_line(std::span<const CheckRow> rows, const Matrix& m) {
  return fmt::format("{} checks of {} allocators, each in a fresh process: {} pass, {} fail, {} note "
                     "(a note describes; only a required check fails)",
                     m.checks.size(), m.allocators.size(), count(rows, CheckVerdict::kPass),
                     count(rows, CheckVerdict::kFail), count(rows, CheckVerdict::kNote));
}

}  // namespace

std::string check_section_markdown(std::span<const CheckRow> rows) {
  if (rows.empty()) return {};
  const Matrix m = matrix_of(rows);
  std::string out = fmt::format("### Conformance checks\n\n{}.\n\n| check |", summary_line(rows, m));
  for (const std::string& a : m.allocators) out += fmt::format(" {} |", md_cell(a));
  out += "\n| --- |";
  for (std::size_t i = 0; i < m.allocators.size(); ++i) out += " :---: |";
  out += "\n";
  for (const std::string& c : m.checks) {
    out += fmt::format("| {} |", md_cell(c));
    for (const std::string& a : m.allocators) out += fmt::format(" {} |", cell(m.at(rows, a, c)));
    out += "\n";
  }
  out += "\n";
  for (const CheckRow& r : rows)
    if (r.verdict != CheckVerdict::kPass)
      out += fmt::format("- **{}** {} · `{}`: {}\n", cell(&r), md_cell(r.allocator), r.check, md_cell(r.evidence));
  return out + "\n";
}

std::string check_section_html(std::span<const CheckRow> rows) {
  if (rows.empty()) return {};
  const Matrix m = matrix_of(rows);
  std::string h = fmt::format("<section id=\"checks\"><h2>Conformance checks</h2><p>{}.</p>\n<table><tr><th>check</th>",
                              html_escape(summary_line(rows, m)));
  for (const std::string& a : m.allocators) h += fmt::format("<th>{}</th>", html_escape(a));
  h += "</tr>\n";
  for (const std::string& c : m.checks) {
    h += fmt::format("<tr><td>{}</td>", html_escape(c));
    for (const std::string& a : m.allocators) {
      const CheckRow* r = m.at(rows, a, c);
      h += fmt::format("<td title=\"{}\">{}</td>", r ? html_escape(r->evidence) : "", html_escape(cell(r)));
    }
    h += "</tr>\n";
  }
  h += "</table>\n<ul>\n";
  for (const CheckRow& r : rows)
    if (r.verdict != CheckVerdict::kPass)
      h += fmt::format("<li><b>{}</b> {} · <code>{}</code>: {}</li>\n", html_escape(cell(&r)), html_escape(r.allocator),
                       html_escape(r.check), html_escape(r.evidence));
  return h + "</ul></section>\n";
}

}  // namespace alloclab::reports
