// Golden files: the Markdown and CSV of the committed fixtures must not change by accident.
// After an intended change, regenerate with ALLOCLAB_UPDATE_GOLDENS=1 ./build/bin/reports_tests
// and review the diff of reports/tests/data/.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "reports/render.hpp"
#include "reports/tests/test_util.hpp"

namespace alloclab::reports {
namespace {

using testing::data_path;

class ReportsGoldenTest : public ::testing::Test {
 protected:
  // Fixture names are relative so the goldens do not depend on where the tree is checked out.
  void SetUp() override {
    previous_ = std::filesystem::current_path();
    std::filesystem::current_path(ALLOCLAB_REPORTS_TEST_DATA);
    results_ = load_results({"results.json", "gbench.json"});
  }
  void TearDown() override { std::filesystem::current_path(previous_); }

  void check(const std::string& golden, const std::string& actual) {
    if (std::getenv("ALLOCLAB_UPDATE_GOLDENS") != nullptr) testing::write_file(data_path(golden), actual);
    const std::string expected = testing::read_file(data_path(golden));
    EXPECT_EQ(actual, expected) << "golden " << golden << " differs; see the comment at the top of this file";
  }

  std::filesystem::path previous_;
  Results results_;
};

TEST_F(ReportsGoldenTest, Markdown) { check("report.md", render_markdown(summarize(results_, "glibc"))); }

TEST_F(ReportsGoldenTest, Csv) { check("report.csv", render_csv(summarize(results_, "glibc"))); }

TEST_F(ReportsGoldenTest, MarkdownRanksBestFirstAndListsRowsThatDidNotRun) {
  const std::string md = render_markdown(summarize(results_, "glibc"));
  const auto jem = md.find("| jemalloc | 48.1 |"), mem = md.find("| mempool | 70.4 |"),
             glibc = md.find("| _glibc_ | 100 |"), arena = md.find("| arena |");
  ASSERT_NE(jem, std::string::npos);
  ASSERT_NE(mem, std::string::npos);
  ASSERT_NE(glibc, std::string::npos);
  ASSERT_NE(arena, std::string::npos);
  EXPECT_LT(jem, mem);
  EXPECT_LT(mem, glibc);
  EXPECT_LT(glibc, arena);
  EXPECT_NE(md.find("**jemalloc is fastest at 48.1 ns/op, 2.08× glibc (95% CI 2.04–2.14×); mempool is smallest"),
            std::string::npos);
  // Within the CIs is a tie, said as such; the dominated rows come with their evidence.
  EXPECT_NE(md.find("**mempool and jemalloc tie for fastest at 35.5 / 36.2 ns/op (the 95% CIs overlap)"), std::string::npos);
  EXPECT_NE(md.find("jemalloc is no faster (36.2 vs 35.5 ns/op, within the CIs) and larger (40.0 MiB vs 26.0 MiB) than "
                    "mempool"),
            std::string::npos);
  EXPECT_NE(md.find("**unsupported**: churn frees blocks in any order"), std::string::npos);
  EXPECT_NE(md.find("**crashed**: SIGSEGV (1 of 5 repetitions)"), std::string::npos);
  EXPECT_NE(md.find("min–max range is shown instead"), std::string::npos);
}

TEST_F(ReportsGoldenTest, CsvHasOneRecordPerRowAndQuotesPerRfc4180) {
  const Report report = summarize(results_, "glibc");
  const std::string csv = render_csv(report);
  std::size_t records = 0, pos = 0;
  while ((pos = csv.find("\r\n", pos)) != std::string::npos) ++records, pos += 2;
  std::size_t rows = 0;
  for (const Group& g : report.groups) rows += g.rows.size();
  EXPECT_EQ(records, rows + 1);  // no field in the fixture holds a line break
  // The arena's reason holds a comma and quotes: quoted, quotes doubled.
  EXPECT_NE(csv.find(R"("churn frees blocks in any order; arena has only kFreeLast, ""reset""")"), std::string::npos);
}

}  // namespace
}  // namespace alloclab::reports
