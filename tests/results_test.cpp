// The results file: Google Benchmark's layout, our fields, aggregates, atomic writes.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "harness/results.hpp"

namespace alloclab {
namespace {

Row sample_row(unsigned rep, std::uint64_t wall_ns) {
  Row r;
  r.name = "churn/glibc/threads:1/iters:1000/touch:lines";
  r.allocator = "glibc";
  r.workload = "churn";
  r.params = {{"threads", 1}, {"iters", 1000}};
  r.touch = "lines";
  r.repetition_index = rep;
  r.repetitions = 3;
  r.m.allocations = 1000;
  r.m.wall_ns = wall_ns;
  r.m.thread_ns = {wall_ns};
  r.m.cpu = {0.001, 0.0005, 10, 0};
  r.m.rss_baseline = 1 << 20;
  r.m.rss_peak = 3 << 20;
  r.m.rss_end = 2 << 20;
  r.m.peak_live_bytes = 1 << 20;
  r.m.rss_series = {{0.0, 1 << 20}, {5.0, 3 << 20}};
  r.m.latency = {16, 9.5, {{"alloc", 100, 20, 30, 90, 400, 900}, {"free", 99, 15, 25, 80, 300, 700}}};
  return r;
}

TEST(ResultsTest, GoogleBenchmarkLayoutWithAggregates) {
  const std::vector<Row> rows = {sample_row(0, 100000), sample_row(1, 300000), sample_row(2, 200000)};
  const auto doc = results_document(nlohmann::json{{"num_cpus", 2}}, rows);
  ASSERT_TRUE(doc.contains("context"));
  const auto& b = doc.at("benchmarks");
  ASSERT_EQ(b.size(), 3u + 4u);  // three repetitions, then median/mean/stddev/cv
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(b[i]["run_type"], "iteration");
    EXPECT_EQ(b[i]["repetition_index"], i);
    EXPECT_EQ(b[i]["time_unit"], "ns");
    EXPECT_EQ(b[i]["iterations"], 1000);
    EXPECT_EQ(b[i]["status"], "ok");
    EXPECT_EQ(b[i]["params"]["touch"], "lines");
  }
  EXPECT_DOUBLE_EQ(b[0]["real_time"].get<double>(), 100.0);  // ns per op
  EXPECT_DOUBLE_EQ(b[0]["items_per_second"].get<double>(), 1e7);
  EXPECT_DOUBLE_EQ(b[0]["cpu_time"].get<double>(), 1500.0);
  EXPECT_DOUBLE_EQ(b[0]["overhead"].get<double>(), 2.0);
  EXPECT_EQ(b[3]["aggregate_name"], "median");
  EXPECT_EQ(b[3]["name"], rows[0].name + "_median");
  EXPECT_EQ(b[3]["run_name"], rows[0].name);
  EXPECT_DOUBLE_EQ(b[3]["real_time"].get<double>(), 200.0);
  EXPECT_DOUBLE_EQ(b[4]["real_time"].get<double>(), 200.0);  // mean
  EXPECT_DOUBLE_EQ(b[5]["real_time"].get<double>(), 100.0);  // sample stddev
  EXPECT_DOUBLE_EQ(b[6]["real_time"].get<double>(), 0.5);    // cv
  EXPECT_EQ(b[6]["aggregate_unit"], "percentage");
}

TEST(ResultsTest, FailedRowsKeepTheirReasonAndGetNoAggregates) {
  Row r = sample_row(0, 0);
  r.m = Measurement{};
  r.m.status = Status::kCrashed;
  r.m.error = "crashed (SIGSEGV)";
  const auto doc = results_document(nlohmann::json::object(), {r});
  ASSERT_EQ(doc["benchmarks"].size(), 1u);
  EXPECT_EQ(doc["benchmarks"][0]["status"], "crashed");
  EXPECT_EQ(doc["benchmarks"][0]["error"], "crashed (SIGSEGV)");
  EXPECT_FALSE(doc["benchmarks"][0].contains("real_time"));
}

TEST(ResultsTest, MeasurementRoundTrips) {
  const Measurement m = sample_row(0, 12345).m;
  const Measurement back = measurement_from_json(nlohmann::json::parse(measurement_to_json(m).dump()));
  EXPECT_EQ(back.status, m.status);
  EXPECT_EQ(back.wall_ns, m.wall_ns);
  EXPECT_EQ(back.thread_ns, m.thread_ns);
  EXPECT_EQ(back.rss_peak, m.rss_peak);
  EXPECT_EQ(back.rss_series, m.rss_series);
  EXPECT_EQ(back.cpu.minor_faults, m.cpu.minor_faults);
  EXPECT_EQ(back.latency.sample_every, 16u);
  ASSERT_EQ(back.latency.ops.size(), 2u);
  EXPECT_EQ(back.latency.ops[1].op, "free");
  EXPECT_DOUBLE_EQ(back.latency.ops[1].p99, 80);
  EXPECT_DOUBLE_EQ(back.latency.ops[0].max, 900);
}

TEST(ResultsTest, AtomicWriteReplacesWholeFile) {
  const auto dir = std::filesystem::temp_directory_path() / ("alloclab_results_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "out.json").string();
  ASSERT_EQ(write_file_atomically(path, "old"), "");
  ASSERT_EQ(write_file_atomically(path, "new contents"), "");
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(text, "new contents");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), {}), 1);  // no temp left
  std::filesystem::remove_all(dir);
}

TEST(ResultsTest, WriteErrorsAreReportedNotSwallowed) {
  EXPECT_NE(write_file_atomically("/nonexistent-dir/x.json", "x"), "");
  EXPECT_NE(write_file_atomically("/dev/full", "x"), "");
  EXPECT_NE(check_writable("/nonexistent-dir/x.json"), "");
  EXPECT_NE(check_writable("/"), "");
  EXPECT_EQ(check_writable("relative-name.json"), "");
}

}  // namespace
}  // namespace alloclab
