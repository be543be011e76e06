// Measuring one configuration (allocator x workload x params) in the current process. The
// runner calls this in a fresh child per repetition (child.cpp), so the heap state and peak
// RSS belong to that allocator alone; tests call it directly.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "model/measurement.hpp"
#include "proc_stats.hpp"
#include "workloads/replay.hpp"
#include "workloads/workload.hpp"

namespace alloclab {

struct MeasureRequest {
  std::string allocator;
  std::string workload;
  Params params;  // complete (complete_params() applied)
  Touch touch = Touch::kLines;
  bool verify = false;
  std::uint64_t seed = 0;
  std::size_t align = kMinAlign;
  unsigned rss_interval_ms = 5;  // RSS sampling period during the replay; 0 = off
  std::uint32_t latency_every = 0;  // time one op in N into latency histograms; 0 = off
  bool count_instructions = false;  // under callgrind: collect for the replay only
  std::string trace_file = {};   // the replay workload's recorded trace
  SizeHistogram size_histogram = {};  // dist 3's sizes, as the parent read them
};

const char* touch_name(Touch t);
bool parse_touch(std::string_view text, Touch& out);

// The measured figures are the results model's (model/measurement.hpp): measure() fills them,
// the file holds them, the reports read them.
using model::LatencyStats;
using model::LatencySummary;
using model::Measurement;
using model::Status;
using model::status_name;

Measurement measure(const MeasureRequest& req);

}  // namespace alloclab
