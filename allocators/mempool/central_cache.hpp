// CentralCache: per size class, the objects no thread cache holds, shared by all threads.
//
// Glossary
//   batch          - class_batch(c) objects linked through their first word, moved as a unit
//                    between thread caches and here.
//   transfer slots - a small stack of whole batches ({head, tail}) per class: a thread cache
//                    that overflows parks a batch, another that runs dry takes it, both O(1).
//   parked bytes   - what all classes' slots hold together (one counter shared by the
//                    CentralCache's lists), kept under kParkedBytes while the page heap has
//                    room for the spans it would free (see park()).
//   incoming       - whole batches a thread cache gave back while the lock was busy: a
//                    push-only lock-free stack, emptied into the slots by the next holder.
//   slot objects   - the objects of a batch parked under the lock, recorded by the thread that
//                    parked it, so that the taker prefetches them all at once (below).
//   nonempty list  - the class's spans that still have free or never-carved objects.
//   objects out    - objects handed to thread caches (or the program), not yet returned.
//   subrelease     - giving back to the OS the pages of a span still in use on which every
//                    object is free (see scavenge()); objects starting on such a page leave
//                    the span's free list (their links would read as zeros) and come back when
//                    the span runs dry (reclaim()).
// Locking: one SpinLock per class; a class's lock is held while it calls the page heap
// (lock order: class, then page heap). A whole batch given back while the lock is busy takes
// no lock: one CAS onto `incoming` (mimalloc's remote free is one CAS too). Waiting for the
// lock instead, a consumer thread (xmalloc --batch 4096, 8-2048 B, two threads on a loaded
// machine) waited on its producer, which held the lock while it carved fresh spans (page
// faults), and gave its CPU away in sched_yield: it fell up to all 64 batches behind, peak RSS
// 2-4x mimalloc's. While the lock is free the batch is parked under it, with its objects
// recorded: a taker that only chased the batch's links (lines the freeing thread wrote) paid
// one cross-core miss after the other (84 % of the replay loop's samples on xmalloc's
// 64-byte row); prefetching the recorded objects overlaps those misses.
// Lower layer (`Pages`, the page heap or a fake): allocate_small(cls), free_span(span),
// span_of(p) (lock-free); stats().free / .released, retain_limit(), lock() / unlock() for
// park()'s check; release_pages(p, bytes) for scavenge().
#pragma once

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "size_classes.hpp"
#include "span.hpp"
#include "spin_lock.hpp"

namespace alloclab::mempool {

// A linked run of objects: head ... tail, tail->next unspecified.
struct ObjectRun {
  FreeObject* head = nullptr;
  FreeObject* tail = nullptr;
  std::size_t count = 0;
};

template <class Pages>
class CentralFreeList {
 public:
  // Room for what a consumer frees while its producer waits (xmalloc --batch 4096: 128 batches
  // of 64-byte blocks): with 64 slots and 1 MiB, half of each hand-off went back to spans one
  // object at a time and was gathered again. Unused slots cost BSS only, never RSS.
  static constexpr std::size_t kMaxSlots = 256;
  static constexpr std::size_t kSlotBytes = std::size_t{4} << 20;  // per class, in whole batches
  // Bound on the bytes parked in all classes' slots together. Each class's slots random-walk
  // between empty (its thread caches carve new spans) and full, so per-class bounds alone let
  // every class drift to its cap: xmalloc --batch 4096, 8-2048 bytes parked 42-76 MiB while
  // 9-67 MiB were live. Past this bound whole batches go back to their spans, whose freed
  // pages any class can reuse.
  static constexpr std::size_t kParkedBytes = std::size_t{8} << 20;
  // scavenge() runs when the class's free bytes grew by max(this, an eighth of its spans)
  // since their low and the objects back to spans since then outnumber twice those taken
  // again: a shrink, not the ups and downs of a steady load (larson, 10000 slots of 8-16000
  // bytes: 9755 madvise calls, whose TLB shootdowns took 20 % of the run, against 3).
  static constexpr std::size_t kScavengeStep = std::size_t{1} << 20;

  // Per class, the objects of each slot's batch (row[0] == nullptr: not recorded, the batch
  // came through `incoming`). Kept apart from the lists, whose constinit instance is in .data:
  // the rows (64 KiB a class) are .bss, zero pages until a batch is parked.
  using SlotObjects = FreeObject* [kMaxSlots][kMaxBatch];

  constexpr CentralFreeList() = default;
  CentralFreeList(const CentralFreeList&) = delete;
  CentralFreeList& operator=(const CentralFreeList&) = delete;

  // pre: called once before use (CentralCache's constructor does). `parked` counts the bytes in
  // every class's slots; nullptr: this list alone (tests). `objects`: nullptr, nothing recorded.
  constexpr void init(Pages* pages, unsigned cls, std::atomic<std::size_t>* parked = nullptr,
                      SlotObjects* objects = nullptr) noexcept {
    pages_ = pages;
    parked_ = parked;
    objects_ = objects;
    cls_ = cls;
    size_ = class_size(cls);
    batch_ = class_batch(cls);
    const std::size_t slots = kSlotBytes / (size_ * batch_);
    max_slots_ = slots < 1 ? 1 : (slots > kMaxSlots ? kMaxSlots : slots);
  }

  // Up to n objects (n >= 1); count == 0 only when out of memory.
  ObjectRun remove_range(std::size_t n) noexcept {
    Gathered got;
    {
      SpinGuard g(lock_);
      take_incoming();
      if (n == batch_ && slots_used_ > 0) {
        const Slot& s = slots_[--slots_used_];
        queued_.fetch_sub(1, std::memory_order_relaxed);
        prefetch_recorded(slots_used_);
        got.run = {s.head, s.tail, n};
        held_ -= n;
        reused_ += n;
        unpark(1);
      } else {
        gather(n, got);
      }
      out_ += got.run.count;
      ++removes_;
    }
    for (std::size_t i = 0; i < got.ranges; ++i) link_carved(got.run, got.carved[i]);
    return got.run;
  }

  // Takes back a run of run.count objects of this class.
  void insert_range(ObjectRun run) noexcept {
    // If another thread holds the lock, the batch waits on incoming for it (take_incoming
    // applies the bound) rather than this thread.
    if (!lock_.try_lock()) {
      if (run.count == batch_ && parked_ != nullptr && push_incoming(run)) return;
      lock_.lock();
    }
    take_incoming();
    insert_locked(run);
    lock_.unlock();
  }

  // Empties the transfer slots into their spans, so empty spans go back to the page heap.
  void drain() noexcept {
    SpinGuard g(lock_);
    drain_locked();
  }

  // Empties the slots when the class handed nothing out since the last call: its parked
  // batches are idle, and the spans they pin may empty for other classes (a compiler's heap: 3
  // of its 20 MiB parked at exit). A class that only kept even (as many back as out) is not
  // idle: draining those slots made the aged workload 1.4x slower.
  void drain_if_idle() noexcept {
    SpinGuard g(lock_);
    const bool idle = removes_ == removes_at_check_;
    removes_at_check_ = removes_;
    if (idle) drain_locked();
  }

  struct Counts {
    std::size_t out = 0;   // objects outside (thread caches and the program)
    std::size_t held = 0;  // free objects here: slots, span free lists, uncarved
    std::size_t released_pages = 0;  // pages of spans in use given back (subrelease)
  };
  Counts counts() noexcept {
    SpinGuard g(lock_);
    take_incoming();
    return {out_, held_, released_pages_};
  }

  // Debug walk of this class's spans: nullptr when consistent.
  const char* validate() noexcept {
    SpinGuard g(lock_);
    take_incoming();
    std::size_t in_spans = 0;
    for (Span* s = nonempty_.front(); s != nullptr; s = s->next) {
      if (s->state != SpanState::kSmall || s->size_class != cls_) return "wrong span in class list";
      if (pages_->span_of(s->base()) != s) return "span not mapped to itself";
      std::size_t free_count = 0;
      for (FreeObject* o = s->free; o != nullptr; o = o->next) {
        auto* c = reinterpret_cast<char*>(o);
        const auto* base = static_cast<const char*>(s->base());
        if (c < base || c >= s->carve || static_cast<std::size_t>(c - base) % size_ != 0)
          return "free object outside its span or off an object boundary";
        if (++free_count > class_objects(cls_)) return "cycle in a span's free list";
      }
      const std::size_t uncarved = static_cast<std::size_t>(s->limit - s->carve) / size_;
      const std::size_t unlinked = starts_on(s->released_pages);
      if (s->allocated + free_count + uncarved + unlinked != class_objects(cls_))
        return "span's objects do not add up";
      if (free_count + uncarved + unlinked == 0) return "full span on the nonempty list";
      in_spans += free_count + uncarved + unlinked;
    }
    if (in_spans + slots_used_ * batch_ != held_) return "central held count does not match";
    for (std::size_t i = 0; i < recorded_limit(); ++i) {
      if ((*objects_)[i][0] == nullptr) continue;
      FreeObject* o = slots_[i].head;
      for (std::size_t k = 0; k < batch_; ++k, o = o->next)
        if ((*objects_)[i][k] != o) return "a slot's recorded objects are not its batch";
    }
    return nullptr;
  }
  // Slots in use whose objects are recorded (tests).
  std::size_t recorded_slots() noexcept {
    SpinGuard g(lock_);
    take_incoming();
    std::size_t n = 0;
    for (std::size_t i = 0; i < recorded_limit(); ++i) n += (*objects_)[i][0] != nullptr;
    return n;
  }

  void lock() noexcept { lock_.lock(); }
  void unlock() noexcept { lock_.unlock(); }
  void reset_lock_after_fork() noexcept { lock_.reset_after_fork(); }

 private:
  struct Slot {
    FreeObject* head;
    FreeObject* tail;
  };

  // pre: lock_ held.
  void insert_locked(ObjectRun run) noexcept {
    out_ -= run.count;
    held_ += run.count;
    if (run.count == batch_ && slots_used_ < max_slots_ && park(run.count)) {
      record(slots_used_, run);
      slots_[slots_used_++] = {run.head, run.tail};
      queued_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    return_to_spans(run.head, run.count);
  }

  // Whether a batch of n objects goes into a slot (then counted in the shared bound) rather
  // than back to its spans. Past the bound it is parked all the same while the page heap holds
  // half its retain limit free already: spans freed then would only push it over the limit,
  // to madvise pages that the allocating thread faults back in (with 32 MiB retained, the
  // bound alone made a producer/consumer loop of 8-2048-byte blocks 1.4x slower: 1569
  // madvise calls against 2).
  bool park(std::size_t n) noexcept {
    if (parked_ == nullptr) return true;
    const std::size_t bytes = size_ * n;
    if (!may_park(parked_->load(std::memory_order_relaxed) + bytes, bytes)) return false;
    parked_->fetch_add(bytes, std::memory_order_relaxed);
    return true;
  }
  // Whether `total` parked bytes may stand, `bytes` of them the batch in question.
  bool may_park(std::size_t total, std::size_t bytes) noexcept {
    if (total <= kParkedBytes) return true;
    const auto heap = pages_->stats();
    pages_->lock();  // retain_limit() reads the page heap's counters: under its lock
    const std::size_t limit = pages_->retain_limit();
    pages_->unlock();
    return heap.free - heap.released + bytes > limit / 2;
  }
  // Lock-free give-back of a whole batch while the lock is busy, past the shared bound too
  // (the holder applies it). The batch's head keeps its tail in its second word (every class
  // is at least 16 bytes) and the tail's next links to the batch below, so take_incoming()
  // cuts the stack into batches in O(1) each. Push-only CAS plus exchange-all: no ABA.
  // pre: parked_ != nullptr.
  bool push_incoming(ObjectRun run) noexcept {
    // Up to twice the slots wait for the holder; past that this thread waits for the lock.
    if (queued_.load(std::memory_order_relaxed) >= 2 * max_slots_) return false;
    parked_->fetch_add(size_ * run.count, std::memory_order_relaxed);
    queued_.fetch_add(1, std::memory_order_relaxed);
    std::memcpy(reinterpret_cast<char*>(run.head) + sizeof(FreeObject*), &run.tail,
                sizeof run.tail);
    FreeObject* top = incoming_.load(std::memory_order_relaxed);
    do {
      run.tail->next = top;
    } while (!incoming_.compare_exchange_weak(top, run.head, std::memory_order_release,
                                              std::memory_order_relaxed));
    return true;
  }
  // pre: lock_ held. Moves the incoming batches (already counted as parked) into the slots;
  // those past max_slots_ or the shared bound go back to their spans.
  void take_incoming() noexcept {
    if (incoming_.load(std::memory_order_relaxed) == nullptr) return;
    FreeObject* head = incoming_.exchange(nullptr, std::memory_order_acquire);
    std::size_t returned = 0;
    while (head != nullptr) {
      FreeObject* tail;
      std::memcpy(&tail, reinterpret_cast<char*>(head) + sizeof(FreeObject*), sizeof tail);
      FreeObject* below = tail->next;
      out_ -= batch_;
      held_ += batch_;
      if (slots_used_ < max_slots_ &&
          may_park(parked_->load(std::memory_order_relaxed), size_ * batch_)) {
        if (objects_ != nullptr) (*objects_)[slots_used_][0] = nullptr;
        slots_[slots_used_++] = {head, tail};
      } else {
        unpark(1);
        return_to_spans(head, batch_);
        ++returned;
      }
      head = below;
    }
    if (returned > 0) queued_.fetch_sub(returned, std::memory_order_relaxed);
  }

  // pre: lock_ held, run whole. Walked by the thread that parks it: the links it just wrote.
  void record(std::size_t slot, ObjectRun run) noexcept {
    if (objects_ == nullptr) return;
    FreeObject** row = (*objects_)[slot];
    FreeObject* o = run.head;
    for (std::size_t i = 0; i < run.count; ++i, o = o->next) row[i] = o;
  }
  std::size_t recorded_limit() const noexcept { return objects_ == nullptr ? 0 : slots_used_; }
  // pre: lock_ held. Starts fetching the slot's objects for writing, all at once.
  void prefetch_recorded(std::size_t slot) const noexcept {
    if (objects_ == nullptr || (*objects_)[slot][0] == nullptr) return;
    for (std::size_t i = 0; i < batch_; ++i) __builtin_prefetch((*objects_)[slot][i], 1, 3);
  }

  // pre: lock_ held. Incoming batches join the slots first, so every parked batch goes back.
  void drain_locked() noexcept {
    take_incoming();
    unpark(slots_used_);
    queued_.fetch_sub(slots_used_, std::memory_order_relaxed);
    while (slots_used_ > 0) {
      const Slot& s = slots_[--slots_used_];
      return_to_spans(s.head, batch_);
    }
  }
  void unpark(std::size_t batches) noexcept {
    if (parked_ != nullptr && batches > 0)
      parked_->fetch_sub(batches * size_ * batch_, std::memory_order_relaxed);
  }

  // Objects cut from never-used span memory under the lock and linked after it: the links are
  // the first writes to those pages, and each page fault (a microsecond or more with a memory
  // cgroup) kept every other thread of the class waiting for the lock.
  struct Carved {
    char* begin;
    std::size_t count;
  };
  // Ranges one batch may need: one partly carved span (only the newest span has room left to
  // carve), then fresh spans for the rest.
  static constexpr std::size_t kMaxCarved = [] {
    std::size_t most = 0;
    for (unsigned c = 1; c < kNumClasses; ++c)
      most = std::max(most, (class_batch(c) + class_objects(c) - 1) / class_objects(c) + 1);
    return most;
  }();
  struct Gathered {
    ObjectRun run;  // count includes the carved objects, head / tail only the linked ones
    Carved carved[kMaxCarved];
    std::size_t ranges = 0;
  };

  // Slow path, pre: lock_ held. Up to n objects from spans, carving new spans as needed.
  void gather(std::size_t n, Gathered& got) noexcept {
    ObjectRun& run = got.run;
    while (run.count < n && got.ranges < kMaxCarved) {
      Span* s = nonempty_.front();
      if (s == nullptr) {
        s = pages_->allocate_small(cls_);
        if (s == nullptr) break;
        held_ += class_objects(cls_);
        nonempty_.push(s);
      }
      if (s->free == nullptr && s->released_pages != 0) reclaim(s);
      while (run.count < n && s->free != nullptr) {
        FreeObject* o = s->free;
        s->free = o->next;
        ++s->allocated;
        ++reused_;
        o->next = run.head;
        run.head = o;
        if (run.tail == nullptr) run.tail = o;
        ++run.count;
      }
      const std::size_t k =
          std::min(n - run.count, static_cast<std::size_t>(s->limit - s->carve) / size_);
      if (k > 0) {
        got.carved[got.ranges++] = {s->carve, k};
        s->carve += k * size_;
        s->allocated += static_cast<std::uint32_t>(k);
        run.count += k;
      }
      if (s->free == nullptr && static_cast<std::size_t>(s->limit - s->carve) < size_ &&
          s->released_pages == 0)
        nonempty_.remove(s);
    }
    held_ -= run.count;
  }
  // No lock: the carved objects are this caller's alone. Linked in address order, ahead of
  // the run's linked objects.
  void link_carved(ObjectRun& run, Carved c) const noexcept {
    char* const last = c.begin + (c.count - 1) * size_;
    for (char* p = c.begin; p != last; p += size_)
      reinterpret_cast<FreeObject*>(p)->next = reinterpret_cast<FreeObject*>(p + size_);
    reinterpret_cast<FreeObject*>(last)->next = run.head;
    if (run.head == nullptr) run.tail = reinterpret_cast<FreeObject*>(last);
    run.head = reinterpret_cast<FreeObject*>(c.begin);
  }

  // pre: the n objects are already counted in held_.
  void return_to_spans(FreeObject* head, std::size_t n) noexcept {
    for (std::size_t i = 0; i < n; ++i) {
      FreeObject* o = head;
      head = o->next;
      Span* s = pages_->span_of(o);
      // A block of another heap, or freed with the wrong size: stop before corrupting lists.
      if (s == nullptr || s->size_class != cls_) [[unlikely]] __builtin_trap();
      o->next = s->free;
      s->free = o;
      ++spanned_back_;
      if (!s->on_list) nonempty_.push(s);
      if (--s->allocated == 0) {
        nonempty_.remove(s);
        held_ -= class_objects(cls_);
        forget_released(s);
        pages_->free_span(s);
      }
    }
    maybe_scavenge();
  }

  // --- subrelease (idle memory inside spans in use) ---
  // Only spans of two or more pages: a one-page span with every object free is empty and goes
  // back to the page heap whole. Those hold at most 64 objects (one bit each in a scan).
  static constexpr bool multi_page_fits_mask() {
    for (unsigned c = 1; c < kNumClasses; ++c)
      if (class_pages(c) >= 2 && (class_objects(c) > 64 || class_pages(c) > 32)) return false;
    return true;
  }
  static_assert(multi_page_fits_mask());

  // The objects [first_start, starts_end) that start on page p of a span, and those up to
  // overlap_end that overlap it.
  std::size_t first_start(std::size_t p) const noexcept { return (p * kPageSize + size_ - 1) / size_; }
  std::size_t starts_end(std::size_t p) const noexcept {
    return std::min(first_start(p + 1), class_objects(cls_));
  }
  std::size_t overlap_end(std::size_t p) const noexcept {
    const std::size_t end = ((p + 1) * kPageSize + size_ - 1) / size_;
    return end < class_objects(cls_) ? end : class_objects(cls_);
  }
  std::size_t starts_on(std::uint32_t pages) const noexcept {
    std::size_t n = 0;
    for (std::size_t p = 0; p < 32; ++p)
      if (pages >> p & 1) n += starts_end(p) - first_start(p);
    return n;
  }

  // pre: lock held. Called after objects came back to spans.
  void maybe_scavenge() noexcept {
    if (class_pages(cls_) < 2) return;
    const std::size_t held = held_ * size_, total = (held_ + out_) * size_;
    if (held < scavenged_at_) return mark_low(held);
    if (held - scavenged_at_ < std::max(kScavengeStep, total / 8)) return;
    // Freed objects the program keeps taking again are a steady load: their pages would fault
    // straight back in. The window runs from the low (or the last scan), so a shrink after a
    // long steady phase must outweigh that phase's hand-outs; until then its pages go back
    // only as whole spans empty. Shorter windows (restarted or halved per turnover) let
    // larson's per-class swings read as shrinks: 3711-6478 madvise calls against 3.
    if (spanned_back_ - back_at_low_ < 2 * (reused_ - reused_at_low_)) return;
    // A page is wholly free only with at least page / size objects free on it (fewer: skip
    // the walk of the span's free list).
    const std::size_t need = std::max<std::size_t>(1, kPageSize / size_);
    for (Span* s = nonempty_.front(); s != nullptr; s = s->next)
      if (class_objects(cls_) - s->allocated >= need + starts_on(s->released_pages)) release_free_pages(s);
    mark_low(held);
  }
  void mark_low(std::size_t held) noexcept {
    scavenged_at_ = held;
    back_at_low_ = spanned_back_;
    reused_at_low_ = reused_;
  }

  // Gives back the pages of s on which every object is free: on a page whose object starts are
  // all on the free list, those objects leave it and the page is marked in released_pages; a
  // page with no carved object starting on it needs no mark (carving rewrites what it hands
  // out); a page with both kinds stays.
  void release_free_pages(Span* s) noexcept {
    char* const base = static_cast<char*>(s->base());
    const std::size_t carved = static_cast<std::size_t>(s->carve - base) / size_;
    std::uint64_t free_objects = carved >= 64 ? 0 : ~std::uint64_t{0} << carved;  // uncarved
    for (FreeObject* o = s->free; o != nullptr; o = o->next)
      free_objects |= std::uint64_t{1} << (static_cast<std::size_t>(reinterpret_cast<char*>(o) - base) / size_);
    std::uint32_t release = 0, mark = 0;
    for (std::size_t p = 0; p < s->pages; ++p) {
      if (s->released_pages >> p & 1) continue;
      bool all_free = true;
      for (std::size_t i = p * kPageSize / size_; i < overlap_end(p) && all_free; ++i)
        all_free = (free_objects >> i & 1) != 0;
      if (!all_free) continue;
      const std::size_t first = first_start(p), last = starts_end(p);
      if (first >= last || first >= carved) release |= std::uint32_t{1} << p;  // nothing to unlink
      else if (last <= carved) mark |= std::uint32_t{1} << p;
    }
    if ((release | mark) == 0) return;
    if (mark != 0) {
      FreeObject** link = &s->free;
      while (FreeObject* o = *link) {
        const std::size_t page = static_cast<std::size_t>(reinterpret_cast<char*>(o) - base) >> kPageShift;
        if (mark >> page & 1) *link = o->next;
        else link = &o->next;
      }
      s->released_pages |= mark;
      released_pages_ += static_cast<std::size_t>(std::popcount(mark));
    }
    // One call per run of adjacent pages.
    const std::uint32_t all = release | mark;
    for (std::size_t p = 0; p < s->pages;) {
      if ((all >> p & 1) == 0) { ++p; continue; }
      std::size_t q = p;
      while (q < s->pages && (all >> q & 1) != 0) ++q;
      pages_->release_pages(base + p * kPageSize, (q - p) * kPageSize);
      p = q;
    }
  }

  // The span ran dry: the objects on its released pages go back on its free list (their pages
  // fault in again as they are used).
  void reclaim(Span* s) noexcept {
    char* const base = static_cast<char*>(s->base());
    for (std::size_t p = 0; p < s->pages; ++p)
      if (s->released_pages >> p & 1)
        for (std::size_t i = first_start(p); i < starts_end(p); ++i) {
          auto* o = reinterpret_cast<FreeObject*>(base + i * size_);
          o->next = s->free;
          s->free = o;
        }
    forget_released(s);
  }
  void forget_released(Span* s) noexcept {
    released_pages_ -= static_cast<std::size_t>(std::popcount(s->released_pages));
    s->released_pages = 0;
  }

  SpinLock lock_;
  std::atomic<FreeObject*> incoming_{nullptr};
  // Batches in the slots or on incoming_: bounds the lock-free push (read unlocked, may lag).
  std::atomic<std::size_t> queued_{0};
  Pages* pages_ = nullptr;
  std::atomic<std::size_t>* parked_ = nullptr;
  unsigned cls_ = 0;
  std::size_t size_ = 0, batch_ = 0, max_slots_ = 0;
  SpanList nonempty_;
  Slot slots_[kMaxSlots] = {};
  SlotObjects* objects_ = nullptr;
  std::size_t slots_used_ = 0;
  std::size_t out_ = 0, held_ = 0;
  std::size_t scavenged_at_ = 0;    // free bytes after the last scan (or the lowest since)
  // Objects given back to spans, and handed out again from slots or span free lists (not
  // carved), since ever and at scavenged_at_'s low.
  std::size_t spanned_back_ = 0, reused_ = 0, back_at_low_ = 0, reused_at_low_ = 0;
  std::size_t removes_ = 0, removes_at_check_ = 0;  // remove_range calls; at drain_if_idle()
  std::size_t released_pages_ = 0;  // marked released pages of this class's spans
};

// One CentralFreeList per class.
template <class Pages>
class CentralCache {
 public:
  using SlotObjects = typename CentralFreeList<Pages>::SlotObjects;

  // constexpr, so the process-wide instance is constinit: usable before main. `objects`: one
  // SlotObjects per class (kNumClasses of them), or nullptr to record nothing.
  constexpr explicit CentralCache(Pages* pages, SlotObjects* objects = nullptr) noexcept {
    for (unsigned c = 1; c < kNumClasses; ++c)
      lists_[c].init(pages, c, &parked_, objects == nullptr ? nullptr : objects + c);
  }
  CentralCache(const CentralCache&) = delete;
  CentralCache& operator=(const CentralCache&) = delete;
  CentralFreeList<Pages>& operator[](unsigned cls) noexcept { return lists_[cls]; }

  ObjectRun remove_range(unsigned cls, std::size_t n) noexcept {
    return lists_[cls].remove_range(n);
  }
  void insert_range(unsigned cls, ObjectRun run) noexcept { lists_[cls].insert_range(run); }
  // Idle classes' slots back to their spans (see CentralFreeList::drain_if_idle).
  void drain_idle() noexcept {
    for (unsigned c = 1; c < kNumClasses; ++c) lists_[c].drain_if_idle();
  }
  // Bytes in every class's transfer slots (a snapshot).
  std::size_t parked_bytes() const noexcept { return parked_.load(std::memory_order_relaxed); }

 private:
  CentralFreeList<Pages> lists_[kNumClasses];
  std::atomic<std::size_t> parked_{0};
};

}  // namespace alloclab::mempool
