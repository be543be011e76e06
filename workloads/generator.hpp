// What the trace generators share: per-thread seeding (the seed tb's), the size distributions
// behind the `dist` param, the common size params and their checks, and the trace-size limit.
//
// Glossary
//   dist     - how block sizes are drawn from [min_size, max_size]: 0 uniform (the seed tb's),
//              1 bounded Pareto (most blocks small, a long tail of large ones, as in real
//              programs), 2 powers of two only (buffers, hash tables), 3 an empirical
//              histogram read from a file (--size-histogram; size_histogram.hpp).
//   kMaxOps  - the most ops a whole-trace generator may emit (2 GiB of trace); for a streaming
//              one (trace_stream.hpp), the most that one step of every thread may hold at once.
#pragma once

#include <cstdint>
#include <random>
#include <string>

#include <optional>
#include <string_view>

#include "churn.hpp"
#include "size_histogram.hpp"
#include "workload.hpp"

namespace alloclab::gen {

inline constexpr std::uint64_t kMaxOps = std::uint64_t{1} << 28;

enum class SizeDist : std::uint64_t { kUniform = 0, kPareto = 1, kPow2 = 2, kHistogram = 3 };

inline constexpr ParamSpec kDistParam{
    "dist", "dist",
    "size distribution, by number or name: 0 uniform, 1 pareto (skewed toward small sizes), "
    "2 pow2 (powers of two), 3 histogram (--size-histogram FILE)",
    0, 0, 3, true};

// The `dist` param (absent: uniform).
SizeDist dist_of(const Params& p);
// "uniform", "pareto", "pow2", "histogram": a distribution's name, and back (nullopt: no such name).
std::string_view dist_name(SizeDist d);
std::optional<SizeDist> parse_dist_name(std::string_view name);
inline bool uses_histogram(const Params& p) { return dist_of(p) == SizeDist::kHistogram; }

constexpr ParamSpec min_size_param(std::uint64_t def) {
  return {"min_size", "min", "smallest block size in bytes (inclusive)", def, 0, 1u << 30};
}
constexpr ParamSpec max_size_param(std::uint64_t def) {
  return {"max_size", "max", "largest block size in bytes (inclusive)", def, 1, 1u << 30};
}

// Thread t's generator: mt19937_64(seed ^ (0x9e3779b97f4a7c15 * t)), seed = the seed tb's
// unless --seed is given, so every workload seeds as churn does.
inline std::mt19937_64 thread_rng(const GenerateRequest& req, std::uint32_t t) {
  const std::uint64_t base = req.seed != 0 ? req.seed : churn::kDefaultSeed;
  return std::mt19937_64(base ^ (churn::kThreadMix * t));
}

// Draws sizes in [min, max] with one of the distributions above. The uniform one draws exactly
// as the seed tb does (one uniform_int_distribution call per size).
class SizeSampler {
 public:
  // pre: min <= max; for kPow2 a power of two lies in [min, max] (check_sizes says so); for
  // kHistogram a non-empty histogram within [min, max] (else std::invalid_argument).
  SizeSampler(SizeDist dist, std::uint64_t min, std::uint64_t max,
              const SizeHistogram& histogram = {});
  // From params min_size, max_size and dist (absent: uniform), and the request's histogram.
  explicit SizeSampler(const GenerateRequest& req);

  std::uint32_t operator()(std::mt19937_64& rng) {
    if (dist_ == SizeDist::kUniform) return static_cast<std::uint32_t>(uniform_(rng));
    return draw_skewed(rng);
  }

 private:
  std::uint32_t draw_skewed(std::mt19937_64& rng);

  SizeDist dist_;
  std::uint64_t min_, max_;
  std::uniform_int_distribution<std::uint64_t> uniform_;  // sizes, or exponents for kPow2
  std::vector<SizeBin> bins_;                             // kHistogram
  std::discrete_distribution<std::size_t> pick_bin_;      // kHistogram: by the bins' weights
};

// The capability a trace that frees each thread's blocks newest first needs: kFreeLast is
// enough (arena) as long as no other thread shares the allocator's instance.
inline std::uint32_t free_cap_for(std::uint32_t caps) {
  const bool free_last_only =
      !has_cap(caps, kFree) && has_cap(caps, kFreeLast) && !has_cap(caps, kThreadSafe);
  return free_last_only ? kFreeLast : kFree;
}

// min_size <= max_size, and a power of two in range for dist 2. Empty when fine. (Dist 3's
// histogram is checked against the range where it is read: tools/cli_common.cpp.)
std::string check_sizes(const Params& p);

// `ops` (what the trace will hold) within kMaxOps; `what` names the product ("threads x iters").
std::string check_ops(std::uint64_t ops, std::string_view what);

}  // namespace alloclab::gen
