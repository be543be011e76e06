// The memory a measured child may use, so that no run endangers the machine: by default 3/4 of
// what the machine (MemAvailable) and alloclab's own cgroup (limit minus usage) have left,
// `--max-rss` when given. Enforced by a per-run child cgroup where one can be made (the kernel
// stops the child), else by the parent's RSS watchdog (child.cpp). Never RLIMIT_AS: allocators
// that reserve address space up front (null, mempool) would fail at once.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "cgroup.hpp"

namespace alloclab {

struct MemoryRoots {
  std::string meminfo = "/proc/meminfo";
  CgroupRoots cgroup = {};
};

enum class Enforcement { kCgroup, kWatchdog };
const char* enforcement_name(Enforcement e);

struct MemoryBudget {
  std::uint64_t bytes = 0;
  std::string source;  // how `bytes` was chosen: "--max-rss", "75% of MemAvailable", ...
};

// MemAvailable of a meminfo file, in bytes (0 when unreadable).
std::uint64_t mem_available_bytes(const std::string& meminfo);

// The default budget (pre: the machine has /proc/meminfo or a cgroup limit; else bytes = 0).
MemoryBudget default_budget(const MemoryRoots& roots = {});

// One run's budget and its enforcement; the runner makes one per run_plan().
class RunBudget {
 public:
  // max_rss > 0: the user's budget (RSS, watched, as --max-rss always was); 0: the default.
  explicit RunBudget(std::uint64_t max_rss, const MemoryRoots& roots = {});
  ~RunBudget();
  RunBudget(const RunBudget&) = delete;
  RunBudget& operator=(const RunBudget&) = delete;

  const MemoryBudget& budget() const { return budget_; }
  Enforcement enforcement() const { return cgroup_ != nullptr ? Enforcement::kCgroup : Enforcement::kWatchdog; }
  // The RSS the parent's watchdog kills at (0: the cgroup enforces).
  std::uint64_t watchdog_bytes() const { return cgroup_ != nullptr ? 0 : budget_.bytes; }
  // The fd a forked child writes "0" to before exec (-1: none).
  int cgroup_procs_fd() const;
  void before_child();
  // After a child died of SIGKILL: the failed row's reason when the cgroup stopped it, or none.
  std::optional<std::string> cgroup_breach() const;
  // "memory budget N bytes (source, enforcement) exceeded: M bytes"
  std::string breach_text(std::uint64_t reached) const;
  // The context's record: bytes, source, enforcement.
  nlohmann::json to_json() const;

 private:
  MemoryBudget budget_;
  std::unique_ptr<RunCgroup> cgroup_;
  std::string no_cgroup_;  // why the watchdog enforces
};

}  // namespace alloclab
