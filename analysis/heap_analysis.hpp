// What a recorded program does with its heap (`alloclab analyze`), from the calls of a
// recorded trace (workloads/recorded_trace.hpp), and what that suggests.
//
// Glossary
//   block        - a pointer from the call that returned it to the call that freed it (a
//                  realloc keeps the block, with its new size).
//   lifetime     - allocations (of all threads) from a block's allocation, itself included,
//                  to its free: 1 when freed before the next allocation; in time, the
//                  trace's ticks between the two (ns, or TSC ticks).
//   remote free  - a block freed by another thread than allocated it.
//   LIFO free    - a free of the newest live block its owner allocated (a stack's order).
//   phase        - per thread, a run of calls in which every block the thread allocated is
//                  freed by its end (blocks from before the phase aside); a frame is a phase of
//                  kMinFrameAllocations or more, as a game's frame or a server's request.
//   released together - the share of a frame's frees made after its last allocation.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "workloads/recorded_trace.hpp"
#include "workloads/synth_spec.hpp"

namespace alloclab::analysis {

inline constexpr std::uint64_t kShortLife = 1000;          // "dies young": within 1000 allocations
inline constexpr std::uint64_t kMinFrameAllocations = 64;  // a smaller phase is no frame

struct SizeClass {
  std::uint64_t lo = 0, hi = 0;  // bytes requested, inclusive
  std::uint64_t allocations = 0, bytes = 0;
  std::uint64_t freed = 0, never_freed = 0, remote_frees = 0;
  std::uint64_t short_lived = 0;  // freed within kShortLife allocations
  double life_allocs_p50 = 0, life_allocs_p90 = 0;  // of the freed blocks; 0 when none
  double life_time_p50 = 0;
};

struct ThreadFigures {
  std::uint32_t thread = 0;  // the recorder's thread number
  std::uint64_t allocations = 0, frees = 0, reallocs = 0;
  std::uint64_t remote_frees = 0;  // frees it made of other threads' blocks
  std::uint64_t handed_off = 0;    // its blocks freed by other threads
  std::uint64_t peak_live_bytes = 0;  // of the blocks it owns
  std::uint64_t frames = 0;
};

struct LivePoint {
  std::uint64_t call = 0;  // index into the trace's calls
  std::uint64_t time = 0;  // the trace's ticks since its first call
  std::uint64_t bytes = 0; // live requested bytes (the most within the sample's calls)
};

struct GrowthStep {
  std::string label;  // "shrink", "≤1.25×", ...
  std::uint64_t count = 0;
};

struct Recommendation {
  std::string kind;                     // small_pool, phase_arena, remote_free, realloc, general
  std::vector<std::string> allocators;  // what to try; the first is the one recommended
  std::string reason;                   // one sentence with the figures behind it
};

struct HeapAnalysis {
  std::uint64_t calls = 0, allocations = 0, frees = 0, reallocs = 0, unknown_frees = 0;
  std::uint32_t threads = 0;
  std::string time_unit;  // "ns" or "TSC ticks"
  std::vector<SizeClass> classes;  // only those with allocations
  std::uint64_t remote_frees = 0;
  double remote_free_share = 0;  // of the frees of known blocks
  double lifo_share = 0;         // the same
  double small_short_share = 0;  // allocations <= kSmallBlock freed within kShortLife
  double small_share = 0;        // allocations <= kSmallBlock
  double realloc_share = 0;      // reallocs / (allocations + reallocs)
  double growth_median = 0;      // median new/old size of the reallocs that grew
  std::vector<GrowthStep> growth;
  std::uint64_t peak_live_bytes = 0, peak_call = 0;
  std::vector<LivePoint> live;  // at most kLivePoints, in call order
  std::uint64_t frames = 0;     // phases of kMinFrameAllocations or more
  double frame_share = 0;       // allocations made in frames
  double frame_median_allocations = 0;
  double released_together = 0;  // mean over frames
  std::vector<ThreadFigures> per_thread;
  std::vector<Recommendation> recommendations;
};

inline constexpr std::size_t kLivePoints = 256;

// pre: the trace was read by read_recorded_trace (calls in global order).
HeapAnalysis analyze(const RecordedTrace& trace);

// Per thread of the trace, its sizes, lifetimes (in its own allocations) by size class,
// remote-free share and hand-off targets: no address, no program data. Throws
// synth::SpecError when the trace has no allocation.
synth::WorkloadSpec workload_spec(const RecordedTrace& trace);

}  // namespace alloclab::analysis
