// FixedPool: the object pool with its block size chosen at run time, the `object_pool` plugin
// (kFixedSize: the harness passes Config::block_size = the workload's largest request).
// Same engine as ObjectPool<T> (pool_core.hpp); only the item shape is a run-time value.
//
// Block size: Config::block_size rounded up to a multiple of 16, at least 16, at most
// kMaxBlock. Every block is 16-aligned. allocate(n) with n > block_size() returns nullptr.
#pragma once

#include <algorithm>
#include <cstddef>

#include "allocators/core/assert.hpp"
#include "allocators/core/named.hpp"
#include "allocators/core/size_classed.hpp"
#include "allocators/core/traits.hpp"
#include "pool_core.hpp"

namespace alloclab {

class FixedPool {
 public:
  static constexpr std::size_t kAlign = 16;
  static constexpr std::size_t kMaxBlock = std::size_t{64} << 10;
  static constexpr Traits traits{"object_pool",
                                 "Zig-style single-size pool: LIFO free list inside freed "
                                 "blocks, bump-allocated chunks",
                                 kFree | kReset | kFixedSize, kMaxBlock, kAlign};

  static constexpr std::size_t block_size_for(std::size_t requested) noexcept {
    return pool_detail::item_size_for(std::clamp<std::size_t>(requested, kAlign, kMaxBlock),
                                      kAlign);
  }

  explicit FixedPool(std::size_t block_size, bool growable = true) noexcept
      : core_(pool_detail::DynamicShape<kAlign>(block_size_for(block_size), growable)) {}
  explicit FixedPool(const Config& config) noexcept : FixedPool(config.block_size) {}
  FixedPool(const FixedPool&) = delete;
  FixedPool& operator=(const FixedPool&) = delete;

  // Hot path. pre: align is a power of two.
  [[nodiscard]] void* allocate(std::size_t n, std::size_t align = kAlign) noexcept {
    ALLOCLAB_ASSERT(is_pow2(align), "align is a power of two");
    if (n > core_.item_size() || align > kAlign) [[unlikely]]
      return nullptr;
    return core_.acquire();
  }

  // Hot path. pre: p came from allocate() of this pool (the size is not needed).
  void deallocate(void* p, std::size_t /*n*/, std::size_t /*align*/ = kAlign) noexcept {
    core_.release(p);
  }

  bool preheat(std::size_t n) noexcept { return core_.preheat(n); }
  void reset(ResetMode mode = ResetMode::retain_capacity()) noexcept { core_.reset(mode); }

  [[nodiscard]] std::size_t block_size() const noexcept { return core_.item_size(); }
  [[nodiscard]] std::size_t capacity() const noexcept { return core_.capacity(); }
  [[nodiscard]] std::size_t chunk_count() const noexcept { return core_.chunk_count(); }

 private:
  pool_detail::PoolCore<pool_detail::DynamicShape<kAlign>> core_;
};
static_assert(sizeof(FixedPool) == 64, "one cache line per pool in SizeClassed<FixedPool>");

// object_pool_sc: one FixedPool per size class, through the shared SizeClassed adapter.
using ObjectPoolSizeClassed =
    Named<SizeClassed<FixedPool>, "object_pool_sc",
          "one object_pool per size class (16 B steps to 128 B, then 4 per doubling to 32 KiB); "
          "sized free finds the class">;

}  // namespace alloclab
