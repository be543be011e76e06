// The memory budget from fake /proc/meminfo and cgroup trees (v1 with a tighter ancestor, v2,
// none), the per-run cgroup's breach detection on a fake tree, and, where this process may
// make one, a real cgroup stopping a child at its limit.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "harness/memory_budget.hpp"

namespace alloclab {
namespace {

namespace fs = std::filesystem;

class FakeTree : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("alloclab-budget-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "sys");
  }
  void TearDown() override { fs::remove_all(root_); }
  void put(const fs::path& rel, const std::string& text) {
    fs::create_directories((root_ / rel).parent_path());
    std::ofstream(root_ / rel) << text;
  }
  MemoryRoots roots() const {
    return MemoryRoots{(root_ / "meminfo").string(),
                       CgroupRoots{(root_ / "self_cgroup").string(), (root_ / "sys").string()}};
  }
  fs::path root_;
};

constexpr std::uint64_t kGiB = std::uint64_t{1} << 30;

TEST_F(FakeTree, MemAvailableAloneGivesThreeQuarters) {
  put("meminfo", "MemTotal:       24683652 kB\nMemFree:  100 kB\nMemAvailable:    8000000 kB\n");
  put("self_cgroup", "0::/\n");
  EXPECT_EQ(mem_available_bytes(roots().meminfo), std::uint64_t{8000000} * 1024);
  const MemoryBudget b = default_budget(roots());
  EXPECT_EQ(b.bytes, std::uint64_t{8000000} * 1024 / 4 * 3);
  EXPECT_EQ(b.source, "75% of MemAvailable");
}

TEST_F(FakeTree, V1AncestorLimitMinusUsageCapsTheBudget) {
  put("meminfo", "MemAvailable: 16000000 kB\n");
  put("self_cgroup", "9:name=systemd:/\n4:memory:/a/b\n3:cpuset:/\n0::/\n");
  put("sys/memory/memory.limit_in_bytes", "9223372036854771712\n");  // v1's "unlimited"
  put("sys/memory/a/memory.limit_in_bytes", std::to_string(2 * kGiB) + "\n");
  put("sys/memory/a/b/memory.limit_in_bytes", std::to_string(4 * kGiB) + "\n");
  put("sys/memory/a/b/memory.usage_in_bytes", std::to_string(kGiB) + "\n");
  const auto cg = own_memory_cgroup(roots().cgroup);
  ASSERT_TRUE(cg.has_value());
  EXPECT_FALSE(cg->v2);
  EXPECT_EQ(cg->dir(), (root_ / "sys/memory/a/b").string());
  EXPECT_EQ(cgroup_limit(*cg), 2 * kGiB);  // the ancestor is tighter
  const MemoryBudget b = default_budget(roots());
  EXPECT_EQ(b.bytes, kGiB / 4 * 3);  // 75% of (2 GiB - 1 GiB), below 75% of MemAvailable
  EXPECT_NE(b.source.find("headroom"), std::string::npos) << b.source;
}

TEST_F(FakeTree, V2MaxIsNoLimit) {
  put("meminfo", "MemAvailable: 4000000 kB\n");
  put("self_cgroup", "0::/user.slice/x\n");
  put("sys/cgroup.controllers", "cpuset cpu io memory pids\n");
  put("sys/user.slice/x/memory.max", "max\n");
  put("sys/user.slice/memory.max", std::to_string(kGiB) + "\n");
  put("sys/user.slice/x/memory.current", "0\n");
  const auto cg = own_memory_cgroup(roots().cgroup);
  ASSERT_TRUE(cg.has_value());
  EXPECT_TRUE(cg->v2);
  EXPECT_EQ(cgroup_limit(*cg), kGiB);
  EXPECT_EQ(default_budget(roots()).bytes, kGiB / 4 * 3);
}

TEST_F(FakeTree, WithoutACgroupTheWatchdogEnforces) {
  put("meminfo", "MemAvailable: 4000000 kB\n");
  put("self_cgroup", "4:memory:/gone\n");  // its directory does not exist
  RunBudget b(0, roots());
  EXPECT_EQ(b.enforcement(), Enforcement::kWatchdog);
  EXPECT_EQ(b.watchdog_bytes(), std::uint64_t{4000000} * 1024 / 4 * 3);
  EXPECT_EQ(b.cgroup_procs_fd(), -1);
  EXPECT_EQ(b.to_json().at("enforcement"), "watchdog");
  EXPECT_EQ(b.breach_text(5), fmt::format("memory budget {} bytes (75% of MemAvailable, watchdog) exceeded: 5 bytes",
                                          b.budget().bytes));
}

TEST_F(FakeTree, MaxRssOverridesTheDefault) {
  put("meminfo", "MemAvailable: 4000000 kB\n");
  put("self_cgroup", "0::/\n");
  RunBudget b(200000000, roots());
  EXPECT_EQ(b.budget().bytes, 200000000u);
  EXPECT_EQ(b.budget().source, "--max-rss");
  EXPECT_EQ(b.watchdog_bytes(), 200000000u);
}

TEST_F(FakeTree, RunCgroupSeesAnOomKillAndThePeak) {
  put("meminfo", "MemAvailable: 4000000 kB\n");
  put("self_cgroup", "4:memory:/\n");
  // A fake kernel: the files a v1 child cgroup has, made before alloclab's mkdir finds it.
  const std::string mine = "sys/memory/alloclab-" + std::to_string(::getpid());
  put(mine + "/memory.limit_in_bytes", "");
  put(mine + "/cgroup.procs", "");
  put(mine + "/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");
  put(mine + "/memory.max_usage_in_bytes", "123\n");
  fs::create_directories(root_ / "sys/memory/alloclab-999999999");  // its alloclab is gone
  fs::create_directories(root_ / "sys/memory/alloclab-1");          // init: alive, kept
  RunBudget b(0, roots());
  ASSERT_EQ(b.enforcement(), Enforcement::kCgroup) << b.to_json().dump();
  EXPECT_FALSE(fs::exists(root_ / "sys/memory/alloclab-999999999"));
  EXPECT_TRUE(fs::exists(root_ / "sys/memory/alloclab-1"));
  EXPECT_EQ(b.watchdog_bytes(), 0u);
  EXPECT_GE(b.cgroup_procs_fd(), 0);
  std::ifstream limit(root_ / mine / "memory.limit_in_bytes");
  std::uint64_t written = 0;
  limit >> written;
  EXPECT_EQ(written, b.budget().bytes);
  b.before_child();
  EXPECT_FALSE(b.cgroup_breach().has_value());
  put(mine + "/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 3\n");
  put(mine + "/memory.max_usage_in_bytes", "999\n");
  const auto why = b.cgroup_breach();
  ASSERT_TRUE(why.has_value());
  EXPECT_EQ(*why, fmt::format("memory budget {} bytes (75% of MemAvailable, cgroup) exceeded: 999 bytes",
                              b.budget().bytes));
}

// The kernel path: a child in a 64 MiB cgroup that touches 256 MiB is OOM-killed there.
TEST(RealCgroup, StopsAChildAtItsLimit) {
  const auto own = own_memory_cgroup();
  if (!own) GTEST_SKIP() << "no memory cgroup";
  std::string why;
  auto cg = RunCgroup::create(*own, 64u << 20, why);
  if (cg == nullptr) GTEST_SKIP() << why;
  cg->before_child();
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (::write(cg->procs_fd(), "0", 1) != 1) _exit(3);
    const std::size_t n = std::size_t{256} << 20;
    auto* p = static_cast<volatile char*>(::malloc(n));
    for (std::size_t i = 0; p != nullptr && i < n; i += 4096) p[i] = 1;
    _exit(0);
  }
  ASSERT_GT(pid, 0);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status)) << "exit status " << WEXITSTATUS(status);
  EXPECT_EQ(WTERMSIG(status), SIGKILL);
  EXPECT_TRUE(cg->oom_killed_since());
  EXPECT_GE(cg->peak(), std::uint64_t{60} << 20);
}

}  // namespace
}  // namespace alloclab
