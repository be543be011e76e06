// reports/aged.hpp — an aged run's figures over time (workload aged: rows whose repetitions
// carry marks, model::MarkSample): per mark the fragmentation (RSS above the baseline / live
// requested bytes), RSS after each shrink, and allocations per second per step; then the
// figures a table shows. Marks line up across repetitions (one trace), so each curve is the
// per-mark median over the ok repetitions, with their min–max. Runs of a --duration end at
// different marks: the curves are of the repetitions with as many marks as the first, the
// table's figures of every ok repetition. Long runs keep a thinned set of whole phases
// (harness/series_bound.hpp), so the x of every curve is the allocations done.
//
// Glossary
//   interval  the allocations between two marks over the time between them; shrink intervals
//             (no allocations) have no rate.
//   drift     median rate of the last phase's intervals / the first phase's (below 1: slower
//             as the heap ages); with one phase, the last interval's / the first's.
#pragma once

#include <string>
#include <vector>

#include "reports/summary.hpp"

namespace alloclab::reports {

struct AgedPoint {
  double x = 0;               // allocations done (millions)
  double y = 0, lo = 0, hi = 0;  // median and min–max over the repetitions
};

struct AgedFigures {
  std::vector<AgedPoint> fragmentation;     // per mark
  std::vector<AgedPoint> rss_after_shrink;  // per shrink, MiB above the baseline
  std::vector<AgedPoint> rate;              // per interval with allocations, Mops/s
  double final_fragmentation = kMissing;    // at the last mark
  double worst_fragmentation = kMissing;    // the largest at any mark
  double last_shrink_rss = kMissing;        // bytes above the baseline after the last shrink
  double first_rate = kMissing, last_rate = kMissing;  // Mops/s of the first and last phase
  double drift = kMissing;
  std::size_t reps = 0;  // ok repetitions with marks in the curves
  std::size_t table_reps = 0;  // ok repetitions with marks in the table's figures
  bool empty() const { return reps == 0; }
};

// From the row's ok repetitions with marks (empty without).
AgedFigures aged_figures(const Row& row);
bool group_has_marks(const Group& g);
// The table's figures as text, in column order (after the allocator), for both tables.
std::vector<std::string> aged_cells(const AgedFigures& f);

// The HTML charts (fragmentation, RSS after shrink, rate; one line per allocator, SVG) and the
// table; empty when no row has marks (aged_html.cpp).
std::vector<std::string> aged_charts(const Group& g);
std::string aged_table_html(const Group& g);
// The Markdown table: final and worst fragmentation, RSS after the last shrink, drift.
std::string aged_table_markdown(const Group& g);

}  // namespace alloclab::reports
