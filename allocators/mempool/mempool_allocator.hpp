// The `mempool` plugin: a thin handle on the process-wide mempool heap (heap.hpp), as tcmalloc
// is one heap per process. Every instance shares it; allocate and deallocate are the heap's
// inline hot paths, deallocate uses the sized path (no page-map lookup for small blocks).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>

#include "allocators/core/traits.hpp"
#include "heap.hpp"

namespace alloclab {

class MempoolAllocator {
 public:
  static constexpr Traits traits{
      "mempool", "tcmalloc-like: thread caches, central lists, page heap, radix page map",
      kFree | kRealloc | kThreadSafe | kCrossThreadFree, std::size_t{1} << 40, std::size_t{1} << 20};

  explicit MempoolAllocator(const Config&) noexcept {}
  MempoolAllocator(const MempoolAllocator&) = delete;
  MempoolAllocator& operator=(const MempoolAllocator&) = delete;

  void* allocate(std::size_t n, std::size_t align) noexcept {
    if (align <= kMinAlign) [[likely]] {
      if (n > traits.max_size) [[unlikely]] return nullptr;
      return mempool::allocate(n);
    }
    if (n > traits.max_size || align > traits.max_align) return nullptr;
    return mempool::allocate_aligned(n, align);
  }

  // pre: p came from allocate(n, align) of any instance.
  void deallocate(void* p, std::size_t n, std::size_t align) noexcept {
    mempool::deallocate(p, n, align);
  }

  // The replay's FastPath: no size or alignment test, the class from n alone.
  // pre: n <= kFastMax, align <= kMinAlign (for deallocate_fast: as it was allocated).
  static constexpr std::size_t kFastMax = mempool::kMaxSmall;
  [[gnu::always_inline]] void* allocate_fast(std::size_t n) noexcept { return mempool::allocate_small(n); }
  [[gnu::always_inline]] void deallocate_fast(void* p, std::size_t n) noexcept {
    mempool::deallocate_small(p, n);
  }

  // A page-map lookup: any instance's blocks (the heap is one per process).
  [[nodiscard]] bool owns(const void* p) const noexcept { return mempool::owns(p); }

  void* reallocate(void* p, std::size_t old_size, std::size_t n, std::size_t align) noexcept {
    if (n > traits.max_size) return nullptr;
    // Sized deallocate() takes the class from the size it is given, so the block may stay in
    // place only while its class does not change (mempool::reallocate keeps a block that
    // shrinks by up to half: right for the unsized malloc shim, not for sized frees).
    if (align <= kMinAlign && mempool::class_for(n, align) == mempool::class_for(old_size, align))
      return mempool::reallocate(p, n);
    void* q = allocate(n, align);
    if (q == nullptr) return nullptr;
    std::memcpy(q, p, std::min(old_size, n));
    mempool::deallocate(p);  // unsized: right even if p had another alignment
    return q;
  }
};

}  // namespace alloclab
