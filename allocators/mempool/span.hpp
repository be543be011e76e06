// Span: a run of whole pages, the unit the page heap hands out and takes back.
//
// Glossary
//   page id    - address >> kPageShift.
//   free span  - owned by the page heap, on one of its free lists; may be `released` (its
//                pages returned to the OS with madvise, so they cost no RSS until touched).
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

struct Span {
  PageId start = 0;
  std::size_t pages = 0;
  Span* prev = nullptr;  // links on a page-heap free list or a central nonempty list
  Span* next = nullptr;
  SpanState state = SpanState::kFree;
  bool released = false;     // free span whose pages were given back to the OS
  bool on_list = false;      // linked into some SpanList
  std::uint8_t size_class = 0;
  // Small spans only:
  std::uint32_t allocated = 0;   // objects handed out of the span and not yet returned
  FreeObject* free = nullptr;    // objects returned to the span
  char* carve = nullptr;         // next never-used object
  char* limit = nullptr;         // end of the last whole object

  void* base() const noexcept { return page_address(start); }
  std::size_t bytes() const noexcept { return pages << kPageShift; }
  PageId last() const noexcept { return start + pages - 1; }
};

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
