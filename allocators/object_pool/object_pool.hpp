// ObjectPool<T, PoolOptions{...}>: a pool of one type, Zig's std.heap.MemoryPool in C++.
//
//   ObjectPool<Node> pool;                                  // growable, alignof(Node)
//   ObjectPool<Node, PoolOptions{.alignment = 64, .growable = false}> fixed(1024);
//   Node* n = pool.create(args...);   // constructs a Node; nullptr when exhausted
//   pool.destroy(n);                  // runs ~Node, pushes the item on the free list
//
// Items are item_size = max(sizeof(T), sizeof(void*)) rounded up to item_alignment =
// max(alignof(T), options.alignment, alignof(void*)) bytes; the free list lives inside freed
// items (pool_core.hpp). The engine is shared with FixedPool, the runtime-sized face.
#pragma once

#include <algorithm>
#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

#include "pool_core.hpp"

namespace alloclab {

struct PoolOptions {
  std::size_t alignment = 0;  // 0: alignof(T); else a power of two, raised to at least alignof(T)
  bool growable = true;       // false: only preheated items, create() returns nullptr after
};

template <class T, PoolOptions kOptions = PoolOptions{}>
class ObjectPool {
  static_assert(kOptions.alignment == 0 || is_pow2(kOptions.alignment),
                "PoolOptions::alignment must be 0 or a power of two");
  static_assert(std::is_object_v<T> && !std::is_const_v<T> && !std::is_volatile_v<T>);

 public:
  static constexpr std::size_t item_alignment =
      pool_detail::item_align_for(std::max(alignof(T), kOptions.alignment));
  static constexpr std::size_t item_size = pool_detail::item_size_for(sizeof(T), item_alignment);

  ObjectPool() noexcept = default;

  // Preheated: room for `n` items up front (a non-growable pool's whole capacity).
  // Throws std::bad_alloc when the backing allocator refuses; preheat() is the noexcept form.
  explicit ObjectPool(std::size_t n) {
    if (!core_.preheat(n)) throw std::bad_alloc();
  }

  ObjectPool(const ObjectPool&) = delete;
  ObjectPool& operator=(const ObjectPool&) = delete;

  // Hot path. Constructs a T: create() default-initialises (like `new T`), create(args...)
  // direct-initialises. nullptr when the pool is exhausted (non-growable) or out of memory.
  // If T's constructor throws, the item goes back to the pool and the exception propagates.
  template <class... Args>
  [[nodiscard]] T* create(Args&&... args) noexcept(std::is_nothrow_constructible_v<T, Args...>) {
    void* p = core_.acquire();
    if (p == nullptr) [[unlikely]]
      return nullptr;
    if constexpr (std::is_nothrow_constructible_v<T, Args...>) {
      return construct(p, std::forward<Args>(args)...);
    } else {
      try {
        return construct(p, std::forward<Args>(args)...);
      } catch (...) {
        core_.release(p);
        throw;
      }
    }
  }

  // Hot path. pre: p came from create() of this pool and was not destroyed since.
  void destroy(T* p) noexcept {
    p->~T();
    core_.release(p);
  }

  // Adds room for n more items in one chunk; false when the backing allocator refused.
  bool preheat(std::size_t n) noexcept { return core_.preheat(n); }

  // pre: no item is in use (their destructors are not run: destroy() them first).
  void reset(ResetMode mode = ResetMode::retain_capacity()) noexcept { core_.reset(mode); }

  [[nodiscard]] std::size_t capacity() const noexcept { return core_.capacity(); }
  [[nodiscard]] std::size_t chunk_count() const noexcept { return core_.chunk_count(); }

 private:
  template <class... Args>
  static T* construct(void* p, Args&&... args) {
    if constexpr (sizeof...(Args) == 0) {
      return ::new (p) T;
    } else {
      return ::new (p) T(std::forward<Args>(args)...);
    }
  }

  pool_detail::PoolCore<pool_detail::StaticShape<item_size, item_alignment, kOptions.growable>>
      core_;
};

}  // namespace alloclab
