// The registered mixes: the capabilities their parts give them, where their blocks go, the
// arena part's phases, and contents kept when a block moves between parts. (The conformance
// suite runs them like every plugin.)
#include <gtest/gtest.h>

#include <cstring>
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

}  // namespace
}  // namespace alloclab
