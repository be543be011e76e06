// Reading results files: our layout, Google Benchmark's, and every kind of bad input.
#include "reports/results.hpp"

#include "model/document.hpp"
#include "model/test_rows.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "reports/stats.hpp"
#include "reports/tests/test_util.hpp"

namespace alloclab::reports {
namespace {

using testing::data_path;
using testing::TempDir;
using testing::write_file;

const Row& find_row(const Results& r, const std::string& name) {
  auto it = std::find_if(r.rows.begin(), r.rows.end(), [&](const Row& row) { return row.name == name; });
  EXPECT_NE(it, r.rows.end()) << name;
  return *it;
}

std::vector<double> times(const Row& row) {
  std::vector<double> v;
  for (const Repetition& rep : row.reps)
    if (rep.ok()) v.push_back(rep.ns_per_op);
  return v;
}

TEST(ReportsResultsTest, ReadsOurLayoutAndIgnoresAggregates) {
  const Results r = load_results({data_path("results.json")});
  ASSERT_EQ(r.rows.size(), 10u);  // 2 thread counts × 5 allocators
  const Row& glibc = find_row(r, "churn/glibc/threads:1/iters:300000/min:8/max:256/keep:75/touch:lines");
  EXPECT_EQ(glibc.workload, "churn");
  EXPECT_EQ(glibc.allocator, "glibc");
  ASSERT_EQ(glibc.reps.size(), 5u);  // the producer's aggregate (real_time 1.0) is not a repetition
  EXPECT_DOUBLE_EQ(median(times(glibc)), 100.2);
  ASSERT_GE(glibc.params.size(), 2u);
  EXPECT_EQ(glibc.params[0], (Param{"threads", "1"}));
  EXPECT_EQ(glibc.params.back(), (Param{"touch", "lines"}));
  EXPECT_DOUBLE_EQ(glibc.threads(), 1);
  // overhead derived from (peak − baseline) / peak live when not given.
  EXPECT_NEAR(glibc.reps[0].overhead, (31457280.0 - 10485760.0) / 17000000.0, 1e-12);
}

TEST(ReportsResultsTest, KeepsNonOkRowsWithTheirReason) {
  const Results r = load_results({data_path("results.json")});
  const Row& arena = find_row(r, "churn/arena/threads:1/iters:300000/min:8/max:256/keep:75/touch:lines");
  ASSERT_EQ(arena.reps.size(), 5u);
  EXPECT_EQ(arena.reps[0].status, model::Status::kUnsupported);
  EXPECT_NE(arena.reps[0].error.find("kFreeLast"), std::string::npos);
  EXPECT_FALSE(arena.reps[0].ok());
}

TEST(ReportsResultsTest, GroupAndFamilyKeysLeaveOutAllocatorAndThreads) {
  const Results r = load_results({data_path("results.json")});
  const Row& a = find_row(r, "churn/glibc/threads:1/iters:300000/min:8/max:256/keep:75/touch:lines");
  const Row& b = find_row(r, "churn/mempool/threads:1/iters:300000/min:8/max:256/keep:75/touch:lines");
  const Row& c = find_row(r, "churn/mempool/threads:2/iters:300000/min:8/max:256/keep:75/touch:lines");
  EXPECT_EQ(a.group_key(), b.group_key());
  EXPECT_NE(b.group_key(), c.group_key());
  EXPECT_EQ(b.family_key(), c.family_key());
}

// Rows counted under callgrind (--measure instructions) have callgrind's ns/op: in one group
// with the timed rows of the workload they made a headline of "49.6× glibc".
TEST(ReportsResultsTest, MeasureIsPartOfGroupAndFamilyKeys) {
  Row timed;
  timed.name = "churn/glibc/threads:1/touch:lines";
  timed.workload = "churn";
  timed.allocator = "glibc";
  timed.params = {{"threads", "1"}, {"touch", "lines"}};
  Row counted = timed;
  counted.name += "/measure:instructions";
  EXPECT_EQ(timed.measure(), "");
  EXPECT_EQ(counted.measure(), "instructions");
  EXPECT_NE(timed.group_key(), counted.group_key());
  EXPECT_NE(timed.family_key(), counted.family_key());
  EXPECT_EQ(counted.params_with_measure().back(), (Param{"measure", "instructions"}));
  counted.params.emplace_back("measure", "instructions");  // a name read into params: not twice
  EXPECT_EQ(counted.params_with_measure().size(), counted.params.size());
}

TEST(ReportsResultsTest, ReadsGoogleBenchmarkLayout) {
  const Results r = load_results({data_path("gbench.json")});
  const Row& pair = find_row(r, "BM_pair/glibc/64/repeats:3");
  EXPECT_EQ(pair.workload, "BM_pair");
  EXPECT_EQ(pair.allocator, "glibc");
  EXPECT_EQ(pair.params, (std::vector<Param>{{"", "64"}}));  // repeats:3 is not a parameter
  ASSERT_EQ(pair.reps.size(), 3u);
  EXPECT_NEAR(median(times(pair)), 15.1, 1e-9);  // 0.0151 us
  const Row& memcpy_row = find_row(r, "BM_memcpy/64");
  EXPECT_EQ(memcpy_row.workload, "BM_memcpy/64");
  EXPECT_TRUE(memcpy_row.params.empty());
  const Row& fail = find_row(r, "BM_fail/glibc");
  EXPECT_EQ(fail.reps[0].status, model::Status::kFailed);
  EXPECT_EQ(fail.reps[0].error, "setup failed");
}

TEST(ReportsResultsTest, DerivesWorkloadAllocatorAndParamsFromNames) {
  Row row;
  derive_from_name("BM_pair/mempool/64/threads:2", row);
  EXPECT_EQ(row.workload, "BM_pair");
  EXPECT_EQ(row.allocator, "mempool");
  EXPECT_EQ(row.params, (std::vector<Param>{{"", "64"}, {"threads", "2"}}));
  EXPECT_DOUBLE_EQ(row.threads(), 2);
  derive_from_name("BM_x/threads:2", row);  // second component is an option, not an allocator
  EXPECT_EQ(row.workload, "BM_x/threads:2");
  EXPECT_EQ(row.allocator, "BM_x/threads:2");
  derive_from_name("BM_x/real_time", row);
  EXPECT_EQ(row.allocator, "BM_x/real_time");
  derive_from_name("BM_single", row);
  EXPECT_EQ(row.workload, "BM_single");
  EXPECT_TRUE(row.params.empty());
}

TEST(ReportsResultsTest, MergesRepetitionsAcrossFilesAndSkipsRepeatedFiles) {
  const std::string file = data_path("gbench.json");
  const Results once = load_results({file});
  const Results twice = load_results({file, file});
  EXPECT_EQ(once.rows.front().reps.size(), twice.rows.front().reps.size());

  Results merged;
  const std::string text = R"({"benchmarks":[{"name":"BM_a/x","run_type":"iteration","real_time":5,"time_unit":"ns"}]})";
  parse_results(text, "one.json", merged);
  parse_results(text, "two.json", merged);
  ASSERT_EQ(merged.rows.size(), 1u);
  EXPECT_EQ(merged.rows[0].reps.size(), 2u);
  EXPECT_EQ(merged.rows[0].file, "one.json");
  EXPECT_EQ(merged.files.size(), 2u);
}

TEST(ReportsResultsTest, ConvertsTimeUnits) {
  Results r;
  parse_results(R"({"benchmarks":[
    {"name":"a/x","real_time":2,"time_unit":"ms"},
    {"name":"b/x","real_time":3,"time_unit":"s"},
    {"name":"c/x","real_time":4}]})",
                "u.json", r);
  EXPECT_DOUBLE_EQ(r.rows[0].reps[0].ns_per_op, 2e6);
  EXPECT_DOUBLE_EQ(r.rows[1].reps[0].ns_per_op, 3e9);
  EXPECT_DOUBLE_EQ(r.rows[2].reps[0].ns_per_op, 4);
}

TEST(ReportsResultsTest, ReadsOptionalLatencyAndRssSeries) {
  const Results r = load_results({data_path("results.json")});
  const Row& m = find_row(r, "churn/mempool/threads:2/iters:300000/min:8/max:256/keep:75/touch:lines");
  ASSERT_EQ(m.reps[0].latency.size(), 2u);
  EXPECT_EQ(m.reps[0].latency[0].first, "alloc");
  EXPECT_EQ(m.reps[0].latency[0].second[2].first, "p99");
  EXPECT_DOUBLE_EQ(m.reps[0].latency[0].second[2].second, 200);
  EXPECT_EQ(m.reps[0].rss_series.size(), 9u);
  EXPECT_DOUBLE_EQ(m.reps[0].instructions_per_op, 180);
}

// Each bad input gives one line that starts with the file name.
void expect_error(const std::string& text, const std::string& fragment) {
  Results r;
  try {
    parse_results(text, "bad.json", r);
    FAIL() << "no error for: " << text;
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.rfind("bad.json: ", 0), 0u) << what;
    EXPECT_NE(what.find(fragment), std::string::npos) << what;
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
  }
}

TEST(ReportsResultsTest, RejectsBadInputWithOneLineNamingTheFile) {
  expect_error("", "empty file");
  expect_error(" \n\t", "empty file");
  expect_error(R"({"benchmarks": [{"name": "a", "real_time": 3)", "not valid JSON");
  expect_error("not json", "not valid JSON");
  expect_error("[1, 2]", "expected a JSON object");
  expect_error(R"({"context": {}})", "no \"benchmarks\" array");
  expect_error(R"({"benchmarks": {}})", "no \"benchmarks\" array");
  expect_error(R"({"benchmarks": []})", "no iteration rows");
  expect_error(R"({"benchmarks": [{"name":"a","run_type":"aggregate","real_time":1}]})", "no iteration rows");
  expect_error(R"({"benchmarks": [{"name":"a","real_time":"fast"}]})", "benchmarks[0].real_time: expected a number");
  expect_error(R"({"benchmarks": [{"name":"a"}]})", "benchmarks[0].real_time: missing");
  expect_error(R"({"benchmarks": [{"name":"a","real_time":1,"time_unit":"fortnight"}]})", "unknown unit");
  expect_error(R"({"benchmarks": [{"real_time":1}]})", "benchmarks[0].name: missing");
  expect_error(R"({"benchmarks": [7]})", "benchmarks[0]: expected an object");
  expect_error(R"({"benchmarks": [{"name":"a","real_time":1,"rss_series":[[1]]}]})", "rss_series");
  expect_error(R"({"benchmarks": [{"name":"a","real_time":1,"latency":{"alloc":{"p50":"x"}}}]})", "latency");
}

TEST(ReportsResultsTest, RefusesImpossibleFiguresByName) {
  expect_error(R"({"benchmarks": [{"name":"w/a","real_time":-5}]})", "benchmarks[0] (w/a): -5 ns/op is not possible");
  expect_error(R"({"benchmarks": [{"name":"w/a","real_time":1e308}]})", "benchmarks[0] (w/a): 1e+308 ns/op is not possible");
  expect_error(R"({"benchmarks": [{"name":"w/a","real_time":1e300,"time_unit":"s"}]})", "ns/op is not possible");
  expect_error(R"({"benchmarks": [{"name":"w/a","real_time":0}]})", "0 ns/op on a row with status ok");
  expect_error(R"({"benchmarks": [{"name":"w/a","real_time":3,"rss_peak_bytes":-1}]})", "rss_peak_bytes: -1 is not possible");
  expect_error(R"({"benchmarks": [{"name":"w/a","real_time":3,"latency":{"alloc":{"p99":-2}}}]})",
               "latency.alloc.p99: -2 is not possible");
  // Our own layout: the model's reader refuses a negative count before it can wrap around.
  nlohmann::json doc = model::results_document(nlohmann::json::object(), model::testing::every_row_kind());
  doc["benchmarks"][0]["rss_peak_bytes"] = -1;
  expect_error(doc.dump(), "rss_peak_bytes: -1 is not a possible value");
}

TEST(ReportsResultsTest, RefusesARepeatedRepetitionAndOneNameOnTwoAllocators) {
  expect_error(R"({"benchmarks": [{"name":"w/a","repetition_index":0,"real_time":1},
                                  {"name":"w/a","repetition_index":0,"real_time":2}]})",
               "benchmarks[1] (w/a): repetition_index 0 of this name appears twice");
  nlohmann::json doc = model::results_document(nlohmann::json::object(), model::testing::every_row_kind());
  doc["benchmarks"][1]["repetition_index"] = doc["benchmarks"][0]["repetition_index"];
  expect_error(doc.dump(), "repetition_index 0 of this name appears twice");
  expect_error(R"({"benchmarks": [{"name":"x","allocator":"a","workload":"w","real_time":1},
                                  {"name":"x","allocator":"b","workload":"w","real_time":2}]})",
               "benchmarks[1] (x): allocator 'b' on workload 'w', where bad.json has 'a' on 'w'");
  // Across files too; repetitions of one allocator in two files still add up.
  Results r;
  parse_results(R"({"benchmarks": [{"name":"x","allocator":"a","workload":"w","repetition_index":0,"real_time":1}]})", "1.json", r);
  parse_results(R"({"benchmarks": [{"name":"x","allocator":"a","workload":"w","repetition_index":0,"real_time":2}]})", "2.json", r);
  EXPECT_EQ(find_row(r, "x").reps.size(), 2u);
  EXPECT_THROW(parse_results(R"({"benchmarks": [{"name":"x","allocator":"c","workload":"w","real_time":2}]})", "3.json", r),
               InputError);
}

TEST(ReportsResultsTest, ReadsThroughABound) {
  TempDir dir;
  const std::string text = R"({"benchmarks": [)" + std::string(3000, ' ') + "]}";
  write_file(dir / "big.json", text);
  EXPECT_EQ(read_results_file(dir / "big.json", 4000), text);
  try {
    read_results_file(dir / "big.json", 2000);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), dir / "big.json" + ": larger than 2000 bytes: not a results file this reader takes");
  }
  try {
    read_results_file("/dev/zero");  // endless: refused at its first byte
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "/dev/zero: not a results file (a JSON object starts with '{')");
  }
}

TEST(ReportsResultsTest, MissingFileIsAnInputError) {
  try {
    load_results({"/nonexistent/results.json"});
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "/nonexistent/results.json: cannot open: No such file or directory");
  }
}

TEST(ReportsResultsTest, ReadsOurVersionedFilesThroughTheModel) {
  const std::vector<model::Row> rows = model::testing::every_row_kind();
  Results r;
  parse_results(model::results_document(nlohmann::json::object(), rows).dump(2), "ours.json", r);
  const Row& glibc = find_row(r, rows[0].name);
  ASSERT_EQ(glibc.reps.size(), 3u);
  EXPECT_DOUBLE_EQ(glibc.reps[1].ns_per_op, 200.0);
  EXPECT_DOUBLE_EQ(glibc.reps[0].overhead, 2.0);
  EXPECT_DOUBLE_EQ(glibc.reps[0].instructions_per_op, 123.456);
  ASSERT_EQ(glibc.reps[0].latency.size(), 2u);  // alloc, free: percentiles only
  EXPECT_EQ(glibc.reps[0].latency[0].second.size(), 5u);
  EXPECT_EQ(glibc.params, (std::vector<Param>{{"iters", "1000"}, {"min_size", "8"}, {"threads", "2"}, {"touch", "lines"}}));
  EXPECT_EQ(find_row(r, rows[4].name).reps[0].status, model::Status::kUnavailable);
  EXPECT_EQ(find_row(r, rows[8].name).params.back(), (Param{"trace", "/tmp/t.trace"}));
  // A file from a newer alloclab is refused in one line naming it.
  nlohmann::json newer = model::results_document(nlohmann::json::object(), rows);
  newer["context"]["alloclab_schema_version"] = model::kSchemaVersion + 1;
  Results none;
  try {
    parse_results(newer.dump(), "newer.json", none);
    FAIL() << "accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("newer.json: written by a newer alloclab", 0), 0u) << e.what();
  }
}

}  // namespace
}  // namespace alloclab::reports
