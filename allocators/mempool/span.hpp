// Span: a run of whole pages, the unit the page heap hands out and takes back.
//
// Glossary
//   page id    - address >> kPageShift.
//   free span  - owned by the page heap, on one of its free lists. Its `dirty` pages may still
//                be resident; the others were released (returned to the OS with madvise) or
//                never touched, so they cost no RSS until touched and read as zeros.
//   small span - carved into objects of one size class, owned by that class's central list.
//   large span - one block > 256 KiB (or an over-aligned one); marked kLarge so that freeing a
//                neighbour never merges it (a seed bug).
//   carving    - objects are cut lazily from `carve` up to `limit`; limit is the end of the
//                last whole object, so no object ever reaches past the span (a seed bug).
#pragma once

#include <cstddef>
#include <cstdint>

#include "size_classes.hpp"

namespace alloclab::mempool {

using PageId = std::uintptr_t;

inline PageId page_of(const void* p) noexcept {
  return reinterpret_cast<std::uintptr_t>(p) >> kPageShift;
}
inline void* page_address(PageId id) noexcept {
  return reinterpret_cast<void*>(id << kPageShift);
}

// An object on a free list: the link lives in the freed memory itself.
struct FreeObject {
  FreeObject* next;
};

enum class SpanState : std::uint8_t { kFree, kSmall, kLarge };

// 64 bytes (one metadata slot): page counts are 32-bit (a span is < 32 TiB), and the free-span
// stamp shares its word with the small-span object count.
struct Span {
  PageId start = 0;
  std::uint32_t pages = 0;
  union {
    std::uint32_t dirty = 0;       // free spans: pages that may be resident (an upper bound)
    std::uint32_t released_pages;  // small spans: bit i set = page i given back to the OS while
                                   // the span is in use, its objects unlinked (central_cache.hpp)
  };
  Span* prev = nullptr;  // links on a page-heap free list or a central nonempty list
  Span* next = nullptr;
  SpanState state = SpanState::kFree;
  bool on_list = false;      // linked into some SpanList
  bool zeroed = false;       // large spans: every page read as zeros when handed out
  std::uint8_t size_class = 0;
  union {
    std::uint32_t allocated = 0;  // small spans: objects handed out and not yet returned
    std::uint32_t freed_at;       // free spans: the page heap's clock when last freed
  };
  union {
    FreeObject* free = nullptr;  // small spans: objects returned to the span
    std::uint32_t hole_at;       // free spans: the clock when its oldest part was freed
  };
  // Small spans only:
  char* carve = nullptr;         // next never-used object
  char* limit = nullptr;         // end of the last whole object

  void* base() const noexcept { return page_address(start); }
  std::size_t bytes() const noexcept { return std::size_t{pages} << kPageShift; }
  std::size_t dirty_bytes() const noexcept { return std::size_t{dirty} << kPageShift; }
  PageId last() const noexcept { return start + pages - 1; }
};
static_assert(sizeof(Span) == 64, "one metadata slot per span");

// Intrusive doubly linked list of spans. O(1) push, remove.
class SpanList {
 public:
  bool empty() const noexcept { return head_ == nullptr; }
  Span* front() const noexcept { return head_; }
  std::size_t size() const noexcept { return size_; }

  void push(Span* s) noexcept {
    s->prev = nullptr;
    s->next = head_;
    if (head_ != nullptr) head_->prev = s;
    head_ = s;
    s->on_list = true;
    ++size_;
  }
  void remove(Span* s) noexcept {
    if (s->prev != nullptr) s->prev->next = s->next;
    else head_ = s->next;
    if (s->next != nullptr) s->next->prev = s->prev;
    s->prev = s->next = nullptr;
    s->on_list = false;
    --size_;
  }

 private:
  Span* head_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace alloclab::mempool
