// Measuring one configuration (allocator x workload x params) in the current process. The
// runner calls this in a fresh child per repetition (child.cpp), so the heap state and peak
// RSS belong to that allocator alone; tests call it directly.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

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
};

const char* touch_name(Touch t);
bool parse_touch(std::string_view text, Touch& out);

enum class Status { kOk, kUnsupported, kUnavailable, kFailed, kCrashed, kTimeout };
const char* status_name(Status s);

struct Measurement {
  Status status = Status::kOk;
  std::string error;
  std::uint64_t allocations = 0;
  std::uint64_t wall_ns = 0;  // start signal to the last thread's end
  std::vector<std::uint64_t> thread_ns;
  CpuUsage cpu;
  std::uint64_t rss_baseline = 0;  // after the trace is built, before the replay
  std::uint64_t rss_peak = 0;      // VmHWM reset before the replay, and sampled
  std::uint64_t rss_end = 0;       // after every block is freed, allocator still alive
  std::uint64_t peak_live_bytes = 0;
  std::uint64_t threads_started = 0;  // fresh threads run after kThreadExit ops (thread-churn)
  std::vector<std::pair<double, std::uint64_t>> rss_series;  // (ms since start, bytes)
};

Measurement measure(const MeasureRequest& req);

}  // namespace alloclab
