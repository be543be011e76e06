// The `glibc` plugin: the process's malloc/free. Under LD_PRELOAD the same code measures
// jemalloc, mimalloc and the rest (allocators/preload), as they are deployed.
#pragma once

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "allocators/core/traits.hpp"

namespace alloclab {

class MallocAllocator {
 public:
  static constexpr Traits traits{
      "glibc", "the C library's malloc/free (glibc ptmalloc2)",
      kFree | kRealloc | kThreadSafe | kCrossThreadFree, std::size_t{1} << 40, 1u << 16};

  explicit MallocAllocator(const Config&) {}
  MallocAllocator(const MallocAllocator&) = delete;
  MallocAllocator& operator=(const MallocAllocator&) = delete;

  void* allocate(std::size_t n, std::size_t align) noexcept {
    if (n > traits.max_size) return nullptr;
    if (align <= kMinAlign) return std::malloc(n);
    return std::aligned_alloc(align, (std::max<std::size_t>(n, 1) + align - 1) & ~(align - 1));
  }
  void deallocate(void* p, std::size_t, std::size_t) noexcept { std::free(p); }
  void* reallocate(void* p, std::size_t old_size, std::size_t n, std::size_t align) noexcept {
    if (n > traits.max_size) return nullptr;
    if (align <= kMinAlign) return std::realloc(p, std::max<std::size_t>(n, 1));
    void* q = allocate(n, align);
    if (q == nullptr) return nullptr;
    std::memcpy(q, p, std::min(old_size, n));
    std::free(p);
    return q;
  }
};

}  // namespace alloclab
