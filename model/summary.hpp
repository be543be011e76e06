// The per-row summary every view shows, computed once: the terminal table of `alloclab run` and
// the Markdown/HTML/CSV of `alloclab report` are rendered from it, so they cannot disagree.
//
//   Repetition   one repetition's figures as a summary needs them, from our Measurement or from
//                a Google Benchmark row (kMissing where the file has no such figure).
//   RowSummary   one configuration over its repetitions: medians over the ok ones, min–max, cv,
//                the median CI, memory, latency, and the status with its reason.
//   × baseline   baseline median ns/op ÷ this row's: 2.0× means twice as fast as the baseline;
//                instructions/op instead when both rows were counted (--measure instructions:
//                their ns/op is callgrind's slowed time, not a figure to compare).
#pragma once

#include <cmath>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/measurement.hpp"
#include "model/stats.hpp"

namespace alloclab::model {

inline constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();
inline bool present(double v) { return !std::isnan(v); }
inline constexpr double kConfidence = 0.95;

// One latency distribution, e.g. {"p50", 41.0}, {"p99", 120.0}, ... in the producer's order.
using Percentiles = std::vector<std::pair<std::string, double>>;
// Per operation kind ("alloc", "free").
using Latency = std::vector<std::pair<std::string, Percentiles>>;
using Series = std::vector<std::pair<double, double>>;  // (t ms, RSS bytes)

struct Repetition {
  Status status = Status::kOk;
  std::string error;            // reason when status is not ok
  double ns_per_op = kMissing;  // real_time converted to ns
  double items_per_second = kMissing;
  double rss_baseline_bytes = kMissing;
  double rss_peak_bytes = kMissing;
  double peak_live_bytes = kMissing;
  double overhead = kMissing;  // (peak RSS - baseline) / peak live bytes
  double instructions_per_op = kMissing;
  Latency latency;
  Series rss_series;
  std::vector<MarkSample> marks;  // an aged run's heap states over time (Measurement::marks)
  bool too_short = false;  // Measurement's marks (model/measurement.hpp)
  std::uint64_t suggested_iters = 0;
  bool not_parallel = false;
  bool oversubscribed = false;

  bool ok() const { return status == Status::kOk && present(ns_per_op); }
};

// The figures of one of our measurements, derived as the writer derives them.
Repetition repetition_of(const Measurement& m);

struct RowSummary {
  Status status = Status::kOk;  // ok when every repetition was ok, else the first failure's
  std::string error;  // reason, with "(k of n repetitions)" when only some failed
  std::size_t reps = 0;
  std::vector<double> ns;  // ns/op of the ok repetitions, in run order
  double median_ns = kMissing, min_ns = kMissing, max_ns = kMissing, cv = kMissing;
  double mops = kMissing;  // median items_per_second when every repetition has it, else 1000 / median ns
  MedianCi ci;             // valid when measured()
  double rss_peak_bytes = kMissing, rss_baseline_bytes = kMissing, peak_live_bytes = kMissing;
  double overhead = kMissing, instructions_per_op = kMissing;
  Latency latency;                     // per percentile, the median over repetitions
  const Series* rss_series = nullptr;  // the first ok repetition's, when recorded
  // Marks: set when any ok repetition had them (one distrusted figure taints the median).
  bool too_short = false;
  std::uint64_t suggested_iters = 0;  // the largest any repetition suggested
  bool not_parallel = false;
  bool oversubscribed = false;
  bool counted = false;  // every ok repetition has instructions/op (--measure instructions)

  bool ok() const { return status == Status::kOk && !ns.empty(); }
  bool measured() const { return !ns.empty(); }
  // The latency percentile `name` ("p99") of operation `op`, or kMissing.
  double percentile(std::string_view op, std::string_view name) const;
  // "ok", or "failed: reason (1 of 3 repetitions)".
  std::string status_text() const;
  // The marks in words, "" without any: "too short (replay < 10 ms; --iters 90000 would reach
  // it); not parallel; oversubscribed (threads > cores)".
  std::string marks_text() const;
  // status_text(), then the marks after "; ": what every view prints in its status column.
  std::string status_with_marks() const;
};

// pre: `reps` outlives the summary (rss_series points into it).
RowSummary summarize_repetitions(std::span<const Repetition> reps);

// The figure two rows compare by: median instructions/op when both were counted, else median ns/op.
bool compare_instructions(const RowSummary& a, const RowSummary& b);

// baseline's figure / s's (ns/op, or instructions/op: compare_instructions), or kMissing when
// either was not measured.
double times_baseline(const RowSummary& baseline, const RowSummary& s);

// The display order, best first: ok rows by median (of that figure), then partly failed rows that still have
// timings, then rows that did not run; ties by name so output is stable.
bool ranks_before(const RowSummary& a, std::string_view a_name, const RowSummary& b, std::string_view b_name);

}  // namespace alloclab::model
