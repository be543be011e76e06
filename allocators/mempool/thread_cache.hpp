// ThreadCache: one per thread, a LIFO free list per size class. The hot path (pop / push)
// takes no lock and no atomic read-modify-write; everything else is out of line.
//
// Glossary
//   length      - objects on a class's list (a relaxed atomic only so that stats() may read
//                 it from another thread; the owner does plain load + store).
//   max_length  - the list's bound. Starts at 1 and grows by one per fetch up to the class's
//                 batch (slow start: a thread that allocates a class once keeps one object),
//                 then by a batch per fetch while the cache's byte budget allows.
//   budget      - the sum over classes of (max_length - 1) * size stays <= kMaxBytes; with the
//                 one object every class may keep, that bounds the bytes a cache can hold.
//   overflow    - a push past max_length sends one batch back to the central cache and grows
//                 max_length by one up to the batch (slow start for threads that only free);
//                 repeated overflows above the batch shrink it (a thread that only frees
//                 keeps one batch).
// Lower layer (`Central`: the central cache or a fake): remove_range(cls, n) -> ObjectRun,
// insert_range(cls, run).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "central_cache.hpp"
#include "size_classes.hpp"
#include "span.hpp"

namespace alloclab::mempool {

template <class Central>
class ThreadCache {
 public:
  static constexpr std::size_t kMaxBytes = std::size_t{4} << 20;
  static constexpr std::uint32_t kMaxLength = 8192;
  static constexpr std::uint32_t kMaxOverflows = 3;
  static constexpr std::uint32_t kFetched = UINT32_MAX;  // length_at_trim: fetched since
  // trim_idle() looks at classes of 32 KiB and up only: trimming the small ones too cost the
  // aged workload 48 instructions per allocation (the trimmed objects were fetched again).
  static constexpr unsigned kFirstTrimmed = [] {
    unsigned c = 1;
    while (c < kNumClasses && class_size(c) < (std::size_t{32} << 10)) ++c;
    return c;
  }();

  explicit ThreadCache(Central* central) noexcept : central_(central) {
    for (unsigned c = 1; c < kNumClasses; ++c) lists_[c].max_length = 1;
  }
  ThreadCache(const ThreadCache&) = delete;
  ThreadCache& operator=(const ThreadCache&) = delete;

  // --- hot path ---
  // An object of class cls, or nullptr when the list is empty (then call fetch).
  // `*(lists_ + cls)`, not `lists_[cls]`: from an array subscript GCC 12 forms the length's
  // address apart from the list's (three instructions more per call, measured on malloc).
  [[gnu::always_inline]] void* pop(unsigned cls) noexcept {
    List& l = *(lists_ + cls);
    FreeObject* o = l.head;
    if (o == nullptr) [[unlikely]] return nullptr;
    l.head = o->next;
    l.length.store(l.length.load(std::memory_order_relaxed) - 1, std::memory_order_relaxed);
    return o;
  }
  [[gnu::always_inline]] void push(void* p, unsigned cls) noexcept {
    List& l = *(lists_ + cls);
    auto* o = static_cast<FreeObject*>(p);
    o->next = l.head;
    l.head = o;
    const std::uint32_t n = l.length.load(std::memory_order_relaxed) + 1;
    l.length.store(n, std::memory_order_relaxed);
    if (n > l.max_length) [[unlikely]] overflow(cls);
  }

  // --- slow paths ---
  // Refills the list from the central cache and returns one object (nullptr: out of memory).
  [[gnu::noinline]] void* fetch(unsigned cls) noexcept {
    List& l = lists_[cls];
    const std::size_t batch = class_batch(cls);
    const std::size_t want = l.max_length < batch ? l.max_length : batch;
    ObjectRun run = central_->remove_range(cls, want);
    if (run.count == 0) return nullptr;
    l.length_at_trim = kFetched;
    FreeObject* first = run.head;
    if (run.count > 1) {
      run.tail->next = l.head;
      l.head = first->next;
      l.length.store(l.length.load(std::memory_order_relaxed) +
                         static_cast<std::uint32_t>(run.count - 1),
                     std::memory_order_relaxed);
    }
    grow(cls);
    return first;
  }

  // Gives every cached object back (thread exit, release()).
  void flush() noexcept {
    for (unsigned c = 1; c < kNumClasses; ++c)
      while (lists_[c].length.load(std::memory_order_relaxed) > 0)
        release_batch(c, class_batch(c));
  }

  // Owner thread, now and then (heap.cpp: as the heap grows): half (rounded up) of each list
  // that neither fetched nor got shorter since the last call goes back to the central cache.
  // tcmalloc scavenges by the low-water mark; the length at the last call and fetch()'s mark
  // stand in for it, so that pop and push stay as they are. Rounded up: a compiler kept one
  // block in each of the big classes, 2.2 MiB of its 20.
  void trim_idle() noexcept {
    for (unsigned c = kFirstTrimmed; c < kNumClasses; ++c) {
      List& l = lists_[c];
      const std::uint32_t len = l.length.load(std::memory_order_relaxed);
      if (len > 0 && len >= l.length_at_trim && l.length_at_trim != kFetched)
        release_batch(c, (len + 1) / 2);
      l.length_at_trim = l.length.load(std::memory_order_relaxed);
    }
  }

  // Bytes cached (any thread may read it; a snapshot).
  std::size_t bytes() const noexcept {
    std::size_t b = 0;
    for (unsigned c = 1; c < kNumClasses; ++c)
      b += lists_[c].length.load(std::memory_order_relaxed) * class_size(c);
    return b;
  }
  std::uint32_t length(unsigned cls) const noexcept {
    return lists_[cls].length.load(std::memory_order_relaxed);
  }
  std::uint32_t max_length(unsigned cls) const noexcept { return lists_[cls].max_length; }
  std::size_t budget_used() const noexcept { return budget_used_; }

  // Owner thread only: every cached object walked, `check(object, cls)` false -> error.
  template <class Check>
  const char* validate(Check check) const noexcept {
    for (unsigned c = 1; c < kNumClasses; ++c) {
      std::uint32_t n = 0;
      for (FreeObject* o = lists_[c].head; o != nullptr; o = o->next) {
        if (!check(static_cast<void*>(o), c)) return "thread cache holds a foreign object";
        if (++n > lists_[c].length.load(std::memory_order_relaxed)) break;
      }
      if (n != lists_[c].length.load(std::memory_order_relaxed))
        return "thread cache list length does not match";
    }
    return nullptr;
  }

  ThreadCache* prev = nullptr;  // registry links (owned by the heap)
  ThreadCache* next = nullptr;

 private:
  struct List {
    FreeObject* head = nullptr;
    std::atomic<std::uint32_t> length{0};
    std::uint32_t max_length = 0;
    std::uint32_t overflows = 0;
    std::uint32_t length_at_trim = 0;  // trim_idle()'s last look, or kFetched since
  };

  void grow(unsigned cls) noexcept {
    List& l = lists_[cls];
    const std::size_t batch = class_batch(cls);
    const std::size_t step = l.max_length < batch ? 1 : batch;
    if (l.max_length + step > kMaxLength) return;
    if (budget_used_ + step * class_size(cls) > kMaxBytes) return;
    l.max_length += static_cast<std::uint32_t>(step);
    budget_used_ += step * class_size(cls);
  }

  [[gnu::noinline]] void overflow(unsigned cls) noexcept {
    List& l = lists_[cls];
    const auto batch = static_cast<std::uint32_t>(class_batch(cls));
    release_batch(cls, batch);
    // A thread that frees what others allocated (a consumer) never fetches: it grows its
    // bound here, up to one batch, so that it sends whole batches (one transfer slot, O(1)
    // under the lock) instead of a lock and a span walk every other free.
    if (l.max_length < batch) {
      grow(cls);
    } else if (l.max_length > batch && ++l.overflows > kMaxOverflows) {
      l.max_length -= batch;
      budget_used_ -= batch * class_size(cls);
      l.overflows = 0;
    }
  }

  // Sends up to n objects from the head of the list to the central cache.
  void release_batch(unsigned cls, std::size_t n) noexcept {
    List& l = lists_[cls];
    const std::uint32_t len = l.length.load(std::memory_order_relaxed);
    if (n > len) n = len;
    if (n == 0) return;
    ObjectRun run{l.head, l.head, n};
    for (std::size_t i = 1; i < n; ++i) run.tail = run.tail->next;
    l.head = run.tail->next;
    l.length.store(len - static_cast<std::uint32_t>(n), std::memory_order_relaxed);
    central_->insert_range(cls, run);
  }

  Central* central_;
  std::size_t budget_used_ = 0;
  List lists_[kNumClasses];
};

}  // namespace alloclab::mempool
