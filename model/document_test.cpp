// The results document: writer → reader round trip over every row kind, the pinned layout,
// the schema version, and the child's hand-off.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "model/document.hpp"
#include "model/keys.hpp"
#include "model/test_rows.hpp"

namespace alloclab::model {
namespace {

using nlohmann::json;

json fixed_context() { return json{{"num_cpus", 2}, {"host_name", "bench1"}}; }

TEST(DocumentTest, RoundTripsEveryFieldOfEveryRowKind) {
  const std::vector<Row> rows = testing::every_row_kind();
  const Document doc = read_results(json::parse(results_document(fixed_context(), rows).dump(2)));
  ASSERT_EQ(doc.rows.size(), rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(doc.rows[i], rows[i]) << rows[i].name;
  EXPECT_EQ(doc.context.at(key::kSchemaVersion), kSchemaVersion);
  EXPECT_EQ(doc.context.at("host_name"), "bench1");
}

TEST(DocumentTest, AggregatesFollowEachGroupOfOkRepetitions) {
  const std::vector<Row> rows = testing::every_row_kind();
  const Document doc = read_results(results_document(fixed_context(), rows));
  // The three glibc repetitions (100, 200, 300 ns/op), the measured-but-ok replay and histogram rows.
  const std::string glibc = rows[0].name;
  std::vector<AggregateRow> mine;
  for (const AggregateRow& a : doc.aggregates)
    if (a.run_name == glibc) mine.push_back(a);
  ASSERT_EQ(mine.size(), 4u);
  EXPECT_EQ(mine[0].aggregate_name, "median");
  EXPECT_DOUBLE_EQ(mine[0].real_time, 200.0);
  EXPECT_DOUBLE_EQ(mine[1].real_time, 200.0);  // mean
  EXPECT_DOUBLE_EQ(mine[2].real_time, 100.0);  // sample stddev
  EXPECT_DOUBLE_EQ(mine[3].real_time, 0.5);    // cv
  EXPECT_DOUBLE_EQ(mine[0].cpu_time, 1500.0);
  EXPECT_EQ(doc.aggregates.size(), 4u * 4u);  // glibc, replay, histogram, exec; none for rows that did not run
}

TEST(DocumentTest, ExecRowIsJudgedOnItsMetric) {
  const std::vector<Row> rows = testing::every_row_kind();
  const auto exec = std::find_if(rows.begin(), rows.end(), [](const Row& r) { return r.workload == "exec"; });
  ASSERT_NE(exec, rows.end());
  const json doc = results_document(json::object(), {*exec});
  const json& b = doc.at("benchmarks").at(0);
  // rps 1500.5, higher is better: judged as ns per request; the program's CPU time as cpu_time.
  EXPECT_DOUBLE_EQ(b.at("real_time").get<double>(), 1e9 / 1500.5);
  EXPECT_DOUBLE_EQ(b.at("items_per_second").get<double>(), 1500.5);
  EXPECT_DOUBLE_EQ(b.at("cpu_time").get<double>(), 0.0015 * 1e9);
  EXPECT_DOUBLE_EQ(b.at("exec").at("wall_s").get<double>(), 2.5);
  EXPECT_EQ(b.at("exec").at("metric").at("direction"), "higher");
  EXPECT_EQ(b.at("params").at("command"), "python3 -c 'print(1)'");
  EXPECT_FALSE(b.at("params").contains("touch"));
}

TEST(DocumentTest, LayoutIsPinnedByteForByte) {
  const std::string text = results_document(fixed_context(), testing::every_row_kind()).dump(2) + "\n";
  const std::string golden_path = std::string(ALLOCLAB_MODEL_TEST_DATA) + "/every_row_kind.json";
  if (std::getenv("ALLOCLAB_UPDATE_GOLDEN") != nullptr) std::ofstream(golden_path) << text;
  std::ifstream in(golden_path);
  ASSERT_TRUE(in) << golden_path;
  std::stringstream golden;
  golden << in.rdbuf();
  EXPECT_EQ(text, golden.str()) << "the results layout changed; if on purpose, rerun with "
                                   "ALLOCLAB_UPDATE_GOLDEN=1 and say why in the commit";
}

TEST(DocumentTest, OkRowHasGoogleBenchmarkFields) {
  const json doc = results_document(json::object(), {testing::every_row_kind()[0]});
  const json& b = doc.at("benchmarks").at(0);
  EXPECT_EQ(b.at("run_type"), "iteration");
  EXPECT_EQ(b.at("time_unit"), "ns");
  EXPECT_EQ(b.at("iterations"), 1000);
  EXPECT_DOUBLE_EQ(b.at("real_time").get<double>(), 100.0);
  EXPECT_DOUBLE_EQ(b.at("items_per_second").get<double>(), 1e7);
  EXPECT_DOUBLE_EQ(b.at("overhead").get<double>(), 2.0);
  EXPECT_DOUBLE_EQ(b.at("instructions_per_op").get<double>(), 123.456);
  EXPECT_DOUBLE_EQ(b.at("rss_growth_per_thread").get<double>(), static_cast<double>(1 << 20) / 4);
  EXPECT_EQ(b.at("latency").at("sample_every"), 16);
}

TEST(DocumentTest, MarksCarryTheirFragmentationAndRefuseImpossibleValues) {
  json doc = results_document(json::object(), {testing::every_row_kind()[0]});
  const json& marks = doc.at("benchmarks").at(0).at("marks");
  ASSERT_EQ(marks.size(), 2u);
  // (RSS - baseline) / live bytes: 300000 / 200000 and 150000 / 50000.
  EXPECT_DOUBLE_EQ(marks.at(0).at("fragmentation").get<double>(), 1.5);
  EXPECT_DOUBLE_EQ(marks.at(1).at("fragmentation").get<double>(), 3.0);
  EXPECT_EQ(marks.at(1).at("after_shrink"), true);
  json bad = doc;
  bad["benchmarks"][0]["marks"][1]["rss_bytes"] = -1;
  EXPECT_THROW(read_results(bad), FormatError);
  bad = doc;
  bad["benchmarks"][0]["marks"][0].erase("after_shrink");
  EXPECT_THROW(read_results(bad), FormatError);
}

TEST(DocumentTest, RowThatDidNotRunHasOnlyItsStatus) {
  const json m = measurement_to_json(testing::not_run("x", Status::kUnavailable, "not installed").m);
  EXPECT_EQ(m, (json{{"status", "unavailable"}, {"error", "not installed"}}));
}

// Google Benchmark's compare.py indexes these on every row: a row without one stops it.
TEST(DocumentTest, EveryRowCarriesGoogleBenchmarksTimesAndErrorMarks) {
  const json doc = results_document(json::object(), testing::every_row_kind());
  std::size_t not_ok = 0, aggregates = 0;
  std::map<std::string, json> iterations;  // run_name -> its iteration rows' count
  for (const json& b : doc.at("benchmarks"))
    if (b.at("run_type") == "iteration") iterations.emplace(b.at("run_name"), b.at("iterations"));
  for (const json& b : doc.at("benchmarks")) {
    for (const char* field : {"name", "run_name", "run_type", "real_time", "cpu_time", "iterations", "time_unit",
                              "threads", "repetitions"})
      EXPECT_TRUE(b.contains(field)) << b.at("name") << " lacks " << field;
    if (b.at("run_type") == "aggregate") {
      ++aggregates;
      EXPECT_TRUE(b.contains("items_per_second")) << b.at("name");  // the iteration rows' counter
      EXPECT_EQ(b.at("iterations"), iterations.at(b.at("run_name"))) << b.at("name");
      EXPECT_FALSE(b.contains("error_occurred")) << b.at("name");
    } else if (b.at("status") != "ok") {
      ++not_ok;
      EXPECT_EQ(b.at("error_occurred"), true) << b.at("name");
      EXPECT_EQ(b.at("error_message"), b.at("error")) << b.at("name");
      EXPECT_EQ(b.at("real_time"), 0.0) << b.at("name");  // never a figure for a row that did not run
      EXPECT_EQ(b.at("cpu_time"), 0.0) << b.at("name");
      EXPECT_FALSE(b.contains("items_per_second")) << b.at("name");
    } else {
      EXPECT_FALSE(b.contains("error_occurred")) << b.at("name");
    }
  }
  EXPECT_EQ(not_ok, 6u);  // unsupported, unavailable, crashed, timeout, failed-with-figures, failed exec
  EXPECT_EQ(aggregates, 16u);
}

TEST(DocumentTest, ErrorOccurredMustAgreeWithTheStatus) {
  json doc = results_document(json::object(), testing::every_row_kind());
  json lying = doc;
  lying["benchmarks"][0]["error_occurred"] = true;  // an ok row marked as an error
  EXPECT_THROW(read_results(lying), FormatError);
  lying = doc;
  lying["benchmarks"][7]["error_occurred"] = false;  // the unsupported row passed off as measured
  try {
    read_results(lying);
    FAIL() << "a not-run row marked as measured was accepted";
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find("error_occurred: false disagrees with status \"unsupported\""),
              std::string::npos)
        << e.what();
  }
  doc["benchmarks"][7].erase("error_occurred");  // written before the field was: still read
  EXPECT_EQ(read_results(doc).rows[3].m.status, Status::kUnsupported);
}

TEST(DocumentTest, ChildHandOffRoundTrips) {
  for (const Row& r : testing::every_row_kind())
    EXPECT_EQ(measurement_from_json(json::parse(measurement_to_json(r.m).dump())), r.m) << r.name;
}

TEST(DocumentTest, SchemaVersion) {
  EXPECT_EQ(schema_version(json{{"benchmarks", json::array()}}), 0u);  // older files, Google Benchmark
  EXPECT_EQ(schema_version(json{{"context", {{"alloclab_schema_version", 1}}}}), 1u);
  try {
    schema_version(json{{"context", {{"alloclab_schema_version", kSchemaVersion + 1}}}});
    FAIL() << "a newer version was accepted";
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find("newer alloclab (schema version 2"), std::string::npos) << e.what();
  }
  EXPECT_THROW(schema_version(json{{"context", {{"alloclab_schema_version", "1"}}}}), FormatError);
}

TEST(DocumentTest, ReaderNamesTheBadRow) {
  json doc = results_document(json::object(), testing::every_row_kind());
  doc["benchmarks"][1].erase("wall_ns");
  doc["benchmarks"][2]["status"] = "exploded";
  try {
    read_results(doc);
    FAIL();
  } catch (const FormatError& e) {
    const std::string name = doc["benchmarks"][2]["run_name"].get<std::string>();
    EXPECT_NE(std::string(e.what()).find("benchmarks[2] (" + name + "): status: unknown status \"exploded\""),
              std::string::npos)
        << e.what();
  }
  doc["benchmarks"][2]["status"] = "ok";
  doc["benchmarks"][2].erase("rss_peak_bytes");
  EXPECT_THROW(read_results(doc), FormatError);
}

TEST(DocumentTest, ReaderRefusesImpossibleValuesByName) {
  const json good = results_document(json::object(), testing::every_row_kind());
  const std::string name = good["benchmarks"][0]["run_name"].get<std::string>();
  const std::pair<const char*, json> bad[] = {
      {"wall_ns", -1},          {"wall_ns", 1e308},       {"rss_peak_bytes", -4096},
      {"allocations", 2.5},     {"user_s", -0.5},         {"repetition_index", -1},
      {"threads", 1ull << 40},
  };
  for (const auto& [field, value] : bad) {
    json doc = good;
    doc["benchmarks"][0][field] = value;
    try {
      read_results(doc);
      ADD_FAILURE() << field << " = " << value.dump() << " was read";
    } catch (const FormatError& e) {
      EXPECT_NE(std::string(e.what()).find("benchmarks[0] (" + name + "): " + field + ": " + value.dump() +
                                           " is not a possible value"),
                std::string::npos)
          << e.what();
    }
  }
}

TEST(DocumentTest, AnInterruptedRepetitionKeepsItsStatus) {
  std::vector<Row> rows = testing::every_row_kind();
  rows[0].m.status = Status::kInterrupted;
  rows[0].m.error = "interrupted (SIGINT)";
  const Document doc = read_results(results_document(json::object(), rows));
  EXPECT_EQ(doc.rows[0].m.status, Status::kInterrupted);
  EXPECT_EQ(parse_status("interrupted"), Status::kInterrupted);
  EXPECT_FALSE(is_fault(Status::kInterrupted));
}

}  // namespace
}  // namespace alloclab::model
