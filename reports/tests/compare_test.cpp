// compare(): verdicts, the regression gate, warnings, summary; on both file layouts.
#include "reports/compare.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>

namespace alloclab::reports {
namespace {

// One row per (name, times) in Google Benchmark's layout: repetitions share run_name.
struct Spec {
  std::string name;
  std::vector<double> times;
  std::string status = "ok";
};

Results make(const std::vector<Spec>& specs, const char* unit = "ns") {
  std::string rows;
  for (const Spec& s : specs) {
    for (std::size_t i = 0; i < s.times.size(); ++i) {
      rows += fmt::format(
          R"({}{{"name":"{}","run_name":"{}","run_type":"iteration","repetition_index":{},"real_time":{},"time_unit":"{}","status":"{}","error":"{}"}})",
          rows.empty() ? "" : ",", s.name, s.name, i, s.times[i], unit, s.status, s.status == "ok" ? "" : "boom");
    }
  }
  Results r;
  parse_results(R"({"benchmarks":[)" + rows + "]}", "t.json", r);
  return r;
}

const std::vector<double> kBase = {100, 101, 99, 100.5, 99.5};

std::vector<double> scaled(const std::vector<double>& v, double f) {
  std::vector<double> out;
  for (double x : v) out.push_back(x * f);
  return out;
}

TEST(ReportsCompareTest, IdenticalRunsShowNoChange) {
  const CompareResult r = compare(make({{"a/x", kBase}}), make({{"a/x", kBase}}), {});
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0].verdict, Verdict::kNoChange);
  EXPECT_FALSE(r.regression);
  EXPECT_DOUBLE_EQ(r.geomean_ratio, 1.0);
}

TEST(ReportsCompareTest, SignificantSlowdownBeyondThresholdIsARegression) {
  const CompareResult r = compare(make({{"a/x", kBase}}), make({{"a/x", scaled(kBase, 1.2)}}), {});
  const Comparison& c = r.rows[0];
  EXPECT_EQ(c.verdict, Verdict::kSlower);
  EXPECT_NEAR(c.ratio, 1.2, 1e-12);
  EXPECT_TRUE(c.test.exact);
  EXPECT_NEAR(c.test.p, 2.0 / 252, 1e-12);
  EXPECT_TRUE(c.regression);
  EXPECT_TRUE(r.regression);
}

TEST(ReportsCompareTest, SlowdownWithinThresholdIsNotARegression) {
  const CompareResult r = compare(make({{"a/x", kBase}}), make({{"a/x", scaled(kBase, 1.03)}}), {});
  EXPECT_EQ(r.rows[0].verdict, Verdict::kSlower);
  EXPECT_FALSE(r.regression);
  CompareOptions strict;
  strict.threshold = 0.02;
  EXPECT_TRUE(compare(make({{"a/x", kBase}}), make({{"a/x", scaled(kBase, 1.03)}}), strict).regression);
}

TEST(ReportsCompareTest, FasterAndGeometricMean) {
  const CompareResult r = compare(make({{"a/x", kBase}, {"b/x", kBase}}),
                                  make({{"a/x", scaled(kBase, 0.5)}, {"b/x", scaled(kBase, 2.0)}}), {});
  EXPECT_EQ(r.rows[0].verdict, Verdict::kFaster);
  EXPECT_EQ(r.rows[1].verdict, Verdict::kSlower);
  EXPECT_NEAR(r.geomean_ratio, 1.0, 1e-12);  // sqrt(0.5 · 2)
  EXPECT_EQ(r.geomean_rows, 2u);
}

TEST(ReportsCompareTest, WarnsWhenRepetitionsCanNeverReachAlpha) {
  const CompareResult r = compare(make({{"a/x", {1, 2, 3}}}), make({{"a/x", {10, 20, 30}}}), {});
  EXPECT_EQ(r.rows[0].verdict, Verdict::kNoChange);  // p = 0.1 even though every new run is slower
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].find("3 vs 3 repetitions"), std::string::npos) << r.warnings[0];
  EXPECT_NE(r.warnings[0].find("0.1"), std::string::npos) << r.warnings[0];
}

TEST(ReportsCompareTest, CrashInNewIsABrokenRegressionButUnsupportedIsNot) {
  const Results base = make({{"a/x", kBase}, {"b/x", kBase}});
  const CompareResult crashed =
      compare(base, make({{"a/x", {0, 0}, "crashed"}, {"b/x", {0}, "unsupported"}}), {});
  EXPECT_EQ(crashed.rows[0].verdict, Verdict::kBroken);
  EXPECT_TRUE(crashed.rows[0].regression);
  EXPECT_EQ(crashed.rows[1].verdict, Verdict::kNotCompared);
  EXPECT_FALSE(crashed.rows[1].regression);
  EXPECT_TRUE(crashed.regression);
}

TEST(ReportsCompareTest, PartialCrashIsBrokenOnlyWhenBaseDidNotCrash) {
  Results base = make({{"a/x", kBase}});
  Results crashing = make({{"a/x", kBase}});
  crashing.rows[0].reps[2].status = model::Status::kCrashed;
  const CompareResult fresh = compare(base, crashing, {});
  EXPECT_EQ(fresh.rows[0].verdict, Verdict::kBroken);
  EXPECT_TRUE(fresh.regression);
  const CompareResult same = compare(crashing, crashing, {});  // crashed before as well
  EXPECT_EQ(same.rows[0].verdict, Verdict::kNoChange);
  EXPECT_FALSE(same.regression);
}

TEST(ReportsCompareTest, ListsRowsPresentOnOneSideOnly) {
  const CompareResult r = compare(make({{"a/x", kBase}, {"old/x", kBase}}), make({{"a/x", kBase}, {"new/x", kBase}}), {});
  EXPECT_EQ(r.only_base, (std::vector<std::string>{"old/x"}));
  EXPECT_EQ(r.only_new, (std::vector<std::string>{"new/x"}));
  const std::string text = render_compare(r, {}, "b.json", "n.json");
  EXPECT_NE(text.find("Only in base: `old/x`"), std::string::npos) << text;
  EXPECT_NE(text.find("Only in new: `new/x`"), std::string::npos) << text;
}

TEST(ReportsCompareTest, GateRefusesToPassOnNothing) {
  const Results base = make({{"a/x", kBase}, {"old/x", kBase}});
  EXPECT_NE(gate_refusal(compare(base, make({{"other/x", kBase}}), {}), {}).find("no row name is in both files"),
            std::string::npos);
  const CompareResult missing = compare(base, make({{"a/x", kBase}}), {});
  EXPECT_NE(gate_refusal(missing, {}).find("1 row (first: old/x) of base missing from new"), std::string::npos)
      << gate_refusal(missing, {});
  CompareOptions allow;
  allow.allow_missing = true;
  EXPECT_EQ(gate_refusal(missing, allow), "");
  // Every common row unsupported in NEW: nothing measured on both sides.
  const CompareResult unmeasured = compare(make({{"a/x", kBase}}), make({{"a/x", {0}, "unsupported"}}), {});
  EXPECT_NE(gate_refusal(unmeasured, allow).find("no row was measured in both files"), std::string::npos);
  EXPECT_EQ(gate_refusal(compare(base, base, {}), {}), "");
}

TEST(ReportsCompareTest, InterruptedRepetitionsAreLeftOutOfFiguresAndVerdicts) {
  Results now = make({{"a/x", {100, 101, 99, 100.5, 99.5, 1}}});
  now.rows[0].reps.back().status = model::Status::kInterrupted;  // the Ctrl-C'd last repetition
  const CompareResult r = compare(make({{"a/x", kBase}}), now, {});
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0].verdict, Verdict::kNoChange);  // not "broken", and its time is not a figure
  EXPECT_EQ(r.rows[0].new_n, 5u);
  EXPECT_DOUBLE_EQ(r.rows[0].new_median, 100);
  EXPECT_FALSE(r.regression);
  // Only interrupted repetitions: as good as missing, so the gate refuses unless told otherwise.
  const CompareResult gone = compare(make({{"a/x", kBase}, {"b/x", kBase}}),
                                     make({{"a/x", kBase}, {"b/x", {1}, "interrupted"}}), {});
  EXPECT_EQ(gone.interrupted_new, (std::vector<std::string>{"b/x"}));
  EXPECT_FALSE(gone.regression);
  EXPECT_NE(gate_refusal(gone, {}).find("interrupted before any repetition ended"), std::string::npos);
  CompareOptions allow;
  allow.allow_missing = true;
  EXPECT_EQ(gate_refusal(gone, allow), "");
  EXPECT_NE(render_compare(gone, {}, "b", "n").find("Interrupted in new, before any repetition ended: `b/x`"),
            std::string::npos);
}

TEST(ReportsCompareTest, WorksAcrossTimeUnits) {
  // Base in microseconds, new in nanoseconds: identical times.
  const CompareResult r = compare(make({{"a/x", scaled(kBase, 0.001)}}, "us"), make({{"a/x", kBase}}), {});
  EXPECT_NEAR(r.rows[0].ratio, 1.0, 1e-9);
}

TEST(ReportsCompareTest, RenderShowsVerdictsAndSummary) {
  const CompareResult r = compare(make({{"a/x", kBase}}), make({{"a/x", scaled(kBase, 1.2)}}), {});
  const std::string text = render_compare(r, {}, "b.json", "n.json");
  EXPECT_NE(text.find("| a/x | 100 | 120 | 1.200 | 0.0079 | **slower (+20.0%) — regression** |"), std::string::npos)
      << text;
  EXPECT_NE(text.find("Geometric mean of new/base over 1 rows: **1.200** (20.0% slower)"), std::string::npos) << text;
}

TEST(ReportsCompareTest, ParsesThresholds) {
  EXPECT_DOUBLE_EQ(parse_threshold("5%"), 0.05);
  EXPECT_DOUBLE_EQ(parse_threshold("12.5"), 0.125);
  EXPECT_DOUBLE_EQ(parse_threshold("0%"), 0.0);
  EXPECT_THROW(parse_threshold("five"), std::invalid_argument);
  EXPECT_THROW(parse_threshold("-1%"), std::invalid_argument);
  EXPECT_THROW(parse_threshold("%"), std::invalid_argument);
  EXPECT_THROW(parse_threshold("5%%"), std::invalid_argument);
}

}  // namespace
}  // namespace alloclab::reports
