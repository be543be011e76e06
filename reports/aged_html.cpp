// reports/aged_html.cpp — an aged run's curves and table in the HTML report. See aged.hpp.
#include <fmt/format.h>

#include "reports/aged.hpp"
#include "reports/format.hpp"
#include "reports/svg.hpp"

namespace alloclab::reports {
namespace {

using Get = const std::vector<AgedPoint>& (*)(const AgedFigures&);

// One line per allocator with the min–max of the repetitions as a band.
std::string chart(const Group& g, svg::LineChartSpec spec, Get get) {
  std::vector<svg::Line> lines;
  for (const Summary& s : g.rows) {
    const AgedFigures f = aged_figures(*s.row);
    if (f.empty() || get(f).empty()) continue;
    svg::Line l;
    l.label = s.row->allocator;
    const SeriesStyle style = series_style(s.row->allocator);
    l.colour = style.colour;
    l.marker = style.marker;
    l.band = f.reps > 1;
    for (const AgedPoint& p : get(f)) {
      l.points.emplace_back(p.x, p.y);
      if (l.band) l.errors.emplace_back(p.lo, p.hi);
    }
    lines.push_back(std::move(l));
  }
  return svg::line_chart(spec, lines);
}

}  // namespace

std::vector<std::string> aged_charts(const Group& g) {
  if (!group_has_marks(g)) return {};
  return {
      chart(g, {"Fragmentation over the run (RSS above baseline / live bytes)", "allocations done (millions)",
                "fragmentation (× live bytes, lower is better)", false, true, {}, {}},
            [](const AgedFigures& f) -> const std::vector<AgedPoint>& { return f.fragmentation; }),
      chart(g, {"RSS after each shrink (what the allocator kept)", "allocations done (millions)",
                "MiB above baseline (lower is better)",
                false, true, {}, {}},
            [](const AgedFigures& f) -> const std::vector<AgedPoint>& { return f.rss_after_shrink; }),
      chart(g, {"Throughput per step as the heap ages", "allocations done (millions)", "Mops/s (higher is better)",
                false, true, {}, {}},
            [](const AgedFigures& f) -> const std::vector<AgedPoint>& { return f.rate; }),
  };
}

std::string aged_table_html(const Group& g) {
  if (!group_has_marks(g)) return {};
  std::string t =
      "<table><tr><th>allocator</th><th>final fragmentation</th><th>worst fragmentation</th>"
      "<th>RSS after last shrink</th><th>first phase Mops/s</th><th>last phase Mops/s</th>"
      "<th>drift (last / first)</th></tr>\n";
  for (const Summary& s : g.rows) {
    const AgedFigures f = aged_figures(*s.row);
    if (f.empty()) continue;
    t += fmt::format("<tr><td><span class=\"chip\" style=\"background:{}\"></span>{}</td>",
                     series_style(s.row->allocator).colour, html_escape(s.row->allocator));
    for (const std::string& cell : aged_cells(f)) t += "<td class=\"n\">" + html_escape(cell) + "</td>";
    t += "</tr>\n";
  }
  return t + "</table>\n";
}

}  // namespace alloclab::reports
