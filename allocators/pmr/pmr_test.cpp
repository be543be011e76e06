#include "pmr_resources.hpp"

#include <gtest/gtest.h>
#include <malloc.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <thread>
#include <unordered_set>
#include <utility>
#include <vector>

#include "allocators/core/allocator.hpp"

namespace alloclab {
namespace {

static_assert(Allocator<PmrMonotonic> && Allocator<PmrPool> && Allocator<PmrSyncPool>);
static_assert(!Deallocating<PmrMonotonic>, "monotonic declares no free, so offers none");
static_assert(Deallocating<PmrPool> && Deallocating<PmrSyncPool>);

bool aligned_to(const void* p, std::size_t a) {
  return reinterpret_cast<std::uintptr_t>(p) % a == 0;
}

template <class A>
void release(A& a, void* p, std::size_t n, std::size_t align) {
  if constexpr (Deallocating<A>) a.deallocate(p, n, align);
}

template <class A>
class PmrAllTest : public ::testing::Test {};
using PmrTypes = ::testing::Types<PmrMonotonic, PmrPool, PmrSyncPool>;
TYPED_TEST_SUITE(PmrAllTest, PmrTypes);

TYPED_TEST(PmrAllTest, BlocksAreAlignedAndDisjoint) {
  TypeParam a{Config{}};
  std::vector<std::pair<char*, std::size_t>> blocks;
  for (std::size_t align = 1; align <= TypeParam::traits.max_align; align *= 2) {
    for (std::size_t n : {std::size_t{1}, std::size_t{24}, align, 3 * align + 8}) {
      auto* p = static_cast<char*>(a.allocate(n, align));
      ASSERT_NE(p, nullptr);
      ASSERT_TRUE(aligned_to(p, std::max(align, kMinAlign))) << "n=" << n << " align=" << align;
      std::memset(p, 0x3c, n);
      blocks.emplace_back(p, n);
    }
  }
  std::sort(blocks.begin(), blocks.end());
  for (std::size_t i = 1; i < blocks.size(); ++i)
    ASSERT_LE(blocks[i - 1].first + blocks[i - 1].second, blocks[i].first);
}

TYPED_TEST(PmrAllTest, OddSizesAreSixteenAligned) {
  TypeParam a{Config{}};
  std::vector<std::pair<void*, std::size_t>> blocks;
  for (std::size_t n = 1; n <= 600; n += 7) {
    for (int i = 0; i < 20; ++i) {
      void* p = a.allocate(n, 16);
      ASSERT_NE(p, nullptr);
      ASSERT_TRUE(aligned_to(p, 16)) << "n=" << n;
      blocks.emplace_back(p, n);
    }
  }
  for (auto& [p, n] : blocks) release(a, p, n, 16);
}

TYPED_TEST(PmrAllTest, ZeroSizeBlocksAreUnique) {
  TypeParam a{Config{}};
  std::unordered_set<void*> seen;
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(seen.insert(a.allocate(0, 16)).second);
  for (void* p : seen) release(a, p, 0, 16);
}

TYPED_TEST(PmrAllTest, RefusesBeyondDeclaredLimits) {
  TypeParam a{Config{}};
  EXPECT_EQ(a.allocate(TypeParam::traits.max_size + 1, 16), nullptr);
  EXPECT_EQ(a.allocate(16, TypeParam::traits.max_align * 2), nullptr);
}

// Bytes the C library currently has handed out (heap plus mmapped chunks).
std::size_t malloc_in_use() {
  const struct mallinfo2 mi = ::mallinfo2();
  return mi.uordblks + mi.hblkhd;
}

TYPED_TEST(PmrAllTest, ResetGivesMemoryBackUpstream) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "sanitizers replace malloc; mallinfo2 does not see the resource's memory";
#else
  TypeParam a{Config{}};
  const std::size_t before = malloc_in_use();
  for (int i = 0; i < 1024; ++i) ASSERT_NE(a.allocate(4096, 16), nullptr);
  const std::size_t grown = malloc_in_use();
  EXPECT_GE(grown, before + 4 * 1024 * 1024);
  a.reset();
  EXPECT_LT(malloc_in_use(), before + 64 * 1024) << "release() returned the buffers";
  void* p = a.allocate(100, 16);  // usable again after reset
  EXPECT_NE(p, nullptr);
  release(a, p, 100, 16);
#endif
}

TEST(PmrPoolTest, FreedBlockIsReused) {
  PmrPool a{Config{}};
  void* p = a.allocate(64, 16);
  a.deallocate(p, 64, 16);
  EXPECT_EQ(a.allocate(64, 16), p);
}

TEST(PmrSyncPoolTest, ThreadedCrossThreadFreeAndChurn) {
  PmrSyncPool a{Config{}};
  constexpr int kBlocks = 20000;
  std::vector<unsigned char*> made(kBlocks);
  std::thread producer([&] {
    for (int i = 0; i < kBlocks; ++i) {
      made[static_cast<std::size_t>(i)] = static_cast<unsigned char*>(a.allocate(48, 16));
      std::memset(made[static_cast<std::size_t>(i)], i & 0xff, 48);
    }
  });
  producer.join();
  std::thread churner([&] {  // runs while the main thread frees the producer's blocks
    for (int i = 0; i < kBlocks; ++i) a.deallocate(a.allocate(32, 16), 32, 16);
  });
  int bad = 0;
  for (int i = 0; i < kBlocks; ++i) {
    unsigned char* p = made[static_cast<std::size_t>(i)];
    bad += p[0] != (i & 0xff) || p[47] != (i & 0xff);
    a.deallocate(p, 48, 16);
  }
  churner.join();
  EXPECT_EQ(bad, 0);
}

}  // namespace
}  // namespace alloclab
