// The settings of a run, in one typed struct: the command line fills it (tools/cli_common.cpp),
// planning checks it and reads its files (plan.hpp), and every child receives it unchanged as
// JSON (child.hpp), with which allocator and repetition it measures. A new run option is a
// field here (and in the JSON list below), its CLI line, and the code that uses it.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/verdict.hpp"
#include "workloads/replay.hpp"
#include "workloads/size_histogram.hpp"
#include "workloads/workload.hpp"

namespace alloclab::model {
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(RssBudget, kind, value, text)
}  // namespace alloclab::model

namespace alloclab {

struct RunSpec {
  std::vector<std::string> allocators = {"all"};  // as listed; planning resolves "all", adds null
  std::vector<std::string> variants;  // --variant NAME=BASE{K=V,...}: short names the list may use
  std::string workload = "churn";
  std::map<std::string, std::string> param_text;  // workload parameters as typed ("8", "1..64:x2")
  Params params;  // the combination being run, complete (planning sets it from param_text)
  std::string trace_file;        // --trace (replay)
  SizeHistogram size_histogram;  // --size-histogram: source from the CLI, bins read by planning
  std::string spec_file;         // --spec (synth): the workload spec
  unsigned reps = 5;
  // --duration: seconds of clock time each row runs for, replacing the workload's count param
  // (plan.cpp drops it, so the streams are unbounded); 0: the count decides.
  std::uint64_t duration_s = 0;
  Touch touch = Touch::kLines;
  bool verify = false;
  std::uint64_t seed = 0;
  double timeout_s = 120;            // per child, before it is killed
  unsigned rss_interval_ms = 5;      // RSS sampling period during the replay; 0: off
  std::uint32_t latency_every = 0;   // time one op in N into latency histograms; 0: off
  bool count_instructions = false;   // --measure instructions: children under callgrind
  std::uint64_t max_rss = 0;         // bytes a child may reach before it is killed; 0: no limit
  std::vector<std::string> plugins;  // C ABI shared objects (--plugin), loaded by every child
  std::string json;                  // results file; empty: none
  std::string baseline = "glibc";    // the table's ratios are against it
  model::RssBudget rss_budget;       // the verdict's memory budget (--rss-budget)
  bool quiet = false;                // no table on stdout
  bool dry_run = false;              // list the planned rows, run nothing (parent only: not sent)
  std::string shard;                 // --shard K/N|auto[/N] (harness/shard.hpp); empty: the whole run
};

// JSON: the spec as the child reads it. Strict: a missing key is an error.
NLOHMANN_JSON_SERIALIZE_ENUM(Touch, {{Touch::kNone, "none"}, {Touch::kLines, "lines"}, {Touch::kFull, "full"}})
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(SizeBin, lo, hi, weight)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(SizeHistogram, source, bins)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(RunSpec, allocators, variants, workload, param_text, params, trace_file,
                                   size_histogram, reps, duration_s, touch, verify, seed, timeout_s,
                                   rss_interval_ms, latency_every, count_instructions, max_rss,
                                   plugins, json, baseline, rss_budget, quiet, spec_file, shard)

}  // namespace alloclab
