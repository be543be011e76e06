// The HTML page's structure (self-contained, one chart per figure it promises) and chart scales.
#include "reports/svg.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "reports/render.hpp"
#include "reports/tests/test_util.hpp"

namespace alloclab::reports {
namespace {

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
  return n;
}

TEST(ReportsHtmlTest, PageIsSelfContainedAndDrawsEveryChart) {
  const Results results =
      load_results({testing::data_path("results.json"), testing::data_path("gbench.json")});
  const std::string html = render_html(summarize(results, "glibc"));
  EXPECT_EQ(count(html, "<script"), 0u);
  EXPECT_EQ(count(html, "src="), 0u);
  EXPECT_EQ(count(html, "url("), 0u);
  EXPECT_EQ(count(html, "@import"), 0u);
  EXPECT_EQ(count(html, "href=\"http"), 0u);
  // churn×1: time vs RSS, time, memory; churn×2: the same plus latency and RSS over time; 4 micro
  // groups: time; two sweeps: churn's threads (time, peak RSS), BM_pair's argument (time: no RSS).
  EXPECT_EQ(count(html, "<svg "), 3u + 5u + 4u + 3u);
  EXPECT_EQ(count(html, "aria-label=\"Peak RSS per argument"), 0u);
  EXPECT_EQ(count(html, "aria-label=\"Time vs peak RSS"), 2u);
  EXPECT_EQ(count(html, "aria-label=\"Latency percentiles"), 1u);
  EXPECT_EQ(count(html, "aria-label=\"RSS over time"), 1u);
  EXPECT_EQ(count(html, "aria-label=\"Time per threads"), 1u);
  EXPECT_EQ(count(html, "aria-label=\"Peak RSS per threads"), 1u);
  EXPECT_EQ(count(html, "aria-label=\"Time per argument"), 1u);
  EXPECT_EQ(count(html, "<h3>threads sweep · churn · iters=300000"), 1u);
  EXPECT_EQ(count(html, "<h2>Scoreboard</h2>"), 1u);
  // Repetitions are drawn as points: 5 per measured churn row (3 + 4 of mimalloc's) and the micro rows.
  EXPECT_EQ(count(html, "r=\"2.5\""), 5u * 6 + 4 + 3 * 4 + 1);
  EXPECT_NE(html.find("alloclab run churn --threads 1,2 --repetitions 5"), std::string::npos);
  EXPECT_NE(html.find("AMD EPYC 7B13"), std::string::npos);
}

TEST(ReportsHtmlTest, EscapesText) {
  Results results;
  parse_results(R"({"benchmarks":[{"name":"w<x>/a&b","run_type":"iteration","real_time":1}]})", "e.json", results);
  const std::string html = render_html(summarize(results, "glibc"));
  EXPECT_EQ(html.find("w<x>"), std::string::npos);
  EXPECT_NE(html.find("w&lt;x&gt;"), std::string::npos);
}

// The x and y attributes of the <text> element whose content starts with `label`.
std::pair<double, double> text_position(const std::string& svg, const std::string& label) {
  const std::size_t at = svg.find(">" + label);
  const std::size_t open = svg.rfind("<text x=\"", at);
  if (at == std::string::npos || open == std::string::npos) return {-1, -1};
  const double x = std::stod(svg.substr(open + 9));
  return {x, std::stod(svg.substr(svg.find("y=\"", open) + 3))};
}

TEST(ReportsSvgTest, LongLabelsAndLongLegendsStayInsideTheChart) {
  const std::string name = "thread_pool+mempool";  // 19 characters
  const double w12 = 0.6 * 12 * 19, w11 = 0.6 * 11 * 19;
  svg::Bar a;
  a.label = "a";
  a.colour = "#000000";
  a.has_value = true;
  a.value = 1;
  svg::Bar b = a;
  b.label = name;
  const std::string bars = svg::bar_chart("t", "ns", {a, b});
  EXPECT_GE(text_position(bars, name).first, w12) << "the label is cut at the left edge";
  // Short labels keep the chart as it was.
  EXPECT_DOUBLE_EQ(text_position(svg::bar_chart("t", "ns", {a}), "a").first, 132 - 18);

  std::vector<svg::Line> lines;
  for (int i = 0; i < 20; ++i) {
    svg::Line& l = lines.emplace_back();
    l.label = fmt::format("{}{:02}", name, i);
    l.colour = "#000000";
    l.points = {{0, 1}, {1, 2}};
  }
  svg::LineChartSpec spec;
  spec.title = "t";
  const std::string chart = svg::line_chart(spec, lines);
  const auto [x, y] = text_position(chart, name + "19");
  EXPECT_LE(x + w11 + 0.6 * 11 * 2, 560) << "the legend runs off the right edge";
  const std::size_t vb = chart.find("viewBox=\"0 0 560 ");
  ASSERT_NE(vb, std::string::npos);
  EXPECT_LT(y, std::stod(chart.substr(vb + 16))) << "the legend runs off the bottom";
}

TEST(ReportsSvgTest, LinearAxisHasNiceTicksFromZero) {
  const svg::Axis a = svg::linear_axis(3, 97, true);
  EXPECT_DOUBLE_EQ(a.lo, 0);
  EXPECT_DOUBLE_EQ(a.hi, 100);
  EXPECT_EQ(a.ticks, (std::vector<double>{0, 20, 40, 60, 80, 100}));
  EXPECT_DOUBLE_EQ(a.map(50, 100, 300), 200);
}

TEST(ReportsSvgTest, LogAxisCoversWholeDecades) {
  const svg::Axis wide = svg::log_axis(3, 4500);
  EXPECT_DOUBLE_EQ(wide.lo, 1);
  EXPECT_DOUBLE_EQ(wide.hi, 10000);
  EXPECT_EQ(wide.ticks, (std::vector<double>{1, 10, 100, 1000, 10000}));
  EXPECT_NEAR(wide.map(100, 0, 400), 200, 1e-9);
  const svg::Axis narrow = svg::log_axis(20, 300);
  EXPECT_EQ(narrow.ticks, (std::vector<double>{10, 20, 50, 100, 200, 500, 1000}));
}

}  // namespace
}  // namespace alloclab::reports
