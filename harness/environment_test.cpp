// The machine's facts read from a fake procfs/sysfs root: each read as written there, and null
// (never a default) for each one the tree lacks.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "harness/environment.hpp"
#include "model/keys.hpp"

namespace alloclab {
namespace {

namespace fs = std::filesystem;
namespace k = model::key;
using nlohmann::json;

class FakeRoot : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("alloclab-env-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }
  void put(const std::string& rel, const std::string& text) {
    fs::create_directories((root_ / rel).parent_path());
    std::ofstream(root_ / rel) << text;
  }
  fs::path root_;
};

TEST_F(FakeRoot, ReadsEveryFactAsTheMachineStatesIt) {
  const std::string cpu = "sys/devices/system/cpu/";
  put(cpu + "cpu0/cpufreq/scaling_governor", "powersave\n");
  put(cpu + "cpu1/cpufreq/scaling_governor", "performance\n");
  put(cpu + "intel_pstate/no_turbo", "0\n");
  put(cpu + "smt/active", "1\n");
  put(cpu + "cpu0/cache/index0/level", "1\n");
  put(cpu + "cpu0/cache/index0/type", "Data\n");
  put(cpu + "cpu0/cache/index0/size", "48K\n");
  put(cpu + "cpu0/cache/index0/shared_cpu_list", "0,8\n");
  put(cpu + "cpu0/cache/index3/level", "3\n");
  put(cpu + "cpu0/cache/index3/type", "Unified\n");
  put(cpu + "cpu0/cache/index3/size", "30720K\n");
  put(cpu + "cpu0/cache/index3/shared_cpu_list", "0-15\n");
  put("sys/kernel/mm/transparent_hugepage/enabled", "always [madvise] never\n");
  put("sys/kernel/mm/transparent_hugepage/defrag", "always defer defer+madvise [madvise] never\n");
  put("sys/devices/system/node/node0/meminfo", "");
  put("sys/devices/system/node/node1/meminfo", "");
  put("sys/devices/system/node/online", "0-1\n");
  put("proc/self/cgroup", "0::/user.slice/bench\n");
  put("sys/fs/cgroup/cgroup.controllers", "cpu memory\n");
  put("sys/fs/cgroup/user.slice/cpu.max", "max 100000\n");
  put("sys/fs/cgroup/user.slice/bench/cpu.max", "250000 100000\n");
  put("sys/fs/cgroup/user.slice/memory.max", "1073741824\n");  // the parent's limit binds
  put("sys/fs/cgroup/user.slice/bench/memory.max", "max\n");
  put("proc/cpuinfo", "processor\t: 0\nflags\t\t: fpu sse2 hypervisor avx2\n");
  put("proc/loadavg", "3.50 2.25 1.00 2/345 6789\n");

  const MachineFacts f = read_machine(root_);
  EXPECT_EQ(f.benchmark.at(k::kCpuScalingEnabled), true);  // one CPU is not at "performance"
  EXPECT_EQ(f.ours.at(k::kCpuGovernor), "performance,powersave");
  EXPECT_EQ(f.ours.at(k::kTurbo), true);
  EXPECT_EQ(f.ours.at(k::kSmt), true);
  EXPECT_EQ(f.benchmark.at(k::kCaches),
            (json{{{"type", "Data"}, {"level", 1}, {"size", 48 * 1024}, {"num_sharing", 2}},
                  {{"type", "Unified"}, {"level", 3}, {"size", 30720 * 1024}, {"num_sharing", 16}}}));
  EXPECT_EQ(f.ours.at(k::kThpEnabled), "madvise");
  EXPECT_EQ(f.ours.at(k::kThpDefrag), "madvise");
  EXPECT_EQ(f.ours.at(k::kNumaNodes), 2);
  EXPECT_EQ(f.ours.at(k::kCgroup), (json{{"version", 2}, {"cpu_limit", 2.5}, {"memory_limit_bytes", 1073741824.0}}));
  EXPECT_EQ(f.ours.at(k::kHypervisor), true);
  EXPECT_EQ(f.benchmark.at(k::kLoadAvg), (json{3.5, 2.25, 1.0}));
  EXPECT_EQ(f.ours.at(k::kLoadAvg1m), 3.5);
}

TEST_F(FakeRoot, AllPerformanceIsNoScalingAndBoostOffIsNoTurbo) {
  put("sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", "performance\n");
  put("sys/devices/system/cpu/cpu1/cpufreq/scaling_governor", "performance\n");
  put("sys/devices/system/cpu/cpufreq/boost", "0\n");
  put("sys/devices/system/cpu/smt/active", "0\n");
  put("proc/cpuinfo", "flags\t\t: fpu sse2\n");
  const MachineFacts f = read_machine(root_);
  EXPECT_EQ(f.benchmark.at(k::kCpuScalingEnabled), false);
  EXPECT_EQ(f.ours.at(k::kCpuGovernor), "performance");
  EXPECT_EQ(f.ours.at(k::kTurbo), false);
  EXPECT_EQ(f.ours.at(k::kSmt), false);
  EXPECT_EQ(f.ours.at(k::kHypervisor), false);
}

TEST_F(FakeRoot, CgroupV1LimitsAndUnlimited) {
  put("proc/self/cgroup", "4:memory:/job\n2:cpu,cpuacct:/job\n0::/\n");  // no cgroup.controllers: v1
  put("sys/fs/cgroup/cpu,cpuacct/job/cpu.cfs_quota_us", "-1\n");
  put("sys/fs/cgroup/cpu,cpuacct/job/cpu.cfs_period_us", "100000\n");
  put("sys/fs/cgroup/memory/job/memory.limit_in_bytes", "536870912\n");
  put("sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");  // the kernel's "no limit"
  EXPECT_EQ(read_machine(root_).ours.at(k::kCgroup),
            (json{{"version", 1}, {"cpu_limit", "max"}, {"memory_limit_bytes", 536870912.0}}));
}

TEST_F(FakeRoot, WhatCannotBeReadIsNull) {
  put("sys/kernel/mm/transparent_hugepage/enabled", "garbled\n");
  const MachineFacts f = read_machine(root_);
  for (std::string_view key : {k::kCpuScalingEnabled, k::kCaches, k::kLoadAvg})
    EXPECT_TRUE(f.benchmark.at(key).is_null()) << key;
  for (std::string_view key : {k::kCpuGovernor, k::kTurbo, k::kSmt, k::kThpEnabled, k::kThpDefrag, k::kNumaNodes,
                               k::kCgroup, k::kHypervisor, k::kLoadAvg1m})
    EXPECT_TRUE(f.ours.at(key).is_null()) << key;
}

// This machine's own tree: whatever it says, each fact is there (read or null) and typed.
TEST(Environment, CapturedContextCarriesEveryFact) {
  const json ctx = capture_environment(RunContext{});
  for (std::string_view key : {k::kCpuScalingEnabled, k::kCaches, k::kLoadAvg}) EXPECT_TRUE(ctx.contains(key)) << key;
  const json& ours = ctx.at(k::kAlloclab);
  for (std::string_view key : {k::kCpuGovernor, k::kTurbo, k::kSmt, k::kThpEnabled, k::kThpDefrag, k::kNumaNodes,
                               k::kCgroup, k::kHypervisor, k::kLoadAvg1m})
    EXPECT_TRUE(ours.contains(key)) << key;
  EXPECT_TRUE(ctx.at(k::kCaches).is_null() || ctx.at(k::kCaches).is_array());
}

}  // namespace
}  // namespace alloclab
