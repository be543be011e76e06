// PageHeap: hands out spans of whole 8 KiB pages and takes them back, coalescing every freed
// span with its free neighbours. Memory comes from the layer below (`Os`: SystemMemory, or a
// fake in tests) and goes back to it (madvise) when dirty free pages pass a limit or on
// release_all().
//
// Release policy: dirty free pages (freed, not yet released) may reach retain_limit() =
// max(32 MiB, bytes in use); past it, the spans that stayed free longest go back until half
// the limit is left. Age is counted in pages handed out since the span was freed (the clock),
// so a span the program keeps reusing stays resident however long it runs, and a hole nothing
// fits into (a fragment between big buffers) is the first to go. Below the limit, a shrink
// (kShrinkRun bytes in kShrinkSpans spans freed with none handed out) releases the spans that
// nothing reused while kShrinkRun was handed out. Earlier policies:
//   - everything at a fixed 32 MiB free: a 2-thread churn of python's request sizes madvised
//     and refaulted its pages every wave (534 vs 319 ns/op);
//   - the same limit, largest spans first: the large buffers just freed, the ones the next
//     request fits, were the first given back and faulted in again;
//   - a limit of in use / 8, oldest first: on the `large` workload (5-25 MiB buffers, 20
//     alive) 11x the minor faults (1.11 M vs 0.10 M) for 8% less peak RSS (373 vs 405 MiB):
//     the free holes between buffers are the pages the next buffers reuse.
// Each free span counts its dirty pages (an upper bound: a merge adds them up, a split gives
// the rest of a span min(its pages, dirty)), so merging a freed span with a released
// neighbour no longer makes the whole merge count as resident.
//
// Glossary (see span.hpp): free / small / large span, dirty, released.
// Free lists: one per exact page count up to kMaxListed pages, then one list of bigger spans
// searched best-fit. Fresh memory from the OS is clean (it costs no RSS until touched), so
// release_all() never madvises it pointlessly, and a large span taken from clean pages only is
// marked `zeroed` (calloc skips its memset).
// Locking: one lock inside; every public method but the lock-free lookups takes it.
// Lock order: a central list's lock, then this one (never the other way round).
#pragma once

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>

#include "page_map.hpp"
#include "span.hpp"
#include "spin_lock.hpp"
#include "system_memory.hpp"

namespace alloclab::mempool {

struct PageHeapStats {
  std::size_t mapped = 0;     // span memory obtained from the OS (never unmapped)
  std::size_t free = 0;       // in free spans, released or not
  std::size_t released = 0;   // part of `free` not dirty: given back to the OS or never touched
  std::size_t small = 0;      // in small spans (owned by central lists)
  std::size_t large = 0;      // in large spans (owned by the program)
  std::size_t metadata = 0;   // span records and page-map nodes
};

template <class Os>
class PageHeap {
 public:
  static constexpr std::size_t kMaxListed = 128;
  static constexpr std::size_t kMinGrowPages = 128;  // list >= 1 MiB at a time
  static constexpr std::size_t kMinCommitPages = 512, kMaxCommitPages = 4096;  // 4, 32 MiB
  static constexpr std::size_t kReleaseThreshold = std::size_t{32} << 20;  // retain_limit()'s floor
  // A shrink: this many bytes in at least kShrinkSpans spans freed with no span handed out in
  // between (one 5-25 MiB buffer freed before the next is allocated is no shrink: the 1-span
  // version of this rule gave `large` 2.4x the time). Each time a shrink frees that much again,
  // the free spans not reused while that many pages were handed out (stale) go back down to
  // half the floor (see free_span()).
  static constexpr std::size_t kShrinkRun = std::size_t{16} << 20;
  static constexpr std::size_t kShrinkSpans = 64;

  constexpr PageHeap() = default;
  PageHeap(const PageHeap&) = delete;
  PageHeap& operator=(const PageHeap&) = delete;

  // --- lock-free lookups (any thread) ---
  Span* span_of(const void* p) const noexcept { return map_.span(page_of(p)); }
  unsigned size_class(const void* p) const noexcept { return map_.size_class(p); }

  // A span carved for class `cls`: every page registered with the class. nullptr when out of
  // memory.
  Span* allocate_small(unsigned cls) noexcept {
    SpinGuard g(lock_);
    Span* s = take(class_pages(cls), 1);
    if (s == nullptr) return nullptr;
    s->state = SpanState::kSmall;
    s->size_class = static_cast<std::uint8_t>(cls);
    s->allocated = 0;
    s->free = nullptr;
    s->carve = static_cast<char*>(s->base());
    s->limit = s->carve + class_objects(cls) * class_size(cls);
    for (PageId id = s->start; id <= s->last(); ++id) map_.set(id, s, cls);
    small_ += s->bytes();
    return s;
  }

  // A span of `pages` pages whose start is aligned to `align_pages` pages (a power of two).
  Span* allocate_large(std::size_t pages, std::size_t align_pages = 1) noexcept {
    SpinGuard g(lock_);
    Span* s = take(pages, align_pages);
    if (s == nullptr) return nullptr;
    s->state = SpanState::kLarge;
    s->size_class = 0;
    large_ += s->bytes();
    return s;
  }

  // pre: s came from allocate_small or allocate_large and is not used any more.
  void free_span(Span* s) noexcept {
    SpinGuard g(lock_);
    if (s->state == SpanState::kSmall) {
      small_ -= s->bytes();
      for (PageId id = s->start; id <= s->last(); ++id) map_.set(id, s, 0);
    } else {
      large_ -= s->bytes();
    }
    s->state = SpanState::kFree;
    s->dirty = s->pages;  // conservative: the program may have touched every page
    s->zeroed = false;
    s->free = nullptr;
    s->carve = s->limit = nullptr;
    const std::size_t run = freed_run_ + s->bytes();
    const bool shrink_step = run / kShrinkRun > freed_run_ / kShrinkRun &&
                             freed_spans_ + 1 >= kShrinkSpans;
    ++freed_spans_;
    freed_run_ = run;
    insert_free(s);
    if (const std::size_t limit = retain_limit(); dirty_ > limit) release_locked(limit / 2);
    else if (shrink_step && dirty_ > kReleaseThreshold / 2)
      release_locked(kReleaseThreshold / 2, kShrinkRun >> kPageShift);
  }

  // Gives back pages of a span in use whose objects are all free (the central cache's
  // subrelease); no lock: the pages stay the caller's.
  static void release_pages(void* p, std::size_t bytes) noexcept { Os::release(p, bytes); }

  // Gives every free page back to the OS. Returns the dirty bytes released now.
  std::size_t release_all() noexcept {
    SpinGuard g(lock_);
    return release_locked(0);
  }

  // Whether the heap took more memory from the OS (at least kMinGrowPages) since the last call
  // that returned true: the idle check of heap.cpp is due (lock-free: a relaxed load when not;
  // one caller gets each true). On growth, not on every span handed out: on the aged workload
  // a check every 1 MiB handed out cost 48 instructions per allocation.
  bool idle_check_due() noexcept {
    return idle_check_due_.load(std::memory_order_relaxed) &&
           idle_check_due_.exchange(false, std::memory_order_relaxed);
  }

  // Dirty free bytes kept before free_span() releases some (see the release policy).
  std::size_t retain_limit() const noexcept {
    return std::max(kReleaseThreshold, small_ + large_);
  }

  PageHeapStats stats() noexcept {
    SpinGuard g(lock_);
    return {mapped_, free_, free_ - dirty_, small_, large_, spans_.mapped() + map_.metadata_bytes()};
  }

  // Debug walk: nullptr when consistent, else what is wrong.
  const char* validate() noexcept {
    SpinGuard g(lock_);
    std::size_t free_bytes = 0, dirty_bytes = 0;
    for (std::size_t i = 1; i <= kMaxListed + 1; ++i) {
      for (Span* s = free_lists_[i].front(); s != nullptr; s = s->next) {
        if (s->state != SpanState::kFree) return "span on a free list is not free";
        if (list_index(s->pages) != i) return "free span on the wrong list";
        if (map_.span(s->start) != s || map_.span(s->last()) != s)
          return "free span's first or last page not mapped to it";
        const Span* left = map_.span(s->start - 1);
        const Span* right = map_.span(s->last() + 1);
        if ((left != nullptr && left->last() == s->start - 1 && left->state == SpanState::kFree) ||
            (right != nullptr && right->start == s->last() + 1 &&
             right->state == SpanState::kFree))
          return "two free neighbours were not coalesced";
        if (s->dirty > s->pages) return "free span with more dirty pages than pages";
        free_bytes += s->bytes();
        dirty_bytes += s->dirty_bytes();
      }
    }
    if (free_bytes != free_) return "free byte count does not match the free lists";
    if (dirty_bytes != dirty_) return "dirty byte count does not match";
    if (free_ + small_ + large_ != mapped_) return "free + small + large != mapped";
    return nullptr;
  }

  // Fork support: the whole heap is frozen between prepare and parent/child.
  void lock() noexcept { lock_.lock(); }
  void unlock() noexcept { lock_.unlock(); }
  void reset_lock_after_fork() noexcept { lock_.reset_after_fork(); }

 private:
  static std::size_t list_index(std::size_t pages) noexcept {
    return std::min(pages, kMaxListed + 1);
  }

  // Slow path under the lock: a span of exactly `pages` pages aligned to `align_pages`.
  Span* take(std::size_t pages, std::size_t align_pages) noexcept {
    const std::size_t want = pages + align_pages - 1;
    if (pages == 0 || want < pages || want > UINT32_MAX) return nullptr;
    Span* s = find(want, /*any=*/false);
    if (s == nullptr) {
      if (grow(want)) s = find(want, false);
      if (s == nullptr) s = find(want, /*any=*/true);  // no room to grow: any hole will do
      if (s == nullptr) return nullptr;
    }
    remove_free(s);
    // Trim the front so the start is aligned, then the tail; both go back as free spans.
    const PageId aligned = (s->start + align_pages - 1) & ~(align_pages - 1);
    if (aligned > s->start) s = split_back(s, aligned - s->start, /*keep_back=*/true);
    if (s->pages > pages) s = split_back(s, pages, /*keep_back=*/false);
    s->zeroed = s->dirty == 0;
    s->dirty = 0;
    clock_ += static_cast<std::uint32_t>(pages);
    freed_run_ = 0;
    freed_spans_ = 0;
    map_.set(s->start, s, 0);
    map_.set(s->last(), s, 0);
    return s;
  }

  // Splits the free, unlisted span s after its first `front` pages. The part not kept goes
  // back on a free list; returns the kept part (unlisted). Where s's dirty pages lie is not
  // known: each part gets as many as it can hold (RSS is over-, never under-estimated).
  Span* split_back(Span* s, std::size_t front, bool keep_back) noexcept {
    Span* rest = spans_.take();
    if (rest == nullptr) return s;  // keep the whole span: wasteful but correct
    *rest = Span{};
    rest->start = s->start + front;
    rest->pages = static_cast<std::uint32_t>(s->pages - front);
    rest->dirty = std::min(rest->pages, s->dirty);
    rest->freed_at = s->freed_at;
    rest->hole_at = s->hole_at;
    s->pages = static_cast<std::uint32_t>(front);
    s->dirty = std::min(s->pages, s->dirty);
    Span* kept = keep_back ? rest : s;
    Span* back = keep_back ? s : rest;
    for (Span* x : {s, rest}) {
      map_.set(x->start, x, 0);
      map_.set(x->last(), x, 0);
    }
    count_free(back, +1);
    add_to_list(back);
    return kept;
  }

  // The smallest listed span of at least `pages`, else the best fit among the big ones (over
  // kMaxListed pages). A request of up to kMaxListed pages (a small span, a block up to 1 MiB)
  // takes a big span only when it is the top of the reserved range (which grows) or a hole
  // that nothing reused while a quarter of its pages were handed out since its oldest part
  // was freed, unless `any` (the heap cannot grow). Small spans cut into the fresh hole of a
  // big block freed a moment ago made the next block of that size fit nowhere: gs renders
  // into 4-5 MiB bands, and its heap grew by a band every few pages (peak RSS 64.9 MiB, now
  // 53.7). The age of the oldest part, not of the last merge: sqlite's freed hash tables
  // leave holes its later frees keep merging into, and with the merge's age they stayed young
  // and the top grew instead (14.2 -> 15.9 MiB; now 14.2, as before this rule).
  Span* find(std::size_t pages, bool any) noexcept {
    for (std::size_t i = pages; i <= kMaxListed; ++i)
      if (!free_lists_[i].empty()) return free_lists_[i].front();
    const bool keep_holes = !any && pages <= kMaxListed;
    Span* best = nullptr;
    for (Span* s = free_lists_[kMaxListed + 1].front(); s != nullptr; s = s->next)
      if (s->pages >= pages &&
          (!keep_holes || at_top(s) || hole_age(s) >= s->pages / 4) &&
          (best == nullptr || s->pages < best->pages ||
           (s->pages == best->pages && s->start < best->start)))
        best = s;
    return best;
  }

  // Spans come from one reserved range of address space, committed upward from its low end,
  // so every new piece abuts the previous one. A large request that fits no free span (buffers
  // of 5-25 MiB) thus grows the free span at the top by only the pages it lacks and reuses
  // that span's pages, already faulted in. Mapping fresh memory instead left too-small free
  // spans behind as fragments that were released and faulted in again; growing a span
  // downward with MAP_FIXED_NOREPLACE failed whenever the page map's own nodes, or anything
  // else of the process, had been mapped just below it.
  bool grow(std::size_t pages) noexcept {
    std::size_t lack = pages;
    if (Span* top = arena_cur_ == 0 ? nullptr : map_.span(arena_cur_ - 1);
        top != nullptr && top->state == SpanState::kFree && top->on_list &&
        at_top(top) && top->pages < pages)
      lack = pages - top->pages;
    const std::size_t n = std::max(lack, kMinGrowPages);
    if (arena_end_ - arena_cur_ < n) {
      // A new range; the rest of the old one stays unused (no RSS; commit charge for at most
      // one step committed ahead).
      const std::size_t fresh = std::max(pages, kMinGrowPages);
      std::size_t reserve = std::max(fresh, Os::kReserveBytes >> kPageShift);
      void* r = Os::reserve(reserve << kPageShift);
      // Address space limited (ulimit -v): ask for less, down to what this request needs.
      while (r == nullptr && reserve > fresh) {
        reserve = std::max(fresh, reserve / 4);
        r = Os::reserve(reserve << kPageShift);
      }
      if (r == nullptr) return false;
      arena_cur_ = arena_committed_ = page_of(r);
      arena_end_ = arena_cur_ + reserve;
      map_.cover(arena_cur_, reserve);
      return list_next(fresh);
    }
    return list_next(n);
  }

  // Lists the next n pages of the reserved range as a free span, committing ahead of them.
  bool list_next(std::size_t n) noexcept {
    void* p = page_address(arena_cur_);
    if (arena_committed_ - arena_cur_ < n && !commit_ahead(arena_cur_ + n - arena_committed_))
      return false;
    arena_cur_ += n;
    idle_check_due_.store(true, std::memory_order_relaxed);
    return add_mapping(p, n);
  }

  // Commits at least `need` more pages of the reserved range, in steps of half of what is
  // mapped (4-32 MiB): each mprotect runs under this heap's lock and waits for the page
  // faults in flight in the whole process (the mmap lock). Committing exactly what was listed,
  // 1 MiB at a time, churn at 2 threads (8-512 B) had the other thread yield thousands of
  // times a run waiting for the lock. Pages committed ahead cost commit charge, not RSS, and
  // stay unlisted, so the free lists' dirty counts see only what was handed out.
  bool commit_ahead(std::size_t need) noexcept {
    void* p = page_address(arena_committed_);
    const std::size_t room = arena_end_ - arena_committed_;
    const std::size_t step =
        std::clamp((mapped_ >> kPageShift) / 2, kMinCommitPages, kMaxCommitPages);
    if (std::size_t n = std::min(std::max(need, step), room);
        n > need && Os::commit(p, n << kPageShift)) {
      arena_committed_ += n;
      return true;
    }
    // Under a commit limit (overcommit off, ulimit -v) a step may be refused where `need` fits.
    if (!Os::commit(p, need << kPageShift)) return false;
    arena_committed_ += need;
    return true;
  }

  // Lists `n` pages just committed at p, coalescing them with free neighbours.
  bool add_mapping(void* p, std::size_t n) noexcept {
    // Neighbour lookups read one page on each side: cover those too.
    if (!map_.ensure(page_of(p) - 1, n + 2)) return false;
    Span* s = spans_.take();
    if (s == nullptr) return false;
    *s = Span{};
    s->start = page_of(p);
    s->pages = static_cast<std::uint32_t>(n);
    s->dirty = 0;  // untouched memory: no RSS yet
    mapped_ += s->bytes();
    insert_free(s);
    return true;
  }

  // Coalesces s with free neighbours and lists the result, stamped now: a merge is as young
  // as its newest part (the pages just freed are what the next request will likely reuse).
  void insert_free(Span* s) noexcept {
    count_free(s, +1);
    s->hole_at = clock_;
    Span* left = map_.span(s->start - 1);
    if (left != nullptr && left->state == SpanState::kFree && left->on_list &&
        left->last() == s->start - 1) {
      remove_listed(left);
      absorb(left, s);
      spans_.give(s);
      s = left;
    }
    Span* right = map_.span(s->last() + 1);
    if (right != nullptr && right->state == SpanState::kFree && right->on_list &&
        right->start == s->last() + 1) {
      remove_listed(right);
      absorb(s, right);
      spans_.give(right);
    }
    s->freed_at = clock_;
    map_.set(s->start, s, 0);
    map_.set(s->last(), s, 0);
    add_to_list(s);
  }

  // a takes in its right neighbour b: pages and dirty pages add up, the older stamp stays.
  void absorb(Span* a, const Span* b) const noexcept {
    a->pages += b->pages;
    a->dirty += b->dirty;
    if (hole_age(b) > hole_age(a)) a->hole_at = b->hole_at;
  }

  void add_to_list(Span* s) noexcept { free_lists_[list_index(s->pages)].push(s); }
  void remove_listed(Span* s) noexcept { free_lists_[list_index(s->pages)].remove(s); }
  void remove_free(Span* s) noexcept {
    remove_listed(s);
    count_free(s, -1);
  }
  void count_free(const Span* s, int sign) noexcept {
    const std::size_t b = s->bytes(), d = s->dirty_bytes();
    free_ = sign > 0 ? free_ + b : free_ - b;
    dirty_ = sign > 0 ? dirty_ + d : dirty_ - d;
  }

  std::uint32_t age(const Span* s) const noexcept { return clock_ - s->freed_at; }
  // Whether s ends where the listed part of the reserved range ends (grow() extends it).
  bool at_top(const Span* s) const noexcept { return s->last() + 1 == arena_cur_; }
  // Since the oldest part was freed: a hole that its neighbours' frees keep merging into is
  // young for the release policy, but no big block came back for it all the same.
  std::uint32_t hole_age(const Span* s) const noexcept { return clock_ - s->hole_at; }

  // Releases dirty free spans, those free longest first, until at most `keep` dirty bytes are
  // left: passes with a halving age threshold (pass k takes the spans of age >= 2^(k-1), k
  // from the oldest span's bit width down; pass 0 takes the rest). A pass is one walk of the
  // free lists, so a release costs at most 34 walks however old the spans are.
  // Spans younger than min_age (in pages handed out since their free) stay.
  std::size_t release_locked(std::size_t keep, std::uint32_t min_age = 0) noexcept {
    std::uint32_t oldest = 0;
    for (std::size_t i = 1; i < std::size(free_lists_); ++i)
      for (Span* s = free_lists_[i].front(); s != nullptr; s = s->next)
        if (s->dirty != 0) oldest = std::max(oldest, age(s));
    std::size_t bytes = 0;
    for (int k = static_cast<int>(std::bit_width(oldest)); k >= 0 && dirty_ > keep; --k) {
      const std::uint32_t pass_age = k == 0 ? 0 : std::uint32_t{1} << (k - 1);
      for (std::size_t i = std::size(free_lists_); i-- > 1 && dirty_ > keep;)
        for (Span* s = free_lists_[i].front(); s != nullptr && dirty_ > keep; s = s->next)
          if (s->dirty != 0 && age(s) >= pass_age && age(s) >= min_age) {
            Os::release(s->base(), s->bytes());
            bytes += s->dirty_bytes();
            dirty_ -= s->dirty_bytes();
            s->dirty = 0;
          }
      if (pass_age <= min_age) break;  // the passes below would take the same spans
    }
    return bytes;
  }

  SpinLock lock_;
  PageMap<Os> map_;
  MetaPool<Os, Span> spans_;
  SpanList free_lists_[kMaxListed + 2];  // [0] unused
  std::size_t mapped_ = 0, free_ = 0, dirty_ = 0, small_ = 0, large_ = 0;
  std::size_t freed_run_ = 0;  // bytes of spans freed since a span was last handed out
  std::size_t freed_spans_ = 0;  // and how many spans
  std::atomic<bool> idle_check_due_{false};  // the heap grew since the last idle check
  std::uint32_t clock_ = 0;  // pages handed out so far, modulo 2^32 (ages are differences)
  // The reserved range: its next unlisted page, the end of what is committed, its end.
  PageId arena_cur_ = 0, arena_committed_ = 0, arena_end_ = 0;
};

}  // namespace alloclab::mempool
