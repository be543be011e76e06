// Series styles: distinct for the known allocators, fixed by name (not by position in a report).
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <set>
#include <string>
#include <utility>

#include "reports/palette.hpp"
#include "reports/render.hpp"
#include "reports/tests/test_util.hpp"

namespace alloclab::reports {
namespace {

std::pair<std::string, int> key(const SeriesStyle& s) { return {std::string(s.colour), static_cast<int>(s.marker)}; }

TEST(ReportsPaletteTest, KnownAllocatorsHaveDistinctStyles) {
  std::set<std::pair<std::string, int>> seen;
  for (std::string_view name : kKnownAllocators) EXPECT_TRUE(seen.insert(key(series_style(name))).second) << name;
  EXPECT_EQ(seen.size(), 17u);
  // glibc and tbbmalloc once shared a colour; the nine most common names now differ in colour alone.
  std::set<std::string_view> colours;
  for (std::size_t i = 0; i < kColours.size(); ++i) colours.insert(series_style(kKnownAllocators[i]).colour);
  EXPECT_EQ(colours.size(), kColours.size());
  EXPECT_NE(series_style("glibc").colour, series_style("tbbmalloc").colour);
}

TEST(ReportsPaletteTest, UnknownNamesGetAStableStyleNoKnownNameHas) {
  std::set<std::pair<std::string, int>> known;
  for (std::string_view name : kKnownAllocators) known.insert(key(series_style(name)));
  for (std::string_view name : {"hoard", "snmalloc", "rpmalloc", "my-allocator"}) {
    EXPECT_EQ(series_style(name), series_style(std::string(name)));
    EXPECT_EQ(known.count(key(series_style(name))), 0u) << name;
  }
  EXPECT_NE(series_style("hoard"), series_style("snmalloc"));  // these two happen to differ
}

TEST(ReportsPaletteTest, TheHtmlReportColoursByName) {
  const std::string html = render_html(summarize(load_results({testing::data_path("results.json")}), "glibc"));
  for (std::string name : {"glibc", "jemalloc", "mempool", "mimalloc"})
    EXPECT_NE(html.find(fmt::format("background:{}\"></span>{}<", series_style(name).colour, name)), std::string::npos)
        << name;
}

}  // namespace
}  // namespace alloclab::reports
