// The subcommands end to end: outputs, exit codes and the one-line errors.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "reports/tests/test_util.hpp"

namespace alloclab::reports {
namespace {

using testing::data_path;
using testing::read_file;
using testing::run_cli;
using testing::TempDir;
using testing::write_file;

// Runs a command and returns (exit code, stderr).
std::pair<int, std::string> run_capturing_stderr(const std::vector<std::string>& args) {
  ::testing::internal::CaptureStderr();
  ::testing::internal::CaptureStdout();
  const int rc = run_cli(args);
  ::testing::internal::GetCapturedStdout();
  return {rc, ::testing::internal::GetCapturedStderr()};
}

void expect_one_line_error(const std::pair<int, std::string>& result, const std::string& prefix) {
  EXPECT_EQ(result.first, 2);
  EXPECT_EQ(result.second.rfind("alloclab: error: " + prefix, 0), 0u) << result.second;
  EXPECT_EQ(std::count(result.second.begin(), result.second.end(), '\n'), 1) << result.second;
}

TEST(ReportsCommandsTest, ReportWritesEveryFormatAndMarkdownToStdout) {
  TempDir dir;
  ::testing::internal::CaptureStdout();
  const int rc = run_cli({"report", data_path("results.json"), "--html", dir / "r.html", "--csv", dir / "r.csv"});
  const std::string out = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(rc, 0);
  EXPECT_EQ(out.rfind("## alloclab report", 0), 0u);
  EXPECT_NE(read_file(dir / "r.html").find("</html>"), std::string::npos);
  EXPECT_EQ(read_file(dir / "r.csv").rfind("file,name,workload,allocator,", 0), 0u);
  EXPECT_EQ(dir.entries(), 2u);  // no temporary files left
}

TEST(ReportsCommandsTest, ReportMarkdownToFileAndOtherBaseline) {
  TempDir dir;
  EXPECT_EQ(run_cli({"report", data_path("results.json"), "--baseline", "mempool", "--md", dir / "r.md"}), 0);
  const std::string md = read_file(dir / "r.md");
  EXPECT_NE(md.find("| allocator | median ns/op | Mops/s | 95% CI (ns/op) | × mempool |"), std::string::npos);
  EXPECT_NE(md.find("jemalloc is fastest at 48.1 ns/op, 1.46× mempool (95% CI"), std::string::npos) << md;
}

TEST(ReportsCommandsTest, RssBudgetMetUnmetAndBadValues) {
  TempDir dir;
  EXPECT_EQ(run_cli({"report", data_path("results.json"), "--rss-budget", "1.2x", "--md", dir / "r.md"}), 0);
  std::string md = read_file(dir / "r.md");
  EXPECT_NE(md.find("*within the RSS budget (1.2x the smallest peak RSS, ≤ 31.2 MiB): mempool is fastest"), std::string::npos)
      << md;
  EXPECT_EQ(run_cli({"report", data_path("results.json"), "--rss-budget", "8MiB", "--md", dir / "r.md"}), 0);
  md = read_file(dir / "r.md");
  EXPECT_NE(md.find("*within the RSS budget (≤ 8MiB): no allocator; the smallest is mempool at 26.0 MiB.*"),
            std::string::npos)
      << md;
  for (const char* bad : {"0.5x", "lots", "12MB", "-1GiB"})
    expect_one_line_error(run_capturing_stderr({"report", data_path("results.json"), "--rss-budget", bad, "--md", dir / "x.md"}),
                          "--rss-budget: ");
  EXPECT_FALSE(std::filesystem::exists(dir / "x.md"));
}

TEST(ReportsCommandsTest, TheHarnessRowNeverWinsTheVerdict) {
  // The same file with jemalloc's rows renamed `null`: the harness floor is listed but the
  // verdict goes to the fastest real allocator.
  TempDir dir;
  std::string text = read_file(data_path("results.json"));
  for (std::size_t at = 0; (at = text.find("\"jemalloc\"", at)) != std::string::npos;)
    text.replace(at, 10, "\"null\"");
  write_file(dir / "with_null.json", text);
  EXPECT_EQ(run_cli({"report", dir / "with_null.json", "--baseline", "mempool", "--md", dir / "r.md"}), 0);
  const std::string md = read_file(dir / "r.md");
  EXPECT_NE(md.find("| null |"), std::string::npos) << md;
  EXPECT_EQ(md.find("null is"), std::string::npos) << md;
  EXPECT_NE(md.find("fastest"), std::string::npos) << md;
}

TEST(ReportsCommandsTest, BadInputFilesExitTwoWithOneLineNamingTheFile) {
  TempDir dir;
  write_file(dir / "empty.json", "");
  write_file(dir / "truncated.json", read_file(data_path("results.json")).substr(0, 500));
  write_file(dir / "malformed.json", "{\"benchmarks\": [1,]}");
  for (const char* name : {"empty.json", "truncated.json", "malformed.json"}) {
    expect_one_line_error(run_capturing_stderr({"report", dir / name}), dir / name + ": ");
    expect_one_line_error(run_capturing_stderr({"compare", data_path("results.json"), dir / name}), dir / name + ": ");
  }
  expect_one_line_error(run_capturing_stderr({"report", data_path("results.json"), dir / "missing.json"}),
                        dir / "missing.json: cannot open");
}

TEST(ReportsCommandsTest, UnwritableOutputExitsTwoAndLeavesNothing) {
  TempDir dir;
  expect_one_line_error(
      run_capturing_stderr({"report", data_path("results.json"), "--csv", dir / "no-such-dir/r.csv"}),
      "cannot write '" + dir / "no-such-dir/r.csv");
  // A directory in the way: refused before anything is written.
  std::filesystem::create_directory(dir / "taken.html");
  expect_one_line_error(run_capturing_stderr({"report", data_path("results.json"), "--html", dir / "taken.html"}),
                        "cannot write '" + dir / "taken.html");
  EXPECT_EQ(dir.entries(), 1u);  // only the directory itself: no temporary file left behind
}

TEST(ReportsCommandsTest, CompareExitCodes) {
  TempDir dir;
  const auto file = [&](const std::string& name, double scale) {
    std::string rows;
    for (int i = 0; i < 5; ++i)
      rows += (i ? "," : "") + std::string(R"({"name":"w/a","run_type":"iteration","real_time":)") +
              std::to_string((100.0 + i) * scale) + "}";
    write_file(dir / name, R"({"benchmarks":[)" + rows + "]}");
    return dir / name;
  };
  const std::string base = file("base.json", 1.0), slow = file("slow.json", 1.3), same = file("same.json", 1.0);
  auto quiet = [](const std::vector<std::string>& args) { return run_capturing_stderr(args).first; };
  EXPECT_EQ(quiet({"compare", base, slow}), 0);  // reported, not gated
  EXPECT_EQ(quiet({"compare", base, slow, "--fail-on-regression"}), 1);
  EXPECT_EQ(quiet({"compare", base, same, "--fail-on-regression"}), 0);
  EXPECT_EQ(quiet({"compare", base, slow, "--fail-on-regression", "--threshold", "50%"}), 0);
  EXPECT_EQ(quiet({"compare", slow, base, "--fail-on-regression"}), 0);  // faster is fine
  expect_one_line_error(run_capturing_stderr({"compare", base, slow, "--threshold", "lots"}), "--threshold");
  expect_one_line_error(run_capturing_stderr({"compare", base, slow, "--alpha", "1.5"}), "--alpha");
}

TEST(ReportsCommandsTest, CompareGateFailsOnNothingAndOnMissingRows) {
  TempDir dir;
  const auto file = [&](const std::string& name, const std::vector<std::string>& rows, const std::string& status) {
    std::string text;
    for (const std::string& row : rows)
      for (int i = 0; i < 5; ++i)
        text += fmt::format(R"({}{{"name":"{}","run_type":"iteration","repetition_index":{},"real_time":{},"status":"{}"}})",
                            text.empty() ? "" : ",", row, i, 100 + i, status);
    write_file(dir / name, R"({"benchmarks":[)" + text + "]}");
    return dir / name;
  };
  const std::string both = file("both.json", {"w/a", "w/b"}, "ok"), one = file("one.json", {"w/a"}, "ok"),
                    other = file("other.json", {"w/z"}, "ok"), weird = file("weird.json", {"w/a"}, "halted");
  expect_one_line_error(run_capturing_stderr({"compare", both, other, "--fail-on-regression"}),
                        "--fail-on-regression: no row name is in both files");
  expect_one_line_error(run_capturing_stderr({"compare", both, one, "--fail-on-regression"}),
                        "--fail-on-regression: 1 row (first: w/b) of base missing from new");
  EXPECT_EQ(run_capturing_stderr({"compare", both, one, "--fail-on-regression", "--allow-missing"}).first, 0);
  EXPECT_EQ(run_capturing_stderr({"compare", one, both, "--fail-on-regression"}).first, 0);  // only in new: fine
  EXPECT_EQ(run_capturing_stderr({"compare", both, other}).first, 0);  // reported, not gated
  expect_one_line_error(run_capturing_stderr({"compare", one, weird, "--fail-on-regression"}),
                        weird + ": benchmarks[0].status: unknown status \"halted\"");
}

TEST(ReportsCommandsTest, CompareReadsGoogleBenchmarkFiles) {
  ::testing::internal::CaptureStdout();
  const int rc = run_cli({"compare", data_path("gbench.json"), data_path("gbench.json"), "--fail-on-regression"});
  const std::string out = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(rc, 0);
  EXPECT_NE(out.find("| BM_pair/glibc/64/repeats:3 | 15.1 | 15.1 | 1.000 |"), std::string::npos) << out;
}

}  // namespace
}  // namespace alloclab::reports

namespace alloclab::reports {
namespace {

// Two hand-made files of two machines (host, CPU and kernel in their contexts, as alloclab
// writes them): the ratio is shown as one across machines, and the gate refuses it unless told.
TEST(ReportsCommandsTest, CompareSaysWhenBaseAndNewRanOnTwoMachines) {
  TempDir dir;
  const auto file = [&](const std::string& name, const std::string& host, const std::string& cpu,
                        const std::string& kernel, double scale) {
    std::string rows;
    for (int i = 0; i < 5; ++i)
      rows += fmt::format(R"({}{{"name":"w/a","run_type":"iteration","repetition_index":{},"real_time":{}}})",
                          i ? "," : "", i, (100.0 + i) * scale);
    write_file(dir / name, fmt::format(R"({{"context":{{"host_name":"{}","alloclab":{{"cpu_model":"{}","kernel":"{}"}}}},"benchmarks":[{}]}})",
                                       host, cpu, kernel, rows));
    return dir / name;
  };
  const std::string a = file("a.json", "alpha", "AMD EPYC 7B13", "6.1.0-18-amd64", 1.0),
                    a2 = file("a2.json", "alpha", "AMD EPYC 7B13", "6.1.0-18-amd64", 1.3),
                    b = file("b.json", "beta", "Intel Xeon Gold 6338", "5.15.0-91", 1.3),
                    b_kernel = file("k.json", "alpha", "AMD EPYC 7B13", "6.5.0-1", 1.3);
  ::testing::internal::CaptureStdout();
  EXPECT_EQ(run_cli({"compare", a, b}), 0);  // reported, not gated
  const std::string out = ::testing::internal::GetCapturedStdout();
  EXPECT_NE(out.find("**Across two machines**: base and new ran on different hosts (host alpha (AMD EPYC 7B13, kernel "
                     "6.1.0-18-amd64) vs host beta (Intel Xeon Gold 6338, kernel 5.15.0-91))"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("| new/base (across hosts) |"), std::string::npos) << out;
  EXPECT_NE(out.find("warning: base and new were measured on different machines"), std::string::npos) << out;
  expect_one_line_error(run_capturing_stderr({"compare", a, b, "--fail-on-regression"}),
                        "--fail-on-regression: base and new were measured on different machines (host alpha");
  // One host with another kernel is another machine too.
  expect_one_line_error(run_capturing_stderr({"compare", a, b_kernel, "--fail-on-regression"}),
                        "--fail-on-regression: base and new were measured on different machines");
  EXPECT_EQ(run_capturing_stderr({"compare", a, b, "--fail-on-regression", "--across-hosts"}).first, 1);
  // The same machine: no word of it, and the gate judges.
  ::testing::internal::CaptureStdout();
  EXPECT_EQ(run_cli({"compare", a, a2, "--fail-on-regression"}), 1);
  const std::string same = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(same.find("across"), std::string::npos) << same;
  EXPECT_NE(same.find("| new/base |"), std::string::npos) << same;
}

}  // namespace
}  // namespace alloclab::reports
