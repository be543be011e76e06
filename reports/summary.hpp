// reports/summary.hpp — the figures every report format shows, computed once.
//
// Glossary
//   Summary  one row (allocator) of a group: medians over its ok repetitions, the CI, the ratio
//            to the baseline, memory, latency, status.
//   Group    rows with the same workload and parameters; summaries sorted best first (ok rows by
//            median ns/op, then rows that did not run, with their reason).
//   Family   groups that differ only in `threads`: a thread-scaling sweep.
//   × baseline  baseline median ns/op ÷ this row's: 2.0× means twice as fast as the baseline.
#pragma once

#include <string>
#include <vector>

#include "reports/results.hpp"
#include "reports/stats.hpp"

namespace alloclab::reports {

inline constexpr double kConfidence = 0.95;

struct Summary {
  const Row* row = nullptr;
  std::string status;  // "ok" when every repetition was ok
  std::string error;   // reason, with "(k of n repetitions)" when only some failed
  std::size_t reps = 0;
  std::vector<double> ns;  // ns/op of the ok repetitions, in run order
  double median_ns = kMissing;
  double mops = kMissing;  // items_per_second when every repetition has it, else 1000 / median ns
  MedianCi ci;             // valid when !ns.empty()
  double x_baseline = kMissing;
  double rss_peak_bytes = kMissing, rss_baseline_bytes = kMissing, peak_live_bytes = kMissing;
  double overhead = kMissing, instructions_per_op = kMissing;
  Latency latency;             // per percentile, the median over repetitions
  const Series* rss_series = nullptr;  // the first ok repetition's, when recorded

  bool ok() const { return status == "ok" && !ns.empty(); }
  bool measured() const { return !ns.empty(); }
  // The latency percentile `name` ("p99") of operation `op`, or kMissing.
  double percentile(std::string_view op, std::string_view name) const;
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
