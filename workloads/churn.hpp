// churn: the seed's tb benchmark, rule for rule, so results line up with that tool.
//   Per thread t: mt19937_64(seed ^ (0x9e3779b97f4a7c15 * t)), seed = 0x12345678ecebdef0 unless
//   --seed is given; each iteration draws a size from uniform_int_distribution(min, max)
//   (inclusive), allocates it, then bernoulli_distribution(keep / 100) decides whether the
//   block is kept or freed at once. When more than 65536 blocks are kept, the newest 16384 are
//   freed, newest first. At the end the remaining blocks are freed oldest first.
//   ops = iterations x threads allocations, each paired with a free.
#pragma once

#include <cstdint>

namespace alloclab::churn {

inline constexpr std::uint64_t kDefaultSeed = 0x12345678ecebdef0ull;
inline constexpr std::uint64_t kThreadMix = 0x9e3779b97f4a7c15ull;
inline constexpr std::uint32_t kKeepLimit = 65536;  // kept blocks before a flush
inline constexpr std::uint32_t kFlush = 16384;      // newest blocks freed by a flush

}  // namespace alloclab::churn

namespace alloclab {
struct GenerateRequest;
struct StreamSetup;
// The churn streams with sizes drawn from [min_size, max_size] (the `fixed` workload passes
// one size); other parameters from req.params; no "iters": unbounded (--duration).
StreamSetup open_churn(const GenerateRequest& req, std::uint64_t min_size, std::uint64_t max_size);
}  // namespace alloclab
