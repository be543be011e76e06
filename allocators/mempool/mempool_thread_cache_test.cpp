// The thread cache alone, over a fake central cache.
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "mempool_fakes.hpp"
#include "thread_cache.hpp"

namespace alloclab::mempool {
namespace {

using testing::FakeCentral;
using Cache = ThreadCache<FakeCentral>;

TEST(MempoolThreadCache, TrimIdleReturnsIdleBigClassesOnly) {
  FakeCentral central;
  auto cache = std::make_unique<Cache>(&central);
  const unsigned big = size_to_class(100000), small = size_to_class(64);
  // One block of each class fetched, then freed: both lists hold one.
  void* b = cache->fetch(big);
  void* s = cache->fetch(small);
  cache->push(b, big);
  cache->push(s, small);
  ASSERT_EQ(cache->length(big), 1u);
  // Fetched since the last look: not idle yet.
  cache->trim_idle();
  EXPECT_EQ(cache->length(big), 1u);
  // Untouched since: the big block goes back, the small class is never trimmed.
  const std::size_t inserts = central.inserts;
  cache->trim_idle();
  EXPECT_EQ(cache->length(big), 0u);
  EXPECT_EQ(central.inserts, inserts + 1);
  EXPECT_EQ(cache->length(small), 1u);
  cache->flush();
  EXPECT_EQ(central.outstanding, 0u);
}

TEST(MempoolThreadCache, SlowStartGrowsFetchesUpToTheBatch) {
  FakeCentral central;
  auto cache = std::make_unique<Cache>(&central);
  const unsigned cls = size_to_class(32);
  std::vector<void*> got;
  std::vector<std::size_t> fetch_sizes;
  for (int i = 0; i < 600; ++i) {
    void* p = cache->pop(cls);
    if (p == nullptr) {
      p = cache->fetch(cls);
      fetch_sizes.push_back(central.last_remove);
    }
    ASSERT_NE(p, nullptr);
    got.push_back(p);
  }
  ASSERT_GE(fetch_sizes.size(), 3u);
  EXPECT_EQ(fetch_sizes[0], 1u);
  EXPECT_EQ(fetch_sizes[1], 2u);
  EXPECT_EQ(fetch_sizes[2], 3u);
  EXPECT_EQ(fetch_sizes.back(), class_batch(cls));
  for (void* p : got) cache->push(p, cls);
  cache->flush();
  EXPECT_EQ(central.outstanding, 0u);
  EXPECT_EQ(cache->bytes(), 0u);
}

TEST(MempoolThreadCache, OverflowReturnsWholeBatches) {
  FakeCentral central;
  auto cache = std::make_unique<Cache>(&central);
  const unsigned cls = size_to_class(100);
  // Objects the cache never fetched (another thread's): the list overflows and spills.
  ObjectRun run = central.remove_range(cls, 1000);
  FreeObject* o = run.head;
  for (std::size_t i = 0; i < run.count; ++i) {
    FreeObject* next = o->next;
    cache->push(o, cls);
    ASSERT_LE(cache->length(cls), cache->max_length(cls));
    o = next;
  }
  EXPECT_GT(central.inserts, 0u);
  EXPECT_LE(central.last_insert, class_batch(cls));
  cache->flush();
  EXPECT_EQ(central.outstanding, 0u);
}

TEST(MempoolThreadCache, AThreadThatOnlyFreesSoonSendsWholeBatches) {
  // A consumer of another thread's blocks: its bound grows on overflow, up to one batch, and
  // from then on every spill is one whole batch (a transfer slot), not a run of two.
  FakeCentral central;
  auto cache = std::make_unique<Cache>(&central);
  const unsigned cls = size_to_class(64);
  const std::size_t batch = class_batch(cls);
  ObjectRun run = central.remove_range(cls, 50 * batch);
  FreeObject* o = run.head;
  std::size_t whole = 0, spills = 0;
  for (std::size_t i = 0; i < run.count; ++i) {
    FreeObject* next = o->next;
    const std::size_t before = central.inserts;
    cache->push(o, cls);
    if (central.inserts != before) {
      ++spills;
      whole += central.last_insert == batch;
    }
    o = next;
  }
  EXPECT_EQ(cache->max_length(cls), batch);
  EXPECT_LE(spills, batch + run.count / batch);  // slow start, then one per batch (not per 2)
  EXPECT_GE(whole + batch, spills);              // all but the slow start's spills are whole
  EXPECT_GE(whole * batch, run.count / 2);       // most objects went back in whole batches
  cache->flush();
  EXPECT_EQ(central.outstanding, 0u);
}

TEST(MempoolThreadCache, TotalBytesStayWithinTheBudget) {
  FakeCentral central;
  auto cache = std::make_unique<Cache>(&central);
  std::vector<std::pair<void*, unsigned>> live;
  for (unsigned cls = 1; cls < kNumClasses; ++cls)
    for (int i = 0; i < 400; ++i) {
      void* p = cache->pop(cls);
      if (p == nullptr) p = cache->fetch(cls);
      live.push_back({p, cls});
    }
  for (auto [p, cls] : live) cache->push(p, cls);
  EXPECT_LE(cache->budget_used(), Cache::kMaxBytes);
  std::size_t one_each = 0;
  for (unsigned cls = 1; cls < kNumClasses; ++cls) one_each += class_size(cls);
  EXPECT_LE(cache->bytes(), Cache::kMaxBytes + one_each);
  EXPECT_EQ(cache->validate([](void*, unsigned) { return true; }), nullptr);
  cache->flush();
  EXPECT_EQ(central.outstanding, 0u);
}

}  // namespace
}  // namespace alloclab::mempool
