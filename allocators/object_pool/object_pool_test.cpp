// ObjectPoolTest: Zig's MemoryPool tests, the FixedPool face and the SizeClassed adapter.
#include "object_pool.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <set>
#include <stdexcept>
#include <utility>
#include <vector>

#include "allocators/core/allocator.hpp"
#include "allocators/core/asan.hpp"
#include "allocators/core/size_classed.hpp"
#include "fixed_pool.hpp"

namespace alloclab {
namespace {

static_assert(Allocator<FixedPool>);
static_assert(Allocator<SizeClassed<FixedPool>>);
static_assert(SizeClassed<FixedPool>::traits.caps == (kFree | kReset));

std::uintptr_t addr(const void* p) { return reinterpret_cast<std::uintptr_t>(p); }

struct Small {
  std::uint32_t id;
};
static_assert(ObjectPool<Small>::item_size == sizeof(void*), "free list node fits in an item");
static_assert(ObjectPool<Small>::item_alignment == alignof(void*));

struct alignas(16) Aligned16 {
  std::uint8_t b[24];
};
struct alignas(64) Aligned64 {
  std::uint8_t b[8];
};
static_assert(ObjectPool<Aligned16>::item_size == 32 && ObjectPool<Aligned64>::item_size == 64);
static_assert(ObjectPool<Small, PoolOptions{.alignment = 32}>::item_size == 32);

TEST(ObjectPoolTest, CreateAfterDestroyReturnsTheLastDestroyed) {
  ObjectPool<Small> pool;
  Small* a = pool.create(Small{1});
  Small* b = pool.create(Small{2});
  Small* c = pool.create(Small{3});
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(b->id, 2u);
  pool.destroy(a);
  pool.destroy(c);
  EXPECT_EQ(pool.create(Small{4}), c);  // LIFO
  EXPECT_EQ(pool.create(Small{5}), a);
  EXPECT_EQ(a->id, 5u);
}

TEST(ObjectPoolTest, PreheatedItemsNeedNoNewBackingMemory) {
  ObjectPool<Small> pool;
  ASSERT_TRUE(pool.preheat(100));
  EXPECT_EQ(pool.chunk_count(), 1u);
  EXPECT_EQ(pool.capacity(), 100u);
  std::set<Small*> seen;
  for (std::uint32_t i = 0; i < 100; ++i) seen.insert(pool.create(Small{i}));
  EXPECT_EQ(seen.size(), 100u);
  EXPECT_EQ(seen.count(nullptr), 0u);
  EXPECT_EQ(pool.chunk_count(), 1u);            // no new chunk was asked for
  ASSERT_NE(pool.create(Small{100}), nullptr);  // growable: the 101st grows the pool
  EXPECT_EQ(pool.chunk_count(), 2u);
}

TEST(ObjectPoolTest, PreheatedConstructorGivesANonGrowablePoolItsCapacity) {
  ObjectPool<Small, PoolOptions{.alignment = 0, .growable = false}> pool(4);
  std::vector<Small*> items;
  for (std::uint32_t i = 0; i < 4; ++i) items.push_back(pool.create(Small{i}));
  EXPECT_EQ(std::count(items.begin(), items.end(), nullptr), 0);
  EXPECT_EQ(pool.create(Small{9}), nullptr);  // exhausted: cleanly nullptr
  pool.destroy(items[2]);
  EXPECT_EQ(pool.create(Small{9}), items[2]);
  EXPECT_EQ(pool.create(Small{9}), nullptr);
}

TEST(ObjectPoolTest, NonGrowablePoolWithoutPreheatIsEmpty) {
  ObjectPool<Small, PoolOptions{.alignment = 0, .growable = false}> pool;
  EXPECT_EQ(pool.create(Small{1}), nullptr);
  ASSERT_TRUE(pool.preheat(1));
  EXPECT_NE(pool.create(Small{1}), nullptr);
  EXPECT_EQ(pool.create(Small{1}), nullptr);
}

template <class T, PoolOptions kOptions = PoolOptions{}>
void expect_aligned_items(std::size_t align) {
  ObjectPool<T, kOptions> pool;
  std::vector<T*> items;
  for (int i = 0; i < 1000; ++i) {
    T* p = pool.create();
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(addr(p) % align, 0u) << "item " << i;
    items.push_back(p);
  }
  for (T* p : items) pool.destroy(p);
}

TEST(ObjectPoolTest, OverAlignedTypesAreHonoured) {
  expect_aligned_items<Aligned16>(16);
  expect_aligned_items<Aligned64>(64);
}

TEST(ObjectPoolTest, RequestedAlignmentIsHonoured) {
  expect_aligned_items<Small, PoolOptions{.alignment = 16}>(16);
  expect_aligned_items<Small, PoolOptions{.alignment = 64}>(64);
  expect_aligned_items<Small, PoolOptions{.alignment = 4096}>(4096);
}

struct Counted {
  static inline int live = 0;
  static inline int destroyed = 0;
  int value;
  explicit Counted(int v) : value(v) { ++live; }
  ~Counted() {
    --live;
    ++destroyed;
  }
};

TEST(ObjectPoolTest, DestroyRunsTheDestructor) {
  Counted::live = Counted::destroyed = 0;
  ObjectPool<Counted> pool;
  Counted* a = pool.create(7);
  Counted* b = pool.create(8);
  EXPECT_EQ(a->value, 7);
  EXPECT_EQ(Counted::live, 2);
  pool.destroy(a);
  EXPECT_EQ(Counted::live, 1);
  EXPECT_EQ(Counted::destroyed, 1);
  pool.destroy(b);
  EXPECT_EQ(Counted::live, 0);
}

struct Throws {
  explicit Throws(bool fail) {
    if (fail) throw std::runtime_error("ctor");
  }
};

TEST(ObjectPoolTest, ThrowingConstructorReturnsTheItem) {
  ObjectPool<Throws> pool;
  Throws* ok = pool.create(false);
  pool.destroy(ok);
  EXPECT_THROW((void)pool.create(true), std::runtime_error);
  EXPECT_EQ(pool.create(false), ok);  // the item went back on the free list
}

// Three chunks of known sizes (10, 20, 40 items) through preheat.
template <class Pool>
void preheat_three_chunks(Pool& pool) {
  ASSERT_TRUE(pool.preheat(10));
  ASSERT_TRUE(pool.preheat(20));
  ASSERT_TRUE(pool.preheat(40));
  ASSERT_EQ(pool.capacity(), 70u);
  ASSERT_EQ(pool.chunk_count(), 3u);
}

TEST(ObjectPoolTest, ResetFreeAllReleasesEverything) {
  ObjectPool<Small> pool;
  preheat_three_chunks(pool);
  for (std::uint32_t i = 0; i < 50; ++i) ASSERT_NE(pool.create(Small{i}), nullptr);
  pool.reset(ResetMode::free_all());
  EXPECT_EQ(pool.capacity(), 0u);
  EXPECT_EQ(pool.chunk_count(), 0u);
  EXPECT_NE(pool.create(Small{1}), nullptr);  // growable: starts again

  ObjectPool<Small, PoolOptions{.alignment = 0, .growable = false}> fixed(8);
  fixed.reset(ResetMode::free_all());
  EXPECT_EQ(fixed.create(Small{1}), nullptr);  // non-growable: nothing left
}

TEST(ObjectPoolTest, ResetRetainCapacityKeepsMemoryAndFreesEveryItem) {
  ObjectPool<Small, PoolOptions{.alignment = 0, .growable = false}> pool;
  preheat_three_chunks(pool);
  std::set<Small*> first_round;
  for (std::uint32_t i = 0; i < 70; ++i) first_round.insert(pool.create(Small{i}));
  EXPECT_EQ(pool.create(Small{0}), nullptr);
  pool.reset(ResetMode::retain_capacity());
  EXPECT_EQ(pool.capacity(), 70u);
  std::set<Small*> second_round;
  for (std::uint32_t i = 0; i < 70; ++i) second_round.insert(pool.create(Small{i}));
  EXPECT_EQ(second_round, first_round);  // the very same 70 items, no new memory
  EXPECT_EQ(pool.create(Small{0}), nullptr);
}

TEST(ObjectPoolTest, ResetRetainWithLimitFreesBeyondTheLimit) {
  ObjectPool<Small> pool;
  preheat_three_chunks(pool);
  pool.reset(ResetMode::retain_with_limit(35));  // 10 + 20 fit, 40 does not
  EXPECT_EQ(pool.capacity(), 30u);
  EXPECT_EQ(pool.chunk_count(), 2u);
  pool.reset(ResetMode::retain_with_limit(30));  // exactly the limit: kept
  EXPECT_EQ(pool.capacity(), 30u);
  pool.reset(ResetMode::retain_with_limit(9));
  EXPECT_EQ(pool.capacity(), 0u);
  EXPECT_EQ(pool.chunk_count(), 0u);
  // Still usable, and chunks added afterwards are kept in order.
  ASSERT_TRUE(pool.preheat(5));
  for (std::uint32_t i = 0; i < 5; ++i) ASSERT_NE(pool.create(Small{i}), nullptr);
  EXPECT_EQ(pool.chunk_count(), 1u);
}

TEST(ObjectPoolTest, ItemsDoNotOverlapAcrossChunks) {
  ObjectPool<Aligned16> pool;
  std::vector<Aligned16*> items;
  for (int i = 0; i < 5000; ++i) {  // several chunks: 16 KiB, 32 KiB, ...
    Aligned16* p = pool.create();
    ASSERT_NE(p, nullptr);
    std::memset(p->b, i & 0xff, sizeof p->b);
    items.push_back(p);
  }
  EXPECT_GT(pool.chunk_count(), 1u);
  for (std::size_t i = 0; i < items.size(); ++i)
    for (std::uint8_t byte : items[i]->b) ASSERT_EQ(byte, static_cast<std::uint8_t>(i & 0xff));
}

// --- FixedPool -------------------------------------------------------------------------------

TEST(ObjectPoolTest, FixedPoolBlockSizeIsRoundedTo16) {
  EXPECT_EQ(FixedPool::block_size_for(0), 16u);
  EXPECT_EQ(FixedPool::block_size_for(1), 16u);
  EXPECT_EQ(FixedPool::block_size_for(16), 16u);
  EXPECT_EQ(FixedPool::block_size_for(17), 32u);
  EXPECT_EQ(FixedPool::block_size_for(100), 112u);
  EXPECT_EQ(FixedPool::block_size_for(FixedPool::kMaxBlock + 1), FixedPool::kMaxBlock);
}

TEST(ObjectPoolTest, FixedPoolServesItsBlockSize) {
  for (std::size_t requested : {1u, 8u, 16u, 24u, 64u, 100u, 256u, 4096u, 65536u}) {
    FixedPool pool(Config{.block_size = requested, .threads = 1});
    const std::size_t bs = pool.block_size();
    ASSERT_GE(bs, requested);
    EXPECT_EQ(bs % 16, 0u);
    EXPECT_EQ(pool.allocate(bs + 1, 16), nullptr) << bs;
    EXPECT_EQ(pool.allocate(8, 32), nullptr);  // more than 16-byte alignment is refused
    std::vector<unsigned char*> blocks;
    for (int i = 0; i < 64; ++i) {
      auto* p = static_cast<unsigned char*>(pool.allocate(i % 2 == 0 ? bs : 0, 16));
      ASSERT_NE(p, nullptr);
      EXPECT_EQ(addr(p) % 16, 0u);
      std::memset(p, i, bs);  // a zero-byte block still owns a whole item
      blocks.push_back(p);
    }
    for (int i = 0; i < 64; ++i)
      for (std::size_t j = 0; j < bs; ++j)
        ASSERT_EQ(blocks[static_cast<std::size_t>(i)][j], static_cast<unsigned char>(i));
    pool.deallocate(blocks[5], bs, 16);
    EXPECT_EQ(pool.allocate(bs, 16), blocks[5]);  // LIFO
    for (unsigned char* p : blocks) pool.deallocate(p, bs, 16);
    pool.reset();
    EXPECT_NE(pool.allocate(1, 16), nullptr);
  }
}

TEST(ObjectPoolTest, NonGrowableFixedPoolFailsCleanly) {
  FixedPool pool(48, /*growable=*/false);
  EXPECT_EQ(pool.allocate(48, 16), nullptr);
  ASSERT_TRUE(pool.preheat(3));
  void* a = pool.allocate(48, 16);
  void* b = pool.allocate(48, 16);
  void* c = pool.allocate(48, 16);
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(pool.allocate(48, 16), nullptr);
  pool.deallocate(b, 48, 16);
  EXPECT_EQ(pool.allocate(48, 16), b);
}

// --- SizeClassed -----------------------------------------------------------------------------

TEST(ObjectPoolTest, SizeClassOfEverySizeFitsWithBoundedWaste) {
  using namespace size_class;
  for (std::size_t n = 0; n <= kMaxSize; ++n) {
    const unsigned c = class_of(n);
    ASSERT_LT(c, kCount) << n;
    ASSERT_EQ(c, class_of_computed(n)) << n;  // the table agrees with the arithmetic
    const std::size_t size = size_of(c);
    ASSERT_GE(size, n) << n;
    ASSERT_EQ(size % kGranule, 0u);
    // Waste: under a granule up to kMaxSmall (a zero-byte request takes one granule), under a
    // quarter of the request above it.
    if (n <= kMaxSmall) {
      ASSERT_LT(size - std::max<std::size_t>(n, 1), kGranule) << n;
    } else {
      ASSERT_LT((size - n) * kStepsPerDoubling, n) << n;
    }
    if (c > 0) {
      ASSERT_LT(size_of(c - 1), n) << n;  // the smallest class that fits
    }
  }
}

TEST(ObjectPoolTest, SizeClassTableColumns) {
  using namespace size_class;
  const std::vector<std::size_t> expected_head = {16,  32,  48,  64,  80,  96,  112,
                                                  128, 160, 192, 224, 256, 320, 384};
  for (unsigned c = 0; c < expected_head.size(); ++c) EXPECT_EQ(size_of(c), expected_head[c]);
  EXPECT_EQ(size_of(kCount - 1), kMaxSize);
  EXPECT_EQ(class_of(kMaxSize), kCount - 1);
}

TEST(ObjectPoolTest, SizeClassedServesEveryClassWithoutOverlap) {
  SizeClassed<FixedPool> sc(Config{});
  EXPECT_EQ(sc.allocate(SizeClassed<FixedPool>::kMaxSize + 1, 16), nullptr);
  for (unsigned c = 0; c < size_class::kCount; ++c)
    EXPECT_EQ(sc.pool(c).block_size(), size_class::size_of(c));

  struct Live {
    unsigned char* p;
    std::size_t n;
  };
  std::vector<Live> live;
  std::vector<std::pair<std::uintptr_t, std::uintptr_t>> ranges;
  std::size_t n = 0;
  for (int i = 0; i < 3000; ++i) {
    n = (n * 7 + 13 + static_cast<std::size_t>(i)) % (SizeClassed<FixedPool>::kMaxSize + 1);
    auto* p = static_cast<unsigned char*>(sc.allocate(n, 16));
    ASSERT_NE(p, nullptr) << n;
    EXPECT_EQ(addr(p) % 16, 0u);
    std::memset(p, i & 0xff, n);
    live.push_back({p, n});
    // A block owns its class size: ranges of whole blocks must not overlap.
    ranges.emplace_back(addr(p), addr(p) + size_class::size_of(size_class::class_of(n)));
  }
  std::sort(ranges.begin(), ranges.end());
  for (std::size_t i = 1; i < ranges.size(); ++i) ASSERT_LE(ranges[i - 1].second, ranges[i].first);
  for (std::size_t i = 0; i < live.size(); ++i)
    for (std::size_t j = 0; j < live[i].n; ++j)
      ASSERT_EQ(live[i].p[j], static_cast<unsigned char>(i & 0xff));

  // Sized free routes each block back to its class: LIFO reuse within the class.
  const Live last = live.back();
  sc.deallocate(last.p, last.n, 16);
  EXPECT_EQ(sc.allocate(last.n, 16), last.p);
  for (const Live& b : live) sc.deallocate(b.p, b.n, 16);
  sc.reset();
  EXPECT_NE(sc.allocate(100, 16), nullptr);
}

TEST(ObjectPoolTest, SizeClassedZeroByteBlocksAreUnique) {
  SizeClassed<FixedPool> sc(Config{});
  void* a = sc.allocate(0, 16);
  void* b = sc.allocate(0, 16);
  ASSERT_TRUE(a && b);
  EXPECT_NE(a, b);
  sc.deallocate(a, 0, 16);
  sc.deallocate(b, 0, 16);
}

TEST(ObjectPoolTest, PluginTypesDeclareTheirNames) {
  EXPECT_EQ(FixedPool::traits.name, "object_pool");
  EXPECT_EQ(FixedPool::traits.caps, kFree | kReset | kFixedSize);
  EXPECT_EQ(FixedPool::traits.max_size, FixedPool::kMaxBlock);
  static_assert(Allocator<ObjectPoolSizeClassed>);
  EXPECT_EQ(ObjectPoolSizeClassed::traits.name, "object_pool_sc");
  EXPECT_EQ(ObjectPoolSizeClassed::traits.caps, kFree | kReset);
  EXPECT_EQ(ObjectPoolSizeClassed::traits.max_size, size_class::kMaxSize);
}

// Under ASan (make test's asan build) an item not in use is poisoned; elsewhere this skips.
TEST(ObjectPoolAsanTest, DestroyedAndResetItemsArePoisoned) {
  if (!asan::kEnabled) GTEST_SKIP() << "needs an AddressSanitizer build";
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  ObjectPool<std::uint64_t> pool;
  std::uint64_t* a = pool.create();
  std::uint64_t* b = pool.create();
  auto touch = [](std::uint64_t* p) { *static_cast<volatile std::uint64_t*>(p) = 7; };
  touch(a);
  touch(b);
  EXPECT_DEATH(touch(b + 1), "AddressSanitizer");  // the next item, not handed out yet
  pool.destroy(a);
  EXPECT_DEATH(touch(a), "AddressSanitizer");
  EXPECT_EQ(pool.create(), a);  // reused: addressable again
  touch(a);
  pool.reset(ResetMode::retain_capacity());
  EXPECT_DEATH(touch(b), "AddressSanitizer");
  touch(pool.create());
}

}  // namespace
}  // namespace alloclab

#if ALLOCLAB_ASSERTS
namespace alloclab {
namespace {
// The debug, asan and tsan presets check the hot path's pre: line (Release pays nothing).
TEST(FixedPoolDeathTest, AlignmentNotAPowerOfTwoBreaksTheContract) {
  FixedPool pool(Config{.block_size = 64, .threads = 1});
  EXPECT_DEATH(static_cast<void>(pool.allocate(64, 24)), "pre: align is a power of two violated");
}
}  // namespace
}  // namespace alloclab
#endif
