#include "micro_traces.hpp"

#include <algorithm>
#include <vector>

#include "allocators/core/traits.hpp"

namespace alloclab::micro {
namespace {

// splitmix64: tiny, seedable and the same on every standard library (std::uniform_int_distribution
// is not), so a seed names one size table everywhere.
class SplitMix {
 public:
  explicit SplitMix(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  // pre: bound > 0. Lemire's multiply-shift; its bias is far below anything measurable here.
  std::uint32_t below(std::uint32_t bound) {
    return static_cast<std::uint32_t>(((next() >> 32) * bound) >> 32);
  }
  std::uint32_t in(SizeRange r) { return r.min_size + below(r.max_size - r.min_size + 1); }

 private:
  std::uint64_t state_;
};

// Fills in the bookkeeping fields from the op stream, so no builder can get them wrong.
Trace finish(std::vector<Op> ops) {
  Trace t;
  std::vector<std::uint32_t> live;  // requested bytes per slot
  std::uint64_t live_bytes = 0;
  for (const Op& op : ops) {
    const std::uint32_t slot = op.slot();
    if (slot >= live.size()) live.resize(slot + 1, 0);
    switch (op.kind()) {
      case OpKind::kAlloc:
      case OpKind::kAllocPublish:
      case OpKind::kRealloc:
        ++t.allocations;
        live_bytes = live_bytes - live[slot] + op.arg;
        live[slot] = op.arg;
        break;
      case OpKind::kFree:
      case OpKind::kFreeAwait:
        live_bytes -= live[slot];
        live[slot] = 0;
        t.needs_caps |= kFree;
        break;
      case OpKind::kReset:
        live_bytes = 0;
        std::fill(live.begin(), live.end(), 0u);
        t.needs_caps |= kReset;
        break;
      case OpKind::kBarrier:
      case OpKind::kAlign:
      case OpKind::kWrite:
      case OpKind::kThreadExit:
      case OpKind::kMark:
        break;
    }
    if (op.kind() == OpKind::kRealloc) t.needs_caps |= kRealloc;
    t.peak_live_bytes = std::max(t.peak_live_bytes, live_bytes);
  }
  t.slots = live.size();
  t.threads.push_back(std::move(ops));
  return t;
}

Op alloc(std::uint32_t slot, std::uint32_t size) { return Op::make(OpKind::kAlloc, slot, size); }
Op free_op(std::uint32_t slot) { return Op::make(OpKind::kFree, slot); }

}  // namespace

Trace pair_trace(std::uint32_t size, std::uint32_t count) {
  std::vector<Op> ops;
  ops.reserve(2 * std::size_t{count});
  for (std::uint32_t i = 0; i < count; ++i) {
    ops.push_back(alloc(0, size));
    ops.push_back(free_op(0));
  }
  return finish(std::move(ops));
}

Trace batch_trace(std::uint32_t size, std::uint32_t count, Release release) {
  std::vector<Op> ops;
  ops.reserve(2 * std::size_t{count});
  for (std::uint32_t i = 0; i < count; ++i) ops.push_back(alloc(i, size));
  switch (release) {
    case Release::kFifo:
      for (std::uint32_t i = 0; i < count; ++i) ops.push_back(free_op(i));
      break;
    case Release::kLifo:
      for (std::uint32_t i = count; i-- > 0;) ops.push_back(free_op(i));
      break;
    case Release::kReset:
      ops.push_back(Op::make(OpKind::kReset, 0));
      break;
  }
  return finish(std::move(ops));
}

Trace random_churn_trace(SizeRange sizes, std::uint32_t count, std::uint32_t window,
                         std::uint64_t seed) {
  SplitMix rng(seed);
  std::vector<Op> ops;
  ops.reserve(2 * (std::size_t{count} + window));
  for (std::uint32_t i = 0; i < window; ++i) ops.push_back(alloc(i, rng.in(sizes)));
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::uint32_t victim = rng.below(window);
    ops.push_back(free_op(victim));
    ops.push_back(alloc(victim, rng.in(sizes)));
  }
  for (std::uint32_t i = 0; i < window; ++i) ops.push_back(free_op(i));
  return finish(std::move(ops));
}

Trace random_reset_trace(SizeRange sizes, std::uint32_t count, std::uint64_t seed) {
  SplitMix rng(seed);
  std::vector<Op> ops;
  ops.reserve(std::size_t{count} + 1);
  for (std::uint32_t i = 0; i < count; ++i) ops.push_back(alloc(i, rng.in(sizes)));
  ops.push_back(Op::make(OpKind::kReset, 0));
  return finish(std::move(ops));
}

std::uint64_t bytes_per_pass(const Trace& trace) {
  std::uint64_t bytes = 0;
  for (const auto& ops : trace.threads)
    for (const Op& op : ops)
      if (op.kind() == OpKind::kAlloc || op.kind() == OpKind::kRealloc) bytes += op.arg;
  return bytes;
}

}  // namespace alloclab::micro
