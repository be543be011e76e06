// Measuring one configuration (allocator x workload x params) in the current process. The
// runner calls this in a fresh child per repetition (child.cpp), so the heap state and peak
// RSS belong to that allocator alone; tests call it directly.
#pragma once

#include <cstdint>
#include <map>
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
  std::uint32_t latency_every = 0;  // time one op in N into latency histograms; 0 = off
  bool count_instructions = false;  // under callgrind: collect for the replay only
  std::string trace_file = {};   // the replay workload's recorded trace
  SizeHistogram size_histogram = {};  // dist 3's sizes, as the parent read them
};

const char* touch_name(Touch t);
bool parse_touch(std::string_view text, Touch& out);

enum class Status { kOk, kUnsupported, kUnavailable, kFailed, kCrashed, kTimeout };
const char* status_name(Status s);

// Percentiles of the sampled per-op latencies, in nanoseconds.
struct LatencyStats {
  std::string op;  // "alloc", "free", "realloc"
  std::uint64_t samples = 0;
  double p50 = 0, p90 = 0, p99 = 0, p999 = 0, max = 0;
};

struct LatencySummary {
  std::uint32_t sample_every = 0;  // 0: latency was not measured
  double timer_ns = 0;  // the cost of one timing (two counter reads), included in each sample
  std::vector<LatencyStats> ops;
};

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
  LatencySummary latency;
  std::uint64_t instructions = 0;  // callgrind's Ir over the replay (--measure instructions)
  std::map<std::string, std::uint64_t> trace_stats;  // Trace::stats
};

Measurement measure(const MeasureRequest& req);

}  // namespace alloclab
