// The standard library's memory resources as plugins: the production peers of the arena
// (monotonic_buffer_resource) and of the pools (unsynchronized_/synchronized_pool_resource).
// One template serves all three; the capabilities differ and decide which members exist:
//   pmr_monotonic   kReset only. A monotonic resource never reuses a block before release(),
//                   so it offers no deallocate at all rather than a silent no-op.
//   pmr_pool        kFree | kReset; not thread-safe (the runner makes one per thread).
//   pmr_sync_pool   kFree | kReset | kThreadSafe | kCrossThreadFree; one shared instance.
// Every resource draws from new_delete_resource(). The resources throw std::bad_alloc; the
// plugin interface is noexcept, so that becomes nullptr.
#pragma once

#include <algorithm>
#include <cstddef>
#include <memory_resource>
#include <new>

#include "allocators/core/assert.hpp"
#include "allocators/core/traits.hpp"

namespace alloclab {

namespace pmr_detail {

inline constexpr std::size_t kMaxSize = std::size_t{1} << 30;  // a bound, not a resource limit
inline constexpr std::size_t kMaxAlign = 4096;

template <class Resource>
struct ResourceTraits;

template <>
struct ResourceTraits<std::pmr::monotonic_buffer_resource> {
  static constexpr Traits traits{"pmr_monotonic",
                                 "std::pmr::monotonic_buffer_resource over new/delete",
                                 kReset, kMaxSize, kMaxAlign};
};
template <>
struct ResourceTraits<std::pmr::unsynchronized_pool_resource> {
  static constexpr Traits traits{"pmr_pool",
                                 "std::pmr::unsynchronized_pool_resource, one per thread",
                                 kFree | kReset, kMaxSize, kMaxAlign};
};
template <>
struct ResourceTraits<std::pmr::synchronized_pool_resource> {
  static constexpr Traits traits{"pmr_sync_pool",
                                 "std::pmr::synchronized_pool_resource shared by all threads",
                                 kFree | kReset | kThreadSafe | kCrossThreadFree, kMaxSize,
                                 kMaxAlign};
};

}  // namespace pmr_detail

template <class Resource>
class PmrAllocator {
 public:
  static constexpr Traits traits = pmr_detail::ResourceTraits<Resource>::traits;

  explicit PmrAllocator(const Config&) : resource_(std::pmr::new_delete_resource()) {}
  PmrAllocator(const PmrAllocator&) = delete;
  PmrAllocator& operator=(const PmrAllocator&) = delete;

  // pre: align is a power of two.
  void* allocate(std::size_t n, std::size_t align) noexcept {
    ALLOCLAB_ASSERT(is_pow2(align), "align is a power of two");
    if (n > traits.max_size || align > traits.max_align) return nullptr;
    try {
      return resource_.allocate(request_size(n, align), request_align(align));
    } catch (const std::bad_alloc&) {
      return nullptr;
    }
  }

  // pre: p came from allocate(n, align) on this instance.
  void deallocate(void* p, std::size_t n, std::size_t align) noexcept
    requires(has_cap(traits.caps, kFree))
  {
    resource_.deallocate(p, request_size(n, align), request_align(align));
  }

  void reset() noexcept { resource_.release(); }

  Resource& resource() noexcept { return resource_; }

 private:
  // A zero-byte request is legal for a memory_resource but need not be unique: ask for one.
  // The size is rounded up to the alignment because libstdc++'s pool resources pick a pool by
  // max(size, align) and carve pools of e.g. 24-byte blocks, which are only 8-aligned: a
  // 24-byte request at alignment 16 would come back misaligned (see the alignment test).
  static std::size_t request_size(std::size_t n, std::size_t align) noexcept {
    const std::size_t a = request_align(align);
    return (std::max<std::size_t>(n, 1) + a - 1) & ~(a - 1);
  }
  static std::size_t request_align(std::size_t a) noexcept { return std::max(a, kMinAlign); }

  Resource resource_;
};

using PmrMonotonic = PmrAllocator<std::pmr::monotonic_buffer_resource>;
using PmrPool = PmrAllocator<std::pmr::unsynchronized_pool_resource>;
using PmrSyncPool = PmrAllocator<std::pmr::synchronized_pool_resource>;

}  // namespace alloclab
