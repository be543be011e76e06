#include "reports/suite_section.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "model/keys.hpp"
#include "reports/format.hpp"

namespace alloclab::reports {
namespace {

const std::string* program_of(const Group& g) {
  for (const Param& p : g.params)
    if (p.first == model::key::kProgram) return &p.second;
  return nullptr;
}

const Summary* row_of(const Group& g, const std::string& allocator) {
  for (const Summary& s : g.rows)
    if (s.row->allocator == allocator) return &s;
  return nullptr;
}

std::string score_cell(std::span<const double> ratios) {
  if (ratios.empty()) return std::string(kDash);
  const GeoMean g = geomean_ci(ratios);
  return ratios.size() < 2 ? fmt_ratio(g.value)
                           : fmt::format("{} ({} – {})", fmt_ratio(g.value), fmt_ratio(g.lo), fmt_ratio(g.hi));
}

}  // namespace

std::string suite_section_markdown(const Report& report) {
  std::vector<const Group*> groups;
  for (const Group& g : report.groups)
    if (program_of(g) != nullptr) groups.push_back(&g);
  if (groups.empty()) return {};
  std::vector<std::string> allocators;
  for (const std::string& a : report.allocators)
    for (const Group* g : groups)
      if (row_of(*g, a) != nullptr && std::find(allocators.begin(), allocators.end(), a) == allocators.end())
        allocators.push_back(a);
  std::string out = fmt::format(
      "### Program suite\n\nEach cell: × {0} (above 1 = faster than {0}: wall time, or the program's own figure "
      "where it prints one) · peak RSS ÷ {0}'s (below 1 = less memory).\n\n| program |",
      md_cell(report.baseline));
  std::string rule = "| --- |";
  for (const std::string& a : allocators) out += fmt::format(" {} |", md_cell(a)), rule += " :---: |";
  out += "\n" + rule + "\n";
  std::vector<std::vector<double>> time(allocators.size()), rss(allocators.size());
  for (const Group* g : groups) {
    out += fmt::format("| {} |", md_cell(*program_of(*g)));
    const Summary* base = g->baseline;
    for (std::size_t i = 0; i < allocators.size(); ++i) {
      const Summary* s = row_of(*g, allocators[i]);
      if (s == nullptr) {
        out += " |";
      } else if (!s->ok()) {
        out += fmt::format(" {}: {} |", model::status_name(s->status), md_cell(s->error));
      } else if (base == nullptr || !present(s->x_baseline)) {
        out += fmt::format(" {} |", fmt_num(s->median_ns / 1e9) + " s");
      } else {
        time[i].push_back(s->x_baseline);
        std::string cell = fmt_ratio(s->x_baseline);
        if (present(s->rss_peak_bytes) && present(base->rss_peak_bytes) && base->rss_peak_bytes > 0) {
          const double r = s->rss_peak_bytes / base->rss_peak_bytes;
          rss[i].push_back(r);
          cell += " · " + fmt_ratio(r);
        }
        out += fmt::format(" {} |", cell);
      }
    }
    out += "\n";
  }
  out += "| **score** (geometric mean, 95% CI over programs) |";
  for (const auto& t : time) out += fmt::format(" {} |", score_cell(t));
  out += "\n| **peak RSS** (geometric mean) |";
  for (const auto& r : rss) out += fmt::format(" {} |", score_cell(r));
  return out + "\n\n";
}

}  // namespace alloclab::reports
