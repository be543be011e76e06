// reports/aged.cpp — an aged run's figures over time. See aged.hpp.
#include "reports/aged.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "model/stats.hpp"
#include "reports/format.hpp"

namespace alloclab::reports {
namespace {

constexpr double kMiB = 1024.0 * 1024.0;

using Marks = std::vector<model::MarkSample>;

// Allocations per second (millions) from mark i-1 (or the start) to mark i; kMissing for an
// interval without allocations (a shrink) or without time.
double rate_at(const Marks& m, std::size_t i) {
  const double a0 = i == 0 ? 0 : static_cast<double>(m[i - 1].allocations);
  const double t0 = i == 0 ? 0 : m[i - 1].t_ms;
  const double da = static_cast<double>(m[i].allocations) - a0, dt = m[i].t_ms - t0;
  return da > 0 && dt > 0 ? da / dt / 1e3 : kMissing;
}

// The rates of the intervals in the first or the last phase; phases end at shrinks.
std::vector<double> phase_rates(const Marks& m, bool last) {
  std::vector<std::size_t> ends;  // index of each after-shrink mark
  for (std::size_t i = 0; i < m.size(); ++i)
    if (m[i].after_shrink) ends.push_back(i);
  std::size_t from = 0, to = m.size();
  if (ends.size() >= 2) {
    from = last ? ends[ends.size() - 2] + 1 : 0;
    to = last ? ends.back() + 1 : ends.front() + 1;
  }
  std::vector<double> out;
  for (std::size_t i = from; i < to; ++i)
    if (const double r = rate_at(m, i); present(r)) out.push_back(r);
  if (ends.size() < 2 && !out.empty()) return {last ? out.back() : out.front()};
  return out;
}

double median_or_missing(const std::vector<double>& xs) { return xs.empty() ? kMissing : model::median(xs); }

AgedPoint point_of(double x, const std::vector<double>& ys) {
  const auto [lo, hi] = std::minmax_element(ys.begin(), ys.end());
  return AgedPoint{x, model::median(ys), *lo, *hi};
}

}  // namespace

AgedFigures aged_figures(const Row& row) {
  std::vector<const model::Repetition*> reps, all;  // for the curves, for the table
  for (const model::Repetition& r : row.reps) {
    if (!r.ok() || r.marks.empty()) continue;
    all.push_back(&r);
    if (reps.empty() || r.marks.size() == reps.front()->marks.size()) reps.push_back(&r);
  }
  AgedFigures f;
  f.reps = reps.size();
  f.table_reps = all.size();
  if (reps.empty()) return f;
  const Marks& first = reps.front()->marks;
  auto baseline = [](const model::Repetition* r) {
    return present(r->rss_baseline_bytes) ? static_cast<std::uint64_t>(r->rss_baseline_bytes) : 0;
  };
  std::vector<double> finals, worsts, shrink_rss, first_rates, last_rates, drifts;
  for (std::size_t i = 0; i < first.size(); ++i) {
    std::vector<double> frag, rss, rate;
    for (const model::Repetition* r : reps) {
      const model::MarkSample& s = r->marks[i];
      frag.push_back(model::fragmentation(s, baseline(r)));
      rss.push_back(std::max(static_cast<double>(s.rss_bytes) - static_cast<double>(baseline(r)), 0.0));
      if (const double v = rate_at(r->marks, i); present(v)) rate.push_back(v);
    }
    const double x = static_cast<double>(first[i].allocations) / 1e6;
    f.fragmentation.push_back(point_of(x, frag));
    if (first[i].after_shrink) {
      std::vector<double> mib;
      for (double b : rss) mib.push_back(b / kMiB);
      f.rss_after_shrink.push_back(point_of(x, mib));
    }
    if (!rate.empty()) f.rate.push_back(point_of(x, rate));
  }
  for (const model::Repetition* r : all) {
    std::vector<double> frag;
    for (const model::MarkSample& s : r->marks) frag.push_back(model::fragmentation(s, baseline(r)));
    finals.push_back(frag.back());
    worsts.push_back(*std::max_element(frag.begin(), frag.end()));
    for (auto s = r->marks.rbegin(); s != r->marks.rend(); ++s)
      if (s->after_shrink) {
        shrink_rss.push_back(std::max(static_cast<double>(s->rss_bytes) - static_cast<double>(baseline(r)), 0.0));
        break;
      }
    const double a = median_or_missing(phase_rates(r->marks, false)), b = median_or_missing(phase_rates(r->marks, true));
    if (present(a)) first_rates.push_back(a);
    if (present(b)) last_rates.push_back(b);
    if (present(a) && present(b) && a > 0) drifts.push_back(b / a);
  }
  f.final_fragmentation = median_or_missing(finals);
  f.worst_fragmentation = median_or_missing(worsts);
  f.last_shrink_rss = median_or_missing(shrink_rss);
  f.first_rate = median_or_missing(first_rates);
  f.last_rate = median_or_missing(last_rates);
  f.drift = median_or_missing(drifts);
  return f;
}

bool group_has_marks(const Group& g) {
  return std::any_of(g.rows.begin(), g.rows.end(), [](const Summary& s) {
    return std::any_of(s.row->reps.begin(), s.row->reps.end(), [](const model::Repetition& r) { return !r.marks.empty(); });
  });
}

std::vector<std::string> aged_cells(const AgedFigures& f) {
  return {fmt_ratio(f.final_fragmentation), fmt_ratio(f.worst_fragmentation), fmt_bytes(f.last_shrink_rss),
          fmt_num(f.first_rate), fmt_num(f.last_rate), fmt_ratio(f.drift)};
}

std::string aged_table_markdown(const Group& g) {
  if (!group_has_marks(g)) return {};
  std::string out =
      "\nHeap over time (medians over repetitions; fragmentation = RSS above the baseline / live requested bytes):\n\n"
      "| allocator | final fragmentation | worst fragmentation | RSS after last shrink | first phase Mops/s | last phase "
      "Mops/s | drift (last / first) |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n";
  for (const Summary& s : g.rows) {
    const AgedFigures f = aged_figures(*s.row);
    if (f.empty()) continue;
    out += fmt::format("| {} | {} |\n", md_cell(s.row->allocator), fmt::join(aged_cells(f), " | "));
  }
  return out;
}

}  // namespace alloclab::reports
