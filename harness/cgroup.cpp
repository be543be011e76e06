#include "cgroup.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

namespace alloclab {
namespace {

// v1 writes "no limit" as a huge page-aligned number (2^63 rounded down to a page).
constexpr std::uint64_t kV1Unlimited = std::uint64_t{1} << 62;
constexpr std::string_view kRunPrefix = "alloclab-";  // + the pid of the alloclab that made it

bool exists(const std::string& p) {
  struct stat st{};
  return ::stat(p.c_str(), &st) == 0;
}

std::string read_first_line(const std::string& file) {
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  return line;
}

// The number in `file`, 0 when absent, unreadable or "max".
std::uint64_t read_number(const std::string& file) {
  const std::string text = read_first_line(file);
  if (text.empty() || text == "max") return 0;
  try {
    return std::stoull(text);
  } catch (const std::exception&) {
    return 0;
  }
}

// "key value" lines (memory.events, memory.oom_control): the value of `key`, or 0.
std::uint64_t read_keyed(const std::string& file, std::string_view key) {
  std::ifstream in(file);
  std::string k;
  std::uint64_t v = 0;
  while (in >> k >> v)
    if (k == key) return v;
  return 0;
}

bool write_text(const std::string& file, const std::string& text) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  return ok;
}

std::string limit_file(const MemoryCgroup& cg) { return cg.v2 ? "/memory.max" : "/memory.limit_in_bytes"; }

std::string parent_of(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == 0 || slash == std::string::npos ? "/" : path.substr(0, slash);
}

// An alloclab killed with SIGKILL cannot remove its run's cgroup: the next run removes those
// whose alloclab is gone (rmdir refuses one that still holds a process).
void remove_stale_run_cgroups(const MemoryCgroup& parent) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(parent.dir(), ec)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with(kRunPrefix) || !entry.is_directory(ec)) continue;
    const std::string digits = name.substr(kRunPrefix.size());
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) continue;
    const auto pid = static_cast<pid_t>(std::stol(digits));
    if (::kill(pid, 0) != 0 && errno == ESRCH) ::rmdir(entry.path().c_str());
  }
}

}  // namespace

std::optional<MemoryCgroup> own_memory_cgroup(const CgroupRoots& roots) {
  std::ifstream in(roots.proc_self_cgroup);
  std::string line;
  std::optional<MemoryCgroup> v2;
  while (std::getline(in, line)) {  // "id:controllers:path"
    const auto a = line.find(':');
    const auto b = a == std::string::npos ? a : line.find(':', a + 1);
    if (b == std::string::npos) continue;
    const std::string controllers = line.substr(a + 1, b - a - 1);
    const std::string path = line.substr(b + 1);
    if (controllers.empty()) {  // the unified hierarchy, when memory is one of its controllers
      std::istringstream ctl(read_first_line(roots.sys + "/cgroup.controllers"));
      for (std::string c; ctl >> c;)
        if (c == "memory") v2 = MemoryCgroup{roots.sys, path, true};
      continue;
    }
    std::istringstream list(controllers);
    for (std::string c; std::getline(list, c, ',');)
      if (c == "memory") {  // v1 (a hybrid machine's memory is here, not in the unified tree)
        MemoryCgroup cg{roots.sys + "/" + controllers, path, false};
        if (exists(cg.dir())) return cg;
      }
  }
  if (v2 && exists(v2->dir())) return v2;
  return std::nullopt;
}

std::uint64_t cgroup_limit(const MemoryCgroup& cg) {
  std::uint64_t tightest = 0;
  for (MemoryCgroup at = cg;; at.path = parent_of(at.path)) {
    const std::uint64_t v = read_number(at.dir() + limit_file(at));
    if (v > 0 && v < kV1Unlimited && (tightest == 0 || v < tightest)) tightest = v;
    if (at.path == "/") break;
  }
  return tightest;
}

std::uint64_t cgroup_usage(const MemoryCgroup& cg) {
  return read_number(cg.dir() + (cg.v2 ? "/memory.current" : "/memory.usage_in_bytes"));
}

std::unique_ptr<RunCgroup> RunCgroup::create(const MemoryCgroup& parent, std::uint64_t limit, std::string& why) {
  remove_stale_run_cgroups(parent);
  MemoryCgroup cg = parent;
  cg.path = (parent.path == "/" ? "" : parent.path) + fmt::format("/{}{}", kRunPrefix, ::getpid());
  if (::mkdir(cg.dir().c_str(), 0755) != 0 && errno != EEXIST) {
    why = fmt::format("cannot create {}: {}", cg.dir(), std::strerror(errno));
    return nullptr;
  }
  auto fail = [&](std::string reason) {
    ::rmdir(cg.dir().c_str());
    why = std::move(reason);
    return nullptr;
  };
  // v2 shows memory.max in a child only when the parent delegates the memory controller.
  if (!write_text(cg.dir() + limit_file(cg), std::to_string(limit)))
    return fail(fmt::format("cannot set {}{}", cg.dir(), limit_file(cg)));
  // Swap would let a child pass the limit slowly instead of stopping; not every kernel has it.
  if (cg.v2) write_text(cg.dir() + "/memory.swap.max", "0");
  else write_text(cg.dir() + "/memory.memsw.limit_in_bytes", std::to_string(limit));
  const int fd = ::open((cg.dir() + "/cgroup.procs").c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return fail(fmt::format("cannot open {}/cgroup.procs", cg.dir()));
  return std::unique_ptr<RunCgroup>(new RunCgroup(std::move(cg), fd));
}

RunCgroup::~RunCgroup() {
  ::close(procs_fd_);
  ::rmdir(cg_.dir().c_str());  // every child has been reaped: the cgroup is empty
}

std::uint64_t RunCgroup::oom_kills() const {
  return cg_.v2 ? read_keyed(cg_.dir() + "/memory.events", "oom_kill")
                : read_keyed(cg_.dir() + "/memory.oom_control", "oom_kill");
}

void RunCgroup::before_child() {
  if (!cg_.v2) write_text(cg_.dir() + "/memory.max_usage_in_bytes", "0");
  kills_before_ = oom_kills();
}

bool RunCgroup::oom_killed_since() const { return oom_kills() > kills_before_; }

std::uint64_t RunCgroup::peak() const {
  return read_number(cg_.dir() + (cg_.v2 ? "/memory.peak" : "/memory.max_usage_in_bytes"));
}

}  // namespace alloclab
