// An aged run's figures over time: fragmentation, RSS after shrinks, throughput drift, and the
// charts and tables that show them.
#include <gtest/gtest.h>

#include "reports/aged.hpp"
#include "reports/render.hpp"

namespace alloclab::reports {
namespace {

constexpr double kBase = 1 << 20;

// Two phases of two grow steps and a shrink; `slow` stretches every time (rates / slow).
Repetition aged_rep(double slow) {
  Repetition rep;
  rep.ns_per_op = 100 * slow;
  rep.rss_baseline_bytes = kBase;
  auto mark = [&](double t, std::uint64_t allocs, std::uint64_t live, double above, bool shrink) {
    rep.marks.push_back({t * slow, allocs, live, static_cast<std::uint64_t>(kBase + above), shrink});
  };
  mark(10, 100000, 1000000, 1.2e6, false);  // 10 Mops/s, fragmentation 1.2
  mark(20, 200000, 2000000, 2.4e6, false);  // 10 Mops/s
  mark(21, 200000, 500000, 3.0e6, true);    // 6.0: the worst
  mark(41, 300000, 2000000, 2.5e6, false);  // 5 Mops/s
  mark(61, 400000, 2500000, 3.0e6, false);  // 5 Mops/s
  mark(62, 400000, 500000, 2.5e6, true);    // 5.0: the last
  return rep;
}

Row aged_row(const std::string& allocator) {
  Row r;
  r.workload = "aged";
  r.allocator = allocator;
  r.name = "aged/" + allocator;
  r.reps = {aged_rep(1), aged_rep(2)};
  return r;
}

TEST(ReportsAgedTest, FiguresAreMediansOverRepetitionsOfEachMark) {
  const AgedFigures f = aged_figures(aged_row("glibc"));
  EXPECT_EQ(f.reps, 2u);
  ASSERT_EQ(f.fragmentation.size(), 6u);
  EXPECT_DOUBLE_EQ(f.fragmentation[2].y, 6.0);
  EXPECT_DOUBLE_EQ(f.fragmentation[2].x, 0.2);  // millions of allocations
  EXPECT_DOUBLE_EQ(f.final_fragmentation, 5.0);
  EXPECT_DOUBLE_EQ(f.worst_fragmentation, 6.0);
  ASSERT_EQ(f.rss_after_shrink.size(), 2u);
  EXPECT_DOUBLE_EQ(f.rss_after_shrink[1].x, 0.4);  // millions of allocations
  EXPECT_DOUBLE_EQ(f.last_shrink_rss, 2.5e6);
  ASSERT_EQ(f.rate.size(), 4u);  // shrinks have no rate
  EXPECT_DOUBLE_EQ(f.rate[0].y, 7.5);  // median of 10 and 5 Mops/s
  EXPECT_DOUBLE_EQ(f.rate[0].lo, 5);
  EXPECT_DOUBLE_EQ(f.rate[0].hi, 10);
  EXPECT_DOUBLE_EQ(f.first_rate, 7.5);
  EXPECT_DOUBLE_EQ(f.last_rate, 3.75);
  EXPECT_DOUBLE_EQ(f.drift, 0.5);  // half as fast in the last phase as in the first
}

TEST(ReportsAgedTest, RepetitionsWithOtherMarksOrFailedAreLeftOut) {
  Row r = aged_row("glibc");
  r.reps[1].marks.pop_back();
  r.reps.push_back(aged_rep(4));
  r.reps.back().status = model::Status::kFailed;
  EXPECT_EQ(aged_figures(r).reps, 1u);
  EXPECT_EQ(aged_figures(r).table_reps, 2u);  // a --duration run's repetitions end at other marks
  EXPECT_DOUBLE_EQ(aged_figures(r).drift, 0.5);
  r.reps.clear();
  EXPECT_TRUE(aged_figures(r).empty());
}

TEST(ReportsAgedTest, ReportsShowCurvesAndTablesOnlyForAgedGroups) {
  Results res;
  res.rows = {aged_row("glibc"), aged_row("mimalloc")};
  const Report report = summarize(res, "glibc");
  const std::string html = render_html(report);
  for (const char* title : {"Fragmentation over the run", "RSS after each shrink", "Throughput per step"})
    EXPECT_NE(html.find(title), std::string::npos) << title;
  EXPECT_NE(html.find("<th>drift (last / first)</th>"), std::string::npos);
  const std::string md = render_markdown(report);
  EXPECT_NE(md.find("| glibc | 5.00× | 6.00× |"), std::string::npos) << md;
  for (Row& r : res.rows)
    for (Repetition& rep : r.reps) rep.marks.clear();
  const Report plain = summarize(res, "glibc");
  EXPECT_EQ(render_html(plain).find("Fragmentation over the run"), std::string::npos);
  EXPECT_EQ(render_markdown(plain).find("final fragmentation"), std::string::npos);
}

}  // namespace
}  // namespace alloclab::reports
