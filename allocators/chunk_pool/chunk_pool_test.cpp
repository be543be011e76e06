#include "chunk_pool.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <random>
#include <thread>
#include <type_traits>
#include <unordered_set>
#include <vector>

#include "allocators/core/allocator.hpp"
#include "allocators/core/asan.hpp"
#include "chunk_pool_inspect.hpp"

namespace alloclab {
namespace {

using I = ChunkPoolInspector;
using chunk_pool_detail::kChunkSize;
using chunk_pool_detail::kChunksPerBlock;
using chunk_pool_detail::kHeaderSize;
using chunk_pool_detail::kPayload;

static_assert(Allocator<ChunkPool>);
static_assert(!std::is_copy_constructible_v<ChunkPool>);
static_assert(!std::is_copy_assignable_v<ChunkPool>);
static_assert(!std::is_move_constructible_v<ChunkPool>);
static_assert(!std::is_move_assignable_v<ChunkPool>);

const void* chunk_start(const void* p) {
  return reinterpret_cast<const void*>(reinterpret_cast<std::uintptr_t>(p) & ~(kChunkSize - 1));
}

bool aligned_to(const void* p, std::size_t a) {
  return reinterpret_cast<std::uintptr_t>(p) % a == 0;
}

void expect_free_list_sound(ChunkPool& pool) {
  const I::FreeList list = I::free_list(pool);
  EXPECT_TRUE(list.terminated) << "free list does not end (cycle)";
  EXPECT_FALSE(list.duplicates) << "a chunk is on the free list twice";
  EXPECT_TRUE(list.back_links_ok);
  EXPECT_TRUE(list.all_free);
  EXPECT_EQ(list.chunks.size(), I::free_chunks(pool));
}

bool on_free_list(ChunkPool& pool, const void* chunk) {
  const auto list = I::free_list(pool).chunks;
  return std::count(list.begin(), list.end(), chunk) == 1;
}

struct Obj48 {
  std::array<char, 48> bytes{};
};

TEST(ChunkPoolTest, ChunkEmptiedWhileCurrentIsReusedWithOffsetReset) {
  ChunkPool pool;
  Obj48* a = pool.make<Obj48>();
  Obj48* b = pool.make<Obj48>();
  const void* chunk = I::current_chunk(pool);
  ASSERT_EQ(chunk_start(a), chunk);
  EXPECT_EQ(I::current_offset(pool), kHeaderSize + 2 * sizeof(Obj48));
  const std::size_t free_before = I::free_chunks(pool);

  pool.destroy(a);
  EXPECT_EQ(I::current_offset(pool), kHeaderSize + 2 * sizeof(Obj48)) << "b is still live";
  pool.destroy(b);
  EXPECT_EQ(I::current_chunk(pool), chunk) << "still current";
  EXPECT_EQ(I::current_offset(pool), kHeaderSize) << "bump offset reset";
  EXPECT_FALSE(on_free_list(pool, chunk)) << "a current chunk must not link itself in";
  EXPECT_EQ(I::free_chunks(pool), free_before);
  expect_free_list_sound(pool);

  Obj48* c = pool.make<Obj48>();
  EXPECT_EQ(static_cast<void*>(c), static_cast<void*>(a)) << "reused from the start";
  EXPECT_EQ(I::live_objects(pool), 1);
  pool.destroy(c);
}

TEST(ChunkPoolTest, ThreadedCurrentChunkEmptiedByAnotherThreadIsReusedInPlace) {
  ChunkPool pool;
  Obj48* a = pool.make<Obj48>();
  Obj48* b = pool.make<Obj48>();
  const void* chunk = I::current_chunk(pool);
  std::thread([&] {
    pool.destroy(a);
    pool.destroy(b);
  }).join();
  EXPECT_EQ(I::live_objects(pool), 0);
  const std::size_t free_before = I::free_chunks(pool);
  const std::size_t blocks_before = I::mapped_blocks(pool);

  // A whole payload does not fit behind a and b, but the chunk is empty: it is reused.
  void* big = pool.allocate(kPayload, 16);
  ASSERT_NE(big, nullptr);
  EXPECT_EQ(chunk_start(big), chunk);
  EXPECT_EQ(big, static_cast<void*>(a));
  EXPECT_EQ(I::free_chunks(pool), free_before);
  EXPECT_EQ(I::mapped_blocks(pool), blocks_before);
  expect_free_list_sound(pool);
  pool.deallocate(big, kPayload, 16);
}

// Fills the current chunk and moves on; returns the objects that landed in the first chunk.
std::vector<Obj48*> fill_one_chunk(ChunkPool& pool, Obj48** first_of_next) {
  std::vector<Obj48*> objs{pool.make<Obj48>()};
  const void* chunk = chunk_start(objs[0]);
  for (;;) {
    Obj48* o = pool.make<Obj48>();
    if (chunk_start(o) != chunk) {
      *first_of_next = o;
      return objs;
    }
    objs.push_back(o);
  }
}

TEST(ChunkPoolTest, ChunkEmptiedBehindCurrentGoesOnFreeListExactlyOnce) {
  ChunkPool pool;
  Obj48* next = nullptr;
  std::vector<Obj48*> first = fill_one_chunk(pool, &next);
  const void* a = chunk_start(first[0]);
  EXPECT_EQ(first.size(), kPayload / sizeof(Obj48));
  EXPECT_NE(I::current_chunk(pool), a);
  EXPECT_FALSE(on_free_list(pool, a));

  const std::size_t free_before = I::free_chunks(pool);
  for (Obj48* o : first) pool.destroy(o);
  EXPECT_TRUE(on_free_list(pool, a));
  EXPECT_EQ(I::free_chunks(pool), free_before + 1);
  expect_free_list_sound(pool);

  // The recycled chunk is the next one taken, and leaves the list when it is.
  Obj48* after = nullptr;
  std::vector<Obj48*> second = fill_one_chunk(pool, &after);
  EXPECT_EQ(chunk_start(after), a);
  EXPECT_FALSE(on_free_list(pool, a));
  expect_free_list_sound(pool);

  for (Obj48* o : second) pool.destroy(o);
  pool.destroy(next);
  pool.destroy(after);
  EXPECT_EQ(I::live_objects(pool), 0);
  expect_free_list_sound(pool);
}

TEST(ChunkPoolTest, RandomFreeOrdersKeepFreeListSound) {
  ChunkPool pool;
  std::mt19937 rng(7);
  std::vector<void*> live;
  for (int round = 0; round < 40; ++round) {
    for (int i = 0; i < 700; ++i) {
      const std::size_t n = std::uniform_int_distribution<std::size_t>(1, 600)(rng);
      void* p = pool.allocate(n, 16);
      ASSERT_NE(p, nullptr);
      live.push_back(p);
    }
    // Free two thirds in random order; the rest stays live into the next round.
    std::shuffle(live.begin(), live.end(), rng);
    const std::size_t keep = live.size() / 3;
    for (std::size_t i = keep; i < live.size(); ++i) pool.deallocate(live[i], 0, 16);
    live.resize(keep);
    expect_free_list_sound(pool);
    EXPECT_EQ(I::live_objects(pool), static_cast<std::int64_t>(live.size()));
  }
  for (void* p : live) pool.deallocate(p, 0, 16);
  EXPECT_EQ(I::live_objects(pool), 0);
  expect_free_list_sound(pool);
}

TEST(ChunkPoolTest, ObjectLargerThanAnyChunkIsRefusedWithoutSideEffects) {
  ChunkPool pool;
  void* small = pool.allocate(24, 16);
  const void* chunk = I::current_chunk(pool);
  const std::size_t offset = I::current_offset(pool);
  const std::size_t free_before = I::free_chunks(pool);

  EXPECT_EQ(pool.allocate(kPayload + 1, 16), nullptr);
  EXPECT_EQ(pool.allocate(kChunkSize - 4096 + 1, 4096), nullptr);  // padding counts
  EXPECT_EQ(pool.allocate(16, 2 * kChunkSize), nullptr);           // beyond max_align
  EXPECT_EQ(I::current_chunk(pool), chunk);
  EXPECT_EQ(I::current_offset(pool), offset);
  EXPECT_EQ(I::free_chunks(pool), free_before);
  EXPECT_EQ(ChunkPool::traits.max_size, kPayload);
  pool.deallocate(small, 24, 16);
}

TEST(ChunkPoolTest, ObjectNotFittingCurrentIsPlacedInNextChunkAfterRecheck) {
  ChunkPool pool;
  void* small = pool.allocate(24, 16);
  const void* first = I::current_chunk(pool);

  void* whole = pool.allocate(kPayload, 16);  // does not fit behind `small`
  ASSERT_NE(whole, nullptr);
  EXPECT_NE(chunk_start(whole), first);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(whole) % kChunkSize, kHeaderSize);
  std::memset(whole, 0x5a, kPayload);  // the whole payload is ours: ASan would object otherwise

  void* page = pool.allocate(kChunkSize - 4096, 4096);  // the full chunk is taken: next one
  ASSERT_NE(page, nullptr);
  EXPECT_TRUE(aligned_to(page, 4096));
  EXPECT_NE(chunk_start(page), chunk_start(whole));
  EXPECT_EQ(I::live_objects(pool), 3);
  pool.deallocate(small, 24, 16);
  pool.deallocate(whole, kPayload, 16);
  pool.deallocate(page, kChunkSize - 4096, 4096);
  EXPECT_EQ(I::live_objects(pool), 0);
}

struct alignas(64) Line {
  std::array<char, 40> bytes{};
};
struct alignas(256) Wide {
  std::array<char, 300> bytes{};
};
struct alignas(4096) Page {
  std::array<char, 100> bytes{};
};

TEST(ChunkPoolTest, OverAlignedTypesAreHonoured) {
  ChunkPool pool;
  std::vector<std::pair<char*, std::size_t>> blocks;
  for (int i = 0; i < 200; ++i) {
    auto* odd = static_cast<char*>(pool.allocate(static_cast<std::size_t>(i % 7) * 8 + 8, 8));
    Line* l = pool.make<Line>();
    Wide* w = pool.make<Wide>();
    ASSERT_TRUE(aligned_to(odd, 16));
    ASSERT_TRUE(aligned_to(l, 64));
    ASSERT_TRUE(aligned_to(w, 256));
    blocks.emplace_back(odd, static_cast<std::size_t>(i % 7) * 8 + 8);
    blocks.emplace_back(reinterpret_cast<char*>(l), sizeof(Line));
    blocks.emplace_back(reinterpret_cast<char*>(w), sizeof(Wide));
    if (i % 20 == 0) {
      Page* p = pool.make<Page>();
      ASSERT_TRUE(aligned_to(p, 4096));
      blocks.emplace_back(reinterpret_cast<char*>(p), sizeof(Page));
    }
  }
  // No two blocks overlap.
  std::sort(blocks.begin(), blocks.end());
  for (std::size_t i = 1; i < blocks.size(); ++i)
    ASSERT_LE(blocks[i - 1].first + blocks[i - 1].second, blocks[i].first);
  for (auto& [p, n] : blocks) pool.deallocate(p, n, 16);
  EXPECT_EQ(I::live_objects(pool), 0);
}

TEST(ChunkPoolTest, ZeroSizeRequestsGetUniqueBlocks) {
  ChunkPool pool;
  std::unordered_set<void*> seen;
  for (int i = 0; i < 1000; ++i) {
    void* p = pool.allocate(0, 16);
    ASSERT_NE(p, nullptr);
    ASSERT_TRUE(seen.insert(p).second);
  }
  for (void* p : seen) pool.deallocate(p, 0, 16);
  EXPECT_EQ(I::live_objects(pool), 0);
}

struct Tracked {
  static inline std::atomic<int> alive{0};
  explicit Tracked(int v) : value(v) { ++alive; }
  ~Tracked() { --alive; }
  int value;
};

TEST(ChunkPoolTest, SharedPtrPutsControlBlockInPoolAndDestroysOnLastRelease) {
  ChunkPool pool;
  void* warm = pool.allocate(16, 16);  // give this thread a current chunk
  const std::size_t offset = I::current_offset(pool);
  ASSERT_EQ(I::live_objects(pool), 1);

  std::shared_ptr<Tracked> sp = pool.make_shared<Tracked>(42);
  EXPECT_EQ(sp->value, 42);
  EXPECT_EQ(Tracked::alive, 1);
  EXPECT_TRUE(I::owns(pool, sp.get()));
  EXPECT_EQ(I::live_objects(pool), 2) << "object and control block: one pool allocation";
  EXPECT_GT(I::current_offset(pool) - offset, sizeof(Tracked)) << "control block included";

  std::shared_ptr<Tracked> copy = sp;
  std::weak_ptr<Tracked> weak = sp;
  sp.reset();
  EXPECT_EQ(Tracked::alive, 1);
  copy.reset();
  EXPECT_EQ(Tracked::alive, 0) << "destroyed with the last shared_ptr";
  EXPECT_EQ(I::live_objects(pool), 2) << "the weak_ptr still holds the control block";
  weak.reset();
  EXPECT_EQ(I::live_objects(pool), 1);
  pool.deallocate(warm, 16, 16);
}

TEST(ChunkPoolTest, MakeUniqueGivesMemoryBackThroughItsDeleter) {
  ChunkPool pool;
  {
    PoolUniquePtr<Tracked> u = pool.make_unique<Tracked>(7);
    EXPECT_EQ(u->value, 7);
    EXPECT_EQ(Tracked::alive, 1);
    EXPECT_EQ(I::live_objects(pool), 1);
  }
  EXPECT_EQ(Tracked::alive, 0);
  EXPECT_EQ(I::live_objects(pool), 0);
}

struct Throws {
  explicit Throws(bool t) {
    if (t) throw 1;
  }
};

TEST(ChunkPoolTest, MakeReleasesMemoryWhenTheConstructorThrows) {
  ChunkPool pool;
  EXPECT_THROW(pool.make<Throws>(true), int);
  EXPECT_EQ(I::live_objects(pool), 0);
}

TEST(ChunkPoolTest, PoolAllocatorServesStandardContainers) {
  ChunkPool pool;
  {
    std::vector<int, PoolAllocator<int>> v{PoolAllocator<int>(pool)};
    for (int i = 0; i < 1000; ++i) v.push_back(i);
    EXPECT_TRUE(I::owns(pool, v.data()));
    EXPECT_EQ(I::live_objects(pool), 1);
    EXPECT_EQ(v[999], 999);
    EXPECT_THROW(v.reserve(kPayload), std::bad_alloc);  // larger than a chunk
  }
  EXPECT_EQ(I::live_objects(pool), 0);
  EXPECT_TRUE(PoolAllocator<int>(pool) == PoolAllocator<double>(pool));
}

TEST(ChunkPoolTest, EmptyBlocksBeyondTheCacheAreReturnedToTheOs) {
  static_assert(chunk_pool_detail::kEmptyBlockShare == 4, "the numbers below assume a quarter");
  ChunkPool pool;
  // One whole-payload object per chunk: block b holds objects [32 b, 32 b + 32).
  std::vector<void*> objs;
  for (std::size_t i = 0; i < 20 * kChunksPerBlock; ++i) objs.push_back(pool.allocate(kPayload, 16));
  EXPECT_EQ(I::mapped_blocks(pool), 20u);
  EXPECT_EQ(I::empty_blocks(pool), 0u);

  // Empty the first 8 blocks. The cache holds max(1, in-use / 4): four while 16 are in use,
  // then three once the in-use count drops to 15..12, so 8 - 3 = 5 blocks go back.
  for (std::size_t i = 0; i < 8 * kChunksPerBlock; ++i) pool.deallocate(objs[i], kPayload, 16);
  EXPECT_EQ(I::empty_blocks(pool), 3u);
  EXPECT_EQ(I::mapped_blocks(pool), 12u + 3u);
  expect_free_list_sound(pool);

  // Everything dies (and this thread lets its current chunk go): one block stays cached.
  for (std::size_t i = 8 * kChunksPerBlock; i < objs.size(); ++i)
    pool.deallocate(objs[i], kPayload, 16);
  EXPECT_EQ(I::mapped_blocks(pool), 2u) << "the block of our current chunk is still in use";
  pool.flush_thread_cache();
  EXPECT_EQ(I::mapped_blocks(pool), 1u);
  EXPECT_EQ(I::empty_blocks(pool), 1u);
  EXPECT_EQ(I::free_chunks(pool), kChunksPerBlock);
  expect_free_list_sound(pool);

  // The cached block serves the next 32 chunks before anything new is mapped.
  objs.clear();
  for (std::size_t i = 0; i < kChunksPerBlock; ++i) objs.push_back(pool.allocate(kPayload, 16));
  EXPECT_EQ(I::mapped_blocks(pool), 1u);
  EXPECT_EQ(I::empty_blocks(pool), 0u);
  objs.push_back(pool.allocate(kPayload, 16));
  EXPECT_EQ(I::mapped_blocks(pool), 2u);
  for (void* p : objs) pool.deallocate(p, kPayload, 16);
}

// Per-thread churn with content checks; returns through `failures`.
void churn(ChunkPool& pool, unsigned seed, int iters, std::atomic<int>& failures) {
  std::mt19937 rng(seed);
  struct Block {
    unsigned char* p;
    std::size_t n;
    unsigned char tag;
  };
  std::vector<Block> live;
  auto release = [&](std::size_t i) {
    const Block b = live[i];
    for (std::size_t k = 0; k < b.n; ++k)
      if (b.p[k] != b.tag) {
        ++failures;
        break;
      }
    pool.deallocate(b.p, b.n, 16);
    live[i] = live.back();
    live.pop_back();
  };
  for (int i = 0; i < iters; ++i) {
    const std::size_t n = std::uniform_int_distribution<std::size_t>(8, 256)(rng);
    auto* p = static_cast<unsigned char*>(pool.allocate(n, 16));
    if (p == nullptr || !aligned_to(p, 16)) {
      ++failures;
      return;
    }
    const auto tag = static_cast<unsigned char>(rng());
    std::memset(p, tag, n);
    live.push_back({p, n, tag});
    if (live.size() > 512 || rng() % 4 == 0)
      release(std::uniform_int_distribution<std::size_t>(0, live.size() - 1)(rng));
  }
  while (!live.empty()) release(live.size() - 1);
}

TEST(ChunkPoolTest, ThreadedConcurrentMakeDestroy) {
  ChunkPool pool;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < 4; ++t)
    threads.emplace_back([&, t] { churn(pool, 100 + t, 30000, failures); });
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(I::live_objects(pool), 0);
  // The threads have exited: their current chunks were given back and recycled.
  EXPECT_EQ(I::free_chunks(pool), I::mapped_blocks(pool) * kChunksPerBlock);
  expect_free_list_sound(pool);
}

TEST(ChunkPoolTest, ThreadedCrossThreadDestroy) {
  ChunkPool pool;
  std::mutex m;
  std::condition_variable cv;
  std::vector<Tracked*> inbox;
  bool done = false;
  constexpr int kCount = 20000;

  std::thread producer([&] {
    for (int i = 0; i < kCount; ++i) {
      Tracked* t = pool.make<Tracked>(i);
      std::lock_guard lock(m);
      inbox.push_back(t);
      cv.notify_one();
    }
    std::lock_guard lock(m);
    done = true;
    cv.notify_one();
  });
  int consumed = 0;
  int expected = 0;
  std::vector<Tracked*> late;  // outlive the producer thread
  for (;;) {
    std::vector<Tracked*> batch;
    {
      std::unique_lock lock(m);
      cv.wait(lock, [&] { return !inbox.empty() || done; });
      batch.swap(inbox);
      if (batch.empty() && done) break;
    }
    for (Tracked* t : batch) {
      EXPECT_EQ(t->value, expected++);
      if (consumed++ % 100 == 0)
        late.push_back(t);
      else
        pool.destroy(t);
    }
  }
  producer.join();
  EXPECT_EQ(consumed, kCount);
  for (Tracked* t : late) pool.destroy(t);
  EXPECT_EQ(Tracked::alive, 0);
  EXPECT_EQ(I::live_objects(pool), 0);
  EXPECT_EQ(I::free_chunks(pool), I::mapped_blocks(pool) * kChunksPerBlock)
      << "the exited producer's current chunk must not be stranded";
  expect_free_list_sound(pool);
}

TEST(ChunkPoolTest, ThreadedShortLivedThreadsReuseSlotsAndChunks) {
  ChunkPool pool;
  for (int i = 0; i < 50; ++i) {
    std::thread([&] {
      Obj48* o = pool.make<Obj48>();
      pool.destroy(o);
    }).join();
  }
  EXPECT_EQ(I::mapped_blocks(pool), 1u) << "no chunk stranded by an exited thread";
  EXPECT_EQ(I::free_chunks(pool), kChunksPerBlock);
}

TEST(ChunkPoolTest, OneThreadUsingMorePoolsThanCacheWays) {
  constexpr std::size_t kPools = chunk_pool_detail::kCacheWays + 3;
  std::vector<std::unique_ptr<ChunkPool>> pools;
  for (std::size_t i = 0; i < kPools; ++i) pools.push_back(std::make_unique<ChunkPool>());
  std::vector<std::pair<std::size_t, Tracked*>> objs;
  for (int round = 0; round < 10; ++round)
    for (std::size_t i = 0; i < kPools; ++i)
      objs.emplace_back(i, pools[i]->make<Tracked>(static_cast<int>(i)));
  for (auto& [i, t] : objs) {
    EXPECT_EQ(t->value, static_cast<int>(i));
    pools[i]->destroy(t);
  }
  for (std::size_t i = 0; i < kPools; ++i) {
    EXPECT_EQ(I::live_objects(*pools[i]), 0);
    expect_free_list_sound(*pools[i]);
  }
  pools.clear();  // stale cache entries for dead pools stay harmless
  ChunkPool fresh;
  Tracked* t = fresh.make<Tracked>(1);
  EXPECT_EQ(t->value, 1);
  fresh.destroy(t);
  EXPECT_EQ(I::live_objects(fresh), 0);
}

// Under ASan (make test's asan build) only objects handed out are addressable; elsewhere this
// skips.
TEST(ChunkPoolAsanTest, FreedAndUnallocatedBytesArePoisoned) {
  if (!asan::kEnabled) GTEST_SKIP() << "needs an AddressSanitizer build";
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  ChunkPool pool;
  auto touch = [](void* p) { *static_cast<volatile char*>(p) = 1; };
  auto* a = static_cast<char*>(pool.allocate(24, 16));
  auto* b = static_cast<char*>(pool.allocate(24, 16));
  touch(a + 23);
  EXPECT_DEATH(touch(a + 24), "AddressSanitizer");  // the padding up to the next object
  EXPECT_DEATH(touch(b + 200), "AddressSanitizer");  // not handed out yet
  pool.deallocate(a, 24, 16);
  EXPECT_DEATH(touch(a), "AddressSanitizer");
  touch(b);
  auto obj = pool.make_unique<std::array<int, 8>>();
  (*obj)[7] = 1;
  int* raw = obj->data();
  obj.reset();
  EXPECT_DEATH(touch(raw), "AddressSanitizer");
  pool.deallocate(b, 24, 16);
}

}  // namespace
}  // namespace alloclab
