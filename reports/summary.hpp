// reports/summary.hpp — the figures every report format shows, computed once.
//
// Glossary
//   Summary  one row (allocator) of a group: model::RowSummary (medians over its ok
//            repetitions, the CI, memory, latency, status) and the ratio to the baseline.
//   Group    rows with the same workload and parameters; summaries sorted best first (ok rows by
//            median ns/op, then rows that did not run, with their reason), and the verdict of
//            time and memory together (model/verdict.hpp).
//   Sweep    groups that differ only in one parameter (threads, max_size, keep, a positional
//            argument): one picture with that parameter on the x axis. A group may sit in
//            several sweeps (--threads 1,2 --max-size 64..4096:x4 gives a max_size sweep per
//            thread count and a threads sweep per max_size).
//   lead change  the sole fastest at one point of a sweep differs from the last sole fastest
//            before it (points where the fastest are tied are passed over).
//   × baseline  model::times_baseline: 2.0× means twice as fast as the baseline.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "model/verdict.hpp"
#include "reports/results.hpp"
#include "reports/stats.hpp"

namespace alloclab::reports {

using model::kConfidence;

// A row's figures (model::RowSummary, the same the terminal table of `alloclab run` shows) with
// the row they belong to and the ratio to the group's baseline.
struct Summary : model::RowSummary {
  const Row* row = nullptr;
  double x_baseline = kMissing;
};

// An RSS-over-time series is drawn only with at least this many samples: fewer are dots, not a curve.
inline constexpr std::size_t kMinSeriesSamples = 5;

struct Group {
  std::string workload;
  std::vector<Param> params;
  std::vector<Summary> rows;           // best first
  const Summary* baseline = nullptr;   // the baseline allocator's row when ok
  const Summary* floor = nullptr;      // the harness's `null` row when ok (model/floor.hpp)
  model::Verdict decision;             // over the ok rows, the harness's `null` row left out
  const std::string& verdict() const { return decision.sentence; }
  std::string title() const;           // "churn · threads=2 · iters=300000 · ..."
  bool has_latency() const;
  bool has_rss_series() const;         // some row has kMinSeriesSamples or more
  std::string above_floor(const Summary& s) const;  // "+12.3 ns", "+41.0 instr", "floor", "-"
};

struct LeadChange {
  std::size_t from_point = 0, to_point = 0;  // indices into Sweep::groups
  std::string from, to;                      // the sole leaders there
};

struct Sweep {
  std::string workload;
  std::string param;                  // the swept parameter; empty for a positional one
  std::vector<Param> params;          // the others, fixed
  std::vector<std::size_t> groups;    // indices into Report::groups, by the swept value
  std::vector<std::string> values;    // the swept value at each point
  std::vector<LeadChange> lead_changes;
  std::string title() const;          // "max_size sweep · churn · threads=1 · ..."
  std::string param_label() const;    // "max_size", or "argument"
  std::string point_label(std::size_t i) const;  // "max_size=64"
  // "the lead changes hands: a → b between max_size=256 and max_size=1024", or who leads throughout.
  std::string lead_sentence(const std::vector<Group>& all) const;
};

// Over every group with a verdict: each allocator's standing.
struct ScoreLine {
  std::string allocator;
  std::size_t groups = 0;  // groups where it and the baseline both ran ok
  double geomean = kMissing, lo = kMissing, hi = kMissing;  // × baseline; CI over the groups
  std::size_t on_frontier = 0, with_memory = 0;  // groups on the frontier / with its memory figures
  std::string worst_group;  // title of the group with its lowest × baseline
  double worst = kMissing;
};

struct Report {
  const Results* results = nullptr;
  std::string baseline;
  std::vector<Group> groups;             // in order of first appearance
  std::vector<Sweep> sweeps;             // only sweeps of 2+ points
  std::vector<ScoreLine> scoreboard;     // best geometric mean first; empty below two groups
  model::RssBudget budget;
  std::vector<std::string> allocators;   // first-appearance order: fixes each one's colour
  std::size_t fallback_ci_rows = 0;      // rows whose CI fell back to min–max
  std::size_t min_reps = 0, max_reps = 0;  // over measured rows
};

// pre: results outlives the report (summaries point into it).
Report summarize(const Results& results, const std::string& baseline, const model::RssBudget& budget = {});

// Every sweep among `groups`, lead changes included (sweep.cpp).
std::vector<Sweep> find_sweeps(const std::vector<Group>& groups);
// The sole-leader changes along `sweep`'s points. Exposed for tests.
std::vector<LeadChange> lead_changes(const Sweep& sweep, const std::vector<Group>& groups);
// The scoreboard over `groups` against `baseline` (scoreboard.cpp); empty below two groups.
std::vector<ScoreLine> scoreboard(const std::vector<Group>& groups, const std::string& baseline);

// The geometric mean of ratios (> 0) with a Student t interval on their logs: the spread over
// groups, each group a sample of the workloads. lo = hi = the mean for a single ratio.
struct GeoMean {
  double value = kMissing, lo = kMissing, hi = kMissing;
};
GeoMean geomean_ci(std::span<const double> ratios);

// "threads=2 · iters=300000"; positional parameters show their value alone.
std::string params_label(const std::vector<Param>& params, std::string_view sep = " · ");
// One sentence describing how the 95% CI was computed, mentioning the fallback when used.
std::string ci_method_note(const Report& report);

}  // namespace alloclab::reports
