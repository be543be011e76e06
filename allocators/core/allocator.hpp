// The Allocator concept: what the replay loop, the conformance suite and the micro suite
// require of a plugin type. Everything is statically dispatched: the harness instantiates its
// loops once per plugin type, so no virtual call sits between a workload and allocate().
//
// Contracts (checked by tests/conformance):
//   allocate(n, align)        pre: align is a power of two <= traits.max_align.
//                             Returns nullptr when out of memory or n > max_size; never throws.
//                             n == 0 returns a unique block that may be freed.
//   deallocate(p, n, align)   pre: p came from this allocator with the same n and align
//                             (sized free, as nullprogram's checklist asks). Required iff
//                             kFree or kFreeLast; with kFreeLast only the newest block is reused.
//   reallocate(p, o, n, al)   kRealloc. Keeps min(o, n) bytes; nullptr leaves p valid.
//   reset()                   kReset. Every block becomes invalid at once.
#pragma once

#include <concepts>
#include <cstddef>

#include "traits.hpp"

namespace alloclab {

template <class A>
concept BasicAllocator = requires(A& a, std::size_t n, std::size_t align) {
  { A::traits } -> std::convertible_to<Traits>;
  { a.allocate(n, align) } noexcept -> std::same_as<void*>;
} && std::constructible_from<A, const Config&>;

template <class A>
concept Deallocating = requires(A& a, void* p, std::size_t n, std::size_t align) {
  { a.deallocate(p, n, align) } noexcept;
};

template <class A>
concept Resettable = requires(A& a) {
  { a.reset() } noexcept;
};

template <class A>
concept Reallocating = requires(A& a, void* p, std::size_t o, std::size_t n, std::size_t al) {
  { a.reallocate(p, o, n, al) } noexcept -> std::same_as<void*>;
};

// An allocator whose declared capabilities match the API it offers, in both directions.
template <class A>
concept Allocator =
    BasicAllocator<A> &&
    (has_cap(A::traits.caps, kFree) || has_cap(A::traits.caps, kFreeLast)) == Deallocating<A> &&
    has_cap(A::traits.caps, kReset) == Resettable<A> &&
    has_cap(A::traits.caps, kRealloc) == Reallocating<A> && is_pow2(A::traits.max_align) &&
    !std::copy_constructible<A>;

}  // namespace alloclab
