// Registering a plugin type. The glue is generated from the allocator folder's declaration,
//   alloclab_add_allocator(mine HEADER mine.hpp TYPES alloclab::Mine alloclab::Locked<alloclab::Mine>)
// (cmake/AlloclabPlugin.cmake), which writes one line per type:
//   ALLOCLAB_REGISTER_ALLOCATOR(alloclab::Mine);
// It type-checks the capabilities against the API (the Allocator concept), instantiates the
// replay loop for the type, and builds the erased ops table used by tests and micro-benchmarks.
// The type registers under Type::traits.name: adapters derive their own (Locked<Mine> is
// "mine_locked"), and Named<Inner, "name", "summary"> gives a composition one of its own.
#pragma once

#include <new>

#include "bindings/registry.hpp"
#include "workloads/replay.hpp"

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
PluginEntry make_entry() {
  return PluginEntry{A::traits, erased_ops<A>(), &replay<A>, false};
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
