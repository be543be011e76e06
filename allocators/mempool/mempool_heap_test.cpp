// The process-wide heap and the plugin: each seed bug as a regression test.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <set>
#include <vector>

#include "allocators/core/allocator.hpp"
#include "heap.hpp"
#include "mempool_allocator.hpp"
#include "mempool_test_util.hpp"

namespace alloclab::mempool {
namespace {

static_assert(Allocator<MempoolAllocator>);

TEST(MempoolHeap, NoOverlapAtOddMultiplesOf8WithEveryByteWritten) {
  // Seed bug: blocks carved past a span's end overlapped their neighbours.
  for (std::size_t n = 8; n <= 4104; n += 16) {  // 8, 24, 40, ... odd multiples of 8
    std::vector<unsigned char*> blocks;
    for (int i = 0; i < 300; ++i) {
      auto* p = static_cast<unsigned char*>(allocate(n));
      ASSERT_NE(p, nullptr);
      std::memset(p, static_cast<int>(i & 0xff), n);
      blocks.push_back(p);
    }
    std::vector<unsigned char> expect(n);
    for (std::size_t i = 0; i < blocks.size(); ++i) {
      std::memset(expect.data(), static_cast<int>(i & 0xff), n);
      ASSERT_EQ(std::memcmp(blocks[i], expect.data(), n), 0) << n << " block " << i;
      deallocate(blocks[i], n, 16);
    }
  }
  EXPECT_STREQ(validate(), nullptr);
}

TEST(MempoolHeap, EveryBlockIs16ByteAligned) {
  // Seed bug: blocks only 8-byte aligned.
  std::vector<void*> v;
  for (std::size_t n = 0; n < 2000; n += 7) {
    void* p = allocate(n);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(p) % 16, 0u) << n;
    v.push_back(p);
  }
  for (void* p : v) deallocate(p);
}

TEST(MempoolHeap, AnyPowerOfTwoAlignment) {
  for (std::size_t align = 1; align <= (std::size_t{1} << 20); align *= 2)
    for (std::size_t n : {std::size_t{1}, std::size_t{100}, align, 3 * align + 1}) {
      void* p = allocate_aligned(n, align);
      ASSERT_NE(p, nullptr);
      EXPECT_EQ(reinterpret_cast<std::uintptr_t>(p) % std::max<std::size_t>(align, 16), 0u);
      EXPECT_GE(usable_size(p), n);
      std::memset(p, 1, n);
      if (n % 2) deallocate(p);  // both free paths
      else deallocate(p, n, align);
    }
  EXPECT_STREQ(validate(), nullptr);
}

TEST(MempoolHeap, ZeroByteRequestsAreUniqueAndFreeable) {
  // Seed bug: alloc(0) aborted.
  std::set<void*> seen;
  std::vector<void*> v;
  for (int i = 0; i < 100; ++i) {
    void* p = allocate(0);
    ASSERT_NE(p, nullptr);
    EXPECT_TRUE(seen.insert(p).second);
    v.push_back(p);
  }
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i % 2) deallocate(v[i]);
    else deallocate(v[i], 0, 16);
  }
}

TEST(MempoolHeap, TwoLargeBlocksOneFreedTheOtherIntact) {
  // Seed bug: large spans not marked in use; a neighbour's free merged the live span.
  const std::size_t n = std::size_t{300} << 10;
  auto* a = static_cast<unsigned char*>(allocate(n));
  auto* b = static_cast<unsigned char*>(allocate(n));
  ASSERT_TRUE(a && b);
  std::memset(b, 0x77, n);
  deallocate(a);
  // Reuse the freed space with a bigger request; it must not land on b.
  auto* c = static_cast<unsigned char*>(allocate(2 * n));
  ASSERT_NE(c, nullptr);
  std::memset(c, 0x11, 2 * n);
  for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(b[i], 0x77) << i;
  EXPECT_GE(usable_size(b), n);
  EXPECT_STREQ(validate(), nullptr);
  deallocate(b);
  deallocate(c, 2 * n, 16);
  EXPECT_STREQ(validate(), nullptr);
}

TEST(MempoolHeap, UsableSizeAndRealloc) {
  EXPECT_EQ(usable_size(nullptr), 0u);
  auto* p = static_cast<char*>(allocate(100));
  EXPECT_EQ(usable_size(p), class_size(size_to_class(100)));
  std::memcpy(p, "0123456789", 10);
  p = static_cast<char*>(reallocate(p, 100000));
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(std::memcmp(p, "0123456789", 10), 0);
  p = static_cast<char*>(reallocate(p, 1 << 20));
  EXPECT_EQ(std::memcmp(p, "0123456789", 10), 0);
  p = static_cast<char*>(reallocate(p, 5));
  EXPECT_EQ(std::memcmp(p, "01234", 5), 0);
  deallocate(p);
}

TEST(MempoolHeap, MemoryFlowsBackAndRssDropsAfterRelease) {
  // Seed bug: freed memory stayed in thread caches and never returned to the OS.
  release();
  const std::size_t base = testing::rss_bytes();
  std::vector<void*> v;
  const std::size_t total = std::size_t{64} << 20;
  for (std::size_t done = 0, i = 0; done < total; ++i) {
    const std::size_t n = 64 + (i * 97) % 900;
    void* p = allocate(n);
    std::memset(p, 1, n);
    v.push_back(p);
    done += n;
  }
  for (int i = 0; i < 8; ++i) v.push_back(allocate(std::size_t{1} << 20));
  for (std::size_t i = 8; i > 0; --i) std::memset(v[v.size() - i], 1, std::size_t{1} << 20);
  const std::size_t peak = testing::rss_bytes();
  EXPECT_GT(peak, base + total / 2);
  for (void* p : v) deallocate(p);
  std::vector<void*>().swap(v);
  release();
  const std::size_t after = testing::rss_bytes();
  EXPECT_LT(after, base + (std::size_t{8} << 20)) << "base " << base << " peak " << peak;
  const Stats s = stats();
  EXPECT_EQ(s.thread_caches, 0u);
  EXPECT_EQ(s.released, s.page_heap_free);  // every free page went back
  EXPECT_GE(s.released, total / 2);
  EXPECT_STREQ(validate(), nullptr);
}

TEST(MempoolHeap, StatsAccountForBlocks) {
  release();
  const Stats before = stats();
  std::vector<void*> v;
  for (int i = 0; i < 1000; ++i) v.push_back(allocate(1000));
  void* big = allocate(std::size_t{1} << 20);
  const Stats during = stats();
  EXPECT_GE(during.in_use, before.in_use + 1000 * 1000 + (std::size_t{1} << 20));
  for (void* p : v) deallocate(p);
  deallocate(big);
  flush_thread_cache();
  const Stats after = stats();
  EXPECT_EQ(after.in_use, before.in_use);
  EXPECT_EQ(after.thread_caches, 0u);
  // 1000 blocks of one class came back in whole batches: parked in its slots, part of central.
  EXPECT_GE(after.parked, 900u * class_size(size_to_class(1000)));
  EXPECT_LE(after.parked, after.central);
  release();
  EXPECT_EQ(stats().parked, 0u);
  // Every byte counted once: blocks, caches and central lists fit in the non-free spans.
  EXPECT_LE(during.in_use + during.thread_caches + during.central,
            during.mapped - during.page_heap_free);
}

TEST(MempoolHeap, PluginContract) {
  MempoolAllocator a(Config{});
  MempoolAllocator b(Config{});
  void* p = a.allocate(24, 16);
  void* q = a.allocate(24, 64);
  ASSERT_TRUE(p && q);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(q) % 64, 0u);
  b.deallocate(p, 24, 16);  // one heap: any handle frees any block
  b.deallocate(q, 24, 64);
  EXPECT_EQ(a.allocate(MempoolAllocator::traits.max_size + 1, 16), nullptr);
  void* r = a.allocate(10, 16);
  std::memcpy(r, "abcdefghij", 10);
  r = a.reallocate(r, 10, 5000, 16);
  EXPECT_EQ(std::memcmp(r, "abcdefghij", 10), 0);
  r = a.reallocate(r, 5000, 20, 256);
  EXPECT_EQ(std::memcmp(r, "abcdefghij", 10), 0);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(r) % 256, 0u);
  a.deallocate(r, 20, 256);
  EXPECT_STREQ(validate(), nullptr);
}

}  // namespace
}  // namespace alloclab::mempool
