// The JSON key names of a results file, each spelled once: the writer, the reader, the child's
// hand-off and the reports all use these constants, never a literal key.
#pragma once

#include <string_view>

namespace alloclab::model::key {

// The document.
inline constexpr std::string_view kContext = "context";
inline constexpr std::string_view kBenchmarks = "benchmarks";
inline constexpr std::string_view kSchemaVersion = "alloclab_schema_version";  // in the context
inline constexpr std::string_view kAlloclab = "alloclab";  // our facts inside the context

// Google Benchmark's row fields.
inline constexpr std::string_view kName = "name";
inline constexpr std::string_view kRunName = "run_name";
inline constexpr std::string_view kRunType = "run_type";
inline constexpr std::string_view kRepetitions = "repetitions";
inline constexpr std::string_view kRepetitionIndex = "repetition_index";
inline constexpr std::string_view kThreads = "threads";
inline constexpr std::string_view kIterations = "iterations";
inline constexpr std::string_view kRealTime = "real_time";
inline constexpr std::string_view kCpuTime = "cpu_time";
inline constexpr std::string_view kTimeUnit = "time_unit";
inline constexpr std::string_view kItemsPerSecond = "items_per_second";
inline constexpr std::string_view kAggregateName = "aggregate_name";
inline constexpr std::string_view kAggregateUnit = "aggregate_unit";
inline constexpr std::string_view kErrorOccurred = "error_occurred";
inline constexpr std::string_view kErrorMessage = "error_message";

// Values of run_type, time_unit and aggregate_unit.
inline constexpr std::string_view kIteration = "iteration";
inline constexpr std::string_view kAggregate = "aggregate";
inline constexpr std::string_view kNs = "ns";
inline constexpr std::string_view kTime = "time";
inline constexpr std::string_view kPercentage = "percentage";

// The configuration.
inline constexpr std::string_view kAllocator = "allocator";
inline constexpr std::string_view kWorkload = "workload";
inline constexpr std::string_view kParams = "params";
inline constexpr std::string_view kTouch = "touch";                  // in params
inline constexpr std::string_view kTrace = "trace";                  // in params
inline constexpr std::string_view kSizeHistogram = "size_histogram";  // in params
inline constexpr std::string_view kDispatch = "dispatch";
inline constexpr std::string_view kHarnessNsPerOp = "harness_ns_per_op";

// The measurement.
inline constexpr std::string_view kStatus = "status";
inline constexpr std::string_view kError = "error";
inline constexpr std::string_view kAllocations = "allocations";
inline constexpr std::string_view kWallNs = "wall_ns";
inline constexpr std::string_view kThreadNs = "thread_ns";
inline constexpr std::string_view kUserS = "user_s";
inline constexpr std::string_view kSysS = "sys_s";
inline constexpr std::string_view kMinorFaults = "minor_faults";
inline constexpr std::string_view kMajorFaults = "major_faults";
inline constexpr std::string_view kRssBaselineBytes = "rss_baseline_bytes";
inline constexpr std::string_view kRssPeakBytes = "rss_peak_bytes";
inline constexpr std::string_view kRssEndBytes = "rss_end_bytes";
inline constexpr std::string_view kPeakLiveBytes = "peak_live_bytes";
inline constexpr std::string_view kOverhead = "overhead";
inline constexpr std::string_view kInstructions = "instructions";
inline constexpr std::string_view kInstructionsPerOp = "instructions_per_op";
inline constexpr std::string_view kThreadsStarted = "threads_started";
inline constexpr std::string_view kRssGrowthPerThread = "rss_growth_per_thread";
inline constexpr std::string_view kTraceStats = "trace_stats";
inline constexpr std::string_view kRssSeries = "rss_series";

// The latency object: {"sample_every": N, "timer_ns": x, "alloc": {percentiles}, ...}.
inline constexpr std::string_view kLatency = "latency";
inline constexpr std::string_view kSampleEvery = "sample_every";
inline constexpr std::string_view kTimerNs = "timer_ns";
inline constexpr std::string_view kSamples = "samples";
inline constexpr std::string_view kP50 = "p50";
inline constexpr std::string_view kP90 = "p90";
inline constexpr std::string_view kP99 = "p99";
inline constexpr std::string_view kP999 = "p999";
inline constexpr std::string_view kMax = "max";
inline constexpr std::string_view kOpAlloc = "alloc";
inline constexpr std::string_view kOpFree = "free";
inline constexpr std::string_view kOpRealloc = "realloc";

// The context's record of the memory budget every child ran under (harness/memory_budget.hpp).
inline constexpr std::string_view kMemoryBudget = "memory_budget";
inline constexpr std::string_view kBudgetBytes = "bytes";
inline constexpr std::string_view kBudgetSource = "source";
inline constexpr std::string_view kBudgetEnforcement = "enforcement";  // "cgroup" or "watchdog"
inline constexpr std::string_view kBudgetWhyWatchdog = "watchdog_because";

// Figures that cannot be trusted (model/summary.hpp's marks).
inline constexpr std::string_view kTooShort = "too_short";
inline constexpr std::string_view kSuggestedIters = "suggested_iters";
inline constexpr std::string_view kNotParallel = "not_parallel";
inline constexpr std::string_view kOversubscribed = "oversubscribed";
inline constexpr std::string_view kCores = "cores";

// Aggregate names.
inline constexpr std::string_view kMedian = "median";
inline constexpr std::string_view kMean = "mean";
inline constexpr std::string_view kStddev = "stddev";
inline constexpr std::string_view kCv = "cv";

}  // namespace alloclab::model::key
