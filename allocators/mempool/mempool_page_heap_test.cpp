// The page heap alone, over a fake OS layer.
#include <gtest/gtest.h>
#include <sys/mman.h>

#include <cstring>
#include <memory>
#include <vector>

#include "mempool_fakes.hpp"
#include "page_heap.hpp"

namespace alloclab::mempool {
namespace {

using testing::FakeOs;
using Heap = PageHeap<FakeOs>;

class MempoolPageHeap : public ::testing::Test {
 protected:
  void SetUp() override { FakeOs::reset(); }
  void TearDown() override {
    heap.reset();
    FakeOs::reset();
  }
  std::unique_ptr<Heap> heap = std::make_unique<Heap>();
};

TEST_F(MempoolPageHeap, SmallSpanIsRegisteredOnEveryPage) {
  const unsigned cls = size_to_class(3000);  // a multi-page class
  Span* s = heap->allocate_small(cls);
  ASSERT_NE(s, nullptr);
  ASSERT_GT(s->pages, 1u);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(s->base()) % kPageSize, 0u);
  for (PageId id = s->start; id <= s->last(); ++id) {
    EXPECT_EQ(heap->span_of(page_address(id)), s);
    EXPECT_EQ(heap->size_class(page_address(id)), cls);
  }
  EXPECT_LE(s->limit, static_cast<char*>(s->base()) + s->bytes());
  heap->free_span(s);
  EXPECT_EQ(heap->size_class(page_address(s->start)), 0u);
  EXPECT_STREQ(heap->validate(), nullptr);
}

TEST_F(MempoolPageHeap, FreedNeighboursCoalesce) {
  Span* a = heap->allocate_large(3);
  Span* b = heap->allocate_large(5);
  Span* c = heap->allocate_large(2);
  ASSERT_TRUE(a && b && c);
  ASSERT_EQ(b->start, a->start + 3);  // carved in order from one OS chunk
  ASSERT_EQ(c->start, b->start + 5);
  const PageId a_start = a->start;
  heap->free_span(a);
  heap->free_span(c);
  EXPECT_STREQ(heap->validate(), nullptr);
  heap->free_span(b);
  EXPECT_STREQ(heap->validate(), nullptr);
  // Everything merged back: the whole OS chunk is one free span again.
  Span* all = heap->allocate_large(Heap::kMinGrowPages);
  ASSERT_NE(all, nullptr);
  EXPECT_EQ(all->start, a_start);
  EXPECT_EQ(heap->stats().mapped, Heap::kMinGrowPages * kPageSize);  // no second piece listed
}

// A big block freed (its hole), a fence above it, and one free page at the top: a small span
// then fits no listed span but the hole. Returns the hole's start.
PageId hole_below_a_fence(Heap& heap, std::size_t hole) {
  Span* a = heap.allocate_large(hole);
  Span* fence = heap.allocate_large(Heap::kMinGrowPages - 1);
  EXPECT_TRUE(a && fence);
  EXPECT_EQ(fence->start, a->start + hole);
  const PageId start = a->start;
  heap.free_span(a);
  return start;
}

bool inside(const Span* s, PageId start, std::size_t pages) {
  return s->start >= start && s->start < start + pages;
}

constexpr std::size_t kHole = 2 * Heap::kMaxListed;  // a big free span: over kMaxListed pages

TEST_F(MempoolPageHeap, ASmallSpanLeavesTheFreshHoleOfABigBlockToTheNext) {
  const PageId hole = hole_below_a_fence(*heap, kHole);
  const unsigned cls = size_to_class(3000);  // a multi-page class: the top's one page is short
  ASSERT_GT(class_pages(cls), 1u);
  const std::size_t mapped = heap->stats().mapped;
  Span* s = heap->allocate_small(cls);
  ASSERT_NE(s, nullptr);
  EXPECT_FALSE(inside(s, hole, kHole));  // grown at the top instead
  EXPECT_GT(heap->stats().mapped, mapped);
  Span* b = heap->allocate_large(kHole);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->start, hole);  // the same-sized block fits its hole again
  EXPECT_STREQ(heap->validate(), nullptr);
}

TEST_F(MempoolPageHeap, AHoleNothingReusedTakesSmallSpansAgain) {
  const PageId hole = hole_below_a_fence(*heap, kHole);
  // More than a quarter of the hole handed out elsewhere (a bigger block: grown at the top).
  Span* other = heap->allocate_large(kHole + 1);
  ASSERT_NE(other, nullptr);
  ASSERT_FALSE(inside(other, hole, kHole));
  const std::size_t mapped = heap->stats().mapped;
  Span* s = heap->allocate_small(size_to_class(3000));
  ASSERT_NE(s, nullptr);
  EXPECT_TRUE(inside(s, hole, kHole));
  EXPECT_EQ(heap->stats().mapped, mapped);  // no growth
  EXPECT_STREQ(heap->validate(), nullptr);
}

TEST_F(MempoolPageHeap, AHoleKeepsTheAgeOfItsOldestPart) {
  Span* a = heap->allocate_large(kHole);
  Span* neighbour = heap->allocate_large(8);
  Span* fence = heap->allocate_large(Heap::kMinGrowPages - 8);  // the rest of that growth
  ASSERT_TRUE(a && neighbour && fence);
  ASSERT_EQ(neighbour->start, a->start + kHole);
  const PageId hole = a->start;
  heap->free_span(a);
  ASSERT_NE(heap->allocate_large(kHole + 1), nullptr);  // a quarter of the hole handed out
  heap->free_span(neighbour);  // merges into the hole: freed just now, the hole is not
  Span* s = heap->allocate_small(size_to_class(3000));
  ASSERT_NE(s, nullptr);
  EXPECT_TRUE(inside(s, hole, kHole + 8));
  EXPECT_STREQ(heap->validate(), nullptr);
}

TEST_F(MempoolPageHeap, WithNoRoomToGrowASmallSpanTakesAFreshHole) {
  const PageId hole = hole_below_a_fence(*heap, kHole);
  // The rest of the first commit step (kMinCommitPages) listed and handed out, then no more
  // commits: growing is impossible.
  const std::size_t rest = Heap::kMinCommitPages - kHole - Heap::kMinGrowPages;
  ASSERT_NE(heap->allocate_large(rest), nullptr);
  FakeOs::fail_after = FakeOs::mapped;
  Span* s = heap->allocate_small(size_to_class(3000));
  ASSERT_NE(s, nullptr);
  EXPECT_TRUE(inside(s, hole, kHole));
  EXPECT_STREQ(heap->validate(), nullptr);
}

TEST_F(MempoolPageHeap, LiveLargeSpanIsNeverMerged) {
  // Seed bug: large spans not marked in use, so a neighbour's free merged a live span.
  Span* a = heap->allocate_large(40);
  Span* b = heap->allocate_large(40);
  ASSERT_TRUE(a && b);
  std::memset(b->base(), 0x5a, b->bytes());
  heap->free_span(a);
  EXPECT_EQ(b->state, SpanState::kLarge);
  EXPECT_EQ(heap->span_of(b->base()), b);
  // A new request bigger than a's hole must not be carved over b.
  Span* c = heap->allocate_large(60);
  ASSERT_NE(c, nullptr);
  const auto* lo = static_cast<char*>(b->base());
  const auto* c_lo = static_cast<char*>(c->base());
  EXPECT_TRUE(c_lo + c->bytes() <= lo || c_lo >= lo + b->bytes());
  for (std::size_t i = 0; i < b->bytes(); ++i) ASSERT_EQ(static_cast<unsigned char>(lo[i]), 0x5a);
  EXPECT_STREQ(heap->validate(), nullptr);
}

TEST_F(MempoolPageHeap, AlignedLargeSpanTrimsBothEnds) {
  for (std::size_t align_pages : {2u, 8u, 64u}) {
    Span* s = heap->allocate_large(3, align_pages);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->start % align_pages, 0u);
    EXPECT_EQ(s->pages, 3u);
  }
  EXPECT_STREQ(heap->validate(), nullptr);
}

TEST_F(MempoolPageHeap, ReleaseGivesFreePagesBack) {
  Span* a = heap->allocate_large(100);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(heap->release_all(), 0u);  // fresh memory counts as released already
  heap->free_span(a);
  const std::size_t released = heap->release_all();
  // The freed span merged with the chunk's untouched rest: only its own pages were dirty, and
  // the merge is madvised as a whole.
  EXPECT_EQ(released, 100 * kPageSize);
  EXPECT_GE(FakeOs::released, released);
  EXPECT_EQ(heap->stats().released, heap->stats().free);
  EXPECT_STREQ(heap->validate(), nullptr);
}

TEST_F(MempoolPageHeap, ThresholdReleasesWithoutAsking) {
  std::vector<Span*> spans;
  const std::size_t pages = 256;  // 2 MiB each
  for (std::size_t i = 0; i < Heap::kReleaseThreshold / (pages * kPageSize) + 2; ++i)
    spans.push_back(heap->allocate_large(pages));
  for (Span* s : spans) heap->free_span(s);
  EXPECT_GT(FakeOs::released, 0u);
  EXPECT_LE(heap->stats().free - heap->stats().released, Heap::kReleaseThreshold);
  EXPECT_STREQ(heap->validate(), nullptr);
}

TEST_F(MempoolPageHeap, CommitsAheadOfWhatItListsInGrowingSteps) {
  // Each commit is an mprotect under the heap's lock. 64 MiB handed out a page at a time: the
  // free lists grow 1 MiB at a time, as before, the commits in steps of half the heap.
  const std::size_t mib = std::size_t{1} << 20;
  for (int i = 0; i < 8192; ++i) ASSERT_NE(heap->allocate_large(1), nullptr);
  const auto st = heap->stats();
  EXPECT_EQ(st.mapped, 64 * mib);
  EXPECT_EQ(st.free, 0u);  // nothing listed ahead: the dirty counts see only what was used
  const std::size_t committed = FakeOs::mapped - st.metadata;
  EXPECT_GE(committed, st.mapped);
  EXPECT_LE(committed - st.mapped, 32 * mib);
  EXPECT_LE(FakeOs::commits, 8u);  // 1 MiB at a time: 64
  EXPECT_STREQ(heap->validate(), nullptr);
}

TEST_F(MempoolPageHeap, ACommitStepRefusedFallsBackToWhatIsNeeded) {
  ASSERT_NE(heap->allocate_large(1024), nullptr);  // 8 MiB: the next step would be 4 MiB
  const std::size_t commits = FakeOs::commits;
  FakeOs::fail_after = FakeOs::mapped + (std::size_t{3} << 19);  // 1.5 MiB more
  Span* s = heap->allocate_large(100);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(FakeOs::commits, commits + 1);
  EXPECT_EQ(heap->stats().mapped, std::size_t{9} << 20);
  EXPECT_STREQ(heap->validate(), nullptr);
}

TEST_F(MempoolPageHeap, RetainsAsManyFreePagesAsAreInUse) {
  const std::size_t pages = 256;  // 2 MiB each
  const std::size_t n = 2 * Heap::kReleaseThreshold / (pages * kPageSize);  // 64 MiB
  std::vector<Span*> kept, waves;
  for (std::size_t i = 0; i < n; ++i) kept.push_back(heap->allocate_large(pages));
  EXPECT_EQ(heap->retain_limit(), n * pages * kPageSize);
  // Waves of 48 MiB (past the 32 MiB floor, within what is in use) freed and allocated again:
  // no page goes back to the OS.
  for (int wave = 0; wave < 3; ++wave) {
    for (std::size_t i = 0; i < n * 3 / 4; ++i) waves.push_back(heap->allocate_large(pages));
    for (Span* s : waves) heap->free_span(s);
    waves.clear();
  }
  const std::size_t released_before = FakeOs::released;
  EXPECT_EQ(FakeOs::released, 0u);
  EXPECT_EQ(heap->stats().released, heap->stats().free - n * 3 / 4 * pages * kPageSize);
  // Freeing everything passes the limit (now its 32 MiB floor): pages go back, and no more
  // than the limit stays unreleased.
  for (Span* s : kept) heap->free_span(s);
  EXPECT_EQ(heap->retain_limit(), Heap::kReleaseThreshold);
  EXPECT_GT(FakeOs::released, released_before);
  EXPECT_LE(heap->stats().free - heap->stats().released, heap->retain_limit());
  EXPECT_STREQ(heap->validate(), nullptr);
}

TEST_F(MempoolPageHeap, AShrinkReleasesTheFreeSpansNothingReused) {
  std::vector<Span*> kept, wave;
  for (int i = 0; i < 256; ++i) kept.push_back(heap->allocate_large(64));  // 128 MiB in use
  for (std::size_t i = 0; i < 32; i += 2) heap->free_span(kept[i]);  // 16 holes of 512 KiB
  // 80 MiB handed out that fit no hole, then freed with nothing handed out in between: the
  // holes, not reused all along, go back; what the shrink itself freed stays (the limit,
  // what is in use, is not reached).
  for (int i = 0; i < 80; ++i) wave.push_back(heap->allocate_large(128));
  EXPECT_EQ(FakeOs::released, 0u);
  for (Span* s : wave) heap->free_span(s);
  EXPECT_EQ(FakeOs::released, std::size_t{16} * 64 * kPageSize);
  EXPECT_EQ(heap->stats().free - heap->stats().released, std::size_t{80} * 128 * kPageSize);
  // Big spans freed one at a time are no shrink (buffers replaced): the stale hole stays.
  heap->release_all();
  Span* big = heap->allocate_large(4096);  // 32 MiB
  heap->free_span(kept[40]);
  const std::size_t before = FakeOs::released;
  for (int i = 0; i < 4; ++i) heap->free_span(heap->allocate_large(4096));
  heap->free_span(big);
  EXPECT_EQ(FakeOs::released, before);
  EXPECT_STREQ(heap->validate(), nullptr);
}

TEST_F(MempoolPageHeap, MergingWithCleanPagesCountsOnlyTheDirtyOnes) {
  Span* a = heap->allocate_large(100);
  ASSERT_NE(a, nullptr);
  EXPECT_TRUE(a->zeroed);  // fresh pages
  heap->free_span(a);      // merges with the untouched rest of the 128-page commit
  const PageHeapStats st = heap->stats();
  EXPECT_EQ(st.free, Heap::kMinGrowPages * kPageSize);
  EXPECT_EQ(st.free - st.released, 100 * kPageSize);
  // Reused without a release: its pages may hold old data.
  Span* b = heap->allocate_large(100);
  ASSERT_NE(b, nullptr);
  EXPECT_FALSE(b->zeroed);
  heap->free_span(b);
  heap->release_all();
  Span* c = heap->allocate_large(100);
  ASSERT_NE(c, nullptr);
  EXPECT_TRUE(c->zeroed);
  EXPECT_STREQ(heap->validate(), nullptr);
}

TEST_F(MempoolPageHeap, ReleasesTheSpansFreeLongestFirst) {
  // 20 spans of 2 MiB kept apart by live 1-page spans, so that none coalesce.
  constexpr std::size_t kBig = 256;
  std::vector<Span*> big, apart;
  for (int i = 0; i < 20; ++i) {
    big.push_back(heap->allocate_large(kBig));
    apart.push_back(heap->allocate_large(1));
  }
  // Freed one by one, each followed by a bigger request that none of them fits (so the clock
  // moves on): 40 MiB dirty passes the 32 MiB limit on the way.
  Span* clock = nullptr;
  for (Span* s : big) {
    heap->free_span(s);
    if (clock != nullptr) heap->free_span(clock);
    clock = heap->allocate_large(kBig + 44);
    ASSERT_NE(clock, nullptr);
  }
  EXPECT_GT(FakeOs::released, 0u);
  // The first freed went back, the last freed stayed resident (the old largest-first policy
  // released the newest of equal-size spans first).
  EXPECT_EQ(big.front()->dirty, 0u);
  EXPECT_EQ(big.back()->dirty, big.back()->pages);
  EXPECT_LE(heap->stats().free - heap->stats().released, heap->retain_limit());
  EXPECT_STREQ(heap->validate(), nullptr);
}

TEST_F(MempoolPageHeap, OutOfMemoryIsNullNotACrash) {
  FakeOs::fail_after = FakeOs::mapped + (std::size_t{4} << 20);
  EXPECT_EQ(heap->allocate_large(std::size_t{1} << 20), nullptr);  // 8 GiB
  EXPECT_NE(heap->allocate_large(4), nullptr);
  EXPECT_STREQ(heap->validate(), nullptr);
}

// Reservations small enough to run out of, so that a second one is taken.
struct SmallReserveOs : FakeOs {
  static constexpr std::size_t kReserveBytes = std::size_t{16} << 20;  // 2048 pages
};

TEST(MempoolPageHeapGrowth, ALargeRequestGrowsTheTopFreeSpanByWhatItLacks) {
  FakeOs::reset();
  {
    auto heap = std::make_unique<PageHeap<SmallReserveOs>>();
    auto listed = [&] { return heap->stats().mapped; };
    Span* a = heap->allocate_large(200);
    ASSERT_NE(a, nullptr);
    const PageId a_start = a->start;
    heap->free_span(a);
    // 400 pages: the free 200 at the top grow by the 200 they lack, listed just above.
    Span* b = heap->allocate_large(400);
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(b->start, a_start);
    EXPECT_EQ(listed(), 400 * kPageSize);
    // Something live at the top: a free span below it cannot grow, fresh pages are listed.
    Span* c = heap->allocate_large(150);
    heap->free_span(b);
    Span* d = heap->allocate_large(500);
    ASSERT_NE(d, nullptr);
    EXPECT_GT(d->start, c->start);
    EXPECT_EQ(listed(), (400 + 150 + 500) * kPageSize);
    // The 2048-page range cannot hold 1200 more (1050 listed): a second one serves them.
    Span* e = heap->allocate_large(1200);
    ASSERT_NE(e, nullptr);
    EXPECT_TRUE(e->last() < a_start || e->start > d->last());
    EXPECT_EQ(listed(), (1050 + 1200) * kPageSize);
    EXPECT_STREQ(heap->validate(), nullptr);
  }
  FakeOs::reset();
}

// calloc skips clearing a span cut from released pages: released must mean zeros, also where
// madvise refuses (locked pages).
TEST(MempoolSystemMemory, ReleasedPagesReadAsZerosEvenWhenLocked) {
  const std::size_t bytes = 4 * kPageSize;
  auto* p = static_cast<unsigned char*>(SystemMemory::map(bytes));
  ASSERT_NE(p, nullptr);
  for (bool lock : {false, true}) {
    std::memset(p, 0x5a, bytes);
    const bool locked = lock && ::mlock(p, bytes) == 0;
    SystemMemory::release(p, bytes);
    for (std::size_t i = 0; i < bytes; ++i) ASSERT_EQ(p[i], 0u) << "byte " << i << ", locked " << locked;
    if (locked) ::munlock(p, bytes);
  }
  ::munmap(p, bytes);
}

}  // namespace
}  // namespace alloclab::mempool
