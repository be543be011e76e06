// ALLOCLAB_EXPORT_PLUGIN(Type, "name"): one line that turns a type satisfying the Allocator
// concept (allocator.hpp) into a C ABI plugin (alloclab_plugin.h) for `alloclab run --plugin`:
//
//   #include "allocators/core/export_plugin.hpp"
//   ALLOCLAB_EXPORT_PLUGIN(MyAlloc, "myalloc")      // at namespace scope, once per .so
//
// The table's functions follow the type's capabilities (free iff kFree or kFreeLast, realloc
// iff kRealloc, reset iff kReset), so the loader's checks hold by construction. The name is
// checked at compile time against the loader's rule and replaces Type::traits.name, so an
// in-tree type can be exported under a name of its own. A type whose name has a comma needs a
// `using` alias first (the macro takes one argument for it).
#pragma once

#include <array>
#include <cstddef>
#include <new>

#include "allocator.hpp"
#include "alloclab_plugin.h"
#include "traits.hpp"

namespace alloclab::plugin_export {

// The loader's naming rule (harness/plugin_loader.cpp check_plugin_name), at compile time.
constexpr bool valid_name(const char* name) noexcept {
  if (name == nullptr || name[0] < 'a' || name[0] > 'z') return false;
  std::size_t n = 0;
  for (; name[n] != '\0'; ++n) {
    const char c = name[n];
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
  }
  return n <= 32;
}

template <Allocator A>
struct Exported {
  static_assert(A::traits.max_size > 0, "the C ABI needs max_size > 0");

  // Traits::summary is a string_view; the C ABI wants a NUL-terminated string.
  static constexpr auto summary = [] {
    std::array<char, A::traits.summary.size() + 1> s{};
    for (std::size_t i = 0; i < A::traits.summary.size(); ++i) s[i] = A::traits.summary[i];
    return s;
  }();

  static A& self(void* ctx) noexcept { return *static_cast<A*>(ctx); }

  // No exception may cross the C ABI: a throwing constructor becomes "cannot create".
  static void* create(std::size_t block_size, unsigned threads) noexcept {
    try {
      return new A(Config{block_size, threads});
    } catch (...) {
      return nullptr;
    }
  }
  static void destroy(void* ctx) noexcept { delete static_cast<A*>(ctx); }
  static void* allocate(void* ctx, std::size_t n, std::size_t align) noexcept {
    return self(ctx).allocate(n, align);
  }
  static void free(void* ctx, void* p, std::size_t n, std::size_t align) noexcept {
    if constexpr (Deallocating<A>) self(ctx).deallocate(p, n, align);
  }
  static void* realloc(void* ctx, void* p, std::size_t o, std::size_t n, std::size_t al) noexcept {
    if constexpr (Reallocating<A>) return self(ctx).reallocate(p, o, n, al);
    return nullptr;
  }
  static void reset(void* ctx) noexcept {
    if constexpr (Resettable<A>) self(ctx).reset();
  }

  static constexpr AlloclabPluginV1 table(const char* name) noexcept {
    return AlloclabPluginV1{ALLOCLAB_PLUGIN_ABI_VERSION,
                            sizeof(AlloclabPluginV1),
                            name,
                            summary.data(),
                            A::traits.caps,
                            A::traits.max_size,
                            A::traits.max_align,
                            &create,
                            &destroy,
                            &allocate,
                            Deallocating<A> ? &free : nullptr,
                            Reallocating<A> ? &realloc : nullptr,
                            Resettable<A> ? &reset : nullptr};
  }
};

}  // namespace alloclab::plugin_export

#define ALLOCLAB_EXPORT_PLUGIN(Type, name)                                                      \
  static_assert(::alloclab::Allocator<Type>,                                                    \
                "ALLOCLAB_EXPORT_PLUGIN: " #Type " does not satisfy alloclab::Allocator");      \
  static_assert(::alloclab::plugin_export::valid_name(name),                                    \
                "ALLOCLAB_EXPORT_PLUGIN: the name must be 1-32 of a-z, 0-9, '_', '-', "         \
                "starting with a letter");                                                      \
  extern "C" ALLOCLAB_PLUGIN_EXPORT const AlloclabPluginV1* alloclab_plugin_v1(void) {          \
    static constexpr AlloclabPluginV1 kAlloclabExportedTable =                                  \
        ::alloclab::plugin_export::Exported<Type>::table(name);                                 \
    return &kAlloclabExportedTable;                                                             \
  }
