// Alignment arithmetic for the arena. Kept apart from arena.hpp so the rules can be read and
// tested on their own: every function here is constexpr and checked by static_asserts below.
#pragma once

#include <cstddef>
#include <cstdint>

#include "allocators/core/assert.hpp"
#include "allocators/core/traits.hpp"

namespace alloclab {

// The address `p` rounded up to a multiple of `align`.
// Returns 0 when `align` is not a power of two (0 included): there is no address to round
// to, and 0 can never be a valid result for a non-zero `p`, so callers test for it.
// pre: p + align does not overflow.
constexpr std::uintptr_t align_forward(std::uintptr_t p, std::size_t align) noexcept {
  if (!is_pow2(align)) return 0;
  const std::uintptr_t mask = align - 1;
  return (p + mask) & ~mask;
}

// Bytes to skip from `p` to the next multiple of `align`; the unchecked form the fast path
// uses once the request has been validated.
// pre: is_pow2(align).
constexpr std::size_t align_padding(std::uintptr_t p, std::size_t align) noexcept {
  ALLOCLAB_ASSERT(is_pow2(align), "is_pow2(align)");
  return static_cast<std::size_t>((std::uintptr_t{0} - p) & (align - 1));
}

// `n` rounded up to a multiple of `granule` (a power of two).
// pre: is_pow2(granule), n + granule does not overflow.
constexpr std::size_t round_up(std::size_t n, std::size_t granule) noexcept {
  return (n + granule - 1) & ~(granule - 1);
}

static_assert(align_forward(0, 16) == 0 && align_forward(1, 16) == 16 &&
              align_forward(16, 16) == 16);
static_assert(align_forward(17, 3) == 0 && align_forward(17, 0) == 0);
static_assert(align_padding(17, 16) == 15 && align_padding(32, 16) == 0 &&
              align_padding(5, 1) == 0);
static_assert(round_up(0, 16) == 0 && round_up(1, 16) == 16 && round_up(4097, 4096) == 8192);

}  // namespace alloclab
