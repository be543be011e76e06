// The verdict of one group of rows (same workload and parameters, several allocators): time and
// memory together. The terminal table of `alloclab run` and every `alloclab report` format state
// it from here, so they cannot disagree.
//
//   Contender   one allocator's ok repetitions: time (ns/op, or instructions/op when every
//               contender has them: --measure instructions) and peak RSS, each with its median
//               and the distribution-free 95% CI of the median (model/stats.hpp).
//   tie         two CIs overlap: the data cannot tell the two apart, and the sentence says so.
//   clearly     better beyond the CIs: a's interval lies wholly below b's.
//   dominated   another contender is clearly better in one figure and at least tied in the
//               other (slower and larger, or slower and no smaller within the CIs, ...). The
//               Pareto frontier is every contender with memory figures that nothing dominates:
//               the allocators worth choosing between.
//   × baseline  baseline median / fastest median (2.0× = twice as fast), with the Moses
//               (Hodges–Lehmann) CI of the ratio from all pairwise log ratios of repetitions.
//   RSS budget  "1.2x": at most 1.2 times the smallest contender's median peak RSS in the group
//               (the leanest allocator, always defined, unlike the baseline which may not have
//               run); "256MiB": an absolute limit. The fastest contender whose median peak RSS is
//               within it answers "the fastest within this much memory"; none within it is said.
#pragma once

#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "model/stats.hpp"
#include "model/summary.hpp"

namespace alloclab::model {

struct Contender {
  std::string name;
  std::vector<double> ns;            // ns/op per ok repetition
  std::vector<double> instructions;  // instructions/op per ok repetition that counted them
  std::vector<double> rss;           // peak RSS bytes per ok repetition that recorded it
};

// The ok repetitions of one allocator. Contenders with no ok repetition are left out by decide().
Contender contender_of(std::string name, std::span<const Repetition> reps);

enum class Metric { kTime, kInstructions };
std::string_view metric_unit(Metric m);  // "ns/op", "instructions/op"

struct RssBudget {
  enum class Kind { kNone, kFactor, kBytes };
  Kind kind = Kind::kNone;
  double value = 0;  // the factor (>= 1), or bytes (> 0)
  std::string text;  // as given: "1.2x", "256MiB"
};
// "1.2x" (a factor >= 1 of the smallest peak RSS), "256MiB" / "512KiB" / "2GiB" / "1000000B".
// Throws std::invalid_argument with one line starting "--rss-budget: ".
RssBudget parse_rss_budget(std::string_view text);

struct RatioCi {
  double value = kMissing, lo = kMissing, hi = kMissing;
  double coverage = 0;          // the interval's actual coverage
  bool order_statistic = true;  // false: too few repetitions, the min–max of the pairwise ratios
};
// median(base) / median(x) and its CI (confidence asked: 95%). pre: both non-empty, all > 0.
RatioCi ratio_ci(std::span<const double> base, std::span<const double> x, double confidence = kConfidence);

// a and b overlap.
bool ci_tie(const MedianCi& a, const MedianCi& b);

struct Figure {
  double median = kMissing;
  MedianCi ci;
  bool present() const { return !std::isnan(median); }
};

struct Entry {
  std::string name;
  Figure time, rss;                  // time in the verdict's metric
  std::vector<double> time_samples;  // the repetitions behind `time`
};

struct Domination {
  std::size_t loser = 0, winner = 0;  // indices into Verdict::entries
  bool time_tie = false, rss_tie = false;  // the figure in which the winner only ties
};

struct Verdict {
  Metric metric = Metric::kTime;
  std::vector<Entry> entries;        // fastest first (by median, ties by name)
  std::vector<std::size_t> fastest;  // the fastest and every contender tied with it
  std::vector<std::size_t> smallest; // the same for peak RSS; empty without memory figures
  std::vector<std::size_t> frontier; // smallest RSS first
  std::vector<Domination> dominated;
  std::ptrdiff_t baseline = -1;      // index of the baseline, -1 when it did not run ok
  RatioCi speedup;                   // baseline / fastest, when both ran and differ
  // The budget, when one was given.
  bool budget_asked = false;
  double budget_bytes = kMissing;
  std::vector<std::size_t> within_budget;  // the fastest within it and those tied; empty: none
  std::string sentence;         // the verdict, one line
  std::string budget_sentence;  // empty without a budget
  std::string headline;         // short form for one point of a sweep: "fastest a (2.1× glibc), smallest b"

  // The sole leader, or the tied leaders, by name.
  std::vector<std::string> leaders() const;
};

// `contenders` may hold any number (0 and 1 are stated as such). The baseline's name picks the
// × reference; `budget` kind kNone asks nothing.
Verdict decide(const std::vector<Contender>& contenders, std::string_view baseline, const RssBudget& budget = {});

}  // namespace alloclab::model
