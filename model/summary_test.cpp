// The per-row summary the table and the reports both render.
#include <gtest/gtest.h>

#include "model/summary.hpp"
#include "model/test_rows.hpp"

namespace alloclab::model {
namespace {

std::vector<Repetition> reps_of(const std::vector<Row>& rows, std::string_view allocator) {
  std::vector<Repetition> out;
  for (const Row& r : rows)
    if (r.allocator == allocator && r.workload == "churn" && r.size_histogram.empty())
      out.push_back(repetition_of(r.m));
  return out;
}

TEST(SummaryTest, MediansMinMaxCvOverOkRepetitions) {
  const auto reps = reps_of(testing::every_row_kind(), "glibc");
  const RowSummary s = summarize_repetitions(reps);
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.status_text(), "ok");
  EXPECT_DOUBLE_EQ(s.median_ns, 200);
  EXPECT_DOUBLE_EQ(s.min_ns, 100);
  EXPECT_DOUBLE_EQ(s.max_ns, 300);
  EXPECT_DOUBLE_EQ(s.cv, 0.5);
  EXPECT_DOUBLE_EQ(s.mops, 5.0);  // median of 10, 5, 3.33 Mops/s
  EXPECT_DOUBLE_EQ(s.rss_peak_bytes, 3 << 20);
  EXPECT_DOUBLE_EQ(s.overhead, 2.0);
  EXPECT_DOUBLE_EQ(s.instructions_per_op, 123.456);
  EXPECT_DOUBLE_EQ(s.percentile("free", "max"), 700.5);
  ASSERT_NE(s.rss_series, nullptr);
  EXPECT_EQ(s.rss_series->size(), 2u);
  EXPECT_FALSE(s.ci.order_statistic);  // 3 repetitions: min–max
}

TEST(SummaryTest, PartialFailureKeepsTimingsAndSaysHowMany) {
  std::vector<Repetition> reps = reps_of(testing::every_row_kind(), "glibc");
  reps[1] = repetition_of(testing::not_run("glibc", Status::kCrashed, "crashed (SIGSEGV)").m);
  const RowSummary s = summarize_repetitions(reps);
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(s.measured());
  EXPECT_EQ(s.status_text(), "crashed: crashed (SIGSEGV) (1 of 3 repetitions)");
  EXPECT_DOUBLE_EQ(s.median_ns, 200);
}

TEST(SummaryTest, RowThatDidNotRun) {
  const std::vector<Repetition> reps{repetition_of(testing::not_run("x", Status::kUnsupported, "align").m)};
  const RowSummary s = summarize_repetitions(reps);
  EXPECT_FALSE(s.measured());
  EXPECT_EQ(s.status_text(), "unsupported: align");
  EXPECT_FALSE(present(s.median_ns));
}

TEST(SummaryTest, RankingAndBaseline) {
  const auto fast = summarize_repetitions(std::vector<Repetition>{repetition_of(testing::base_row("a", 0, 50000).m)});
  const auto slow = summarize_repetitions(std::vector<Repetition>{repetition_of(testing::base_row("b", 0, 100000).m)});
  const auto none = summarize_repetitions(
      std::vector<Repetition>{repetition_of(testing::not_run("c", Status::kFailed, "no").m)});
  EXPECT_TRUE(ranks_before(fast, "z", slow, "a"));
  EXPECT_TRUE(ranks_before(slow, "z", none, "a"));
  EXPECT_FALSE(ranks_before(none, "a", slow, "z"));
  EXPECT_DOUBLE_EQ(times_baseline(slow, fast), 2.0);
  EXPECT_FALSE(present(times_baseline(slow, none)));
}

// --measure instructions: ns/op is callgrind's slowed time; ranking and × baseline go by
// instructions/op (a is slower under callgrind but executes a third of b's instructions).
TEST(SummaryTest, CountedRowsRankAndCompareByInstructions) {
  auto counted = [](double ns, double instructions) {
    Repetition r;
    r.ns_per_op = ns;
    r.instructions_per_op = instructions;
    return summarize_repetitions(std::vector<Repetition>{r});
  };
  const RowSummary a = counted(900, 100), b = counted(300, 300);
  EXPECT_TRUE(a.counted);
  EXPECT_TRUE(ranks_before(a, "a", b, "b"));
  EXPECT_FALSE(ranks_before(b, "b", a, "a"));
  EXPECT_DOUBLE_EQ(times_baseline(b, a), 3.0);
  Repetition timed;
  timed.ns_per_op = 300;
  const RowSummary t = summarize_repetitions(std::vector<Repetition>{timed});
  EXPECT_FALSE(t.counted);
  EXPECT_DOUBLE_EQ(times_baseline(t, a), 300.0 / 900.0);  // one row timed: both by ns/op
}

}  // namespace
}  // namespace alloclab::model
