// A workload spec: a program's heap behaviour without its addresses or data, per thread the
// size distribution, the lifetime distribution by size class, the remote-free share and whom
// blocks are handed to. `alloclab analyze --workload-out` writes one from a recorded trace;
// the `synth` workload (synth.cpp) generates a trace of any length and thread count from it.
//
// Glossary
//   size bin      - [lo, hi] bytes with a weight: sizes are drawn uniformly inside a bin.
//   lifetime      - allocations the owning thread makes between a block's allocation and its
//                   free (1: freed before the thread's next allocation). A lifetime bin is
//                   [lo, hi] of those with a weight; `never` weighs the blocks never freed.
//   hand-off      - a block freed by another thread; `handoff` weighs the receiving threads.
//
// File (JSON, strict: unknown keys, negative weights, empty distributions refused):
//   {"alloclab_workload_spec": 1, "threads": [{"allocations": N,
//     "sizes": [[lo, hi, weight], ...],
//     "lifetimes": [{"lo": a, "hi": b, "bins": [[lo, hi, weight], ...], "never": w}, ...],
//     "remote_free_share": 0.38, "handoff": [[thread, weight], ...]}, ...]}
// `lifetimes` entries cover size ranges (a drawn size uses the entry whose [lo, hi] holds it).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace alloclab::synth {

// The spec's own keys, spelled once (the reader below and analysis/'s writer use them).
namespace key {
inline constexpr std::string_view kVersion = "alloclab_workload_spec";
inline constexpr std::string_view kThreads = "threads";
inline constexpr std::string_view kAllocations = "allocations";
inline constexpr std::string_view kSizes = "sizes";
inline constexpr std::string_view kLifetimes = "lifetimes";
inline constexpr std::string_view kLo = "lo";
inline constexpr std::string_view kHi = "hi";
inline constexpr std::string_view kBins = "bins";
inline constexpr std::string_view kNever = "never";
inline constexpr std::string_view kRemoteFreeShare = "remote_free_share";
inline constexpr std::string_view kHandoff = "handoff";
}  // namespace key
inline constexpr unsigned kSpecVersion = 1;

// A spec that cannot be read or describes an impossible workload. what() is one line naming
// the file.
struct SpecError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Bin {
  std::uint64_t lo = 0, hi = 0;
  double weight = 0;
};

struct LifetimeClass {
  std::uint64_t lo = 0, hi = 0;  // the sizes it covers
  std::vector<Bin> bins;         // lifetimes in the owner's allocations
  double never = 0;              // weight of blocks never freed
};

struct ThreadSpec {
  std::uint64_t allocations = 0;
  std::vector<Bin> sizes;
  std::vector<LifetimeClass> lifetimes;
  double remote_free_share = 0;  // of the blocks it allocates and that are freed
  std::vector<std::pair<std::uint32_t, double>> handoff;  // receiving thread, weight
};

struct WorkloadSpec {
  std::vector<ThreadSpec> threads;
};

// Strict: throws SpecError (naming `source`) on malformed JSON or an impossible distribution.
WorkloadSpec parse_spec(std::string_view text, const std::string& source);
WorkloadSpec read_spec(const std::string& path);
// The file text (parse_spec reads it back).
std::string format_spec(const WorkloadSpec& s);
// The same checks parse_spec makes: an error message, or empty.
std::string check_spec(const WorkloadSpec& s);

}  // namespace alloclab::synth
