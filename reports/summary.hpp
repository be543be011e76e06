// reports/summary.hpp — the figures every report format shows, computed once.
//
// Glossary
//   Summary  one row (allocator) of a group: model::RowSummary (medians over its ok
//            repetitions, the CI, memory, latency, status) and the ratio to the baseline.
//   Group    rows with the same workload and parameters; summaries sorted best first (ok rows by
//            median ns/op, then rows that did not run, with their reason).
//   Family   groups that differ only in `threads`: a thread-scaling sweep.
//   × baseline  model::times_baseline: 2.0× means twice as fast as the baseline.
#pragma once

#include <string>
#include <vector>

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

struct Group {
  std::string workload;
  std::vector<Param> params;
  std::vector<Summary> rows;           // best first
  const Summary* baseline = nullptr;   // the baseline allocator's row when ok
  std::string verdict;                 // one line: "mempool is 2.6× glibc, fastest"
  std::string title() const;           // "churn · threads=2 · iters=300000 · ..."
  bool has_latency() const;
  bool has_rss_series() const;
};

struct Family {
  std::string workload;
  std::vector<Param> params;            // without threads
  std::vector<std::size_t> groups;      // indices into Report::groups, by thread count
  std::string title() const;
};

struct Report {
  const Results* results = nullptr;
  std::string baseline;
  std::vector<Group> groups;             // in order of first appearance
  std::vector<Family> families;          // only sweeps with 2+ thread counts
  std::vector<std::string> allocators;   // first-appearance order: fixes each one's colour
  std::size_t fallback_ci_rows = 0;      // rows whose CI fell back to min–max
  std::size_t min_reps = 0, max_reps = 0;  // over measured rows
};

// pre: results outlives the report (summaries point into it).
Report summarize(const Results& results, const std::string& baseline);

// "threads=2 · iters=300000"; positional parameters show their value alone.
std::string params_label(const std::vector<Param>& params, std::string_view sep = " · ");
// One sentence describing how the 95% CI was computed, mentioning the fallback when used.
std::string ci_method_note(const Report& report);

}  // namespace alloclab::reports
