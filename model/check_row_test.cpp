#include "model/check_row.hpp"

#include <gtest/gtest.h>

#include "model/document.hpp"
#include "model/keys.hpp"

namespace alloclab::model {
namespace {

std::vector<CheckRow> sample_rows() {
  return {CheckRow{"glibc", "malloc_alignment", CheckVerdict::kPass, true, Status::kOk, "all 16-aligned", 1200},
          CheckRow{"libbroken.so", "calloc_zeroes", CheckVerdict::kFail, true, Status::kCrashed,
                   "killed by SIGSEGV in calloc(1, 64)", 5000},
          CheckRow{"jemalloc", "double_free", CheckVerdict::kNote, false, Status::kOk, "silent", 10}};
}

TEST(CheckRow, RoundTripsThroughTheDocument) {
  const nlohmann::json doc = check_document(nlohmann::json::object(), sample_rows());
  EXPECT_EQ(read_check_rows(doc), sample_rows());
  // The measurements reader passes over check rows: a check file holds no measurement rows.
  EXPECT_TRUE(read_results(doc).rows.empty());
}

TEST(CheckRow, CarriesGoogleBenchmarkFieldsAndMarksAProbeThatDied) {
  const nlohmann::json doc = check_document(nlohmann::json::object(), sample_rows());
  for (const auto& row : doc.at(key::kBenchmarks)) {
    for (std::string_view f : {key::kName, key::kRealTime, key::kCpuTime, key::kIterations, key::kTimeUnit})
      EXPECT_TRUE(row.contains(f)) << f;
  }
  EXPECT_FALSE(doc.at(key::kBenchmarks)[0].contains(key::kErrorOccurred));
  EXPECT_TRUE(doc.at(key::kBenchmarks)[1].at(key::kErrorOccurred).get<bool>());
}

TEST(CheckRow, RejectsAnUnknownVerdictNamingTheRow) {
  nlohmann::json doc = check_document(nlohmann::json::object(), sample_rows());
  doc[key::kBenchmarks][2][key::kVerdict] = "maybe";
  try {
    read_check_rows(doc);
    FAIL() << "no error";
  } catch (const FormatError& e) {
    EXPECT_STREQ(e.what(), "benchmarks[2]: verdict: unknown verdict \"maybe\"");
  }
}

}  // namespace
}  // namespace alloclab::model
