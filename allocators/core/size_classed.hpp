// SizeClassed<Pool>: a general allocator built from one fixed-size pool per size class.
//
// Glossary
//   size class - a block size every request up to it (and above the previous one) is served
//                from; the class table below is the whole policy.
//   granule    - 16 bytes; every class size is a multiple of it, so a request's class depends
//                only on its granule count and the lookup is one byte load (tcmalloc's trick).
//
// Sized free: deallocate(p, n) finds the class from n, as allocate did, so blocks carry no
// header and the pools need not know where a block came from. pre: n is the size allocated.
//
// Pool: any kFixedSize allocator with kFree, constructed from Config{.block_size = class size}.
// Capabilities: kFree, plus kReset when the pool has it. Not kFixedSize: any size up to
// size_class::kMaxSize is served; larger ones return nullptr.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>

#include "assert.hpp"
#include "allocator.hpp"
#include "named.hpp"
#include "traits.hpp"

namespace alloclab {
namespace size_class {

// Columns of the class table:
//   sizes 16 .. kMaxSmall       in steps of kGranule          (16, 32, ..., 128)
//   then kStepsPerDoubling classes in each (2^k, 2^(k+1)]     (160, 192, 224, 256, 320, ...)
//   up to kMaxSize.
// Waste: below kMaxSmall under one granule; above it under 1/kStepsPerDoubling of the size.
inline constexpr std::size_t kGranule = 16;
inline constexpr std::size_t kMaxSmall = 128;
inline constexpr unsigned kStepsPerDoubling = 4;
inline constexpr std::size_t kMaxSize = std::size_t{32} << 10;

inline constexpr unsigned kSmallClasses = kMaxSmall / kGranule;

constexpr unsigned bit_width(std::size_t x) noexcept {
  unsigned w = 0;
  for (; x != 0; x >>= 1) ++w;
  return w;
}

// The class of an n-byte request, computed; the reference the lookup table is built from.
// pre: n <= kMaxSize.
constexpr unsigned class_of_computed(std::size_t n) noexcept {
  if (n <= kMaxSmall) return n == 0 ? 0u : static_cast<unsigned>((n - 1) / kGranule);
  // 2^(b-1) < n <= 2^b; the doubling splits into kStepsPerDoubling steps of 2^b / 8.
  const unsigned b = bit_width(n - 1);
  const unsigned step_shift = b - 3;  // log2(kStepsPerDoubling) + 1
  const unsigned doubling = b - 8;    // 0 for (128, 256]
  return kSmallClasses + doubling * kStepsPerDoubling +
         static_cast<unsigned>((n - 1) >> step_shift) - kStepsPerDoubling;
}

inline constexpr unsigned kCount = class_of_computed(kMaxSize) + 1;

// The largest request of class c (its block size).
constexpr std::size_t size_of(unsigned c) noexcept {
  if (c < kSmallClasses) return (c + 1) * kGranule;
  const unsigned doubling = (c - kSmallClasses) / kStepsPerDoubling;
  const unsigned step = (c - kSmallClasses) % kStepsPerDoubling + 1;
  const std::size_t base = kMaxSmall << doubling;
  return base + step * (base / kStepsPerDoubling);
}

inline constexpr auto kClassSize = [] {
  std::array<std::uint32_t, kCount> t{};
  for (unsigned c = 0; c < kCount; ++c) t[c] = static_cast<std::uint32_t>(size_of(c));
  return t;
}();

// Indexed by granule count, (n + 15) / 16.
inline constexpr auto kClassOfGranules = [] {
  std::array<std::uint8_t, kMaxSize / kGranule + 1> t{};
  for (std::size_t g = 0; g < t.size(); ++g)
    t[g] = static_cast<std::uint8_t>(class_of_computed(g * kGranule));
  return t;
}();

// Hot path. pre: n <= kMaxSize.
constexpr unsigned class_of(std::size_t n) noexcept {
  ALLOCLAB_ASSERT(n <= kMaxSize, "n <= kMaxSize");
  return kClassOfGranules[(n + kGranule - 1) / kGranule];
}

// Invariants of the table.
static_assert(kCount == 40 && kCount <= 256, "class indices must fit the byte table");
static_assert(size_of(kCount - 1) == kMaxSize);
constexpr bool classes_are_ordered_granules() {
  for (unsigned c = 0; c < kCount; ++c) {
    if (kClassSize[c] % kGranule != 0) return false;
    if (c > 0 && kClassSize[c] <= kClassSize[c - 1]) return false;
    if (class_of_computed(kClassSize[c]) != c) return false;  // a class's own size maps to it
  }
  return true;
}
static_assert(classes_are_ordered_granules());
constexpr bool every_granule_fits_its_class() {
  for (std::size_t g = 0; g < kClassOfGranules.size(); ++g) {
    const unsigned c = kClassOfGranules[g];
    if (kClassSize[c] < g * kGranule) return false;                // big enough
    if (c > 0 && kClassSize[c - 1] >= g * kGranule) return false;  // and the smallest such
  }
  return true;
}
static_assert(every_granule_fits_its_class());

}  // namespace size_class

// The pools SizeClassed can be built from.
template <class P>
concept FixedSizePool = Allocator<P> && has_cap(P::traits.caps, kFixedSize) &&
                        has_cap(P::traits.caps, kFree) && P::traits.max_size
                        >= size_class::kMaxSize;

template <FixedSizePool Pool>
class SizeClassed {
 public:
  static constexpr std::size_t kMaxSize = size_class::kMaxSize;
  // "<pool>_sc"; Named<SizeClassed<P>, ...> gives a composition its own name and summary.
  static constexpr Traits traits{suffixed_name<Pool, "_sc">(), "one fixed-size pool per size class",
                                 kFree | (Pool::traits.caps & kReset), kMaxSize,
                                 Pool::traits.max_align};

  explicit SizeClassed(const Config& config) noexcept(noexcept(Pool(config)))
      : SizeClassed(config, std::make_index_sequence<size_class::kCount>{}) {}
  SizeClassed(const SizeClassed&) = delete;
  SizeClassed& operator=(const SizeClassed&) = delete;

  // Hot path: one table load picks the pool.
  [[nodiscard]] void* allocate(std::size_t n, std::size_t align) noexcept {
    if (n > kMaxSize) [[unlikely]]
      return nullptr;
    return pools_[size_class::class_of(n)].allocate(n, align);
  }

  // Hot path. pre: p came from allocate(n, align) of this allocator.
  void deallocate(void* p, std::size_t n, std::size_t align) noexcept {
    pools_[size_class::class_of(n)].deallocate(p, n, align);
  }

  void reset() noexcept requires Resettable<Pool> {
    for (Pool& pool : pools_) pool.reset();
  }

  [[nodiscard]] Pool& pool(unsigned size_class) noexcept { return pools_[size_class]; }

 private:
  static Config class_config(Config config, unsigned c) noexcept {
    config.block_size = size_class::size_of(c);
    return config;
  }

  // Pools are neither copyable nor movable: each element is built in place from a prvalue.
  template <std::size_t... kClass>
  SizeClassed(const Config& config, std::index_sequence<kClass...>)
      : pools_{{Pool(class_config(config, kClass))...}} {}

  // Cache-line aligned: a 64-byte pool (FixedPool) then sits in exactly one line.
  alignas(64) std::array<Pool, size_class::kCount> pools_;
};

}  // namespace alloclab
