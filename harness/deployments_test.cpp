// Deployments resolve beside the plugins: one sorted list of measurable names, a deployment
// runs the glibc plugin under its own name, and no plugin shadows a deployment.
#include "deployments.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace alloclab {
namespace {

TEST(DeploymentsTest, MergedWithThePluginsSortedByName) {
  const std::vector<Measurable> all = measurable_allocators();
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end(), [](const auto& a, const auto& b) {
    return a.traits.name < b.traits.name;
  }));
  EXPECT_EQ(all.size(), registered_plugins().size() + deployments().size());
  for (const Deployment& d : deployments())
    EXPECT_EQ(find_plugin(d.name), nullptr) << d.name << " is both a plugin and a deployment";
}

TEST(DeploymentsTest, ADeploymentRunsTheMallocPluginUnderItsName) {
  const std::optional<Measurable> j = find_measurable("jemalloc");
  ASSERT_TRUE(j);
  ASSERT_NE(j->deployment, nullptr);
  EXPECT_EQ(j->traits.name, "jemalloc");
  EXPECT_EQ(j->plugin, find_plugin(kDeployedPlugin));
  EXPECT_EQ(j->traits.caps, j->plugin->traits.caps);
  EXPECT_EQ(j->deployment->package, "libjemalloc2");
  const std::optional<Measurable> g = find_measurable("glibc");
  ASSERT_TRUE(g);
  EXPECT_EQ(g->deployment, nullptr);
  EXPECT_FALSE(find_measurable("no-such-allocator"));
}

TEST(DeploymentsTest, MissingLibraryNamesThePackage) {
  const Deployment fake{"fake", "", "liballoclab_not_there.so.9", "libnotthere9"};
  EXPECT_EQ(deployment_library(fake), "");
  const std::string why = deployment_unavailable(fake);
  if (why.find("sanitizer") == std::string::npos) {
    EXPECT_EQ(why, "liballoclab_not_there.so.9 not found: apt-get install libnotthere9");
  }
}

}  // namespace
}  // namespace alloclab
