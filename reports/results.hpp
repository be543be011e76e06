// reports/results.hpp — reading results files: ours and Google Benchmark's JSON.
//
// Glossary
//   results file   {"context": {...}, "benchmarks": [...]}: Google Benchmark's layout, plus our
//                  fields (allocator, workload, params, status, memory and latency figures).
//   iteration row  one repetition of one configuration (run_type "iteration"): the raw data.
//   aggregate row  median/mean/stddev/cv computed by the producer. Ignored: reports recompute
//                  every figure from the iteration rows.
//   Row            one configuration (one run_name) with all its repetitions, from any file.
//   Repetition     one repetition's figures: the results model's (model/summary.hpp).
//   group key      workload + parameters, allocator left out: the rows a table compares.
//   family key     the group key without `threads`: groups forming a thread-scaling sweep.
//
// Files that carry alloclab_schema_version are read by the model's strict reader
// (model/document.hpp); older files of ours and plain Google Benchmark files by the lenient
// importer here. Unknown fields are ignored so that later producers can add figures freely.
// Every error names the file (and the row when it is about one) in one line: InputError's what().
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/check_row.hpp"
#include "model/summary.hpp"

namespace alloclab::reports {

using model::kMissing;
using model::Latency;
using model::Percentiles;
using model::present;
using model::Repetition;
using model::Series;

// A results file that cannot be read, parsed or understood.
struct InputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// key is empty for a positional Google Benchmark argument (`BM_pair/glibc/64` → {"", "64"}).
using Param = std::pair<std::string, std::string>;
struct Row {
  std::string name;       // run_name: the identity compare matches on
  std::string workload;   // first name component for Google Benchmark rows
  std::string allocator;  // second name component for Google Benchmark rows
  std::vector<Param> params;
  std::string file;  // the file the row first appeared in
  std::vector<Repetition> reps;

  // Both keys hold the measure: rows counted under callgrind never group with timed rows.
  std::string group_key() const;
  std::string family_key() const;  // group key without the `threads` parameter
  // The value of the name's "measure:" component ("instructions"), "" for a timed row.
  std::string measure() const;
  // params, plus {"measure", measure()} when the name has one that params lack.
  std::vector<Param> params_with_measure() const;
  // The `threads` parameter as a number, or 0 when the row has none.
  double threads() const;
};

// One file's recorded environment, as label/value pairs ready to display.
struct Environment {
  std::string file;
  std::vector<std::pair<std::string, std::string>> facts;
  std::string command_line;  // empty when the file did not record one
  nlohmann::json context;    // the file's context as recorded (reports/warnings.cpp reads it)
};

struct Results {
  std::vector<Row> rows;  // in order of first appearance
  std::vector<Environment> environments;
  std::vector<std::string> files;
  std::vector<model::CheckRow> checks;  // `alloclab check` rows (reports/check_section.hpp)
};

// Parses one file's text and merges its rows into `into` (repetitions of a run_name already
// present are appended). Refused, by name: impossible figures (negative or non-finite, ns/op
// above a day), a (run_name, repetition_index) twice in one file, one name on two allocators. `file` is the name used in messages. Throws InputError.
void parse_results(std::string_view text, const std::string& file, Results& into);
// The largest results file read: a sweep of thousands of rows with RSS series stays far below.
inline constexpr std::size_t kMaxResultsFileBytes = std::size_t{1} << 30;
// A file's text, read through a bound: refuses one past `max_bytes` or not starting with '{'
// (so /dev/zero or a FIFO that never ends cannot exhaust memory). Throws InputError.
std::string read_results_file(const std::string& file, std::size_t max_bytes = kMaxResultsFileBytes);
// Reads and merges every file, in order. Throws InputError naming the first bad file.
Results load_results(const std::vector<std::string>& files);
// Why `a` and `b` (one file each) are not one machine's figures: "host x (CPU, kernel K) vs host
// y (...)"; empty when they are, or when their contexts cannot tell them apart.
std::string machines_differ(const Results& a, const Results& b);

// Splits a Google Benchmark name (`BM_pair/glibc/64/threads:2`) into workload, allocator and
// parameters when its second component looks like an allocator name; otherwise the whole name is
// both workload and allocator and there are no parameters. Exposed for tests.
void derive_from_name(std::string_view name, Row& row);

}  // namespace alloclab::reports
