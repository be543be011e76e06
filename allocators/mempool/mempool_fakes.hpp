// Fakes for testing each mempool layer alone (tcmalloc's FakeCentralFreeList idea).
#pragma once

#include <sys/mman.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>
#include <vector>

#include "central_cache.hpp"
#include "size_classes.hpp"
#include "span.hpp"

namespace alloclab::mempool::testing {

// OS layer that records what the page heap maps and releases.
struct FakeOs {
  static inline std::size_t mapped = 0;
  static inline std::size_t released = 0;
  static inline std::size_t commits = 0;  // commit() calls
  static inline std::size_t fail_after = SIZE_MAX;  // bytes; then map() refuses

  static void* map(std::size_t bytes) noexcept {
    if (mapped + bytes > fail_after) return nullptr;
    void* p = std::aligned_alloc(kPageSize, bytes);
    if (p == nullptr) return nullptr;
    std::memset(p, 0, bytes);
    mapped += bytes;
    blocks.push_back(p);
    return p;
  }
  // Reservations are lazily backed heap blocks (glibc maps big ones untouched); commit zeroes.
  static constexpr std::size_t kReserveBytes = std::size_t{256} << 20;
  static void* reserve(std::size_t bytes) noexcept {
    if (bytes > fail_after - std::min(mapped, fail_after)) return nullptr;
    void* p = std::aligned_alloc(kPageSize, bytes);
    if (p != nullptr) blocks.push_back(p);
    return p;
  }
  static bool commit(void* p, std::size_t bytes) noexcept {
    if (mapped + bytes > fail_after) return false;
    std::memset(p, 0, bytes);
    mapped += bytes;
    ++commits;
    return true;
  }
  static void release(void*, std::size_t bytes) noexcept { released += bytes; }
  // pre: no heap uses the memory any more.
  static void reset() noexcept {
    for (void* p : blocks) std::free(p);
    blocks.clear();
    mapped = released = commits = 0;
    fail_after = SIZE_MAX;
  }
  static inline std::vector<void*> blocks;
};

// Page source for the central cache: real memory, its own page -> span map.
class FakePages {
 public:
  Span* allocate_small(unsigned cls) noexcept {
    const std::size_t bytes = class_pages(cls) * kPageSize;
    void* p = std::aligned_alloc(kPageSize, bytes);
    auto* s = new Span{};
    s->start = page_of(p);
    s->pages = class_pages(cls);
    s->state = SpanState::kSmall;
    s->size_class = static_cast<std::uint8_t>(cls);
    s->carve = static_cast<char*>(p);
    s->limit = s->carve + class_objects(cls) * class_size(cls);
    for (PageId id = s->start; id <= s->last(); ++id) map_[id] = s;
    ++spans_allocated;
    live_.insert(s);
    return s;
  }
  void free_span(Span* s) noexcept {
    ++spans_freed;
    for (PageId id = s->start; id <= s->last(); ++id) map_.erase(id);
    live_.erase(s);
    std::free(s->base());
    delete s;
  }
  Span* span_of(const void* p) const noexcept {
    auto it = map_.find(page_of(p));
    return it == map_.end() ? nullptr : it->second;
  }
  // What the central cache reads of the page heap's retention (nothing here is ever released).
  struct Stats {
    std::size_t free = 0, released = 0;
  };
  Stats stats() const noexcept { return {free_bytes, 0}; }
  std::size_t retain_limit() const noexcept { return retain; }
  // As madvise: the pages read as zeros afterwards.
  void release_pages(void* p, std::size_t bytes) noexcept {
    std::memset(p, 0, bytes);
    released_bytes += bytes;
  }
  std::size_t released_bytes = 0;
  void lock() noexcept {}
  void unlock() noexcept {}
  std::size_t free_bytes = 0, retain = std::size_t{64} << 20;

  ~FakePages() {
    for (Span* s : live_) {
      std::free(s->base());
      delete s;
    }
  }

  std::size_t spans_allocated = 0, spans_freed = 0;

 private:
  std::map<PageId, Span*> map_;
  std::set<Span*> live_;
};

// Central layer for the thread cache: hands out heap objects, counts what is outstanding.
class FakeCentral {
 public:
  ObjectRun remove_range(unsigned cls, std::size_t n) noexcept {
    ++removes;
    last_remove = n;
    ObjectRun run;
    for (std::size_t i = 0; i < n; ++i) {
      auto* o = static_cast<FreeObject*>(std::aligned_alloc(16, class_size(cls)));
      o->next = run.head;
      run.head = o;
      if (run.tail == nullptr) run.tail = o;
      ++run.count;
    }
    outstanding += n;
    return run;
  }
  void insert_range(unsigned, ObjectRun run) noexcept {
    ++inserts;
    last_insert = run.count;
    FreeObject* o = run.head;
    for (std::size_t i = 0; i < run.count; ++i) {
      FreeObject* next = o->next;
      std::free(o);
      o = next;
    }
    outstanding -= run.count;
  }

  std::size_t removes = 0, inserts = 0, last_remove = 0, last_insert = 0, outstanding = 0;
};

}  // namespace alloclab::mempool::testing
