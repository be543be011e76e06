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
//   interrupted a repetition stopped by the user (Ctrl-C): neither a fault nor a measurement, left
//               out of every figure and verdict; a row with nothing else counts as missing.
//   gate        --fail-on-regression judges only what both files measured, so it refuses to pass
//               on nothing: no row in common, a BASE row missing from NEW (unless allow_missing).
//   machines    BASE and NEW from two machines (host, CPU or kernel differ, as report groups
//               hosts): every ratio is then across machines, said in the header and a warning,
//               and the gate refuses it unless across_hosts.
#pragma once

#include <string>
#include <vector>

#include "reports/results.hpp"
#include "reports/stats.hpp"

namespace alloclab::reports {

struct CompareOptions {
  double threshold = 0.05;  // relative slowdown that --fail-on-regression acts on
  double alpha = 0.05;
  bool allow_missing = false;  // the gate passes BASE rows that NEW lacks
  bool across_hosts = false;   // the gate judges BASE and NEW of two machines
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
  std::vector<std::string> interrupted_new;  // in both files, but NEW has interrupted repetitions only
  double geomean_ratio = kMissing;  // over rows compared on both sides
  std::size_t geomean_rows = 0;
  std::vector<std::string> warnings;
  bool regression = false;
  std::string machines;  // reports::machines_differ(BASE, NEW): empty when one machine
};

CompareResult compare(const Results& base, const Results& now, const CompareOptions& options);
// Why --fail-on-regression cannot judge `result` (one line), or empty when it can.
std::string gate_refusal(const CompareResult& result, const CompareOptions& options);
std::string render_compare(const CompareResult& result, const CompareOptions& options,
                           const std::string& base_file, const std::string& new_file);

// "5%", "5" → 0.05. Throws std::invalid_argument on anything else or a negative value.
double parse_threshold(const std::string& text);

}  // namespace alloclab::reports
