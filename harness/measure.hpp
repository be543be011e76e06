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
#include "run_spec.hpp"
#include "workloads/replay.hpp"
#include "workloads/workload.hpp"

namespace alloclab {

// What measure() runs: the run's spec (its `params` complete) and the plugin to run it on.
struct MeasureRequest : RunSpec {
  std::string allocator;
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
