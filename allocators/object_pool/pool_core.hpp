// PoolCore<Shape>: the one engine behind ObjectPool<T> (compile-time item shape) and FixedPool
// (item size chosen at run time). Zig's std.heap.MemoryPool, in C++.
//
// Glossary
//   item      - one slot of item_size bytes, aligned to item_align. item_size is at least a
//               pointer and a multiple of item_align, so items pack back to back in a chunk.
//   free list - a LIFO stack threaded through freed items: a freed item *is* the list node
//               (FreeNode placed in its storage), so freeing costs no memory.
//   chunk     - a run of items from the backing allocator (operator new), bump-allocated by a
//               cursor; its ChunkTail record sits after the last item, so the items start at
//               the chunk's base with no header padding even for page-aligned items.
//   spare     - a chunk after the current one: added by preheat(), or kept by reset().
//   growable  - may ask the backing allocator for new chunks; a non-growable pool only ever has
//               what preheat() gave it, and acquire() returns nullptr when that is used up.
//
// Hot path: acquire() = pop the free list, else bump the cursor by one item; release() = push.
// Slow path (refill: next spare or a new chunk) is out of line.
//
// Chunks are created in order and kept in that order: first_ ... current_ [spares]. New chunks
// (refill, preheat) go to the tail. Chunk sizes start at kFirstChunkBytes and double up to
// kMaxChunkBytes (always at least one item); preheat(n) adds a chunk of exactly n items.
//
// Under ASan (core/asan.hpp) every item not in use is poisoned: release() writes the FreeNode,
// then poisons the item; acquire() unpoisons it before reading the FreeNode back.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <new>

#include "allocators/core/asan.hpp"
#include "allocators/core/traits.hpp"

namespace alloclab {

// How reset() treats the memory, as Zig's ArenaAllocator.ResetMode does.
struct ResetMode {
  enum class Kind : std::uint8_t { kFreeAll, kRetainCapacity, kRetainWithLimit };
  Kind kind = Kind::kRetainCapacity;
  std::size_t limit = 0;  // kRetainWithLimit: chunks holding at most this many items stay

  // Every chunk goes back to the backing allocator (a non-growable pool is then empty).
  static constexpr ResetMode free_all() noexcept { return {Kind::kFreeAll, 0}; }
  // Every chunk stays; every item becomes free. O(1).
  static constexpr ResetMode retain_capacity() noexcept { return {Kind::kRetainCapacity, 0}; }
  // The leading chunks whose items add up to at most `items` stay; the rest are freed.
  static constexpr ResetMode retain_with_limit(std::size_t items) noexcept {
    return {Kind::kRetainWithLimit, items};
  }
};

namespace pool_detail {

struct FreeNode {
  FreeNode* next;
};

struct ChunkTail {
  ChunkTail* next;
  std::size_t items;
};

inline constexpr std::size_t kMinItemAlign = alignof(FreeNode);
inline constexpr std::size_t kFirstChunkBytes = std::size_t{16} << 10;
inline constexpr std::size_t kMaxChunkBytes = std::size_t{1} << 20;

constexpr std::size_t round_up(std::size_t n, std::size_t align) noexcept {
  return (n + align - 1) & ~(align - 1);
}

// The item layout for `size` bytes of payload at `align`: what both shapes compute.
constexpr std::size_t item_align_for(std::size_t align) noexcept {
  return std::max(align, kMinItemAlign);
}
constexpr std::size_t item_size_for(std::size_t size, std::size_t align) noexcept {
  return round_up(std::max(size, sizeof(FreeNode)), item_align_for(align));
}

// Shape known at compile time: item size and alignment fold into the code.
template <std::size_t kSize, std::size_t kAlign, bool kGrowable>
struct StaticShape {
  static_assert(is_pow2(kAlign) && kAlign >= kMinItemAlign && kSize % kAlign == 0);
  static constexpr std::size_t item_size() noexcept { return kSize; }
  static constexpr std::size_t item_align() noexcept { return kAlign; }
  static constexpr bool growable() noexcept { return kGrowable; }
};

// Item size chosen at run time (FixedPool); the alignment stays a constant. Eight bytes, so a
// FixedPool is one cache line.
template <std::size_t kAlign>
class DynamicShape {
  static_assert(is_pow2(kAlign) && kAlign >= kMinItemAlign);

 public:
  // pre: size % kAlign == 0, sizeof(FreeNode) <= size < 4 GiB.
  constexpr DynamicShape(std::size_t size, bool growable) noexcept
      : size_(static_cast<std::uint32_t>(size)), growable_(growable) {}
  constexpr std::size_t item_size() const noexcept { return size_; }
  static constexpr std::size_t item_align() noexcept { return kAlign; }
  constexpr bool growable() const noexcept { return growable_; }

 private:
  std::uint32_t size_;
  bool growable_;
};

template <class Shape>
class PoolCore : private Shape {
 public:
  explicit PoolCore(const Shape& shape = Shape{}) noexcept : Shape(shape) {}
  ~PoolCore() { free_chunks(first_); }
  PoolCore(const PoolCore&) = delete;
  PoolCore& operator=(const PoolCore&) = delete;

  using Shape::growable;
  using Shape::item_align;
  using Shape::item_size;

  // Hot path: storage for one item, or nullptr when the pool cannot grow (or the backing
  // allocator refused). Uninitialised; aligned to item_align().
  [[nodiscard]] void* acquire() noexcept {
    if (FreeNode* node = free_) {
      asan::unpoison(node, item_size());
      free_ = node->next;
      return node;
    }
    if (cursor_ != end_) {
      std::byte* p = cursor_;
      cursor_ += item_size();
      asan::unpoison(p, item_size());
      return p;
    }
    return refill();
  }

  // Hot path. pre: p came from acquire() of this pool and is not in use any more.
  void release(void* p) noexcept {
    free_ = ::new (p) FreeNode{free_};
    asan::poison(p, item_size());
  }

  // Adds one chunk of exactly n items, used before any new chunk is asked for; false when the
  // backing allocator refused. Works on non-growable pools too (that is how they get memory).
  bool preheat(std::size_t n) noexcept {
    if (n == 0) return true;
    ChunkTail* c = new_chunk(n);
    if (c == nullptr) return false;
    append(c);
    return true;
  }

  void reset(ResetMode mode) noexcept {
    switch (mode.kind) {
      case ResetMode::Kind::kFreeAll:
        free_chunks(first_);
        first_ = last_ = nullptr;
        doublings_ = 0;
        break;
      case ResetMode::Kind::kRetainWithLimit:
        keep_at_most(mode.limit);
        break;
      case ResetMode::Kind::kRetainCapacity:
        break;
    }
    for (ChunkTail* c = first_; asan::kEnabled && c != nullptr; c = c->next)
      asan::poison(chunk_base(c), c->items * item_size());
    // Nothing is in use: forget the free list and start bumping from the first chunk again.
    free_ = nullptr;
    current_ = nullptr;
    cursor_ = end_ = nullptr;
  }

  // Observers (tests, statistics).
  [[nodiscard]] std::size_t chunk_count() const noexcept {
    std::size_t n = 0;
    for (const ChunkTail* c = first_; c != nullptr; c = c->next) ++n;
    return n;
  }
  // Items the chunks hold, in use or not.
  [[nodiscard]] std::size_t capacity() const noexcept {
    std::size_t n = 0;
    for (const ChunkTail* c = first_; c != nullptr; c = c->next) n += c->items;
    return n;
  }

 private:
  std::size_t chunk_align() const noexcept { return std::max(item_align(), alignof(ChunkTail)); }
  std::byte* chunk_base(ChunkTail* c) const noexcept {
    return reinterpret_cast<std::byte*>(c) - c->items * item_size();
  }

  // Slow path: the next spare chunk, else (growable) a new one.
  [[gnu::noinline]] void* refill() noexcept {
    ChunkTail* next = current_ != nullptr ? current_->next : first_;
    if (next == nullptr) {
      if (!growable()) return nullptr;
      next = new_chunk(std::max<std::size_t>(1, (kFirstChunkBytes << doublings_) / item_size()));
      if (next == nullptr) return nullptr;
      if ((kFirstChunkBytes << doublings_) < kMaxChunkBytes) ++doublings_;
      append(next);
    }
    current_ = next;
    cursor_ = chunk_base(next) + item_size();  // every chunk holds at least one item
    end_ = reinterpret_cast<std::byte*>(next);
    asan::unpoison(chunk_base(next), item_size());
    return chunk_base(next);
  }

  ChunkTail* new_chunk(std::size_t items) noexcept {
    // item_size() is a multiple of alignof(ChunkTail) (8), so the tail needs no padding.
    if (items > (std::numeric_limits<std::size_t>::max() - sizeof(ChunkTail)) / item_size())
      return nullptr;
    const std::size_t bytes = items * item_size() + sizeof(ChunkTail);
    void* base = ::operator new (bytes, std::align_val_t{chunk_align()}, std::nothrow);
    if (base == nullptr) return nullptr;
    asan::poison(base, items * item_size());
    return ::new (static_cast<std::byte*>(base) + items * item_size()) ChunkTail{nullptr, items};
  }

  void append(ChunkTail* c) noexcept {
    (last_ != nullptr ? last_->next : first_) = c;
    last_ = c;
  }

  void free_chunks(ChunkTail* c) noexcept {
    while (c != nullptr) {
      ChunkTail* next = c->next;
      asan::unpoison(chunk_base(c), c->items * item_size());
      // Unsized: clang declares sized operator delete only under -fsized-deallocation.
      ::operator delete (chunk_base(c), std::align_val_t{chunk_align()});
      c = next;
    }
  }

  // Keeps the leading chunks whose items add up to at most `limit`, frees the rest.
  void keep_at_most(std::size_t limit) noexcept {
    ChunkTail* kept_last = nullptr;
    ChunkTail* c = first_;
    for (std::size_t kept = 0; c != nullptr && c->items <= limit - kept; c = c->next) {
      kept += c->items;
      kept_last = c;
    }
    free_chunks(c);
    (kept_last != nullptr ? kept_last->next : first_) = nullptr;
    last_ = kept_last;
  }

  // Hot fields first: acquire()/release() touch only these three.
  FreeNode* free_ = nullptr;
  std::byte* cursor_ = nullptr;  // next item to bump in current_
  std::byte* end_ = nullptr;     // end of current_'s items (its tail record)
  ChunkTail* current_ = nullptr;
  ChunkTail* first_ = nullptr;
  ChunkTail* last_ = nullptr;
  std::uint32_t doublings_ = 0;  // the next new chunk is kFirstChunkBytes << doublings_
};

}  // namespace pool_detail
}  // namespace alloclab
