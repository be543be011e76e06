// The replay loop: a template over the allocator type, instantiated once per plugin (see
// register.hpp). Plain allocs and frees (nearly every op) run in a loop of their own that
// tells them apart with two compares on the op word; any other kind leaves it for the switch
// on the op kind, one op, and back.
#pragma once

#include <algorithm>
#include <bit>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "allocators/core/allocator.hpp"
#include "latency.hpp"
#include "sync.hpp"
#include "trace.hpp"

namespace alloclab {

// How the replay writes to each block after allocating it. Real programs write to what they
// allocate; `none` reproduces the seed's tb, which never did.
enum class Touch : std::uint8_t { kNone, kLines, kFull };

// What a thread saw at a kMark: when it got there and the process's RSS then.
struct MarkRecord {
  std::int64_t steady_ns = 0;  // std::chrono::steady_clock, since its epoch (0: never reached)
  std::uint64_t rss_bytes = 0;
};

struct ThreadJob {
  const Op* begin = nullptr;
  const Op* end = nullptr;
  Slot* slots = nullptr;  // the shared slot table
  std::size_t align = kMinAlign;
  Touch touch = Touch::kLines;
  bool verify = false;  // stamp every block, check the stamp before it is freed
  // Shared by the threads. pre: set when the ops include hand-offs or barriers.
  ReplaySync* sync = nullptr;
  // Per-op latency: one op in `sample_every` is timed into `latency` (nullptr: off).
  LatencyRecorder* latency = nullptr;
  std::uint32_t sample_every = 0;
  // kMark i writes marks[i] (i < mark_count; others are ignored); read_rss is called there,
  // outside any allocator call (nullptr: RSS not read). Both from the harness.
  MarkRecord* marks = nullptr;
  std::uint32_t mark_count = 0;
  std::uint64_t (*read_rss)() = nullptr;
  // No request in begin..end (nor any block they free) is larger (the harness's bound;
  // SIZE_MAX: unknown). Lets the loop take an allocator's FastPath.
  std::size_t max_request = SIZE_MAX;
  // False: no op in begin..end frees or reallocates a block (the trace needs neither kFree,
  // kFreeLast nor kRealloc). Lets the loop take an allocator's FreshPath.
  bool frees = true;
  // Result: empty when the replay ran to the end.
  std::string error;
  // Result: the op after a kThreadExit the replay stopped at (the harness resumes there on a
  // fresh thread); nullptr when it ran to the end or failed.
  const Op* resume = nullptr;
};

// What the loop needs of its allocator: allocate(), plus whichever of deallocate / reallocate
// / reset the ops use (checked per op kind with `if constexpr`). Every Allocator qualifies; so
// does the C ABI adapter (harness/plugin_loader.cpp), whose capabilities are only known at run
// time and are checked against the trace before the replay starts (check_fits).
template <class A>
concept Replayable = requires(A& a, std::size_t n, std::size_t align) {
  { a.allocate(n, align) } noexcept -> std::same_as<void*>;
};

// An allocator may offer calls without the range checks of its common case (null, the floor,
// does): allocate_fast(n) and deallocate_fast(p, n) serve n <= A::kFastMax at kMinAlign. The
// loop takes them while the job's max_request fits and the alignment is the default; the work
// per op (the same lists, the same blocks) is the allocator's, not the loop's.
template <class A>
concept FastPath = requires(A& a, void* p, std::size_t n) {
  { A::kFastMax } -> std::convertible_to<std::size_t>;
  { a.allocate_fast(n) } noexcept -> std::same_as<void*>;
  { a.deallocate_fast(p, n) } noexcept;
};

// An allocator may also offer allocate_fresh(n): a block for a trace that frees nothing
// (frame: allocations, then a reset), with no look at its free lists, n <= A::kFastMax at
// kMinAlign. The loop takes it while the job says no op frees (ThreadJob::frees) and the
// bound fits; a free it meets anyway goes to deallocate(), so a wrong hint costs memory, not
// correctness.
template <class A>
concept FreshPath = requires(A& a, std::size_t n) {
  { A::kFastMax } -> std::convertible_to<std::size_t>;
  { a.allocate_fresh(n) } noexcept -> std::same_as<void*>;
};

namespace replay_detail {

inline constexpr std::size_t kLine = 64;

inline void touch_lines(void* p, std::size_t n) noexcept {
  auto* b = static_cast<volatile unsigned char*>(p);
  for (std::size_t i = 0; i < n; i += kLine) b[i] = static_cast<unsigned char>(i);
}

// `times` writes over each cache line of the block: with small blocks, one byte that shares
// its line with other threads' blocks when the allocator lets it (cache-thrash/scratch).
inline void write_lines(void* p, std::size_t n, std::uint32_t times) noexcept {
  auto* b = static_cast<volatile unsigned char*>(p);
  for (std::uint32_t r = 0; r < times; ++r)
    for (std::size_t i = 0; i < n; i += kLine) b[i] = static_cast<unsigned char>(r);
}

inline std::uint64_t stamp_of(std::uint32_t slot, std::size_t size) noexcept {
  return (slot + 1) * 0x9e3779b97f4a7c15ull ^ (size << 1) ^ 0x5a5a5a5a00000001ull;
}

// Fills the whole block with its stamp, so any overlap with another live block is seen.
inline void stamp(void* p, std::size_t n, std::uint64_t s) noexcept {
  auto* b = static_cast<unsigned char*>(p);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<unsigned char>(s >> (8 * (i & 7)));
}

inline bool stamp_intact(const void* p, std::size_t n, std::uint64_t s) noexcept {
  auto* b = static_cast<const unsigned char*>(p);
  for (std::size_t i = 0; i < n; ++i)
    if (b[i] != static_cast<unsigned char>(s >> (8 * (i & 7)))) return false;
  return true;
}

std::string describe_null(std::size_t n, std::size_t align);
std::string describe_misaligned(const void* p, std::size_t align);
std::string describe_corrupt(const void* p, std::size_t n, std::uint32_t slot);
std::string describe_unsupported(OpKind kind);
// Out of line and cold, so the loop keeps no registers for building the message.
[[gnu::cold, gnu::noinline]] void report_null(ThreadJob& job, std::size_t n, std::size_t align) noexcept;

template <Touch kTouch, bool kVerify>
inline bool on_new_block(ThreadJob& job, void* p, std::size_t n, std::size_t align,
                         std::uint32_t slot) noexcept {
  if constexpr (kVerify) {
    // As C's malloc: a block need not be aligned beyond the largest power of two that fits
    // in it (jemalloc hands out 8-byte blocks 8-aligned). The conformance suite holds our
    // own plugins to the full alignment.
    const std::size_t need = std::min(align, std::bit_floor(std::max<std::size_t>(n, 1)));
    if (reinterpret_cast<std::uintptr_t>(p) % need != 0) {
      job.error = describe_misaligned(p, align);
      return false;
    }
    stamp(p, n, stamp_of(slot, n));
  } else if constexpr (kTouch == Touch::kLines) {
    touch_lines(p, n);
  } else if constexpr (kTouch == Touch::kFull) {
    std::memset(p, 0xa5, n);
  }
  return true;
}

template <bool kVerify>
inline bool before_release(ThreadJob& job, const Slot& s, std::uint32_t slot) noexcept {
  if constexpr (kVerify) {
    if (!stamp_intact(s.p, s.size, stamp_of(slot, s.size))) {
      job.error = describe_corrupt(s.p, s.size, slot);
      return false;
    }
  }
  return true;
}

// How the plain loop calls the allocator: at the thread's alignment, at kMinAlign (a constant
// the inlined allocate folds its alignment checks with), through the allocator's FastPath, or
// its FreshPath (allocations; frees, if any, through deallocate at kMinAlign).
enum class Call : std::uint8_t { kAnyAlign, kMinAlign, kFast, kFresh };

// Allocates into slot s and records the block; false (job.error set) on failure.
template <Replayable A, Touch kTouch, bool kVerify, Call kCall = Call::kAnyAlign>
inline bool alloc_into(A& a, ThreadJob& job, Slot& s, std::uint32_t slot, std::uint32_t n,
                       std::uint32_t align) noexcept {
  // Size and alignment first: n's register is then free for the allocator's own use.
  s.size = n;
  s.align = align;
  void* p;
  if constexpr (kCall == Call::kFast) p = a.allocate_fast(n);
  else if constexpr (kCall == Call::kFresh) p = a.allocate_fresh(n);
  else p = a.allocate(n, align);
  if (p == nullptr) [[unlikely]] {
    report_null(job, n, align);
    return false;
  }
  if (!on_new_block<kTouch, kVerify>(job, p, n, align, slot)) return false;
  s.p = p;
  return true;
}

template <Replayable A, bool kVerify, Call kCall = Call::kAnyAlign>
inline bool release(A& a, ThreadJob& job, const Slot& s, std::uint32_t slot) noexcept {
  if (!before_release<kVerify>(job, s, slot)) return false;
  if constexpr (kCall == Call::kFast) a.deallocate_fast(s.p, s.size);
  else a.deallocate(s.p, s.size, s.align);
  return true;
}

inline constexpr std::uint32_t kFreeWord = static_cast<std::uint32_t>(OpKind::kFree) << Op::kKindShift;
inline constexpr std::uint32_t kOtherWord = static_cast<std::uint32_t>(OpKind::kRealloc) << Op::kKindShift;
static_assert(static_cast<std::uint32_t>(OpKind::kAlloc) == 0 && kFreeWord < kOtherWord);

// What one op of the plain loop did.
enum class Step : std::uint8_t { kDone, kOther, kFailed };

// One plain op: an alloc's word is its slot (kind 0), a free's is its slot plus kFreeWord, so
// two compares tell them from each other and from the rest (kOther: left for the switch).
template <Replayable A, Touch kTouch, bool kVerify, Call kCall>
[[gnu::always_inline]] inline Step plain_step(A& a, ThreadJob& job, const Op& op, Slot* slots,
                                              std::uintptr_t free_base, std::uint32_t align) noexcept {
  const std::uint32_t w = op.word;
  if (w < kFreeWord) {
    return alloc_into<A, kTouch, kVerify, kCall>(a, job, slots[w], w, op.arg, align) ? Step::kDone : Step::kFailed;
  }
  if constexpr (Deallocating<A>) {
    if (w < kOtherWord) {
      const Slot& s = *reinterpret_cast<const Slot*>(free_base + std::uintptr_t{w} * sizeof(Slot));
      return release<A, kVerify, kCall>(a, job, s, w - kFreeWord) ? Step::kDone : Step::kFailed;
    }
  }
  return Step::kOther;  // a free the allocator lacks included: the switch reports it
}

// The hot loop: runs plain kAlloc and kFree ops from `op` on and returns the first op it did
// not run: one of another kind, or the last when it is left alone (job.end when none is left;
// nullptr on failure, job.error set); the switch runs it. Two ops per
// turn, so the end test (one pointer compare) is paid once per pair. No latency sampling
// here (that loop times every op kind alike). Out of line: inlined into replay_ops, the
// compiler laid it out with a jump or a register copy more per pair, depending on how many
// variants replay_plain_for has; a call per run of plain ops costs less.
template <Replayable A, Touch kTouch, bool kVerify, Call kCall>
[[gnu::noinline]] const Op* replay_plain(A& a, ThreadJob& job, const Op* op, std::uint32_t thread_align) noexcept {
  const std::uint32_t align = kCall == Call::kAnyAlign ? thread_align : std::uint32_t{kMinAlign};
  Slot* const slots = job.slots;
  // A free's slot, indexed by its whole word: the table as seen kFreeWord entries before it.
  const std::uintptr_t free_base =
      reinterpret_cast<std::uintptr_t>(slots) - std::uintptr_t{kFreeWord} * sizeof(Slot);
  const Op* const end = job.end;
  if (op == end) return op;
  const Op* const last = end - 1;  // while op < last, op and op + 1 are in range
  for (; op < last; op += 2) {
    Step r = plain_step<A, kTouch, kVerify, kCall>(a, job, op[0], slots, free_base, align);
    if (r != Step::kDone) [[unlikely]] return r == Step::kOther ? op : nullptr;
    r = plain_step<A, kTouch, kVerify, kCall>(a, job, op[1], slots, free_base, align);
    if (r != Step::kDone) [[unlikely]] return r == Step::kOther ? op + 1 : nullptr;
  }
  return op;  // op == last: the switch runs the odd op (a third inlined copy of the step made
              // GCC stop inlining the mixes' allocate: arena+mempool +25 instructions per op)
}

// The plain loop compiled for this alignment and job.
template <Replayable A, Touch kTouch, bool kVerify>
const Op* replay_plain_for(A& a, ThreadJob& job, const Op* op, std::uint32_t align) noexcept {
  if (align != kMinAlign) return replay_plain<A, kTouch, kVerify, Call::kAnyAlign>(a, job, op, align);
  if constexpr (FreshPath<A>) {
    if (!job.frees && job.max_request <= A::kFastMax)
      return replay_plain<A, kTouch, kVerify, Call::kFresh>(a, job, op, align);
  }
  if constexpr (FastPath<A>) {
    if (job.max_request <= A::kFastMax) return replay_plain<A, kTouch, kVerify, Call::kFast>(a, job, op, align);
  }
  return replay_plain<A, kTouch, kVerify, Call::kMinAlign>(a, job, op, align);
}

// Out of line: a kMark is rare (tens per run) and must not grow the loop's hot code.
[[gnu::noinline]] inline void record_mark(ThreadJob& job, std::uint32_t index) noexcept {
  if (index >= job.mark_count) return;
  const auto now = std::chrono::steady_clock::now().time_since_epoch();
  job.marks[index] = MarkRecord{std::chrono::duration_cast<std::chrono::nanoseconds>(now).count(),
                                job.read_rss != nullptr ? job.read_rss() : 0};
}

// Returns true when every op ran; false when stopped (job.error says why, unless another
// thread's failure stopped this one).
inline void record_latency(LatencyRecorder& r, OpKind kind, std::uint64_t ticks) noexcept {
  switch (kind) {
    case OpKind::kAlloc:
    case OpKind::kAllocPublish: return r.alloc.add(ticks);
    case OpKind::kFree:
    case OpKind::kFreeAwait: return r.free.add(ticks);
    case OpKind::kRealloc: return r.realloc.add(ticks);
    default: return;  // reset and barriers are not allocator latency
  }
}

template <Replayable A, Touch kTouch, bool kVerify, bool kLatency>
bool replay_ops(A& a, ThreadJob& job) noexcept {
  Slot* const slots = job.slots;
  auto align = static_cast<std::uint32_t>(job.align);  // for new blocks; kAlign changes it
  [[maybe_unused]] std::uint32_t countdown = job.sample_every;
  job.resume = nullptr;
  for (const Op* op = job.begin; op != job.end; ++op) {
    if constexpr (!kLatency) {
      op = replay_plain_for<A, kTouch, kVerify>(a, job, op, align);
      if (op == nullptr) return false;
      if (op == job.end) break;
    }
    const std::uint32_t slot = op->slot();
    Slot& s = slots[slot];
    [[maybe_unused]] std::uint64_t t0 = 0;
    if constexpr (kLatency) {
      if (--countdown == 0) t0 = latency_ticks_begin();
    }
    switch (op->kind()) {
      case OpKind::kAlloc:
        if (!alloc_into<A, kTouch, kVerify>(a, job, s, slot, op->arg, align)) return false;
        break;
      case OpKind::kFree:
        if constexpr (Deallocating<A>) {
          if (!release<A, kVerify>(a, job, s, slot)) return false;
          break;
        } else {
          job.error = describe_unsupported(op->kind());
          return false;
        }
      case OpKind::kRealloc:
        if constexpr (Reallocating<A>) {
          if (!before_release<kVerify>(job, s, slot)) return false;
          void* p = a.reallocate(s.p, s.size, op->arg, s.align);
          if (p == nullptr) [[unlikely]] {
            job.error = describe_null(op->arg, s.align);
            return false;
          }
          if (!on_new_block<kTouch, kVerify>(job, p, op->arg, s.align, slot)) return false;
          s = Slot{p, op->arg, s.align};
          break;
        } else {
          job.error = describe_unsupported(op->kind());
          return false;
        }
      case OpKind::kReset:
        if constexpr (Resettable<A>) {
          a.reset();
          break;
        } else {
          job.error = describe_unsupported(op->kind());
          return false;
        }
      case OpKind::kAllocPublish: {
        Slot fresh;
        if (!job.sync->await_empty(s)) return false;  // another thread failed
        if (!alloc_into<A, kTouch, kVerify>(a, job, fresh, slot, op->arg, align)) return false;
        job.sync->publish(s, fresh);
        break;
      }
      case OpKind::kFreeAwait:
        if constexpr (Deallocating<A>) {
          if (!job.sync->await_full(s)) return false;
          if (!release<A, kVerify>(a, job, s, slot)) return false;
          job.sync->empty(s);
          break;
        } else {
          job.error = describe_unsupported(op->kind());
          return false;
        }
      case OpKind::kBarrier:
        if (!job.sync->barrier()) return false;
        break;
      case OpKind::kWrite:
        if (!before_release<kVerify>(job, s, slot)) return false;
        write_lines(s.p, s.size, op->arg);
        if constexpr (kVerify) stamp(s.p, s.size, stamp_of(slot, s.size));
        break;
      case OpKind::kThreadExit:
        job.resume = op + 1;
        return true;
      case OpKind::kAlign:
        align = op->arg;
        break;
      case OpKind::kMark:
        record_mark(job, op->arg);
        break;
    }
    if constexpr (kLatency) {
      if (countdown == 0) {
        record_latency(*job.latency, op->kind(), latency_ticks_end() - t0);
        countdown = job.sample_every;
      }
    }
  }
  return true;
}

// Runs the ops; a thread that fails tells the others, so none waits forever on it.
template <Replayable A, Touch kTouch, bool kVerify, bool kLatency = false>
void replay_loop(A& a, ThreadJob& job) noexcept {
  if (replay_ops<A, kTouch, kVerify, kLatency>(a, job)) return;
  if (!job.error.empty()) {
    if (job.sync != nullptr) job.sync->abort();
  } else {
    job.error = "stopped: another thread failed";
  }
}

}  // namespace replay_detail

template <Replayable A, bool kLatency>
void replay_by_touch(A& a, ThreadJob& job) {
  using replay_detail::replay_loop;
  switch (job.touch) {
    case Touch::kNone: return replay_loop<A, Touch::kNone, false, kLatency>(a, job);
    case Touch::kLines: return replay_loop<A, Touch::kLines, false, kLatency>(a, job);
    case Touch::kFull: return replay_loop<A, Touch::kFull, false, kLatency>(a, job);
  }
}

// The entry point the registry stores for type A: picks the loop compiled for this job's
// touch mode, verification and latency sampling, once per thread.
template <Replayable A>
void replay(void* self, ThreadJob& job) {
  A& a = *static_cast<A*>(self);
  if (job.verify) return replay_detail::replay_loop<A, Touch::kNone, true>(a, job);
  if (job.latency != nullptr && job.sample_every > 0) return replay_by_touch<A, true>(a, job);
  replay_by_touch<A, false>(a, job);
}

}  // namespace alloclab
