// pre: contracts are checked where the build has asserts (debug, asan and tsan presets) and cost
// nothing in Release, where the hot paths are measured.
#include "assert.hpp"

#include <gtest/gtest.h>

#include "size_classed.hpp"

namespace alloclab {
namespace {

#if ALLOCLAB_ASSERTS
TEST(ContractDeathTest, ABrokenPreconditionAbortsWithOneLine) {
  EXPECT_DEATH(static_cast<void>(size_class::class_of(size_class::kMaxSize + 1)),
               "pre: n <= kMaxSize violated");
}
#else
TEST(Contract, ReleaseBuildsDoNotEvaluateTheCondition) {
  int evaluated = 0;
  ALLOCLAB_ASSERT(++evaluated > 0, "never evaluated");
  EXPECT_EQ(evaluated, 0);
}
#endif

TEST(Contract, AKeptPreconditionCostsNothingVisible) {
  EXPECT_EQ(size_class::class_of(size_class::kMaxSize), size_class::kCount - 1);
}

}  // namespace
}  // namespace alloclab
