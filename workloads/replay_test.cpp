// The replay loop: plain allocs and frees run in their own loop and every other op kind in the
// switch, in trace order; an allocator's FastPath is taken only when the job's bound allows.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "workloads/replay.hpp"

namespace alloclab {
namespace {

// Logs every call it gets, in order; serves blocks from a small static pool.
struct Logging {
  std::vector<std::string>* log;
  alignas(64) unsigned char pool[64][64];
  unsigned next = 0;

  void* take() noexcept { return pool[next++ % 64]; }
  void* allocate(std::size_t n, std::size_t align) noexcept {
    log->push_back("a" + std::to_string(n) + "/" + std::to_string(align));
    return take();
  }
  void deallocate(void*, std::size_t n, std::size_t) noexcept { log->push_back("f" + std::to_string(n)); }
  void* reallocate(void* p, std::size_t, std::size_t n, std::size_t) noexcept {
    log->push_back("r" + std::to_string(n));
    return p;
  }
  void reset() noexcept { log->push_back("reset"); }
};

struct Fast : Logging {
  static constexpr std::size_t kFastMax = 100;
  void* allocate_fast(std::size_t n) noexcept {
    log->push_back("A" + std::to_string(n));
    return take();
  }
  void deallocate_fast(void*, std::size_t n) noexcept { log->push_back("F" + std::to_string(n)); }
};
static_assert(FastPath<Fast> && !FastPath<Logging>);

struct Fresh : Logging {
  static constexpr std::size_t kFastMax = 100;
  void* allocate_fresh(std::size_t n) noexcept {
    log->push_back("N" + std::to_string(n));
    return take();
  }
};
static_assert(FreshPath<Fresh> && !FreshPath<Fast> && !FastPath<Fresh>);

std::vector<Op> mixed_ops() {
  return {Op::make(OpKind::kAlloc, 0, 10),   Op::make(OpKind::kAlloc, 1, 20),
          Op::make(OpKind::kFree, 0),        Op::make(OpKind::kRealloc, 1, 30),
          Op::make(OpKind::kMark, 0, 0),     Op::make(OpKind::kAlloc, 2, 40),
          Op::make(OpKind::kAlign, 0, 64),   Op::make(OpKind::kAlloc, 3, 50),
          Op::make(OpKind::kFree, 3),        Op::make(OpKind::kAlign, 0, 16),
          Op::make(OpKind::kFree, 2),        Op::make(OpKind::kFree, 1),
          Op::make(OpKind::kReset, 0),       Op::make(OpKind::kAlloc, 4, 60)};
}

template <class A>
std::vector<std::string> replayed(std::size_t max_request, bool latency = false, bool frees = true) {
  std::vector<std::string> log;
  A a{};
  a.log = &log;
  const std::vector<Op> ops = mixed_ops();
  std::vector<Slot> slots(5, Slot{nullptr, 0, 0});
  MarkRecord mark;
  LatencyRecorder rec;
  ThreadJob job;
  job.begin = ops.data();
  job.end = ops.data() + ops.size();
  job.slots = slots.data();
  job.touch = Touch::kNone;
  job.marks = &mark;
  job.mark_count = 1;
  job.max_request = max_request;
  job.frees = frees;
  if (latency) {
    job.latency = &rec;
    job.sample_every = 1;
  }
  replay<A>(&a, job);
  EXPECT_EQ(job.error, "");
  EXPECT_NE(mark.steady_ns, 0);  // the mark between the plain runs was recorded
  return log;
}

const std::vector<std::string> kAllocatorCalls = {"a10/16", "a20/16", "f10",   "r30",  "a40/16", "a50/64",
                                                  "f50",    "f40",    "f30",   "reset", "a60/16"};

TEST(ReplayLoop, RunsEveryOpInTraceOrder) {
  EXPECT_EQ(replayed<Logging>(SIZE_MAX), kAllocatorCalls);
  EXPECT_EQ(replayed<Logging>(SIZE_MAX, /*latency=*/true), kAllocatorCalls);
  EXPECT_EQ(replayed<Fast>(SIZE_MAX), kAllocatorCalls);  // no bound: the allocator's own calls
  EXPECT_EQ(replayed<Fast>(101), kAllocatorCalls);        // a bound above kFastMax
}

TEST(ReplayLoop, TakesTheFastPathOnlyAtTheDefaultAlignmentWithinTheBound) {
  // a60 is left alone at the end (the plain loop runs ops in pairs): the switch runs it
  // through the allocator's general call.
  const std::vector<std::string> want = {"A10", "A20", "F10", "r30", "A40", "a50/64",
                                         "f50", "F40", "F30", "reset", "a60/16"};
  EXPECT_EQ(replayed<Fast>(100), want);
}

// The hint is only a hint: the frees the trace has anyway go to deallocate, in order.
TEST(ReplayLoop, TakesTheFreshPathOnlyWhenTheJobSaysNothingIsFreed) {
  EXPECT_EQ(replayed<Fresh>(100), kAllocatorCalls);  // frees: the allocator's own calls
  EXPECT_EQ(replayed<Fresh>(101, false, /*frees=*/false), kAllocatorCalls);
  const std::vector<std::string> want = {"N10", "N20", "f10", "r30", "N40", "a50/64",
                                         "f50", "f40", "f30", "reset", "a60/16"};
  EXPECT_EQ(replayed<Fresh>(100, false, /*frees=*/false), want);
  EXPECT_EQ(replayed<Fresh>(100, /*latency=*/true, /*frees=*/false), kAllocatorCalls);
}

// The plain loop runs two ops per turn and leaves a last one to the switch: a failed
// allocation stops the replay at that op whichever of the three it is.
TEST(ReplayLoop, AFailedAllocationStopsAtThatOpInEveryPosition) {
  struct FailsAt {
    unsigned fail_at;
    unsigned calls = 0;
    unsigned char block[16];
    void* allocate(std::size_t, std::size_t) noexcept { return ++calls == fail_at ? nullptr : block; }
    void deallocate(void*, std::size_t, std::size_t) noexcept {}
  };
  const std::vector<Op> ops = {Op::make(OpKind::kAlloc, 0, 8), Op::make(OpKind::kAlloc, 1, 8),
                               Op::make(OpKind::kAlloc, 2, 8)};
  for (unsigned k = 1; k <= 3; ++k) {
    FailsAt a{k, 0, {}};
    std::vector<Slot> slots(3, Slot{nullptr, 0, 0});
    ThreadJob job;
    job.begin = ops.data();
    job.end = ops.data() + ops.size();
    job.slots = slots.data();
    job.touch = Touch::kNone;
    replay<FailsAt>(&a, job);
    EXPECT_EQ(a.calls, k);
    EXPECT_EQ(job.error, "allocate(8, 16) returned nullptr (out of memory or size not served)");
    for (unsigned i = 0; i + 1 < k; ++i) EXPECT_EQ(slots[i].p, a.block) << k;
  }
}

TEST(ReplayLoop, AFreeTheAllocatorLacksIsReported) {
  struct NoFree {
    unsigned char block[16];
    void* allocate(std::size_t, std::size_t) noexcept { return block; }
  } a;
  const std::vector<Op> ops = {Op::make(OpKind::kAlloc, 0, 8), Op::make(OpKind::kFree, 0)};
  Slot slot{nullptr, 0, 0};
  ThreadJob job;
  job.begin = ops.data();
  job.end = ops.data() + ops.size();
  job.slots = &slot;
  replay<NoFree>(&a, job);
  EXPECT_EQ(job.error, "op kind 1 not supported by this allocator");
  EXPECT_EQ(slot.p, a.block);
}

}  // namespace
}  // namespace alloclab
