// Size classes for boost_pool_sc: which fixed-size pool serves a request of n bytes.
// (allocators/core may grow a shared SizeClassed<Pool> adapter; this table is small and local
// until then.)
//
// Columns of the table, per class c:
//   kClassSize[c]  the block size served, a multiple of 16 so every block of a pool whose
//                  blocks start 16-aligned is 16-aligned.
// Rows: 16..128 in steps of 16 (8 classes), then four classes per power of two up to kMaxSize
// (n in (2^(e-1), 2^e] is served in steps of 2^(e-3)), so a block wastes < 25% of itself.
#pragma once

#include <array>
#include <bit>
#include <cstddef>

namespace alloclab::boost_pool_detail {

inline constexpr std::size_t kSmallStep = 16;
inline constexpr std::size_t kSmallClasses = 8;  // 16, 32, ..., 128
inline constexpr std::size_t kSmallMax = kSmallStep * kSmallClasses;
inline constexpr std::size_t kClassesPerDoubling = 4;
inline constexpr std::size_t kMaxSize = std::size_t{32} << 10;
inline constexpr std::size_t kClasses =
    kSmallClasses +
    kClassesPerDoubling * static_cast<std::size_t>(std::countr_zero(kMaxSize / kSmallMax));

// pre: n <= kMaxSize. n == 0 maps to the smallest class.
constexpr std::size_t class_of(std::size_t n) noexcept {
  if (n <= kSmallMax) return n == 0 ? 0 : (n - 1) / kSmallStep;
  const auto e = static_cast<std::size_t>(std::bit_width(n - 1));  // 2^(e-1) < n <= 2^e
  const std::size_t step = std::size_t{1} << (e - 3);
  const std::size_t within = (n - 1 - (std::size_t{1} << (e - 1))) / step;  // 0..3
  return kSmallClasses + (e - 8) * kClassesPerDoubling + within;
}

inline constexpr std::array<std::size_t, kClasses> kClassSize = [] {
  std::array<std::size_t, kClasses> sizes{};
  for (std::size_t c = 0; c < kSmallClasses; ++c) sizes[c] = (c + 1) * kSmallStep;
  std::size_t c = kSmallClasses;
  for (std::size_t low = kSmallMax; low < kMaxSize; low *= 2)
    for (std::size_t k = 1; k <= kClassesPerDoubling; ++k) sizes[c++] = low + k * (low / 4);
  return sizes;
}();

constexpr bool table_is_consistent() {
  for (std::size_t c = 0; c < kClasses; ++c) {
    if (kClassSize[c] % 16 != 0) return false;                          // 16-aligned blocks
    if (c > 0 && kClassSize[c] <= kClassSize[c - 1]) return false;      // increasing
    if (class_of(kClassSize[c]) != c) return false;                      // a size maps home
    if (c + 1 < kClasses && class_of(kClassSize[c] + 1) != c + 1) return false;  // and no further
    if (c >= kSmallClasses && (kClassSize[c] - kClassSize[c - 1] - 1) * 4 >= kClassSize[c])
      return false;  // beyond the small steps a block wastes < 25%
  }
  return kClassSize[kClasses - 1] == kMaxSize;
}
static_assert(table_is_consistent(), "size-class table and class_of disagree");

}  // namespace alloclab::boost_pool_detail
