// One row of a results file: a configuration (allocator x workload x params) and one
// repetition's measurement of it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "model/measurement.hpp"

namespace alloclab::model {

// The workload's parameters by name (the same type as workloads' Params).
using Params = std::map<std::string, std::uint64_t, std::less<>>;

struct Row {
  std::string name;  // workload/allocator/param:value/.../touch:mode
  std::string allocator;
  std::string workload;
  Params params;
  std::string touch;
  std::string trace_file;      // replay: the recorded trace
  std::string size_histogram;  // dist 3: the histogram file
  std::string command;         // exec: the program's command line, shell-quoted
  std::string cwd;             // exec: its working directory
  std::string program;         // suite: the curated program's name (harness/suite/programs.hpp)
  std::string input_hash;      // exec: hash of the --input files' contents
  std::string settings;        // a variant's settings, "NAME=value,..." (harness/deployments.hpp)
  unsigned threads = 1;
  unsigned repetition_index = 0;
  unsigned repetitions = 1;
  std::string dispatch = "static";  // "indirect" for C ABI plugins
  double harness_ns_per_op = 0;     // the null plugin's median on the same configuration
  Measurement m;

  double ns_per_op() const { return m.ns_per_op(); }
  double cpu_ns_per_op() const { return m.cpu_ns_per_op(); }
  bool operator==(const Row&) const = default;
};

}  // namespace alloclab::model
