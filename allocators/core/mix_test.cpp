// Segregator and Fallback over test parts that count what they are asked: routing at and
// above the threshold, free and realloc routed to the right part, contents kept across parts,
// and the capabilities derived from the parts (static_asserts).
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

#include "allocators/core/fallback.hpp"
#include "allocators/core/segregator.hpp"

namespace alloclab {
namespace {

// A bump allocator over its own buffer (kBounded: as much of it as Config::expected_live_bytes
// says, so a test can fill it) with exactly the API kCaps declares, and an owns() by range.
template <fixed_string kName, std::uint32_t kCaps, std::size_t kMaxSize = (1u << 16),
          std::size_t kMaxAlign = 64, bool kBounded = false>
class Part {
 public:
  static constexpr Traits traits{kName.view(), "test part", kCaps, kMaxSize, kMaxAlign};
  static constexpr std::size_t kBuffer = std::size_t{1} << 18;

  explicit Part(const Config& c) noexcept
      : block_size(c.block_size),
        capacity_(kBounded && c.expected_live_bytes != 0 ? std::min(c.expected_live_bytes, kBuffer)
                                                         : kBuffer) {}
  Part(const Part&) = delete;
  Part& operator=(const Part&) = delete;

  void* allocate(std::size_t n, std::size_t align) noexcept {
    if (n > kMaxSize || (has_cap(kCaps, kFixedSize) && n > block_size)) return nullptr;
    const std::size_t at = (used_ + std::max<std::size_t>(align, 16) - 1) & ~(std::max<std::size_t>(align, 16) - 1);
    if (at + std::max<std::size_t>(n, 1) > capacity_) return nullptr;
    used_ = at + std::max<std::size_t>(n, 1);
    ++allocs;
    return buf_.data() + at;
  }
  void deallocate(void*, std::size_t n, std::size_t) noexcept
    requires(has_cap(kCaps, kFree) || has_cap(kCaps, kFreeLast))
  {
    ++frees;
    freed_bytes += n;
  }
  void* reallocate(void* p, std::size_t o, std::size_t n, std::size_t a) noexcept
    requires(has_cap(kCaps, kRealloc))
  {
    ++reallocs;
    void* q = allocate(n, a);
    if (q != nullptr) std::memcpy(q, p, std::min(o, n));
    return q;
  }
  void reset() noexcept
    requires(has_cap(kCaps, kReset))
  {
    used_ = 0;
    ++resets;
  }
  bool owns(const void* p) const noexcept {
    const auto* b = static_cast<const std::byte*>(p);
    return b >= buf_.data() && b < buf_.data() + buf_.size();
  }

  std::size_t block_size;
  int allocs = 0, frees = 0, reallocs = 0, resets = 0;
  std::size_t freed_bytes = 0;

 private:
  alignas(64) std::array<std::byte, kBuffer> buf_{};
  std::size_t capacity_;
  std::size_t used_ = 0;
};

using Small = Part<"small", kFree | kReset, 1024, 16, true>;
using Large = Part<"large", kFree | kRealloc | kReset | kThreadSafe | kCrossThreadFree>;
using Seg = Segregator<256, Small, Large>;

// Capabilities: what both parts have; realloc because both free; the large part's limits.
static_assert(Allocator<Seg>);
static_assert(Seg::traits.caps == (kFree | kRealloc | kReset));
static_assert(Seg::traits.max_size == Large::traits.max_size);
static_assert(Seg::traits.max_align == Large::traits.max_align);
static_assert(Seg::traits.name == "small+large");
static_assert(Owning<Seg>);
static_assert(Seg::is_small(256, 16) && !Seg::is_small(257, 16) && !Seg::is_small(16, 32));
// Free-last beside free gives free-last; no free on one side gives neither free nor realloc.
using FreeLastPart = Part<"stack", kFreeLast | kRealloc>;
static_assert(Segregator<64, FreeLastPart, Large>::traits.caps == (kFreeLast | kRealloc));
using NoFreePart = Part<"bump", kReset>;
static_assert(Segregator<64, NoFreePart, Large>::traits.caps == kReset);
static_assert(Allocator<Segregator<64, NoFreePart, Large>>);
static_assert(!Deallocating<Segregator<64, NoFreePart, Large>>);
// Thread safety only when both parts have it.
using SafeSmall = Part<"safe", kFree | kThreadSafe | kCrossThreadFree, 1024>;
static_assert(Segregator<256, SafeSmall, Large>::traits.caps ==
              (kFree | kRealloc | kThreadSafe | kCrossThreadFree));
// A fixed-size small part: built for the threshold, the mix is not fixed-size.
using FixedSmall = Part<"fixed", kFree | kFixedSize, 4096, 16>;
static_assert(Segregator<128, FixedSmall, Large>::traits.caps == (kFree | kRealloc));

using Fb = Fallback<Small, Large>;
static_assert(Allocator<Fb>);
static_assert(Fb::traits.caps == (kFree | kRealloc | kReset));
static_assert(Fb::traits.max_size == (1u << 16) && Fb::traits.max_align == 64);
static_assert(Owning<Fb>);
static_assert(Fallback<FreeLastPart, Large>::traits.caps == (kFreeLast | kRealloc));

TEST(SegregatorTest, SizesUpToTheThresholdGoToSmallTheRestToLarge) {
  Seg s(Config{});
  void* at = s.allocate(256, 16);
  void* above = s.allocate(257, 16);
  void* zero = s.allocate(0, 16);
  void* aligned = s.allocate(16, 64);  // beyond the small part's max_align
  EXPECT_TRUE(s.small().owns(at));
  EXPECT_TRUE(s.small().owns(zero));
  EXPECT_TRUE(s.large().owns(above));
  EXPECT_TRUE(s.large().owns(aligned));
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(aligned) % 64, 0u);
  EXPECT_TRUE(s.owns(at) && s.owns(above));
  EXPECT_EQ(s.small().allocs, 2);
  EXPECT_EQ(s.large().allocs, 2);
  EXPECT_EQ(s.allocate(Large::traits.max_size + 1, 16), nullptr);
}

TEST(SegregatorTest, FreeIsRoutedBySize) {
  Seg s(Config{});
  void* a = s.allocate(256, 16);
  void* b = s.allocate(300, 16);
  s.deallocate(a, 256, 16);
  s.deallocate(b, 300, 16);
  EXPECT_EQ(s.small().frees, 1);
  EXPECT_EQ(s.small().freed_bytes, 256u);
  EXPECT_EQ(s.large().frees, 1);
  EXPECT_EQ(s.large().freed_bytes, 300u);
}

void fill(void* p, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) static_cast<unsigned char*>(p)[i] = static_cast<unsigned char>(i * 7 + 1);
}
bool intact(const void* p, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    if (static_cast<const unsigned char*>(p)[i] != static_cast<unsigned char>(i * 7 + 1)) return false;
  return true;
}

TEST(SegregatorTest, ReallocAcrossThePartsKeepsTheContents) {
  Seg s(Config{});
  void* p = s.allocate(200, 16);
  fill(p, 200);
  void* grown = s.reallocate(p, 200, 4000, 16);  // small -> large
  ASSERT_NE(grown, nullptr);
  EXPECT_TRUE(s.large().owns(grown));
  EXPECT_TRUE(intact(grown, 200));
  EXPECT_EQ(s.small().frees, 1);  // the old block went back to its part
  fill(grown, 4000);
  void* shrunk = s.reallocate(grown, 4000, 100, 16);  // large -> small
  ASSERT_NE(shrunk, nullptr);
  EXPECT_TRUE(s.small().owns(shrunk));
  EXPECT_TRUE(intact(shrunk, 100));
  EXPECT_EQ(s.large().frees, 1);
  EXPECT_EQ(s.large().reallocs, 0);  // crossing moves; it does not ask the part to resize
}

TEST(SegregatorTest, ReallocWithinAPartUsesItsOwnOrMovesInsideIt) {
  Seg s(Config{});
  void* big = s.allocate(1000, 16);
  fill(big, 1000);
  void* bigger = s.reallocate(big, 1000, 2000, 16);
  EXPECT_EQ(s.large().reallocs, 1);
  EXPECT_TRUE(intact(bigger, 1000));
  void* small = s.allocate(16, 16);  // the small part has no realloc: allocate, copy, free
  fill(small, 16);
  void* moved = s.reallocate(small, 16, 200, 16);
  EXPECT_TRUE(s.small().owns(moved));
  EXPECT_TRUE(intact(moved, 16));
  EXPECT_EQ(s.small().frees, 1);
}

TEST(SegregatorTest, AFixedSizeSmallPartServesTheThreshold) {
  Segregator<128, FixedSmall, Large> s(Config{});
  EXPECT_EQ(s.small().block_size, 128u);
  EXPECT_TRUE(s.small().owns(s.allocate(128, 16)));
  EXPECT_TRUE(s.large().owns(s.allocate(129, 16)));
}

TEST(SegregatorTest, ResetResetsBothParts) {
  Seg s(Config{});
  s.reset();
  EXPECT_EQ(s.small().resets, 1);
  EXPECT_EQ(s.large().resets, 1);
}

TEST(FallbackTest, PrimaryUntilFullThenSecondary) {
  Config c;
  c.expected_live_bytes = 1024;  // the test parts' capacity
  Fb f(c);
  void* a = f.allocate(512, 16);
  void* b = f.allocate(512, 16);
  void* c3 = f.allocate(16, 16);  // the primary is full
  EXPECT_TRUE(f.primary().owns(a) && f.primary().owns(b));
  EXPECT_TRUE(f.secondary().owns(c3));
  // Beyond the primary's limits it is not even asked.
  const int asked = f.primary().allocs;
  EXPECT_TRUE(f.secondary().owns(f.allocate(2000, 16)));
  EXPECT_TRUE(f.secondary().owns(f.allocate(8, 64)));
  EXPECT_EQ(f.primary().allocs, asked);
  EXPECT_TRUE(f.owns(a) && f.owns(c3));
}

TEST(FallbackTest, FreeIsRoutedByOwns) {
  Config c;
  c.expected_live_bytes = 256;
  Fb f(c);
  void* a = f.allocate(256, 16);
  void* b = f.allocate(256, 16);
  f.deallocate(b, 256, 16);
  f.deallocate(a, 256, 16);
  EXPECT_EQ(f.primary().frees, 1);
  EXPECT_EQ(f.secondary().frees, 1);
}

TEST(FallbackTest, ABlockThatCannotGrowInThePrimaryMovesToTheSecondary) {
  Config c;
  c.expected_live_bytes = 512;
  Fb f(c);
  void* p = f.allocate(300, 16);
  fill(p, 300);
  void* q = f.reallocate(p, 300, 600, 16);  // no room left in the primary
  ASSERT_NE(q, nullptr);
  EXPECT_TRUE(f.secondary().owns(q));
  EXPECT_TRUE(intact(q, 300));
  EXPECT_EQ(f.primary().frees, 1);  // the old block, once the copy is made
  fill(q, 600);
  void* r = f.reallocate(q, 600, 100, 16);  // a secondary block stays there
  EXPECT_TRUE(f.secondary().owns(r));
  EXPECT_EQ(f.secondary().reallocs, 1);
  EXPECT_TRUE(intact(r, 100));
}

}  // namespace
}  // namespace alloclab
