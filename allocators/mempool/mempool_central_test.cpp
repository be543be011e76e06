// The central free lists alone, over a fake page source.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include "central_cache.hpp"
#include "mempool_fakes.hpp"

namespace alloclab::mempool {
namespace {

using testing::FakePages;

std::vector<FreeObject*> to_vector(const ObjectRun& run) {
  std::vector<FreeObject*> v;
  FreeObject* o = run.head;
  for (std::size_t i = 0; i < run.count; ++i, o = o->next) v.push_back(o);
  return v;
}

ObjectRun to_run(const std::vector<FreeObject*>& v) {
  ObjectRun run{v.front(), v.back(), v.size()};
  for (std::size_t i = 0; i + 1 < v.size(); ++i) v[i]->next = v[i + 1];
  return run;
}

// One list of the 64-byte class over fake pages, and a whole batch taken from it.
struct OneBatch {
  FakePages pages;
  CentralFreeList<FakePages> list;
  unsigned cls = size_to_class(64);
  ObjectRun run;
  OneBatch() {
    list.init(&pages, cls);
    run = list.remove_range(class_batch(cls));
  }
};

TEST(MempoolCentral, ObjectsStayInsideTheirSpanAtOddMultiplesOf8) {
  // Seed bug: objects carved past the span's end overlapped the neighbour.
  for (std::size_t n : {24u, 40u, 72u, 200u, 1000u, 5000u}) {
    FakePages pages;
    CentralFreeList<FakePages> list;
    const unsigned cls = size_to_class(n);
    list.init(&pages, cls);
    std::vector<FreeObject*> all;
    for (int i = 0; i < 5; ++i) {
      auto v = to_vector(list.remove_range(class_objects(cls) + 3));  // crosses spans
      all.insert(all.end(), v.begin(), v.end());
    }
    std::set<FreeObject*> unique(all.begin(), all.end());
    EXPECT_EQ(unique.size(), all.size());
    for (FreeObject* o : all) {
      Span* s = pages.span_of(o);
      ASSERT_NE(s, nullptr);
      auto* c = reinterpret_cast<char*>(o);
      EXPECT_LE(c + class_size(cls), static_cast<char*>(s->base()) + s->bytes());
      EXPECT_EQ(reinterpret_cast<std::uintptr_t>(o) % 16, 0u);
      std::memset(o, 0xab, class_size(cls));  // every byte written: overlap would corrupt spans
    }
    EXPECT_STREQ(list.validate(), nullptr);
    list.insert_range(to_run(all));
    EXPECT_STREQ(list.validate(), nullptr);
    EXPECT_EQ(pages.spans_freed, pages.spans_allocated);  // all empty spans went back
  }
}

TEST(MempoolCentral, PagesWhoseObjectsAreAllFreeGoBackWhileTheSpanIsInUse) {
  // One live object per span pins it; the pages the others sat on go back to the OS (the fake
  // zeroes them, as madvise does), and the objects come back when the spans run dry.
  for (std::size_t n : {1152u, 2048u, 3200u, 9000u}) {
    FakePages pages;
    CentralFreeList<FakePages> list;
    const unsigned cls = size_to_class(n);
    ASSERT_GE(class_pages(cls), 2u);
    list.init(&pages, cls);
    const std::size_t objects = class_objects(cls), spans = (std::size_t{4} << 20) / (class_pages(cls) * kPageSize);
    std::vector<FreeObject*> all, pins;
    for (std::size_t i = 0; i < spans * objects; ++i) {
      FreeObject* o = list.remove_range(1).head;
      std::memset(o, 0xab, class_size(cls));
      all.push_back(o);
    }
    for (FreeObject* o : all) {
      auto* base = static_cast<char*>(pages.span_of(o)->base());
      if (reinterpret_cast<char*>(o) == base) pins.push_back(o);  // the first object of each span
      else list.insert_range(ObjectRun{o, o, 1});  // one at a time: back to its span
    }
    EXPECT_EQ(pins.size(), spans);
    EXPECT_EQ(pages.spans_freed, 0u);
    EXPECT_GT(pages.released_bytes, 0u) << n;
    EXPECT_GT(list.counts().released_pages, 0u) << n;
    EXPECT_STREQ(list.validate(), nullptr);
    // Everything freed comes back without a new span, each object once, none a pin.
    std::set<FreeObject*> again(pins.begin(), pins.end());
    for (std::size_t i = 0; i < spans * (objects - 1); ++i) {
      FreeObject* o = list.remove_range(1).head;
      ASSERT_NE(o, nullptr);
      EXPECT_TRUE(again.insert(o).second) << "handed out twice";
      std::memset(o, 0xcd, class_size(cls));
    }
    EXPECT_EQ(pages.spans_allocated, spans) << n;
    EXPECT_EQ(list.counts().released_pages, 0u);
    EXPECT_STREQ(list.validate(), nullptr);
    for (FreeObject* o : again) list.insert_range(ObjectRun{o, o, 1});
    EXPECT_EQ(pages.spans_freed, pages.spans_allocated);
    EXPECT_STREQ(list.validate(), nullptr);
  }
}

TEST(MempoolCentral, ASteadyLoadKeepsItsPages) {
  // larson's pattern: objects freed and taken again at random, the live count a random walk
  // around 4 MiB. Its rises past the scan step are not a shrink: pages released then fault
  // straight back in (a scan on each rise of 1 MiB released some here).
  FakePages pages;
  CentralFreeList<FakePages> list;
  const unsigned cls = size_to_class(2048);
  ASSERT_GE(class_pages(cls), 2u);
  list.init(&pages, cls);
  std::vector<FreeObject*> live;
  const std::size_t start = (std::size_t{4} << 20) / class_size(cls);
  for (std::size_t i = 0; i < start; ++i) live.push_back(list.remove_range(1).head);
  std::mt19937_64 rng(7);
  auto free_one = [&] {
    const std::size_t i = rng() % live.size();
    std::swap(live[i], live.back());
    list.insert_range(ObjectRun{live.back(), live.back(), 1});
    live.pop_back();
  };
  for (int step = 0; step < 100000; ++step) {  // 8 frees or 8 allocations a step
    const bool freeing = rng() % 2 == 0;
    for (int i = 0; i < 8; ++i) {
      if (freeing && live.size() > start / 2) free_one();
      else if (!freeing && live.size() < start / 2 * 3) live.push_back(list.remove_range(1).head);
    }
  }
  EXPECT_EQ(pages.released_bytes, 0u);
  EXPECT_STREQ(list.validate(), nullptr);
  // A shrink right after such a phase must outweigh its hand-outs (see maybe_scavenge); until
  // then its pages go back as whole spans empty. A shrink from a fresh start releases pages:
  // PagesWhoseObjectsAreAllFreeGoBackWhileTheSpanIsInUse.
  while (!live.empty()) free_one();
  EXPECT_EQ(pages.spans_freed, pages.spans_allocated);
}

TEST(MempoolCentral, IdleSlotsGoBackToTheirSpans) {
  OneBatch b;
  auto& [pages, list, cls, run] = b;
  ASSERT_EQ(run.count, class_batch(cls));
  list.insert_range(run);  // a whole batch: parked in a slot, its span stays
  EXPECT_EQ(pages.spans_freed, 0u);
  list.drain_if_idle();  // the class handed objects out since the last look: kept
  EXPECT_EQ(pages.spans_freed, 0u);
  list.drain_if_idle();  // nothing since: the batch goes back and its span empties
  EXPECT_EQ(pages.spans_freed, 1u);
  EXPECT_STREQ(list.validate(), nullptr);
}

TEST(MempoolCentral, FullBatchesMoveThroughTransferSlots) {
  OneBatch b;
  auto& [pages, list, cls, run] = b;
  ASSERT_EQ(run.count, class_batch(cls));
  FreeObject* head = run.head;
  list.insert_range(run);
  EXPECT_EQ(list.counts().out, 0u);
  ObjectRun again = list.remove_range(class_batch(cls));
  EXPECT_EQ(again.head, head);  // the same batch, O(1), no span walk
  EXPECT_STREQ(list.validate(), nullptr);
  list.insert_range(again);
  list.drain();
  EXPECT_EQ(pages.spans_freed, pages.spans_allocated);
  EXPECT_STREQ(list.validate(), nullptr);
}

TEST(MempoolCentral, PartialReturnsKeepCountsConsistent) {
  FakePages pages;
  CentralFreeList<FakePages> list;
  const unsigned cls = size_to_class(48);
  list.init(&pages, cls);
  auto v = to_vector(list.remove_range(100));
  ASSERT_EQ(v.size(), 100u);
  std::vector<FreeObject*> odd, even;
  for (std::size_t i = 0; i < v.size(); ++i) (i % 2 ? odd : even).push_back(v[i]);
  list.insert_range(to_run(odd));
  EXPECT_EQ(list.counts().out, 50u);
  EXPECT_STREQ(list.validate(), nullptr);
  auto w = to_vector(list.remove_range(30));  // reuses the returned objects first
  for (FreeObject* o : w) EXPECT_TRUE(std::find(odd.begin(), odd.end(), o) != odd.end());
  list.insert_range(to_run(w));
  list.insert_range(to_run(even));
  EXPECT_EQ(list.counts().out, 0u);
  EXPECT_EQ(pages.spans_freed, pages.spans_allocated);
}

TEST(MempoolCentral, CacheInitialisesEveryClass) {
  FakePages pages;
  auto central = std::make_unique<CentralCache<FakePages>>(&pages);
  for (unsigned c = 1; c < kNumClasses; c += 7) {
    ObjectRun r = central->remove_range(c, 1);
    ASSERT_EQ(r.count, 1u);
    central->insert_range(c, r);
  }
  EXPECT_EQ(pages.spans_freed, pages.spans_allocated);
}

// Takes `batches` whole batches of each class in `classes`, then gives them all back.
std::size_t park_everything(CentralCache<FakePages>& central, const std::vector<unsigned>& classes,
                            std::size_t batches) {
  std::vector<std::pair<unsigned, ObjectRun>> out;
  for (unsigned c : classes)
    for (std::size_t i = 0; i < batches; ++i) out.emplace_back(c, central.remove_range(c, class_batch(c)));
  for (auto& [c, run] : out) central.insert_range(c, run);
  return out.size();
}

TEST(MempoolCentral, SlotsOfAllClassesShareOneByteBound) {
  // 8 classes x 60 batches of 32 objects of 1-2 KiB: ~20 MiB freed at once. Per class that fits
  // the slots; together only the shared bound is parked, the rest goes back to spans.
  FakePages pages;
  auto central = std::make_unique<CentralCache<FakePages>>(&pages);
  std::vector<unsigned> classes;
  for (std::size_t n = 1024; classes.size() < 8; n += 128) classes.push_back(size_to_class(n));
  park_everything(*central, classes, 60);
  EXPECT_LE(central->parked_bytes(), CentralFreeList<FakePages>::kParkedBytes);
  EXPECT_GT(central->parked_bytes(), CentralFreeList<FakePages>::kParkedBytes / 2);
  EXPECT_GT(pages.spans_freed, 0u);
  for (unsigned c : classes) {
    EXPECT_STREQ((*central)[c].validate(), nullptr);
    EXPECT_EQ((*central)[c].counts().out, 0u);
    (*central)[c].drain();
  }
  EXPECT_EQ(central->parked_bytes(), 0u);
  EXPECT_EQ(pages.spans_freed, pages.spans_allocated);
}

TEST(MempoolCentral, ParksPastTheBoundWhenThePageHeapHoldsHalfItsLimit) {
  // Spans freed then would only be released to the OS and faulted in again.
  FakePages pages;
  pages.free_bytes = pages.retain / 2;
  auto central = std::make_unique<CentralCache<FakePages>>(&pages);
  std::vector<unsigned> classes;
  for (std::size_t n = 1024; classes.size() < 8; n += 128) classes.push_back(size_to_class(n));
  park_everything(*central, classes, 60);
  EXPECT_GT(central->parked_bytes(), CentralFreeList<FakePages>::kParkedBytes);
  EXPECT_EQ(pages.spans_freed, 0u);
  for (unsigned c : classes) (*central)[c].drain();
  EXPECT_EQ(central->parked_bytes(), 0u);
  EXPECT_EQ(pages.spans_freed, pages.spans_allocated);
}

TEST(MempoolCentral, ABatchParkedUnderTheLockIsRecordedForItsTaker) {
  // The thread that parks a batch records its objects (the taker prefetches them); one that
  // came through `incoming` (the lock was busy) is not recorded, and both come back whole.
  FakePages pages;
  auto objects = std::make_unique<CentralCache<FakePages>::SlotObjects[]>(kNumClasses);
  auto central = std::make_unique<CentralCache<FakePages>>(&pages, objects.get());
  const unsigned cls = size_to_class(64);
  const std::size_t n = class_batch(cls);
  const ObjectRun a = central->remove_range(cls, n), b = central->remove_range(cls, n);
  const std::vector<FreeObject*> a_objects = to_vector(a), b_objects = to_vector(b);
  central->insert_range(cls, a);
  EXPECT_EQ((*central)[cls].recorded_slots(), 1u);
  (*central)[cls].lock();
  central->insert_range(cls, b);
  (*central)[cls].unlock();
  EXPECT_EQ((*central)[cls].recorded_slots(), 1u);
  EXPECT_STREQ((*central)[cls].validate(), nullptr);
  EXPECT_EQ(to_vector(central->remove_range(cls, n)), b_objects);  // LIFO: the last parked
  EXPECT_EQ(to_vector(central->remove_range(cls, n)), a_objects);
  EXPECT_EQ((*central)[cls].recorded_slots(), 0u);
}

TEST(MempoolCentral, WholeBatchesComeBackWithoutWaitingForTheLock) {
  // A consumer's give-back never waits on the class lock: with the lock held (here by this
  // very thread, which would deadlock on a locked path) whole batches go onto `incoming`, past
  // the shared bound too, and the next holder applies the bound: the batches past it go back
  // to their spans.
  FakePages pages;
  auto central = std::make_unique<CentralCache<FakePages>>(&pages);
  std::vector<unsigned> others;
  for (std::size_t n = 1024; others.size() < 8; n += 128) others.push_back(size_to_class(n));
  park_everything(*central, others, 60);  // fills the shared bound
  const std::size_t freed_before = pages.spans_freed, parked_before = central->parked_bytes();
  const unsigned cls = size_to_class(64);
  const std::size_t batches = CentralFreeList<FakePages>::kMaxSlots;
  std::vector<ObjectRun> out;
  for (std::size_t i = 0; i < batches; ++i)
    out.push_back(central->remove_range(cls, class_batch(cls)));
  (*central)[cls].lock();
  for (const ObjectRun& run : out) central->insert_range(cls, run);
  EXPECT_EQ(pages.spans_freed, freed_before);  // nothing reached the spans: no lock was taken
  EXPECT_EQ(central->parked_bytes(), parked_before + batches * class_batch(cls) * class_size(cls));
  (*central)[cls].unlock();
  EXPECT_EQ((*central)[cls].counts().out, 0u);  // takes incoming
  EXPECT_LE(central->parked_bytes(), CentralFreeList<FakePages>::kParkedBytes);
  EXPECT_GT(pages.spans_freed, freed_before);
  EXPECT_STREQ((*central)[cls].validate(), nullptr);
  for (unsigned c : others) (*central)[c].drain();
  (*central)[cls].drain();
  EXPECT_EQ(central->parked_bytes(), 0u);
  EXPECT_EQ(pages.spans_freed, pages.spans_allocated);
}

TEST(MempoolCentral, ProducerAndConsumerThreadsMoveBatchesThroughIncoming) {
  // xmalloc's pattern on the central cache alone: one thread takes batches, the other gives
  // them back (lock-free pushes racing the taker's exchange); every object is accounted for.
  FakePages pages;
  auto central = std::make_unique<CentralCache<FakePages>>(&pages);
  const unsigned cls = size_to_class(64);
  constexpr std::size_t kRing = 16, kBatches = 4000;
  std::atomic<FreeObject*> ring[kRing] = {};
  std::atomic<std::size_t> seen{0};
  std::thread consumer([&] {
    for (std::size_t i = 0; i < kBatches; ++i) {
      FreeObject* head;
      while ((head = ring[i % kRing].exchange(nullptr, std::memory_order_acquire)) == nullptr)
        std::this_thread::yield();
      ObjectRun run{head, head, 1};
      while (run.count < class_batch(cls)) run.tail = run.tail->next, ++run.count;
      seen.fetch_add(run.count, std::memory_order_relaxed);
      central->insert_range(cls, run);
    }
  });
  for (std::size_t i = 0; i < kBatches; ++i) {
    ObjectRun run = central->remove_range(cls, class_batch(cls));
    ASSERT_EQ(run.count, class_batch(cls));
    while (ring[i % kRing].load(std::memory_order_acquire) != nullptr) std::this_thread::yield();
    ring[i % kRing].store(run.head, std::memory_order_release);
  }
  consumer.join();
  EXPECT_EQ(seen.load(), kBatches * class_batch(cls));
  EXPECT_EQ((*central)[cls].counts().out, 0u);
  EXPECT_STREQ((*central)[cls].validate(), nullptr);
  (*central)[cls].drain();
  EXPECT_EQ(pages.spans_freed, pages.spans_allocated);
}

}  // namespace
}  // namespace alloclab::mempool
