// Results in Google Benchmark's JSON layout ({"context": ..., "benchmarks": [...]}) with
// alloclab's fields on each row, so Google Benchmark's own compare.py reads our files.
// Raw repetitions are always written; aggregates (median, mean, stddev, cv) follow each group.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "measure.hpp"

namespace alloclab {

struct Row {
  std::string name;  // workload/allocator/param:value/.../touch:mode
  std::string allocator;
  std::string workload;
  Params params;
  std::string touch;
  std::string trace_file;  // replay: the recorded trace
  std::string size_histogram;  // dist 3: the histogram file
  unsigned threads = 1;
  unsigned repetition_index = 0;
  unsigned repetitions = 1;
  std::string dispatch = "static";  // "indirect" for C ABI plugins
  double harness_ns_per_op = 0;     // the null plugin's median on the same configuration
  Measurement m;

  double ns_per_op() const;
  double cpu_ns_per_op() const;
};

nlohmann::json measurement_to_json(const Measurement& m);
Measurement measurement_from_json(const nlohmann::json& j);

// Iteration rows in order, each group of repetitions followed by its aggregate rows.
nlohmann::json results_document(const nlohmann::json& context, const std::vector<Row>& rows);

// Writes `text` to a temporary file beside `path`, then renames it over `path`: a reader sees
// the old file or the new one, never half of one. Returns an error message, or empty.
std::string write_file_atomically(const std::string& path, const std::string& text);

// Fails early (before minutes of measuring) when `path` cannot be written. Empty when fine.
std::string check_writable(const std::string& path);

}  // namespace alloclab
