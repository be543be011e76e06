// reports/summary.cpp — see summary.hpp.
#include "reports/summary.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>

#include "model/floor.hpp"
#include "model/param_text.hpp"
#include "reports/format.hpp"

namespace alloclab::reports {
namespace {

Summary summarize_row(const Row& row) {
  Summary s;
  static_cast<model::RowSummary&>(s) = model::summarize_repetitions(row.reps);
  s.row = &row;
  return s;
}

bool better(const Summary& a, const Summary& b) {
  return model::ranks_before(a, a.row->allocator, b, b.row->allocator);
}

// The `null` plugin measures the harness's own floor, not an allocator anyone would pick: it
// stays in the tables but never enters a verdict.
constexpr std::string_view kHarnessRow = model::kFloorAllocator;

model::Verdict decide(const Group& g, const std::string& baseline, const model::RssBudget& budget) {
  std::vector<model::Contender> contenders;
  for (const Summary& s : g.rows)
    if (s.ok() && s.row->allocator != kHarnessRow) contenders.push_back(model::contender_of(s.row->allocator, s.row->reps));
  return model::decide(contenders, baseline, budget);
}

}  // namespace

std::string params_label(const std::vector<Param>& params, std::string_view sep) {
  std::string out;
  for (const auto& [k, v] : params) {
    if (!out.empty()) out += sep;
    out += k.empty() ? v : k + "=" + model::param_value_text(k, v);
  }
  return out;
}

std::string Group::title() const {
  return params.empty() ? workload : workload + " · " + params_label(params);
}

bool Group::has_latency() const {
  return std::any_of(rows.begin(), rows.end(), [](const Summary& s) { return !s.latency.empty(); });
}

bool Group::has_rss_series() const {
  return std::any_of(rows.begin(), rows.end(), [](const Summary& s) {
    return s.rss_series != nullptr && s.rss_series->size() >= kMinSeriesSamples;
  });
}

std::string Group::above_floor(const Summary& s) const {
  return model::above_floor_text(s, floor, s.row->allocator == kHarnessRow);
}

Report summarize(const Results& results, const std::string& baseline, const model::RssBudget& budget) {
  Report report;
  report.results = &results;
  report.baseline = baseline;
  report.budget = budget;
  std::map<std::string, std::size_t> group_index;
  for (const Row& row : results.rows) {
    if (std::find(report.allocators.begin(), report.allocators.end(), row.allocator) ==
        report.allocators.end())
      report.allocators.push_back(row.allocator);
    auto [it, added] = group_index.emplace(row.group_key(), report.groups.size());
    if (added) {
      Group g;
      g.workload = row.workload;
      g.params = row.params_with_measure();  // the title says which measure
      report.groups.push_back(std::move(g));
    }
    report.groups[it->second].rows.push_back(summarize_row(row));
  }

  bool first_measured = true;
  for (Group& g : report.groups) {
    std::stable_sort(g.rows.begin(), g.rows.end(), better);
    for (const Summary& s : g.rows) {
      if (s.ok() && s.row->allocator == baseline) g.baseline = &s;
      if (s.ok() && s.row->allocator == kHarnessRow) g.floor = &s;
    }
    for (Summary& s : g.rows) {
      if (g.baseline != nullptr && s.measured()) s.x_baseline = model::times_baseline(*g.baseline, s);
      if (!s.measured()) continue;
      if (!s.ci.order_statistic) ++report.fallback_ci_rows;
      report.min_reps = first_measured ? s.ns.size() : std::min(report.min_reps, s.ns.size());
      report.max_reps = std::max(report.max_reps, s.ns.size());
      first_measured = false;
    }
    g.decision = decide(g, baseline, budget);
  }
  report.sweeps = find_sweeps(report.groups);
  report.scoreboard = scoreboard(report.groups, baseline);
  return report;
}

std::string ci_method_note(const Report& report) {
  std::string note =
      "95% CI: distribution-free confidence interval of the median from order statistics "
      "(binomial)";
  if (report.fallback_ci_rows == 0) return note;
  std::vector<std::size_t> sizes;  // repetition counts of the rows that fell back
  for (const Group& g : report.groups)
    for (const Summary& s : g.rows)
      if (s.measured() && !s.ci.order_statistic) sizes.push_back(s.ns.size());
  std::sort(sizes.begin(), sizes.end(), std::greater<>());
  sizes.erase(std::unique(sizes.begin(), sizes.end()), sizes.end());
  std::string coverage;
  for (std::size_t n : sizes) {
    coverage += fmt::format("{}{:.1f}% for n = {}", coverage.empty() ? "" : ", ",
                            100.0 * median_ci(std::vector<double>(n, 0.0)).coverage, n);
  }
  return note + fmt::format(
                    "; † marks rows with fewer than 6 repetitions, where no order-statistic interval "
                    "reaches 95%: the min–max range is shown instead (it covers the median with "
                    "probability 1 − 2·½ⁿ: {})",
                    coverage);
}

}  // namespace alloclab::reports
