// Registering a plugin type: one line in the plugin's plugin.cpp,
//   ALLOCLAB_REGISTER_ALLOCATOR(MyAllocator);
// It type-checks the capabilities against the API (the Allocator concept), instantiates the
// replay loop for the type, and builds the erased ops table used by tests and micro-benchmarks.
#pragma once

#include <new>

#include "allocators/core/registry.hpp"
#include "replay.hpp"

namespace alloclab {

template <Allocator A>
ErasedOps erased_ops() {
  ErasedOps ops;
  ops.create = [](const Config& c) -> void* { return new (std::nothrow) A(c); };
  ops.destroy = [](void* self) { delete static_cast<A*>(self); };
  ops.allocate = [](void* self, std::size_t n, std::size_t al) {
    return static_cast<A*>(self)->allocate(n, al);
  };
  if constexpr (Deallocating<A>)
    ops.deallocate = [](void* self, void* p, std::size_t n, std::size_t al) {
      static_cast<A*>(self)->deallocate(p, n, al);
    };
  if constexpr (Reallocating<A>)
    ops.reallocate = [](void* self, void* p, std::size_t o, std::size_t n, std::size_t al) {
      return static_cast<A*>(self)->reallocate(p, o, n, al);
    };
  if constexpr (Resettable<A>) ops.reset = [](void* self) { static_cast<A*>(self)->reset(); };
  return ops;
}

template <Allocator A>
PluginEntry make_entry(Traits traits = A::traits, Preload preload = {}) {
  return PluginEntry{traits, erased_ops<A>(), &replay<A>, preload, false};
}

}  // namespace alloclab

#define ALLOCLAB_CONCAT_INNER(a, b) a##b
#define ALLOCLAB_CONCAT(a, b) ALLOCLAB_CONCAT_INNER(a, b)

// Registers `Type` under Type::traits.name.
#define ALLOCLAB_REGISTER_ALLOCATOR(...)                                              \
  static const bool ALLOCLAB_CONCAT(alloclab_registered_, __LINE__) = [] {           \
    ::alloclab::register_plugin(::alloclab::make_entry<__VA_ARGS__>());              \
    return true;                                                                      \
  }()

// Registers `Type` under another name and summary (adapters such as Locked<A>).
#define ALLOCLAB_REGISTER_ALLOCATOR_AS(shown_name, shown_summary, ...)                \
  static const bool ALLOCLAB_CONCAT(alloclab_registered_, __LINE__) = [] {           \
    auto traits = __VA_ARGS__::traits;                                                \
    traits.name = shown_name;                                                         \
    traits.summary = shown_summary;                                                   \
    ::alloclab::register_plugin(::alloclab::make_entry<__VA_ARGS__>(traits));        \
    return true;                                                                      \
  }()
