// PageHeap: hands out spans of whole 8 KiB pages and takes them back, coalescing every freed
// span with its free neighbours. Memory comes from the layer below (`Os`: SystemMemory, or a
// fake in tests) and goes back to it (madvise) when free pages pass a limit or on
// release_all().
//
// Release policy: free pages not yet released may reach retain_limit() = max(32 MiB, bytes in
// use); past it, the largest free spans go back until half the limit is left. A program that
// frees and reallocates much of its heap in waves (churn's flushes) thus reuses its pages
// instead of madvising and refaulting them every wave (releasing everything at a fixed 32 MiB
// made a 2-thread churn of python's request sizes 1.7x slower: 534 vs 319 ns/op), and RSS
// stays below twice what is in use plus 32 MiB.
//
// Glossary (see span.hpp): free / small / large span, released.
// Free lists: one per exact page count up to kMaxListed pages, then one list of bigger spans
// searched best-fit. Fresh memory from the OS counts as released (it costs no RSS until
// touched), so release_all() never madvises it pointlessly.
// Locking: one lock inside; every public method but the lock-free lookups takes it.
// Lock order: a central list's lock, then this one (never the other way round).
#pragma once

#include <algorithm>
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
  std::size_t released = 0;   // part of `free` whose pages went back to the OS
  std::size_t small = 0;      // in small spans (owned by central lists)
  std::size_t large = 0;      // in large spans (owned by the program)
  std::size_t metadata = 0;   // span records and page-map nodes
};

template <class Os>
class PageHeap {
 public:
  static constexpr std::size_t kMaxListed = 128;
  static constexpr std::size_t kMinGrowPages = 128;  // commit >= 1 MiB at a time
  static constexpr std::size_t kReleaseThreshold = std::size_t{32} << 20;  // retain_limit()'s floor

  constexpr PageHeap() = default;
  PageHeap(const PageHeap&) = delete;
  PageHeap& operator=(const PageHeap&) = delete;

  // --- lock-free lookups (any thread) ---
  Span* span_of(const void* p) const noexcept { return map_.span(page_of(p)); }
  unsigned size_class(const void* p) const noexcept { return map_.size_class(page_of(p)); }

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
    s->released = false;
    s->free = nullptr;
    s->carve = s->limit = nullptr;
    insert_free(s);
    if (const std::size_t limit = retain_limit(); free_ - released_ > limit) release_locked(limit / 2);
  }

  // Gives every free page back to the OS. Returns the bytes released now.
  std::size_t release_all() noexcept {
    SpinGuard g(lock_);
    return release_locked(0);
  }

  // Unreleased free bytes kept before free_span() releases some (see the release policy).
  std::size_t retain_limit() const noexcept { return std::max(kReleaseThreshold, small_ + large_); }

  PageHeapStats stats() noexcept {
    SpinGuard g(lock_);
    return {mapped_, free_, released_, small_, large_, spans_.mapped() + map_.metadata_bytes()};
  }

  // Debug walk: nullptr when consistent, else what is wrong.
  const char* validate() noexcept {
    SpinGuard g(lock_);
    std::size_t free_bytes = 0, released_bytes = 0;
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
        free_bytes += s->bytes();
        if (s->released) released_bytes += s->bytes();
      }
    }
    if (free_bytes != free_) return "free byte count does not match the free lists";
    if (released_bytes != released_) return "released byte count does not match";
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
    if (pages == 0 || want < pages || want > (std::size_t{1} << PageMap<Os>::kBits)) return nullptr;
    Span* s = find(want);
    if (s == nullptr) {
      if (!grow(want)) return nullptr;
      s = find(want);
      if (s == nullptr) return nullptr;
    }
    remove_free(s);
    // Trim the front so the start is aligned, then the tail; both go back as free spans.
    const PageId aligned = (s->start + align_pages - 1) & ~(align_pages - 1);
    if (aligned > s->start) s = split_back(s, aligned - s->start, /*keep_back=*/true);
    if (s->pages > pages) s = split_back(s, pages, /*keep_back=*/false);
    s->released = false;  // its pages fault back in when touched
    map_.set(s->start, s, 0);
    map_.set(s->last(), s, 0);
    return s;
  }

  // Splits the free, unlisted span s after its first `front` pages. The part not kept goes
  // back on a free list; returns the kept part (unlisted).
  Span* split_back(Span* s, std::size_t front, bool keep_back) noexcept {
    Span* rest = spans_.take();
    if (rest == nullptr) return s;  // keep the whole span: wasteful but correct
    *rest = Span{};
    rest->start = s->start + front;
    rest->pages = s->pages - front;
    rest->released = s->released;
    s->pages = front;
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

  Span* find(std::size_t pages) noexcept {
    for (std::size_t i = pages; i <= kMaxListed; ++i)
      if (!free_lists_[i].empty()) return free_lists_[i].front();
    Span* best = nullptr;
    for (Span* s = free_lists_[kMaxListed + 1].front(); s != nullptr; s = s->next)
      if (s->pages >= pages &&
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
        top->last() + 1 == arena_cur_ && top->pages < pages)
      lack = pages - top->pages;
    const std::size_t n = std::max(lack, kMinGrowPages);
    if (arena_end_ - arena_cur_ < n) {
      // A new range; the rest of the old one stays unused address space (no RSS, no commit).
      const std::size_t fresh = std::max(pages, kMinGrowPages);
      std::size_t reserve = std::max(fresh, Os::kReserveBytes >> kPageShift);
      void* r = Os::reserve(reserve << kPageShift);
      // Address space limited (ulimit -v): ask for less, down to what this request needs.
      while (r == nullptr && reserve > fresh) {
        reserve = std::max(fresh, reserve / 4);
        r = Os::reserve(reserve << kPageShift);
      }
      if (r == nullptr) return false;
      arena_cur_ = page_of(r);
      arena_end_ = arena_cur_ + reserve;
      return commit(fresh);
    }
    return commit(n);
  }

  // Commits the next n pages of the reserved range and lists them as a free span.
  bool commit(std::size_t n) noexcept {
    void* p = page_address(arena_cur_);
    if (!Os::commit(p, n << kPageShift)) return false;
    arena_cur_ += n;
    return add_mapping(p, n);
  }

  // Lists `n` pages just committed at p, coalescing them with free neighbours.
  bool add_mapping(void* p, std::size_t n) noexcept {
    // Neighbour lookups read one page on each side: cover those too.
    if (!map_.ensure(page_of(p) - 1, n + 2)) return false;
    Span* s = spans_.take();
    if (s == nullptr) return false;
    *s = Span{};
    s->start = page_of(p);
    s->pages = n;
    s->released = true;  // untouched memory: no RSS yet
    mapped_ += s->bytes();
    insert_free(s);
    return true;
  }

  // Coalesces s with free neighbours and lists the result.
  void insert_free(Span* s) noexcept {
    count_free(s, +1);
    Span* left = map_.span(s->start - 1);
    if (left != nullptr && left->state == SpanState::kFree && left->on_list &&
        left->last() == s->start - 1) {
      remove_listed(left);
      merge_flags(left, s);
      left->pages += s->pages;
      spans_.give(s);
      s = left;
    }
    Span* right = map_.span(s->last() + 1);
    if (right != nullptr && right->state == SpanState::kFree && right->on_list &&
        right->start == s->last() + 1) {
      remove_listed(right);
      merge_flags(s, right);
      s->pages += right->pages;
      spans_.give(right);
    }
    map_.set(s->start, s, 0);
    map_.set(s->last(), s, 0);
    add_to_list(s);
  }

  // A merge of released and unreleased pages counts as unreleased (conservative for RSS).
  void merge_flags(Span* a, const Span* b) noexcept {
    if (a->released != b->released) {
      released_ -= a->released ? a->bytes() : b->bytes();
      a->released = false;
    }
  }

  void add_to_list(Span* s) noexcept { free_lists_[list_index(s->pages)].push(s); }
  void remove_listed(Span* s) noexcept { free_lists_[list_index(s->pages)].remove(s); }
  void remove_free(Span* s) noexcept {
    remove_listed(s);
    count_free(s, -1);
  }
  void count_free(const Span* s, int sign) noexcept {
    const std::size_t b = s->bytes();
    free_ = sign > 0 ? free_ + b : free_ - b;
    if (s->released) released_ = sign > 0 ? released_ + b : released_ - b;
  }

  // Releases free spans, largest lists first (fewest calls per byte, and the small spans that
  // are reused soonest stay), until at most `keep` unreleased free bytes are left.
  std::size_t release_locked(std::size_t keep) noexcept {
    std::size_t bytes = 0;
    for (std::size_t i = std::size(free_lists_); i-- > 1 && free_ - released_ > keep;)
      for (Span* s = free_lists_[i].front(); s != nullptr && free_ - released_ > keep; s = s->next)
        if (!s->released) {
          Os::release(s->base(), s->bytes());
          s->released = true;
          bytes += s->bytes();
          released_ += s->bytes();
        }
    return bytes;
  }

  SpinLock lock_;
  PageMap<Os> map_;
  MetaPool<Os, Span> spans_;
  SpanList free_lists_[kMaxListed + 2];  // [0] unused
  std::size_t mapped_ = 0, free_ = 0, released_ = 0, small_ = 0, large_ = 0;
  PageId arena_cur_ = 0, arena_end_ = 0;  // the reserved range's next uncommitted page, end
};

}  // namespace alloclab::mempool
