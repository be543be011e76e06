// The size distributions are named twice, for a reason: `--dist` parses them in workloads/
// (generator.cpp), and reports name them in titles from the JSON's numbers in model/
// (param_text.hpp), and model/ may include nothing of ours. This test keeps the two in step.
#include <gtest/gtest.h>

#include "model/param_text.hpp"
#include "workloads/generator.hpp"

namespace alloclab {
namespace {

TEST(ParamText, DistNamesAreTheOnesDistAccepts) {
  for (std::size_t i = 0; i < model::kDistNames.size(); ++i) {
    const auto d = static_cast<gen::SizeDist>(i);
    EXPECT_EQ(gen::dist_name(d), model::kDistNames[i]);
    EXPECT_EQ(model::param_value_text("dist", std::to_string(i)), gen::dist_name(d));
    EXPECT_EQ(gen::parse_dist_name(model::kDistNames[i]), d);
  }
  EXPECT_FALSE(gen::parse_dist_name("normal").has_value());
  EXPECT_EQ(model::param_value_text("dist", "9"), "9");
}

}  // namespace
}  // namespace alloclab
