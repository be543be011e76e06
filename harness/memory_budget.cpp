#include "memory_budget.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "model/keys.hpp"

namespace alloclab {
namespace {

// A quarter stays for the parent, the page cache and whatever else shares the machine.
constexpr std::uint64_t kShareNum = 3, kShareDen = 4;

std::uint64_t share(std::uint64_t bytes) { return bytes / kShareDen * kShareNum; }

}  // namespace

const char* enforcement_name(Enforcement e) { return e == Enforcement::kCgroup ? "cgroup" : "watchdog"; }

std::uint64_t mem_available_bytes(const std::string& meminfo) {
  std::ifstream in(meminfo);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string key, unit;
    std::uint64_t value = 0;
    if (fields >> key >> value >> unit && key == "MemAvailable:") return unit == "kB" ? value * 1024 : value;
  }
  return 0;
}

MemoryBudget default_budget(const MemoryRoots& roots) {
  MemoryBudget b;
  if (const std::uint64_t avail = mem_available_bytes(roots.meminfo); avail > 0)
    b = {share(avail), "75% of MemAvailable"};
  if (const auto cg = own_memory_cgroup(roots.cgroup)) {
    const std::uint64_t limit = cgroup_limit(*cg);
    const std::uint64_t used = cgroup_usage(*cg);
    const std::uint64_t headroom = limit > used ? limit - used : 0;
    if (limit > 0 && (b.bytes == 0 || share(headroom) < b.bytes))
      b = {share(headroom), fmt::format("75% of the headroom under {}", cg->dir())};
  }
  return b;
}

RunBudget::RunBudget(std::uint64_t max_rss, const MemoryRoots& roots) {
  if (max_rss > 0) {
    budget_ = {max_rss, "--max-rss"};
    no_cgroup_ = "--max-rss limits RSS";
    return;
  }
  budget_ = default_budget(roots);
  if (budget_.bytes == 0) return;
  if (const auto own = own_memory_cgroup(roots.cgroup)) cgroup_ = RunCgroup::create(*own, budget_.bytes, no_cgroup_);
  else no_cgroup_ = "no memory cgroup found";
}

RunBudget::~RunBudget() = default;

int RunBudget::cgroup_procs_fd() const { return cgroup_ != nullptr ? cgroup_->procs_fd() : -1; }

void RunBudget::before_child() {
  if (cgroup_ != nullptr) cgroup_->before_child();
}

std::optional<std::string> RunBudget::cgroup_breach() const {
  if (cgroup_ == nullptr || !cgroup_->oom_killed_since()) return std::nullopt;
  const std::uint64_t peak = cgroup_->peak();
  return breach_text(peak > 0 ? peak : budget_.bytes);
}

std::string RunBudget::breach_text(std::uint64_t reached) const {
  return fmt::format("memory budget {} bytes ({}, {}) exceeded: {} bytes", budget_.bytes, budget_.source,
                     enforcement_name(enforcement()), reached);
}

nlohmann::json RunBudget::to_json() const {
  namespace k = model::key;
  nlohmann::json j{{k::kBudgetBytes, budget_.bytes},
                   {k::kBudgetSource, budget_.source},
                   {k::kBudgetEnforcement, enforcement_name(enforcement())}};
  if (cgroup_ == nullptr) j[k::kBudgetWhyWatchdog] = no_cgroup_;
  return j;
}

}  // namespace alloclab
