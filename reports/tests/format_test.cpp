// The escaping every text of a results file gets on its way into Markdown and CSV.
#include "reports/format.hpp"

#include <gtest/gtest.h>

#include "model/param_text.hpp"
#include "reports/summary.hpp"

namespace alloclab::reports {
namespace {

TEST(ReportsFormatTest, MarkdownCellsCarryNoHtml) {
  EXPECT_EQ(md_cell("</details><script>x & y</script>"), "&lt;/details&gt;&lt;script&gt;x &amp; y&lt;/script&gt;");
  EXPECT_EQ(md_cell("a|b\nc"), "a\\|b c");
  EXPECT_EQ(md_cell("glibc"), "glibc");
}

TEST(ReportsFormatTest, CodeSpansHoldAnyBackticks) {
  EXPECT_EQ(md_code("alloclab run"), "`alloclab run`");
  EXPECT_EQ(md_code("a`</details>`b"), "`` a`</details>`b ``");  // the span cannot be closed early
  EXPECT_EQ(md_code("x``y\nz"), "``` x``y z ```");
}

TEST(ReportsFormatTest, CsvCellsNeverStartAFormula) {
  EXPECT_EQ(csv_field("=1+1"), "'=1+1");
  EXPECT_EQ(csv_field("+cmd"), "'+cmd");
  EXPECT_EQ(csv_field("-x"), "'-x");
  EXPECT_EQ(csv_field("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(csv_field("=HYPERLINK(\"u\",\"t\")"), "\"'=HYPERLINK(\"\"u\"\",\"\"t\"\")\"");
  EXPECT_EQ(csv_field("-0.25"), "-0.25");  // a number stays a number
  EXPECT_EQ(csv_field("+3e5"), "+3e5");
  EXPECT_EQ(csv_field("glibc"), "glibc");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
}

TEST(ReportsFormatTest, DistValuesReadAsNamesInTitles) {
  EXPECT_EQ(model::param_value_text("dist", "1"), "pareto");
  EXPECT_EQ(model::param_value_text("dist", "3"), "histogram");
  EXPECT_EQ(model::param_value_text("dist", "7"), "7");  // unknown: the number as it is
  EXPECT_EQ(model::param_value_text("threads", "2"), "2");
  EXPECT_EQ(params_label({{"threads", "2"}, {"dist", "2"}}), "threads=2 · dist=pow2");
}

}  // namespace
}  // namespace alloclab::reports
