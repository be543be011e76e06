// alloclab's own memory cgroup (v1 or v2), what it allows, and a per-run child cgroup with a
// memory limit that each measured child joins: the kernel then stops a child at its budget
// (an OOM kill inside that cgroup) before the machine runs short. Roots are injectable so tests
// read fake /proc and /sys/fs/cgroup trees.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace alloclab {

struct CgroupRoots {
  std::string proc_self_cgroup = "/proc/self/cgroup";
  std::string sys = "/sys/fs/cgroup";
};

struct MemoryCgroup {
  std::string mount;  // the memory hierarchy's root directory
  std::string path;   // the cgroup below it, "/" or "/a/b"
  bool v2 = false;
  std::string dir() const { return path == "/" ? mount : mount + path; }
};

// The memory cgroup this process is in, when its directory can be found.
std::optional<MemoryCgroup> own_memory_cgroup(const CgroupRoots& roots = {});
// The tightest memory limit of `cg` and its ancestors (bytes; 0: none).
std::uint64_t cgroup_limit(const MemoryCgroup& cg);
// The memory charged to `cg` now (bytes; 0 if unreadable).
std::uint64_t cgroup_usage(const MemoryCgroup& cg);

// A cgroup made under `parent` for one run, removed when destroyed.
class RunCgroup {
 public:
  // nullptr with `why` set when it cannot be made (not writable, v2 controller not delegated).
  static std::unique_ptr<RunCgroup> create(const MemoryCgroup& parent, std::uint64_t limit, std::string& why);
  ~RunCgroup();
  RunCgroup(const RunCgroup&) = delete;
  RunCgroup& operator=(const RunCgroup&) = delete;

  // The child writes "0" here between fork and exec to join (async-signal-safe).
  int procs_fd() const { return procs_fd_; }
  // Before each child: the peak is reset (v1) and the OOM-kill count remembered.
  void before_child();
  // Whether the kernel OOM-killed a process of this cgroup since before_child().
  bool oom_killed_since() const;
  // The highest charge since before_child() (v1; v2's memory.peak where the kernel has it), or 0.
  std::uint64_t peak() const;

 private:
  RunCgroup(MemoryCgroup cg, int procs_fd) : cg_(std::move(cg)), procs_fd_(procs_fd) {}
  std::uint64_t oom_kills() const;
  MemoryCgroup cg_;
  int procs_fd_ = -1;
  std::uint64_t kills_before_ = 0;
};

}  // namespace alloclab
