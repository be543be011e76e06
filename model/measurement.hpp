// One repetition's measured figures, as the harness's measure() fills them and the file holds
// them. Adding a figure: a field here, its key in keys.hpp, its line in document.cpp's
// measurement_to_json/measurement_from_json, and the code that measures it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/status.hpp"

namespace alloclab::model {

struct CpuUsage {
  double user_s = 0;
  double sys_s = 0;
  std::uint64_t minor_faults = 0;
  std::uint64_t major_faults = 0;
  bool operator==(const CpuUsage&) const = default;
};

// Percentiles of the sampled per-op latencies, in nanoseconds.
struct LatencyStats {
  std::string op;  // "alloc", "free", "realloc"
  std::uint64_t samples = 0;
  double p50 = 0, p90 = 0, p99 = 0, p999 = 0, max = 0;
  bool operator==(const LatencyStats&) const = default;
};

struct LatencySummary {
  std::uint32_t sample_every = 0;  // 0: latency was not measured
  double timer_ns = 0;  // the cost of one timing (two counter reads), included in each sample
  std::vector<LatencyStats> ops;
  bool operator==(const LatencySummary&) const = default;
};

// A real program run under an allocator (`alloclab exec`): what the process tree did and the
// probe's proof of who served its malloc.
struct ProgramRun {
  int exit_status = 0;  // the exit code, or 128 + signal
  std::uint64_t voluntary_ctx_switches = 0;
  std::uint64_t involuntary_ctx_switches = 0;
  std::string metric_name;  // --metric NAME; empty: the row is judged on wall time
  double metric_value = 0;
  bool metric_higher_is_better = false;
  std::string malloc_owner;  // the library that owned malloc in the program
  std::uint64_t children = 0;            // programs it started (execve and posix_spawn)
  std::uint64_t children_inherited = 0;  // of those, the ones still preloading the allocator

  // The figure a row is judged on, lower is better: the metric (a higher-is-better one as
  // 1e9 / value, a time per item), else the wall time in ns.
  double cost(std::uint64_t wall_ns) const;
  bool operator==(const ProgramRun&) const = default;
};

// The heap's state at one mark of the replay (workload aged, workloads/trace.hpp's kMark):
// when the last thread got there, what the generator knows (allocations, live requested
// bytes) and the process's RSS read there.
struct MarkSample {
  double t_ms = 0;  // since the replay started
  std::uint64_t allocations = 0;
  std::uint64_t live_bytes = 0;
  std::uint64_t rss_bytes = 0;
  bool after_shrink = false;  // the mark closes a shrink phase
  bool operator==(const MarkSample&) const = default;
};

// RSS above the replay's baseline per live requested byte (1.0: no overhead); 0 without live
// bytes. The baseline (the trace, the slot table) is not the heap's.
double fragmentation(const MarkSample& m, std::uint64_t rss_baseline);

struct Measurement {
  Status status = Status::kOk;
  std::string error;
  std::uint64_t allocations = 0;
  std::uint64_t wall_ns = 0;  // start signal to the last thread's end
  std::vector<std::uint64_t> thread_ns;
  CpuUsage cpu;
  std::uint64_t rss_baseline = 0;  // before the replay, less what the allocator made faulted in
  std::uint64_t rss_peak = 0;      // VmHWM reset before the replay, and sampled
  std::uint64_t rss_end = 0;       // after every block is freed, allocator still alive
  std::uint64_t peak_live_bytes = 0;
  std::uint64_t threads_started = 0;  // fresh threads run after kThreadExit ops (thread-churn)
  std::vector<std::pair<double, std::uint64_t>> rss_series;  // (ms since start, bytes)
  std::vector<MarkSample> marks;  // one per kMark of the trace (aged), in order
  LatencySummary latency;
  std::uint64_t instructions = 0;  // callgrind's Ir over the replay (--measure instructions)
  std::map<std::string, std::uint64_t> trace_stats;  // Trace::stats
  std::optional<ProgramRun> program;  // set on `alloclab exec` rows only
  // Marks on figures that cannot be trusted, set by mark_untrusted() where the replay ran.
  bool too_short = false;             // the replay's wall time is under kMinTrustedWallNs
  std::uint64_t suggested_iters = 0;  // too_short: the --iters that would reach it (0: no iters)
  bool not_parallel = false;          // threads did not overlap (kParallelShare, below)
  bool oversubscribed = false;        // more threads than cores the process may run on

  // Derived figures, computed here only: the writer and the summaries read them from here.
  // wall_ns / allocations, 0 without allocations; a program run's cost (ProgramRun::cost).
  double ns_per_op() const;
  double cpu_ns_per_op() const;  // (user + sys) / allocations; a program run's user + sys
  bool has_overhead() const;     // peak_live_bytes > 0 and the peak is above the baseline
  double overhead() const;       // (rss_peak - rss_baseline) / peak_live_bytes
  double instructions_per_op() const;
  double rss_growth_per_thread() const;  // (rss_end - rss_baseline) / threads_started
  bool operator==(const Measurement&) const = default;
};

// Under 10 ms the fixed costs of a replay (waking parked threads, joining them, the first touch
// of the trace's slot array, one RSS sample) are a percent or more of the time, and a 0.1 ms
// replay is mostly them: such a row measures the harness, not the allocator.
inline constexpr std::uint64_t kMinTrustedWallNs = 10'000'000;
// Threads ran in parallel when CPU time / wall time is at least half of min(threads, cores): a
// core taken by another process, or threads serialised on a lock, fall below it.
inline constexpr double kParallelShare = 0.5;

// Sets the marks above from the measured figures; `iters` is the workload's iters parameter
// (0 when it has none).
void mark_untrusted(Measurement& m, unsigned threads, unsigned cores, std::uint64_t iters);

}  // namespace alloclab::model
