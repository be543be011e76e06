// The registered mixes: the capabilities their parts give them, where their blocks go, the
// arena part's phases, and contents kept when a block moves between parts. (The conformance
// suite runs them like every plugin.)
#include <gtest/gtest.h>

#include <barrier>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

#include "mixes.hpp"

namespace alloclab {
namespace {

// What makes the mixes serve a recorded trace: free and realloc, and the mempool's sizes.
static_assert(Allocator<SmallPoolMempool> && Allocator<ArenaMempool>);
static_assert(!has_cap(ObjectPoolSizeClassed::traits.caps, kRealloc));
static_assert(SmallPoolMempool::traits.caps == (kFree | kRealloc));
static_assert(SmallPoolMempool::traits.max_size == MempoolAllocator::traits.max_size);
static_assert(SmallPoolMempool::traits.max_align == MempoolAllocator::traits.max_align);
static_assert(ArenaMempool::traits.caps == (kFree | kRealloc));  // no reset: the mempool has none
static_assert(SmallPoolMempool::traits.name == "small_pool+mempool");
static_assert(ArenaMempool::traits.name == "arena+mempool");
// The thread-safe mix: both parts are, so the mix is, and it frees across threads.
static_assert(Allocator<ThreadPoolMempool>);
static_assert(ThreadPoolMempool::traits.caps == (kFree | kRealloc | kThreadSafe | kCrossThreadFree));
static_assert(ThreadPoolMempool::traits.max_size == MempoolAllocator::traits.max_size);
static_assert(ThreadPoolMempool::traits.name == "thread_pool+mempool");

void fill(void* p, std::size_t n, unsigned char seed) {
  for (std::size_t i = 0; i < n; ++i) static_cast<unsigned char*>(p)[i] = static_cast<unsigned char>(seed + i);
}
bool intact(const void* p, std::size_t n, unsigned char seed) {
  for (std::size_t i = 0; i < n; ++i)
    if (static_cast<const unsigned char*>(p)[i] != static_cast<unsigned char>(seed + i)) return false;
  return true;
}

TEST(MixesTest, SmallPoolMempoolSendsUpTo256BytesToThePools) {
  SmallPoolMempool m(Config{});
  void* at = m.allocate(256, 16);
  void* above = m.allocate(257, 16);
  EXPECT_FALSE(mempool::owns(at));
  EXPECT_TRUE(mempool::owns(above));
  EXPECT_GT(m.small().pool(size_class::class_of(256)).capacity(), 0u);
  // LIFO reuse inside the pool.
  m.deallocate(at, 256, 16);
  EXPECT_EQ(m.allocate(250, 16), at);
  m.deallocate(at, 250, 16);
  m.deallocate(above, 257, 16);
}

TEST(MixesTest, SmallPoolMempoolReallocMovesAcrossAndKeepsContents) {
  SmallPoolMempool m(Config{});
  void* p = m.allocate(100, 16);
  fill(p, 100, 3);
  void* q = m.reallocate(p, 100, 5000, 16);
  ASSERT_NE(q, nullptr);
  EXPECT_TRUE(mempool::owns(q));
  EXPECT_TRUE(intact(q, 100, 3));
  fill(q, 5000, 9);
  void* r = m.reallocate(q, 5000, 64, 16);
  ASSERT_NE(r, nullptr);
  EXPECT_FALSE(mempool::owns(r));
  EXPECT_TRUE(intact(r, 64, 9));
  m.deallocate(r, 64, 16);
}

TEST(MixesTest, ArenaMempoolRewindsWhenAPhaseEnds) {
  ArenaMempool m(Config{});
  std::vector<void*> frame;
  for (int i = 0; i < 100; ++i) frame.push_back(m.allocate(48, 16));
  EXPECT_TRUE(m.primary().owns(frame.front()));
  EXPECT_EQ(m.primary().live(), 100u);
  // Freed oldest first: only the last free ends the phase and rewinds the arena.
  for (void* p : frame) m.deallocate(p, 48, 16);
  EXPECT_EQ(m.primary().live(), 0u);
  EXPECT_EQ(m.allocate(48, 16), frame.front());
}

TEST(MixesTest, ArenaMempoolOverflowsIntoTheMempoolAndRoutesFrees) {
  Config c;
  c.expected_live_bytes = PhaseArena::kMinBytes;
  ArenaMempool m(c);
  ASSERT_EQ(m.primary().capacity(), PhaseArena::kMinBytes);
  std::vector<void*> blocks;
  const std::size_t n = 64 << 10;
  for (std::size_t i = 0; i < 2 * PhaseArena::kMinBytes / n; ++i) {
    blocks.push_back(m.allocate(n, 16));
    ASSERT_NE(blocks.back(), nullptr);
  }
  EXPECT_TRUE(m.primary().owns(blocks.front()));
  EXPECT_FALSE(mempool::owns(blocks.front()));
  EXPECT_TRUE(mempool::owns(blocks.back()));
  const std::size_t in_arena = m.primary().live();
  EXPECT_LT(in_arena, blocks.size());
  for (void* p : blocks) m.deallocate(p, n, 16);
  EXPECT_EQ(m.primary().live(), 0u);  // arena frees went to the arena, the rest to the mempool
}

TEST(MixesTest, ArenaMempoolReallocMovesToTheMempoolWhenTheArenaIsFull) {
  Config c;
  c.expected_live_bytes = PhaseArena::kMinBytes;
  ArenaMempool m(c);
  void* p = m.allocate(1000, 16);
  fill(p, 1000, 5);
  void* filler = m.allocate(PhaseArena::kMinBytes - 4096, 16);  // the arena is now full
  ASSERT_TRUE(m.primary().owns(filler));
  void* q = m.reallocate(p, 1000, 100000, 16);
  ASSERT_NE(q, nullptr);
  EXPECT_TRUE(mempool::owns(q));
  EXPECT_TRUE(intact(q, 1000, 5));
  EXPECT_EQ(m.primary().live(), 1u);  // the filler
  m.deallocate(q, 100000, 16);
  m.deallocate(filler, PhaseArena::kMinBytes - 4096, 16);
}

TEST(MixesTest, ThreadPoolMempoolSendsUpTo256BytesToTheThreadsPools) {
  ThreadPoolMempool m(Config{});
  EXPECT_EQ(m.small().heaps(), 0u);
  void* at = m.allocate(256, 16);
  void* above = m.allocate(257, 16);
  EXPECT_EQ(m.small().heaps(), 1u);  // the 256 B block came from this thread's heap
  m.deallocate(at, 256, 16);
  EXPECT_EQ(m.allocate(241, 16), at);  // LIFO within the class (241..256 B)
  void* q = m.reallocate(at, 241, 4000, 16);  // out of the pool, contents kept
  ASSERT_NE(q, nullptr);
  m.deallocate(q, 4000, 16);
  m.deallocate(above, 257, 16);
  EXPECT_EQ(m.small().heaps(), 1u);
}

TEST(MixesTest, ThreadPoolMempoolThreadedRemoteFreeReturnsToTheOwner) {
  ThreadPoolMempool m(Config{});
  void* p = m.allocate(48, 16);
  fill(p, 48, 1);
  std::thread([&] { m.deallocate(p, 48, 16); }).join();  // holds no heap: a remote free
  EXPECT_EQ(m.small().heaps(), 1u);
  // The owner's list for the class is empty, so the next allocation drains the remote list.
  EXPECT_EQ(m.allocate(48, 16), p);
  m.deallocate(p, 48, 16);
}

TEST(MixesTest, ThreadPoolMempoolThreadedHeapsOnePerConcurrentThreadReusedAfterExit) {
  ThreadPoolMempool m(Config{});
  void* last_freed = nullptr;
  for (int t = 0; t < 4; ++t)
    std::thread([&] {
      void* first = m.allocate(100, 16);
      if (last_freed != nullptr) {
        EXPECT_EQ(first, last_freed);  // the exited thread's heap, reused
      }
      std::vector<void*> v{first};
      for (int i = 0; i < 50; ++i) v.push_back(m.allocate(100, 16));
      for (void* b : v) m.deallocate(b, 100, 16);
      last_freed = v.back();
    }).join();
  EXPECT_EQ(m.small().heaps(), 1u);
  std::barrier both(2);
  auto hold = [&] {
    void* b = m.allocate(32, 16);
    both.arrive_and_wait();  // both threads hold a heap now
    m.deallocate(b, 32, 16);
  };
  std::thread a(hold), b(hold);
  a.join();
  b.join();
  EXPECT_EQ(m.small().heaps(), 2u);
}

// Three threads allocate small and large blocks, stamp them, and hand every other one to the
// next thread, which checks the stamp before freeing it: local and remote frees interleaved
// (run under ThreadSanitizer in the tsan preset).
TEST(MixesTest, ThreadPoolMempoolThreadedHandOffsKeepContents) {
  constexpr int kThreads = 3, kBlocks = 20000;
  ThreadPoolMempool m(Config{});
  struct Mailbox {
    std::mutex mutex;
    std::vector<std::pair<void*, std::size_t>> blocks;
  };
  std::vector<Mailbox> inbox(kThreads);
  std::vector<int> bad(kThreads, 0);
  auto drain = [&](int t) {
    std::vector<std::pair<void*, std::size_t>> got;
    {
      const std::lock_guard lock(inbox[static_cast<std::size_t>(t)].mutex);
      got.swap(inbox[static_cast<std::size_t>(t)].blocks);
    }
    for (auto [p, n] : got) {
      bad[static_cast<std::size_t>(t)] += intact(p, n, static_cast<unsigned char>(n)) ? 0 : 1;
      m.deallocate(p, n, 16);
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kBlocks; ++i) {
        const std::size_t n = static_cast<std::size_t>(1 + (i * 37 + t * 11) % 300);  // some above 256 B
        void* p = m.allocate(n, 16);
        ASSERT_NE(p, nullptr);
        fill(p, n, static_cast<unsigned char>(n));
        if (i % 2 == 0) {
          const std::lock_guard lock(inbox[static_cast<std::size_t>((t + 1) % kThreads)].mutex);
          inbox[static_cast<std::size_t>((t + 1) % kThreads)].blocks.emplace_back(p, n);
        } else {
          bad[static_cast<std::size_t>(t)] += intact(p, n, static_cast<unsigned char>(n)) ? 0 : 1;
          m.deallocate(p, n, 16);
        }
        if (i % 64 == 0) drain(t);
      }
    });
  for (std::thread& t : threads) t.join();
  for (int t = 0; t < kThreads; ++t) drain(t);
  for (int b : bad) EXPECT_EQ(b, 0);
  EXPECT_LE(m.small().heaps(), static_cast<std::size_t>(kThreads) + 1);
}

}  // namespace
}  // namespace alloclab
