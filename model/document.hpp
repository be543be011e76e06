// The results document: writing it (strict, one layout) and reading our files back into the
// same structs. Google Benchmark's layout ({"context": ..., "benchmarks": [...]}) with our
// fields on each row, so Google Benchmark's own compare.py reads our files. Raw repetitions are
// always written; aggregates (median, mean, stddev, cv) follow each group of repetitions.
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/row.hpp"

namespace alloclab::model {

// The layout version written into every file's context; raised when a reader of the old layout
// would misread the new one (not for added fields: readers ignore unknown fields).
inline constexpr unsigned kSchemaVersion = 1;

// A document the reader cannot take: the message is one line and names the row.
struct FormatError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The child's hand-off and each iteration row's measured fields.
nlohmann::json measurement_to_json(const Measurement& m);
Measurement measurement_from_json(const nlohmann::json& j);  // throws FormatError

// A row's params object: the workload's parameters, touch, and trace / size_histogram when set.
nlohmann::json params_json(const Row& r);

// Iteration rows in order, each group of repetitions (same name) followed by its aggregate rows.
// `context` gets kSchemaVersion added.
nlohmann::json results_document(nlohmann::json context, const std::vector<Row>& rows);

// An aggregate row as written: the figures the producer computed over one group.
struct AggregateRow {
  std::string run_name;
  std::string aggregate_name;  // median, mean, stddev, cv
  double real_time = 0, cpu_time = 0;
  bool operator==(const AggregateRow&) const = default;
};

struct Document {
  nlohmann::json context;
  std::vector<Row> rows;  // iteration rows, in file order
  std::vector<AggregateRow> aggregates;
};

// The context's schema version: 0 when absent (older files, plain Google Benchmark files).
// Throws FormatError for a version newer than kSchemaVersion or one that is not a number.
unsigned schema_version(const nlohmann::json& root);

// Reads a document this library wrote. Throws FormatError ("benchmarks[3]: ...").
Document read_results(const nlohmann::json& root);

}  // namespace alloclab::model
