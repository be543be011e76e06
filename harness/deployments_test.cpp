// Deployments resolve beside the plugins: one sorted list of measurable names, a deployment
// runs the glibc plugin under its own name, and no plugin shadows a deployment.
#include "deployments.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fmt/format.h>

#include "model/exit_codes.hpp"
#include "shard.hpp"

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

namespace alloclab {
namespace {

TEST(VariantsTest, ListsSplitOutsideBracesAndValuesKeepCommasAndColons) {
  const auto items = split_allocator_list("glibc,jemalloc{MALLOC_CONF=background_thread:true,dirty_decay_ms:0},mimalloc");
  ASSERT_EQ(items.size(), 3u);
  const AllocatorSpec j = parse_allocator(items[1]);
  EXPECT_EQ(j.base, "jemalloc");
  EXPECT_EQ(j.name, items[1]);
  EXPECT_EQ(j.settings, std::vector<std::string>{"MALLOC_CONF=background_thread:true,dirty_decay_ms:0"});
  const AllocatorSpec m = parse_allocator("mimalloc{MIMALLOC_ARENA_EAGER_COMMIT=1,MIMALLOC_PURGE_DELAY=0}");
  EXPECT_EQ(m.settings, (std::vector<std::string>{"MIMALLOC_ARENA_EAGER_COMMIT=1", "MIMALLOC_PURGE_DELAY=0"}));
  EXPECT_EQ(parse_allocator("glibc{GLIBC_TUNABLES=glibc.malloc.arena_max=2}").settings_text(),
            "GLIBC_TUNABLES=glibc.malloc.arena_max=2");
  EXPECT_TRUE(parse_allocator("arena").settings.empty());
}

TEST(VariantsTest, ShortNamesAndBadSyntax) {
  const AllocatorSpec v = parse_variant_definition("jbg=jemalloc{MALLOC_CONF=background_thread:true}");
  EXPECT_EQ(v.name, "jbg");
  EXPECT_EQ(parse_allocator("jbg", {v}), v);
  for (const char* bad : {"nosuch{A=1}", "arena{A=1}", "jemalloc{}", "jemalloc{x}", "jemalloc{A=1", "jemalloc{A=1}x",
                          "jemalloc{LD_PRELOAD=/x.so}", "jemalloc{A=1,A=2}"})
    EXPECT_THROW(parse_allocator(bad), model::UsageError) << bad;
  for (const char* bad : {"a,{b", "a,,b", "a}", "a{{B=1}}"}) EXPECT_THROW(split_allocator_list(bad), model::UsageError) << bad;
  for (const char* bad : {"jemalloc{A=1}", "=jemalloc{A=1}", "glibc=jemalloc{A=1}", "x=jemalloc"})
    EXPECT_THROW(parse_variant_definition(bad), model::UsageError) << bad;
  EXPECT_THROW(parse_variant_definitions({"x=glibc{A=1}", "x=glibc{A=2}"}), model::UsageError);
}

TEST(ShardTest, EveryRowOnExactlyOneShard) {
  for (unsigned n : {1u, 2u, 3u, 7u}) {
    std::vector<int> seen(50, 0);
    for (unsigned k = 0; k < n; ++k) {
      const Shard s = parse_shard(fmt::format("{}/{}", k, n));
      for (std::size_t row = 0; row < seen.size(); ++row) seen[row] += s.holds(row) ? 1 : 0;
    }
    for (int c : seen) EXPECT_EQ(c, 1) << "N=" << n;
  }
}

TEST(ShardTest, BadSpecsAndSchedulers) {
  for (const char* bad : {"3/2", "0/0", "2/2", "x", "1/", "/3", "-1/3", "1/3/4", "auto/0", "auto/x"})
    EXPECT_THROW(parse_shard(bad, [](const char*) -> const char* { return nullptr; }), model::UsageError) << bad;
  const auto slurm = [](const char* n) -> const char* {
    return std::string_view(n) == "SLURM_ARRAY_TASK_ID" ? "2" : std::string_view(n) == "SLURM_ARRAY_TASK_COUNT" ? "4" : nullptr;
  };
  EXPECT_EQ(parse_shard("auto", slurm).text(), "2/4");
  const auto k8s = [](const char* n) -> const char* { return std::string_view(n) == "JOB_COMPLETION_INDEX" ? "1" : nullptr; };
  EXPECT_EQ(parse_shard("auto/3", k8s).text(), "1/3");
  EXPECT_THROW(parse_shard("auto", k8s), model::UsageError);  // no count
  EXPECT_THROW(parse_shard("auto/1", k8s), model::UsageError);  // index 1 of 1
}

}  // namespace
}  // namespace alloclab
