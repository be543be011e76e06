// reports/scoreboard.cpp — each allocator's standing over many groups.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "reports/summary.hpp"

namespace alloclab::reports {
namespace {

// Student t quantile for a two-sided 95% interval, df degrees of freedom. Tabulated to 30; above,
// 1.96 + 2.5 / df is within 0.003 of the true value.
double t_975(std::size_t df) {
  constexpr double kTable[] = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                               2.201,  2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                               2.080,  2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
  return df <= 30 ? kTable[df - 1] : 1.96 + 2.5 / static_cast<double>(df);
}

const model::Entry* entry_named(const model::Verdict& v, const std::string& name) {
  for (const model::Entry& e : v.entries)
    if (e.name == name) return &e;
  return nullptr;
}

}  // namespace

GeoMean geomean_ci(std::span<const double> ratios) {
  GeoMean g;
  if (ratios.empty()) return g;
  std::vector<double> logs;
  for (double r : ratios) logs.push_back(std::log(r));
  const double mu = model::mean(logs);
  g.value = std::exp(mu);
  if (logs.size() < 2) {
    g.lo = g.hi = g.value;
    return g;
  }
  const double half = t_975(logs.size() - 1) * model::stddev(logs) / std::sqrt(static_cast<double>(logs.size()));
  g.lo = std::exp(mu - half);
  g.hi = std::exp(mu + half);
  return g;
}

std::vector<ScoreLine> scoreboard(const std::vector<Group>& groups, const std::string& baseline) {
  std::size_t judged = 0;
  for (const Group& g : groups) if (g.decision.entries.size() >= 2) ++judged;
  if (judged < 2) return {};
  std::vector<ScoreLine> lines;
  std::vector<std::vector<double>> ratios;
  for (const Group& g : groups) {
    const model::Verdict& v = g.decision;
    if (v.entries.size() < 2) continue;
    const model::Entry* base = entry_named(v, baseline);
    for (std::size_t i = 0; i < v.entries.size(); ++i) {
      const model::Entry& e = v.entries[i];
      auto it = std::find_if(lines.begin(), lines.end(), [&](const ScoreLine& l) { return l.allocator == e.name; });
      if (it == lines.end()) {
        lines.push_back({});
        lines.back().allocator = e.name;
        ratios.emplace_back();
        it = lines.end() - 1;
      }
      std::vector<double>& rs = ratios[static_cast<std::size_t>(it - lines.begin())];
      if (e.rss.present()) {
        ++it->with_memory;
        if (std::find(v.frontier.begin(), v.frontier.end(), i) != v.frontier.end()) ++it->on_frontier;
      }
      if (base == nullptr) continue;
      const double r = base->time.median / e.time.median;  // × baseline in the verdict's metric
      rs.push_back(r);
      ++it->groups;
      if (!present(it->worst) || r < it->worst) {
        it->worst = r;
        it->worst_group = g.title();
      }
    }
  }
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const GeoMean gm = geomean_ci(ratios[i]);
    lines[i].geomean = gm.value;
    lines[i].lo = gm.lo;
    lines[i].hi = gm.hi;
  }
  std::stable_sort(lines.begin(), lines.end(), [](const ScoreLine& a, const ScoreLine& b) {
    const double x = present(a.geomean) ? a.geomean : 0, y = present(b.geomean) ? b.geomean : 0;
    return x > y;
  });
  return lines;
}

}  // namespace alloclab::reports
