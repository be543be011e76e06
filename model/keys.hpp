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
// The run-name component "measure:instructions" of a row counted under callgrind: its ns/op is
// callgrind's time, so it never shares a report group with timed rows.
inline constexpr std::string_view kMeasure = "measure";
inline constexpr std::string_view kThreadsStarted = "threads_started";
inline constexpr std::string_view kRssGrowthPerThread = "rss_growth_per_thread";
inline constexpr std::string_view kTraceStats = "trace_stats";
inline constexpr std::string_view kRssSeries = "rss_series";
// A streamed trace's chunk boundaries, in trace_stats (harness/measure.cpp's replay_threads):
// how many chunks, the clock time threads waited for each other at them, the generation time
// between them (off the clock). Absent when the trace was one chunk.
inline constexpr std::string_view kChunks = "chunks";
inline constexpr std::string_view kChunkSkewNs = "chunk_skew_ns";
inline constexpr std::string_view kChunkGenNs = "chunk_gen_ns";
// --duration: the clock seconds a row ran for, in params (instead of the workload's count).
inline constexpr std::string_view kDurationS = "duration_s";
// The marks of an aged run: [{t_ms, allocations, live_bytes, rss_bytes, after_shrink,
// fragmentation (derived)}, ...].
inline constexpr std::string_view kMarks = "marks";
inline constexpr std::string_view kMarkTMs = "t_ms";
inline constexpr std::string_view kMarkLiveBytes = "live_bytes";
inline constexpr std::string_view kMarkRssBytes = "rss_bytes";
inline constexpr std::string_view kMarkAfterShrink = "after_shrink";
inline constexpr std::string_view kMarkFragmentation = "fragmentation";

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

// The machine as read from procfs/sysfs (harness/environment.cpp); null where unreadable.
// Google Benchmark's, in the context:
inline constexpr std::string_view kCpuScalingEnabled = "cpu_scaling_enabled";
inline constexpr std::string_view kCaches = "caches";  // [{type, level, size, num_sharing}]
inline constexpr std::string_view kCacheType = "type";
inline constexpr std::string_view kCacheLevel = "level";
inline constexpr std::string_view kCacheSize = "size";
inline constexpr std::string_view kCacheNumSharing = "num_sharing";
inline constexpr std::string_view kLoadAvg = "load_avg";
inline constexpr std::string_view kHostName = "host_name";
// Ours, in the context's alloclab object:
inline constexpr std::string_view kCpuGovernor = "cpu_governor";  // distinct governors, comma-separated
inline constexpr std::string_view kTurbo = "turbo";               // turbo / boost on
inline constexpr std::string_view kSmt = "smt";                   // simultaneous multithreading active
inline constexpr std::string_view kThpEnabled = "thp_enabled";    // transparent huge pages: always|madvise|never
inline constexpr std::string_view kThpDefrag = "thp_defrag";
inline constexpr std::string_view kNumaNodes = "numa_nodes";
inline constexpr std::string_view kCgroup = "cgroup";  // {version, cpu_limit, memory_limit_bytes}
inline constexpr std::string_view kCgroupVersion = "version";
inline constexpr std::string_view kCgroupCpuLimit = "cpu_limit";               // CPUs, or "max"
inline constexpr std::string_view kCgroupMemoryLimit = "memory_limit_bytes";   // bytes, or "max"
inline constexpr std::string_view kUnlimited = "max";
inline constexpr std::string_view kHypervisor = "hypervisor";
inline constexpr std::string_view kLoadAvg1m = "load_avg_1m";
// A conformance check's row (`alloclab check`, model/check_row.hpp).
inline constexpr std::string_view kCheck = "check";        // the check's name
inline constexpr std::string_view kVerdict = "verdict";    // kPass, kFail or kNote
inline constexpr std::string_view kEvidence = "evidence";  // the call, what it gave, what was expected
inline constexpr std::string_view kRequired = "required";  // a fail counts against the allocator
inline constexpr std::string_view kPass = "pass";
inline constexpr std::string_view kFail = "fail";
inline constexpr std::string_view kNote = "note";
// In the context's allocators object: each preloaded allocator's library and Debian version.
inline constexpr std::string_view kLibrary = "library";
inline constexpr std::string_view kPackageVersion = "package_version";
// A real program's run (`alloclab exec`): the "exec" object of its row, and its params.
inline constexpr std::string_view kExec = "exec";
inline constexpr std::string_view kCommand = "command";  // in params
inline constexpr std::string_view kCwd = "cwd";          // in params
inline constexpr std::string_view kProgram = "program";  // in params: the suite program (`alloclab suite`)
inline constexpr std::string_view kInputHash = "input_hash";  // in params: of the --input files
// Beside allocator (not in params: it belongs to the allocator, not the group): a variant's settings, "NAME=value,..." (-a 'jemalloc{MALLOC_CONF=...}').
inline constexpr std::string_view kSettings = "settings";
inline constexpr std::string_view kWallS = "wall_s";
inline constexpr std::string_view kExitStatus = "exit_status";
inline constexpr std::string_view kVoluntaryCtxSwitches = "voluntary_ctx_switches";
inline constexpr std::string_view kInvoluntaryCtxSwitches = "involuntary_ctx_switches";
inline constexpr std::string_view kMetric = "metric";  // {"name", "value", "direction"}
inline constexpr std::string_view kMetricName = "name";
inline constexpr std::string_view kMetricValue = "value";
inline constexpr std::string_view kMetricDirection = "direction";
inline constexpr std::string_view kHigher = "higher";
inline constexpr std::string_view kLower = "lower";
inline constexpr std::string_view kMallocOwner = "malloc_owner";
inline constexpr std::string_view kChildren = "children";  // programs the program started
inline constexpr std::string_view kChildrenInherited = "children_inherited";
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

// In the context's alloclab object: the run was stopped by a signal, the rows so far kept.
inline constexpr std::string_view kInterrupted = "interrupted";

// In the context's alloclab object: the --shard this file holds (harness/shard.hpp).
inline constexpr std::string_view kShard = "shard";
inline constexpr std::string_view kShardIndex = "index";
inline constexpr std::string_view kShardCount = "count";
inline constexpr std::string_view kShardSource = "source";

// The context: what the environment recorded (harness/environment.cpp) and reports display.
inline constexpr std::string_view kDate = "date";
inline constexpr std::string_view kExecutable = "executable";
inline constexpr std::string_view kNumCpus = "num_cpus";
inline constexpr std::string_view kMhzPerCpu = "mhz_per_cpu";
inline constexpr std::string_view kLibraryBuildType = "library_build_type";
inline constexpr std::string_view kAlloclabVersion = "version";
inline constexpr std::string_view kGitRevision = "git_revision";
inline constexpr std::string_view kBuildType = "build_type";
inline constexpr std::string_view kBuildFlags = "build_flags";
inline constexpr std::string_view kSanitizer = "sanitizer";
inline constexpr std::string_view kCompiler = "compiler";
inline constexpr std::string_view kCommandLine = "command_line";
inline constexpr std::string_view kCpuModel = "cpu_model";
inline constexpr std::string_view kKernel = "kernel";
inline constexpr std::string_view kMachine = "machine";
inline constexpr std::string_view kLibc = "libc";
inline constexpr std::string_view kSeed = "seed";
inline constexpr std::string_view kAllocators = "allocators";
inline constexpr std::string_view kPackage = "package";

// Aggregate names.
inline constexpr std::string_view kMedian = "median";
inline constexpr std::string_view kMean = "mean";
inline constexpr std::string_view kStddev = "stddev";
inline constexpr std::string_view kCv = "cv";

// `alloclab analyze`: a recorded trace's heap behaviour (analysis/), beside the results of the
// replays that back its recommendations.
inline constexpr std::string_view kAnalysis = "analysis";
inline constexpr std::string_view kCalls = "calls";
inline constexpr std::string_view kFrees = "frees";
inline constexpr std::string_view kReallocs = "reallocs";
inline constexpr std::string_view kUnknownFrees = "unknown_frees";
inline constexpr std::string_view kSizeClasses = "size_classes";
inline constexpr std::string_view kLo = "lo";
inline constexpr std::string_view kHi = "hi";
inline constexpr std::string_view kBytes = "bytes";
inline constexpr std::string_view kFreed = "freed";
inline constexpr std::string_view kNeverFreed = "never_freed";
inline constexpr std::string_view kRemoteFrees = "remote_frees";
inline constexpr std::string_view kShortLived = "short_lived";
inline constexpr std::string_view kLifetimeAllocsP50 = "lifetime_allocations_p50";
inline constexpr std::string_view kLifetimeAllocsP90 = "lifetime_allocations_p90";
inline constexpr std::string_view kLifetimeTimeP50 = "lifetime_time_p50";
inline constexpr std::string_view kRemoteFreeShare = "remote_free_share";
inline constexpr std::string_view kLifoShare = "lifo_share";
inline constexpr std::string_view kSmallShare = "small_share";
inline constexpr std::string_view kSmallShortShare = "small_short_lived_share";
inline constexpr std::string_view kReallocShare = "realloc_share";
inline constexpr std::string_view kGrowthMedian = "growth_median";
inline constexpr std::string_view kGrowthSteps = "growth_steps";
inline constexpr std::string_view kLabel = "label";
inline constexpr std::string_view kCount = "count";
inline constexpr std::string_view kPeakCall = "peak_call";
inline constexpr std::string_view kLiveBytes = "live_bytes";  // [[call, time, bytes], ...]
inline constexpr std::string_view kFrames = "frames";
inline constexpr std::string_view kFrameShare = "frame_share";
inline constexpr std::string_view kFrameMedianAllocs = "frame_median_allocations";
inline constexpr std::string_view kReleasedTogether = "released_together";
inline constexpr std::string_view kPerThread = "per_thread";
inline constexpr std::string_view kThread = "thread";
inline constexpr std::string_view kHandedOff = "handed_off";
inline constexpr std::string_view kRecommendations = "recommendations";
inline constexpr std::string_view kKind = "kind";
inline constexpr std::string_view kReason = "reason";
inline constexpr std::string_view kBacking = "backing";  // the measured verdict behind one

}  // namespace alloclab::model::key
