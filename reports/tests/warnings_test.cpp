// Warnings about conditions that spoil measurements, from the files' recorded contexts, and
// `report` showing them on the terminal and in its notes.
#include <gtest/gtest.h>

#include "reports/tests/test_util.hpp"
#include "reports/warnings.hpp"

namespace alloclab::reports {
namespace {

using nlohmann::json;

// A minimal file of the lenient (Google Benchmark) layout with the given context.
std::string file_with(const json& context) {
  return json{{"context", context},
              {"benchmarks", {{{"name", "BM_x/glibc"}, {"run_type", "iteration"}, {"real_time", 10.0},
                               {"cpu_time", 10.0}, {"time_unit", "ns"}, {"iterations", 100}}}}}
      .dump();
}

json context(const std::string& host, double load, const char* thp, bool scaling) {
  return json{{"host_name", host},
              {"num_cpus", 2},
              {"cpu_scaling_enabled", scaling},
              {"alloclab", {{"load_avg_1m", load}, {"thp_enabled", thp}, {"thp_defrag", "madvise"},
                            {"cpu_governor", scaling ? "powersave" : "performance"}}}};
}

std::vector<std::string> warnings_of(const std::vector<json>& contexts) {
  Results r;
  for (std::size_t i = 0; i < contexts.size(); ++i)
    parse_results(file_with(contexts[i]), "f" + std::to_string(i) + ".json", r);
  return measurement_warnings(r);
}

TEST(WarningsTest, QuietMachineGivesNone) {
  EXPECT_TRUE(warnings_of({context("a", 1.5, "madvise", false), context("a", 0.2, "madvise", false)}).empty());
  EXPECT_TRUE(warnings_of({json::object()}).empty());  // nothing recorded: nothing guessed
}

TEST(WarningsTest, EachConditionIsOneLine) {
  const auto w = warnings_of({context("a", 3.5, "madvise", true), context("b", 0.1, "always", false)});
  ASSERT_EQ(w.size(), 4u);
  EXPECT_EQ(w[0], "f0.json: CPU frequency scaling was on (governor powersave): timings follow the clock; set the "
                  "performance governor");
  EXPECT_EQ(w[1], "f0.json: the machine was busy (1-minute load average 3.50 on 2 CPUs): other work competed "
                  "with the measurement");
  EXPECT_EQ(w[2], "transparent huge page modes differ between the files compared: enabled=always defrag=madvise "
                  "(f1.json); enabled=madvise defrag=madvise (f0.json)");
  EXPECT_EQ(w[3], "hosts (results of different machines are mixed) differ between the files compared: a (f0.json); "
                "b (f1.json)");
  for (const std::string& line : w) EXPECT_EQ(line.find('\n'), std::string::npos);
}

TEST(WarningsTest, TwoBuildsPooledAreNamed) {
  auto built = [](const char* rev, const char* type) {
    json c = context("a", 0.1, "madvise", false);
    c["alloclab"]["git_revision"] = rev;
    c["alloclab"]["build_type"] = type;
    c["alloclab"]["sanitizer"] = "";
    return c;
  };
  EXPECT_TRUE(warnings_of({built("abc", "Release"), built("abc", "Release")}).empty());
  const auto w =
      warnings_of({built("abc", "Release"), built("def", "Release"), built("abc", "Debug")});
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(
      w[0],
      "builds (rows of the same name pool both builds' repetitions; `alloclab compare` sets two "
      "builds side by side) differ between the files compared: abc Debug (f2.json); abc Release "
      "(f0.json); def Release (f1.json)");
}

TEST(WarningsTest, ReportPrintsThemAndPutsThemInItsNotes) {
  testing::TempDir dir;
  testing::write_file(dir / "a.json", file_with(context("a", 0.1, "madvise", true)));
  testing::write_file(dir / "b.json", file_with(context("b", 0.1, "madvise", false)));
  ::testing::internal::CaptureStderr();
  ::testing::internal::CaptureStdout();
  const int rc = testing::run_cli({"report", dir / "a.json", dir / "b.json", "--html", dir / "r.html"});
  const std::string md = ::testing::internal::GetCapturedStdout();
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(rc, 0);
  EXPECT_NE(err.find("alloclab: warning: " + (dir / "a.json") + ": CPU frequency scaling was on"),
            std::string::npos) << err;
  EXPECT_NE(err.find("alloclab: warning: hosts (results of different machines are mixed)"), std::string::npos) << err;
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 2) << err;
  EXPECT_NE(md.find("- warning: " + (dir / "a.json") + ": CPU frequency scaling was on"), std::string::npos);
  const std::string html = testing::read_file(dir / "r.html");
  EXPECT_NE(html.find("<li>warning: hosts (results of different machines are mixed)"), std::string::npos);
  EXPECT_LT(html.find("class=\"notes\""), html.find("</body>"));
}

}  // namespace
}  // namespace alloclab::reports
