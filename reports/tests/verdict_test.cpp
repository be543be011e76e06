// The verdict in the reports: sweeps and their lead changes, the scoreboard, and which charts a
// group gets (time vs RSS, RSS over time only with enough samples).
#include <gtest/gtest.h>

#include "reports/render.hpp"
#include "reports/summary.hpp"

namespace alloclab::reports {
namespace {

constexpr double kMiB = 1024.0 * 1024.0;

// Seven ok repetitions around `ns` (± 1 %) with peak RSS `rss_mib`.
Row make_row(const std::string& workload, const std::string& allocator, std::vector<Param> params, double ns,
             double rss_mib) {
  Row r;
  r.workload = workload;
  r.allocator = allocator;
  r.params = std::move(params);
  r.name = workload + "/" + allocator;
  for (const auto& [k, v] : r.params) r.name += "/" + k + ":" + v;
  for (int i = -3; i <= 3; ++i) {
    Repetition rep;
    rep.ns_per_op = ns * (1 + 0.003 * i);
    rep.rss_peak_bytes = rss_mib * kMiB;
    r.reps.push_back(rep);
  }
  return r;
}

// churn over threads × max_size: mempool fastest at small sizes, mimalloc at large ones, a tie
// at 1024.
Results sweep_results() {
  Results res;
  for (const char* threads : {"1", "2"})
    for (const auto& [size, mempool, mimalloc] :
         std::vector<std::tuple<std::string, double, double>>{{"4096", 40, 20}, {"64", 10, 20}, {"256", 12, 20}, {"1024", 20, 20.01}}) {
      const std::vector<Param> p = {{"threads", threads}, {"max_size", size}};
      res.rows.push_back(make_row("churn", "glibc", p, 50, 30));
      res.rows.push_back(make_row("churn", "mempool", p, mempool, 25));
      res.rows.push_back(make_row("churn", "mimalloc", p, mimalloc, 35));
    }
  return res;
}

const Sweep& size_sweep_at_one_thread(const Report& report) {
  for (const Sweep& s : report.sweeps)
    if (s.param == "max_size" && s.params == std::vector<Param>{{"threads", "1"}}) return s;
  throw std::runtime_error("no max_size sweep at threads=1");
}

TEST(ReportsSweepTest, EachParameterThatAloneVariesIsASweep) {
  const Results res = sweep_results();
  const Report report = summarize(res, "glibc");
  ASSERT_EQ(report.groups.size(), 8u);
  // A max_size sweep per thread count and a threads sweep per max_size.
  std::size_t by_size = 0, by_threads = 0;
  for (const Sweep& s : report.sweeps) {
    by_size += s.param == "max_size";
    by_threads += s.param == "threads";
  }
  EXPECT_EQ(by_size, 2u);
  EXPECT_EQ(by_threads, 4u);
  const Sweep& s = size_sweep_at_one_thread(report);
  EXPECT_EQ(s.values, (std::vector<std::string>{"64", "256", "1024", "4096"}));  // numeric order
  EXPECT_EQ(s.title(), "max_size sweep · churn · threads=1");
}

TEST(ReportsSweepTest, LeadChangeIsFoundAcrossATie) {
  const Results res = sweep_results();
  const Report report = summarize(res, "glibc");
  const Sweep& s = size_sweep_at_one_thread(report);
  ASSERT_EQ(s.lead_changes.size(), 1u);
  EXPECT_EQ(s.lead_changes[0].from, "mempool");
  EXPECT_EQ(s.lead_changes[0].to, "mimalloc");
  EXPECT_EQ(s.lead_changes[0].from_point, 1u);  // 256: mempool's last clear lead
  EXPECT_EQ(s.lead_changes[0].to_point, 3u);    // 4096: 1024 is a tie
  EXPECT_EQ(s.lead_sentence(report.groups), "the lead changes hands: mempool → mimalloc between max_size=256 and max_size=4096");
  const std::string md = render_markdown(report);
  EXPECT_NE(md.find("### max_size sweep · churn · threads=1"), std::string::npos) << md;
  EXPECT_NE(md.find("| mempool | 10.0 · 25.0 MiB | 12.0 · 25.0 MiB | 20.0 · 25.0 MiB | 40.0 · 25.0 MiB |"), std::string::npos)
      << md;
  EXPECT_NE(md.find("- max_size=1024: fastest mempool and mimalloc (tied, 2.50× glibc), smallest mempool"), std::string::npos)
      << md;
  // The threads sweeps have the same leader at both points.
  EXPECT_NE(md.find("**mempool leads at every threads**"), std::string::npos) << md;
  const std::string html = render_html(report);
  EXPECT_NE(html.find("aria-label=\"Time per max_size (median, 95% CI band)\""), std::string::npos);
  EXPECT_NE(html.find("aria-label=\"Peak RSS per max_size (median, 95% CI band)\""), std::string::npos);
  EXPECT_NE(html.find("fill-opacity=\"0.18\""), std::string::npos);  // the CI bands
}

TEST(ReportsScoreboardTest, GeometricMeanFrontierCountsAndWorstGroup) {
  const Results res = sweep_results();
  const Report report = summarize(res, "glibc");
  ASSERT_EQ(report.scoreboard.size(), 3u);
  const ScoreLine& mempool = report.scoreboard.front();
  EXPECT_EQ(mempool.allocator, "mempool");
  EXPECT_EQ(mempool.groups, 8u);
  // × glibc: 5, 50/12, 2.5, 1.25 at both thread counts.
  EXPECT_NEAR(mempool.geomean, std::pow(5 * 50.0 / 12 * 2.5 * 1.25, 0.25), 1e-9);
  EXPECT_LT(mempool.lo, mempool.geomean);
  EXPECT_GT(mempool.hi, mempool.geomean);
  EXPECT_EQ(mempool.on_frontier, 8u);  // smallest everywhere
  EXPECT_EQ(mempool.worst_group, "churn · threads=1 · max_size=4096");
  EXPECT_DOUBLE_EQ(mempool.worst, 1.25);
  const ScoreLine& glibc = report.scoreboard.back();
  EXPECT_EQ(glibc.on_frontier, 0u);  // slower and larger than mempool in every group
  EXPECT_NE(render_markdown(report).find("### Scoreboard over 8 groups"), std::string::npos);
}

TEST(ReportsScoreboardTest, GeoMeanCiIsATIntervalOnLogs) {
  const std::vector<double> r = {2, 8};
  const GeoMean g = geomean_ci(r);
  EXPECT_DOUBLE_EQ(g.value, 4);
  // logs ln2, ln8: mean ln4, sd ln4·√2/√… = |ln8 − ln2|/√2; half-width t(1)·sd/√2.
  const double half = 12.706 * (std::log(8.0) - std::log(2.0)) / std::sqrt(2.0) / std::sqrt(2.0);
  EXPECT_NEAR(g.lo, 4 * std::exp(-half), 1e-9);
  EXPECT_NEAR(g.hi, 4 * std::exp(half), 1e-9);
  const std::vector<double> one = {3};
  EXPECT_DOUBLE_EQ(geomean_ci(one).lo, 3);
  EXPECT_TRUE(std::isnan(geomean_ci({}).value));
}

TEST(ReportsVerdictTest, GroupsGetTheTimeMemoryChartAndTheBudget) {
  Results res;
  res.rows.push_back(make_row("churn", "glibc", {{"threads", "1"}}, 50, 30));
  res.rows.push_back(make_row("churn", "tbbmalloc", {{"threads", "1"}}, 48.3, 36.3));
  res.rows.push_back(make_row("churn", "mempool", {{"threads", "1"}}, 25.7, 34.4));
  res.rows.push_back(make_row("churn", "null", {{"threads", "1"}}, 1, 1));  // the harness floor is not judged
  const Report report = summarize(res, "glibc", model::parse_rss_budget("32MiB"));
  const Group& g = report.groups.front();
  EXPECT_NE(g.verdict().find("tbbmalloc is slower (48.3 vs 25.7 ns/op) and larger (36.3 MiB vs 34.4 MiB) than mempool"),
            std::string::npos)
      << g.verdict();
  EXPECT_EQ(g.verdict().find("null"), std::string::npos);
  EXPECT_EQ(g.decision.budget_sentence,
            "within the RSS budget (≤ 32MiB): glibc is fastest (50.0 ns/op, 30.0 MiB); faster but over it: mempool "
            "(34.4 MiB), tbbmalloc (36.3 MiB)");
  const std::string md = render_markdown(report);
  EXPECT_NE(md.find("| tbbmalloc | 48.3 |"), std::string::npos);
  EXPECT_NE(md.find("| dominated by mempool |"), std::string::npos) << md;
  EXPECT_NE(md.find("*within the RSS budget (≤ 32MiB): glibc is fastest"), std::string::npos) << md;
  const std::string html = render_html(report);
  EXPECT_NE(html.find("aria-label=\"Time vs peak RSS"), std::string::npos);
  EXPECT_NE(html.find("<title>time–memory frontier</title>"), std::string::npos);  // the frontier linked
  EXPECT_NE(html.find("<p class=\"budget\">within the RSS budget"), std::string::npos);
}

TEST(ReportsVerdictTest, RssOverTimeNeedsEnoughSamples) {
  Results res;
  res.rows.push_back(make_row("churn", "glibc", {}, 50, 30));
  res.rows.push_back(make_row("churn", "mempool", {}, 25, 20));
  for (int i = 0; i < 4; ++i) res.rows[0].reps[0].rss_series.emplace_back(i, 1e6);
  EXPECT_FALSE(summarize(res, "glibc").groups[0].has_rss_series());
  EXPECT_EQ(render_html(summarize(res, "glibc")).find("aria-label=\"RSS over time"), std::string::npos);
  res.rows[0].reps[0].rss_series.emplace_back(4, 2e6);
  EXPECT_TRUE(summarize(res, "glibc").groups[0].has_rss_series());
  EXPECT_NE(render_html(summarize(res, "glibc")).find("aria-label=\"RSS over time"), std::string::npos);
}

}  // namespace
}  // namespace alloclab::reports
