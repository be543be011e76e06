// reports/compare.hpp — BASE vs NEW: per row the ratio of medians, a Mann–Whitney U test over the
// repetitions and a verdict; a geometric-mean summary; the regression gate.
//
// Glossary
//   ratio       new median ns/op ÷ base median ns/op (above 1 = slower).
//   slower      p < alpha and ratio > 1; a regression when also ratio − 1 > threshold.
//   broken      ok in BASE, failed / crashed / timed out in NEW: counted as a regression too, so
//               that a gate never passes a build that stopped working.
//   not compared  a row that did not run on one side for a reason that is not a fault of the
//               code (unsupported, unavailable), or ran in NEW only.
#pragma once

#include <string>
#include <vector>

#include "reports/results.hpp"
#include "reports/stats.hpp"

namespace alloclab::reports {

struct CompareOptions {
  double threshold = 0.05;  // relative slowdown that --fail-on-regression acts on
  double alpha = 0.05;
};

enum class Verdict { kFaster, kSlower, kNoChange, kBroken, kNotCompared };

struct Comparison {
  std::string name;
  double base_median = kMissing, new_median = kMissing, ratio = kMissing;
  std::size_t base_n = 0, new_n = 0;
  MannWhitney test;
  Verdict verdict = Verdict::kNotCompared;
  bool regression = false;
  std::string note;  // why not compared / what broke
};

struct CompareResult {
  std::vector<Comparison> rows;  // in BASE's order
  std::vector<std::string> only_base, only_new;
  double geomean_ratio = kMissing;  // over rows compared on both sides
  std::size_t geomean_rows = 0;
  std::vector<std::string> warnings;
  bool regression = false;
};

CompareResult compare(const Results& base, const Results& now, const CompareOptions& options);
std::string render_compare(const CompareResult& result, const CompareOptions& options,
                           const std::string& base_file, const std::string& new_file);

// "5%", "5" → 0.05. Throws std::invalid_argument on anything else or a negative value.
double parse_threshold(const std::string& text);

}  // namespace alloclab::reports
