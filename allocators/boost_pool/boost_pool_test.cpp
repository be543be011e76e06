#include "boost_pool.hpp"

#include <gtest/gtest.h>
#include <malloc.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

#include "allocators/core/allocator.hpp"

namespace alloclab {
namespace {

static_assert(Allocator<BoostPool> && Allocator<BoostPoolSizeClassed>);

bool aligned_to(const void* p, std::size_t a) {
  return reinterpret_cast<std::uintptr_t>(p) % a == 0;
}

void expect_disjoint(std::vector<std::pair<char*, std::size_t>> blocks) {
  std::sort(blocks.begin(), blocks.end());
  for (std::size_t i = 1; i < blocks.size(); ++i)
    ASSERT_LE(blocks[i - 1].first + blocks[i - 1].second, blocks[i].first);
}

TEST(BoostPoolTest, BlocksAre16AlignedWhateverTheBlockSize) {
  for (std::size_t size : {1u, 8u, 24u, 40u, 100u, 1000u, 4104u}) {
    BoostPool a{Config{.block_size = size}};
    std::vector<std::pair<char*, std::size_t>> blocks;
    for (int i = 0; i < 300; ++i) {  // enough to span several boost blocks
      auto* p = static_cast<char*>(a.allocate(size, 16));
      ASSERT_NE(p, nullptr);
      ASSERT_TRUE(aligned_to(p, 16)) << "block size " << size;
      std::memset(p, 0x11, size);
      blocks.emplace_back(p, size);
    }
    expect_disjoint(blocks);
    for (auto& [p, n] : blocks) a.deallocate(p, n, 16);
  }
}

TEST(BoostPoolTest, RefusesWhatTheFixedSizeCannotServe) {
  BoostPool a{Config{.block_size = 24}};
  EXPECT_EQ(a.allocate(25, 16), nullptr);
  EXPECT_EQ(a.allocate(8, 32), nullptr);  // beyond max_align
  void* p = a.allocate(24, 16);
  void* q = a.allocate(0, 16);  // smaller requests take a whole block
  ASSERT_NE(p, nullptr);
  ASSERT_NE(q, nullptr);
  EXPECT_NE(p, q);
  a.deallocate(p, 24, 16);
  a.deallocate(q, 0, 16);
}

TEST(BoostPoolTest, BlockSizeDefaultsToMaxSize) {
  BoostPool a{Config{}};
  EXPECT_EQ(a.block_size(), BoostPool::traits.max_size);
  EXPECT_EQ(a.allocate(BoostPool::traits.max_size + 1, 16), nullptr);
  void* p = a.allocate(BoostPool::traits.max_size, 16);
  ASSERT_NE(p, nullptr);
  a.deallocate(p, BoostPool::traits.max_size, 16);
}

TEST(BoostPoolTest, FreedBlockIsReused) {
  BoostPool a{Config{.block_size = 64}};
  void* p = a.allocate(64, 16);
  a.deallocate(p, 64, 16);
  EXPECT_EQ(a.allocate(64, 16), p);
}

std::size_t malloc_in_use() {
  const struct mallinfo2 mi = ::mallinfo2();
  return mi.uordblks + mi.hblkhd;
}

template <class A>
void expect_reset_releases(A& a, std::size_t n) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "sanitizers replace malloc; mallinfo2 does not see the pool's memory";
#endif
  const std::size_t before = malloc_in_use();
  for (int i = 0; i < 2048; ++i) ASSERT_NE(a.allocate(n, 16), nullptr);
  EXPECT_GE(malloc_in_use(), before + 2048 * n);
  a.reset();
  EXPECT_LT(malloc_in_use(), before + 16 * 1024);
  void* p = a.allocate(n, 16);
  ASSERT_NE(p, nullptr);
  a.deallocate(p, n, 16);
}

TEST(BoostPoolTest, ResetReleasesEveryBlock) {
  BoostPool a{Config{.block_size = 1024}};
  expect_reset_releases(a, 1024);
}

TEST(BoostPoolScTest, ResetReleasesEveryBlock) {
  BoostPoolSizeClassed a{Config{}};
  expect_reset_releases(a, 1000);
}

TEST(BoostPoolScTest, VariableSizesAreAlignedDisjointAndFreedToTheirClass) {
  BoostPoolSizeClassed a{Config{}};
  std::vector<std::pair<char*, std::size_t>> blocks;
  for (std::size_t n = 0; n <= BoostPoolSizeClassed::traits.max_size; n = n * 5 / 4 + 7) {
    auto* p = static_cast<char*>(a.allocate(n, 16));
    ASSERT_NE(p, nullptr);
    ASSERT_TRUE(aligned_to(p, 16)) << "n=" << n;
    std::memset(p, 0x22, n);
    blocks.emplace_back(p, n);
  }
  expect_disjoint(blocks);
  EXPECT_EQ(a.allocate(BoostPoolSizeClassed::traits.max_size + 1, 16), nullptr);
  for (auto& [p, n] : blocks) a.deallocate(p, n, 16);

  void* p = a.allocate(100, 16);
  a.deallocate(p, 100, 16);
  EXPECT_EQ(a.allocate(112, 16), p) << "100 and 112 share a class";
}

}  // namespace
}  // namespace alloclab
