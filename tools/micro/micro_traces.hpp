// The op traces alloclab-micro replays: small (about 1000 allocations), generated once at
// start-up and replayed whole per benchmark iteration, so the one indirect call into the
// plugin's replay loop is spread over ~1000 statically dispatched operations.
//
// Glossary
//   pass   - one replay of a trace; it ends with no live block (everything freed or reset),
//            so passes can repeat on one instance forever.
//   window - the live blocks the random trace keeps while it replaces them at random.
#pragma once

#include <cstddef>
#include <cstdint>

#include "workloads/trace.hpp"

namespace alloclab::micro {

// In what order a batch gives its blocks back.
enum class Release : std::uint8_t {
  kFifo,   // oldest first
  kLifo,   // newest first
  kReset,  // one reset() after the batch
};

// `count` times: allocate `size` bytes, free it at once. With kFreeLast it is always the newest.
Trace pair_trace(std::uint32_t size, std::uint32_t count);

// `count` allocations of `size` bytes, then all of them released as `release` says.
Trace batch_trace(std::uint32_t size, std::uint32_t count, Release release);

// Random sizes: drawn uniformly from [min_size, max_size] by a generator seeded with `seed`,
// so every allocator gets the same table.
struct SizeRange {
  std::uint32_t min_size;
  std::uint32_t max_size;
};

// A window of `window` live blocks of random sizes is filled; then `count` times a random one
// of them is freed and replaced by a new random size; then the window is freed (needs kFree).
Trace random_churn_trace(SizeRange sizes, std::uint32_t count, std::uint32_t window,
                         std::uint64_t seed);

// `count` allocations of random sizes, then one reset() (needs kReset).
Trace random_reset_trace(SizeRange sizes, std::uint32_t count, std::uint64_t seed);

// Bytes requested by one pass (the sum of allocation sizes).
std::uint64_t bytes_per_pass(const Trace& trace);

}  // namespace alloclab::micro
