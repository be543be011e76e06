// mempool size classes: every small request (<= 256 KiB) is rounded up to one of these sizes.
//
// Glossary
//   class     - an index 1..kNumClasses-1 into kClasses; 0 means "not small" (a large block).
//   span      - a run of whole 8 KiB pages carved into objects of one class.
//   batch     - how many objects move at once between a thread cache and the central cache.
//
// Columns of kClasses (tcmalloc's size_classes.cc layout):
//   size   bytes per object; a multiple of 16, so every object is 16-byte aligned (span
//          starts are page aligned and objects sit at multiples of `size` from the start).
//   pages  pages per span; the smallest count whose tail (span % size) wastes at most 1/8 of
//          the span and, up to 32 KiB objects, that holds min(8 objects, 64 KiB).
//   batch  objects per transfer: clamp(64 KiB / size, 2, 32).
// Rounding waste: a request lands in the first class >= it, so the waste of class c is below
// size[c] - size[c-1]; steps are 16 bytes up to 128, then at most size/8 (16-byte steps below
// 1 KiB, 128-byte steps above, where the lookup table's granularity is 128).
// Lookup: one table load, O(1): index (n + 15) / 16 up to 1 KiB, then (n + 127) / 128.
// The table was produced by a throwaway script following the rules above; the static_asserts
// below re-check every rule, so an edit that breaks one does not compile.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "allocators/core/assert.hpp"
#include "allocators/core/traits.hpp"

namespace alloclab::mempool {

inline constexpr unsigned kPageShift = 13;
inline constexpr std::size_t kPageSize = std::size_t{1} << kPageShift;  // 8 KiB
inline constexpr std::size_t kMaxSmall = std::size_t{256} << 10;         // 256 KiB
inline constexpr std::size_t kMinObject = 16;
inline constexpr std::size_t kMaxBatch = 32;  // no class moves more objects at once

struct SizeClass {
  std::uint32_t size;
  std::uint16_t pages;
  std::uint16_t batch;
};

// clang-format off
inline constexpr SizeClass kClasses[] = {
    //  size pages batch      class: objects per span
    {     0,  0,  0},  //  0: not a small class
    {    16,  1, 32},  //  1:  512 objects
    {    32,  1, 32},  //  2:  256 objects
    {    48,  1, 32},  //  3:  170 objects
    {    64,  1, 32},  //  4:  128 objects
    {    80,  1, 32},  //  5:  102 objects
    {    96,  1, 32},  //  6:   85 objects
    {   112,  1, 32},  //  7:   73 objects
    {   128,  1, 32},  //  8:   64 objects
    {   144,  1, 32},  //  9:   56 objects
    {   160,  1, 32},  // 10:   51 objects
    {   176,  1, 32},  // 11:   46 objects
    {   192,  1, 32},  // 12:   42 objects
    {   208,  1, 32},  // 13:   39 objects
    {   224,  1, 32},  // 14:   36 objects
    {   256,  1, 32},  // 15:   32 objects
    {   288,  1, 32},  // 16:   28 objects
    {   320,  1, 32},  // 17:   25 objects
    {   352,  1, 32},  // 18:   23 objects
    {   400,  1, 32},  // 19:   20 objects
    {   448,  1, 32},  // 20:   18 objects
    {   512,  1, 32},  // 21:   16 objects
    {   576,  1, 32},  // 22:   14 objects
    {   656,  1, 32},  // 23:   12 objects
    {   736,  1, 32},  // 24:   11 objects
    {   832,  1, 32},  // 25:    9 objects
    {   944,  1, 32},  // 26:    8 objects
    {  1024,  1, 32},  // 27:    8 objects
    {  1152,  2, 32},  // 28:   14 objects
    {  1280,  2, 32},  // 29:   12 objects
    {  1408,  2, 32},  // 30:   11 objects
    {  1536,  2, 32},  // 31:   10 objects
    {  1664,  2, 32},  // 32:    9 objects
    {  1792,  2, 32},  // 33:    9 objects
    {  2048,  2, 32},  // 34:    8 objects
    {  2304,  3, 28},  // 35:   10 objects
    {  2560,  3, 25},  // 36:    9 objects
    {  2816,  3, 23},  // 37:    8 objects
    {  3200,  4, 20},  // 38:   10 objects
    {  3584,  4, 18},  // 39:    9 objects
    {  4096,  4, 16},  // 40:    8 objects
    {  4608,  5, 14},  // 41:    8 objects
    {  5248,  6, 12},  // 42:    9 objects
    {  5888,  6, 11},  // 43:    8 objects
    {  6656,  7,  9},  // 44:    8 objects
    {  7552,  8,  8},  // 45:    8 objects
    {  8576,  8,  7},  // 46:    7 objects
    {  9728,  8,  6},  // 47:    6 objects
    { 11008,  9,  5},  // 48:    6 objects
    { 12544,  8,  5},  // 49:    5 objects
    { 14336,  8,  4},  // 50:    4 objects
    { 16384,  8,  4},  // 51:    4 objects
    { 18688, 10,  3},  // 52:    4 objects
    { 21248,  8,  3},  // 53:    3 objects
    { 24192,  9,  2},  // 54:    3 objects
    { 27648, 11,  2},  // 55:    3 objects
    { 31488,  8,  2},  // 56:    2 objects
    { 35968,  5,  2},  // 57:    1 objects
    { 41088, 11,  2},  // 58:    2 objects
    { 46848,  6,  2},  // 59:    1 objects
    { 53504,  7,  2},  // 60:    1 objects
    { 61056,  8,  2},  // 61:    1 objects
    { 69760,  9,  2},  // 62:    1 objects
    { 79616, 10,  2},  // 63:    1 objects
    { 90880, 12,  2},  // 64:    1 objects
    {103808, 13,  2},  // 65:    1 objects
    {118528, 15,  2},  // 66:    1 objects
    {135424, 17,  2},  // 67:    1 objects
    {154752, 19,  2},  // 68:    1 objects
    {176768, 22,  2},  // 69:    1 objects
    {201984, 25,  2},  // 70:    1 objects
    {230784, 29,  2},  // 71:    1 objects
    {262144, 32,  2},  // 72:    1 objects
};
// clang-format on

inline constexpr unsigned kNumClasses = sizeof(kClasses) / sizeof(kClasses[0]);
static_assert(kNumClasses <= 256, "classes are stored in one byte in the page map");

constexpr std::size_t class_size(unsigned c) noexcept { return kClasses[c].size; }
constexpr std::uint32_t class_pages(unsigned c) noexcept { return kClasses[c].pages; }
constexpr std::size_t class_batch(unsigned c) noexcept { return kClasses[c].batch; }
constexpr std::size_t class_objects(unsigned c) noexcept {
  return class_pages(c) * kPageSize / class_size(c);
}

namespace size_class_detail {

// Index into kLookup: fine (16-byte) steps up to 1 KiB, coarse (128-byte) steps above.
constexpr std::size_t lookup_index(std::size_t n) noexcept {
  // Expected fine: GCC then lays the common sizes out as the fall-through (malloc: one jump less).
  return __builtin_expect(n <= 1024, 1) ? (n + 15) >> 4 : (n + 127 + (56u << 7)) >> 7;
}
inline constexpr std::size_t kLookupSize = lookup_index(kMaxSmall) + 1;

constexpr std::array<std::uint8_t, kLookupSize> make_lookup() {
  std::array<std::uint8_t, kLookupSize> t{};
  unsigned c = 1;
  for (std::size_t i = 0; i < kLookupSize; ++i) {
    // The largest request that maps to index i decides the class.
    const std::size_t top = i <= 64 ? i * 16 : (i - 56) * 128;
    while (kClasses[c].size < top) ++c;
    t[i] = static_cast<std::uint8_t>(c);
  }
  return t;
}

inline constexpr std::array<std::uint8_t, kLookupSize> kLookup = make_lookup();

constexpr bool classes_valid() {
  for (unsigned c = 1; c < kNumClasses; ++c) {
    const SizeClass& k = kClasses[c];
    if (k.size % kMinObject != 0 || k.size <= kClasses[c - 1].size) return false;
    if (k.pages == 0 || k.batch < 2 || k.batch > kMaxBatch) return false;
    const std::size_t span = k.pages * kPageSize;
    if (span < k.size || span % k.size > span / 8) return false;  // tail waste <= 12.5%
    const std::size_t step = k.size - kClasses[c - 1].size;
    if (k.size > 128 && step > k.size / 8) return false;          // rounding waste <= 12.5%
    if (k.size > 1024 && k.size % 128 != 0) return false;         // exact under coarse lookup
  }
  return kClasses[kNumClasses - 1].size == kMaxSmall;
}

constexpr bool lookup_exact() {
  // Every request size maps to the smallest class that holds it. All sizes of one table
  // bucket share a class, so checking each bucket's smallest and largest size covers all.
  std::size_t lo = 0;
  for (std::size_t i = 0; i < kLookupSize; ++i) {
    const std::size_t hi = i <= 64 ? i * 16 : (i - 56) * 128;
    const unsigned c = kLookup[i];
    if (lookup_index(lo) != i || lookup_index(hi) != i) return false;
    if (c == 0 || kClasses[c].size < hi || (c > 1 && kClasses[c - 1].size >= lo)) return false;
    lo = hi + 1;
  }
  return true;
}

}  // namespace size_class_detail

static_assert(size_class_detail::classes_valid());
static_assert(size_class_detail::lookup_exact());

// pre: n <= kMaxSmall. Size 0 maps to the smallest class.
inline unsigned size_to_class(std::size_t n) noexcept {
  ALLOCLAB_ASSERT(n <= kMaxSmall, "n <= kMaxSmall");
  return size_class_detail::kLookup[size_class_detail::lookup_index(n)];
}

// The class serving n bytes aligned to `align`, or 0 when a large span must serve it.
// Objects sit at multiples of their size from a page-aligned span start, so a class whose
// size is a multiple of align (align <= page) yields aligned objects. Slow path (align > 16).
// pre: align is a power of two.
constexpr unsigned aligned_class(std::size_t n, std::size_t align) noexcept {
  ALLOCLAB_ASSERT(alloclab::is_pow2(align), "align is a power of two");
  if (align > kPageSize || n > kMaxSmall) return 0;
  unsigned c = size_class_detail::kLookup[size_class_detail::lookup_index(n)];
  if (align <= kMinObject) return c;
  for (; c < kNumClasses; ++c)
    if (kClasses[c].size % align == 0) return c;
  return 0;
}

}  // namespace alloclab::mempool
