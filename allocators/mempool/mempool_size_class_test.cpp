// Size classes: the table's invariants at run time and the size -> class lookup.
#include <gtest/gtest.h>

#include "size_classes.hpp"

namespace alloclab::mempool {
namespace {

TEST(MempoolSizeClass, EveryClassIsA16ByteMultipleAndGrows) {
  for (unsigned c = 1; c < kNumClasses; ++c) {
    EXPECT_EQ(class_size(c) % 16, 0u) << c;
    EXPECT_GT(class_size(c), class_size(c - 1)) << c;
    EXPECT_GE(class_objects(c), 1u) << c;
    EXPECT_LE(class_pages(c) * kPageSize - class_objects(c) * class_size(c),
              class_pages(c) * kPageSize / 8)
        << c;
  }
  EXPECT_EQ(class_size(kNumClasses - 1), kMaxSmall);
}

TEST(MempoolSizeClass, LookupGivesTheSmallestClassThatFits) {
  EXPECT_EQ(size_to_class(0), 1u);  // zero-byte requests get a real block
  EXPECT_EQ(size_to_class(1), 1u);
  EXPECT_EQ(size_to_class(16), 1u);
  EXPECT_EQ(size_to_class(17), 2u);
  for (std::size_t n = 0; n <= kMaxSmall; n += (n < 4096 ? 1 : 61)) {
    const unsigned c = size_to_class(n);
    ASSERT_GE(class_size(c), n) << n;
    if (c > 1) {
      ASSERT_LT(class_size(c - 1), n) << n;
    }
  }
}

TEST(MempoolSizeClass, RoundingWasteIsBounded) {
  for (std::size_t n = 1; n <= kMaxSmall; n += (n < 8192 ? 1 : 13)) {
    const std::size_t got = class_size(size_to_class(n));
    // 16-byte granularity below 128 bytes, at most 12.5% above.
    if (n > 128) {
      ASSERT_LE((got - n) * 8, got) << n;
    } else {
      ASSERT_LT(got - n, 16u) << n;
    }
  }
}

TEST(MempoolSizeClass, AlignedClassSizesAreMultiplesOfTheAlignment) {
  for (std::size_t align = 32; align <= kPageSize; align *= 2)
    for (std::size_t n : {std::size_t{0}, std::size_t{1}, align - 1, align, 3 * align + 5, std::size_t{5000}}) {
      const unsigned c = aligned_class(n, align);
      if (c == 0) continue;
      EXPECT_EQ(class_size(c) % align, 0u) << n << " " << align;
      EXPECT_GE(class_size(c), n);
    }
  EXPECT_EQ(aligned_class(100, 2 * kPageSize), 0u);  // over-aligned: large span
  EXPECT_EQ(aligned_class(kMaxSmall + 1, 16), 0u);
}

}  // namespace
}  // namespace alloclab::mempool
