#include "templates.hpp"

namespace alloclab::scaffold {
namespace {

constexpr std::string_view kHeader = R"tpl(// @NAME@: a strategy mix (written by `alloclab new-allocator --kind mix`; make it yours).
//
// Two allocators composed with the building blocks of allocators/core/, capabilities derived
// from the parts at compile time, every call statically dispatched to the part that serves it:
//   Segregator<kThreshold, Small, Large>  requests up to kThreshold bytes to Small, the rest to
//                                         Large; free and realloc find the part from the size
//   Fallback<Primary, Secondary>          Primary until it returns nullptr, then Secondary;
//                                         free and realloc routed by Primary's owns(p)
// Here: one object pool per size class for small blocks, the C library's malloc for the rest.
// Swap a part for any strategy (allocators/<name>/), nest mixes, and add the part's library to
// LIBRARIES in CMakeLists.txt when it has one (alloclab::mempool).
#pragma once

#include <cstddef>

#include "allocators/core/allocator.hpp"
#include "allocators/core/named.hpp"
#include "allocators/core/segregator.hpp"
#include "allocators/glibc/malloc_allocator.hpp"
#include "allocators/object_pool/fixed_pool.hpp"

namespace alloclab {

inline constexpr std::size_t k@TYPE@Threshold = 256;

using @TYPE@ =
    Named<Segregator<k@TYPE@Threshold, ObjectPoolSizeClassed, MallocAllocator>, "@NAME@",
          "object_pool_sc up to 256 B, malloc above (scaffold: mix)">;

// The parts' capabilities decide the mix's: free as both, realloc because both free (the pool
// has none of its own: a block moves, min(old, new) bytes copied), and the large part's limits.
static_assert(Allocator<@TYPE@>);
static_assert(@TYPE@::traits.caps == (kFree | kRealloc));
static_assert(@TYPE@::traits.max_size == MallocAllocator::traits.max_size);

}  // namespace alloclab
)tpl";

constexpr std::string_view kTest = R"tpl(// @NAME@'s own tests: where the mix sends its blocks, and what survives a move between its
// parts (its capabilities are static_asserts in @NAME@.hpp). The conformance suite
// (tests/conformance_test.cpp) runs every contract over it.
#include <gtest/gtest.h>

#include "@NAME@.hpp"

namespace alloclab {
namespace {

TEST(@SUITE@, SmallBlocksComeFromThePools) {
  @TYPE@ mix(Config{});
  const unsigned cls = size_class::class_of(k@TYPE@Threshold);
  void* p = mix.allocate(k@TYPE@Threshold, kMinAlign);
  ASSERT_NE(p, nullptr);
  EXPECT_GT(mix.small().pool(cls).capacity(), 0u);
  mix.deallocate(p, k@TYPE@Threshold, kMinAlign);
  EXPECT_EQ(mix.allocate(k@TYPE@Threshold, kMinAlign), p);  // the pool's LIFO reuse
  mix.deallocate(p, k@TYPE@Threshold, kMinAlign);
}

TEST(@SUITE@, ReallocAcrossTheThresholdKeepsTheContents) {
  @TYPE@ mix(Config{});
  auto* p = static_cast<unsigned char*>(mix.allocate(100, kMinAlign));
  ASSERT_NE(p, nullptr);
  for (int i = 0; i < 100; ++i) p[i] = static_cast<unsigned char>(i);
  auto* q = static_cast<unsigned char*>(mix.reallocate(p, 100, 10000, kMinAlign));
  ASSERT_NE(q, nullptr);
  for (int i = 0; i < 100; ++i) ASSERT_EQ(q[i], static_cast<unsigned char>(i));
  auto* r = static_cast<unsigned char*>(mix.reallocate(q, 10000, 50, kMinAlign));
  ASSERT_NE(r, nullptr);
  for (int i = 0; i < 50; ++i) ASSERT_EQ(r[i], static_cast<unsigned char>(i));
  mix.deallocate(r, 50, kMinAlign);
}

}  // namespace
}  // namespace alloclab
)tpl";

}  // namespace

const KindTemplate kMix{"mix", "two strategies composed: object pools up to 256 B, malloc above",
                        kHeader, kTest};

}  // namespace alloclab::scaffold
