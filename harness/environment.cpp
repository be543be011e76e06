#include "environment.hpp"

#include <gnu/libc-version.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include "build_info.hpp"
#include "model/keys.hpp"

namespace alloclab {
namespace {

namespace fs = std::filesystem;
namespace k = model::key;
using nlohmann::json;

// The first line of a procfs/sysfs file, trailing whitespace cut; nullopt when unreadable.
std::optional<std::string> first_line(const fs::path& file) {
  std::ifstream in(file);
  std::string line;
  if (!in || !std::getline(in, line)) return std::nullopt;
  line.erase(line.find_last_not_of(" \t\r\n") + 1);
  return line;
}

std::optional<long long> number_in(const fs::path& file) {
  const auto line = first_line(file);
  if (!line) return std::nullopt;
  try {
    std::size_t used = 0;
    const long long v = std::stoll(*line, &used);
    return used == line->size() ? std::optional(v) : std::nullopt;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

template <class T>
json or_null(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

std::string cpuinfo_field(const fs::path& root, const std::string& key) {
  std::ifstream in(root / "proc/cpuinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(key, 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) return line.substr(std::min(line.size(), colon + 2));
    }
  return {};
}

// The directories `base`/PREFIX<number>, by number.
std::vector<fs::path> numbered_dirs(const fs::path& base, const std::string& prefix) {
  std::vector<std::pair<unsigned long, fs::path>> found;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(base, ec)) {
    const std::string name = e.path().filename().string();
    if (name.size() <= prefix.size() || name.rfind(prefix, 0) != 0) continue;
    const std::string digits = name.substr(prefix.size());
    if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) continue;
    found.emplace_back(std::stoul(digits), e.path());
  }
  std::sort(found.begin(), found.end());
  std::vector<fs::path> out;
  for (auto& [n, p] : found) out.push_back(std::move(p));
  return out;
}

// As Google Benchmark decides: scaling is on when any CPU's governor is not "performance".
void cpu_frequency(const fs::path& cpus, MachineFacts& f) {
  std::set<std::string> governors;
  for (const fs::path& cpu : numbered_dirs(cpus, "cpu"))
    if (auto g = first_line(cpu / "cpufreq/scaling_governor")) governors.insert(*g);
  std::string joined;
  for (const std::string& g : governors) joined += (joined.empty() ? "" : ",") + g;
  f.ours[k::kCpuGovernor] = governors.empty() ? json(nullptr) : json(joined);
  f.benchmark[k::kCpuScalingEnabled] =
      governors.empty() ? json(nullptr) : json(governors != std::set<std::string>{"performance"});
  // intel_pstate says no_turbo; acpi-cpufreq and amd-pstate say boost.
  if (auto no_turbo = number_in(cpus / "intel_pstate/no_turbo")) f.ours[k::kTurbo] = *no_turbo == 0;
  else if (auto boost = number_in(cpus / "cpufreq/boost")) f.ours[k::kTurbo] = *boost != 0;
  else f.ours[k::kTurbo] = nullptr;
  const auto smt = number_in(cpus / "smt/active");
  f.ours[k::kSmt] = smt ? json(*smt != 0) : json(nullptr);
}

// "always [madvise] never" → "madvise".
json bracketed_mode(const fs::path& file) {
  const auto line = first_line(file);
  if (!line) return nullptr;
  const auto open = line->find('['), close = line->find(']');
  if (open == std::string::npos || close == std::string::npos || close < open) return nullptr;
  return line->substr(open + 1, close - open - 1);
}

// "32K" → 32768.
std::optional<long long> cache_size(const fs::path& file) {
  const auto line = first_line(file);
  if (!line || line->empty()) return std::nullopt;
  const char unit = line->back();
  const long long scale = unit == 'K' ? 1LL << 10 : unit == 'M' ? 1LL << 20 : unit == 'G' ? 1LL << 30 : 1;
  try {
    return std::stoll(*line) * scale;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// "0-3,8" → 5.
std::optional<long long> cpu_list_count(const fs::path& file) {
  const auto line = first_line(file);
  if (!line) return std::nullopt;
  long long n = 0;
  std::stringstream in(*line);
  std::string range;
  while (std::getline(in, range, ',')) {
    unsigned lo = 0, hi = 0;
    const int got = std::sscanf(range.c_str(), "%u-%u", &lo, &hi);
    if (got == 1) ++n;
    else if (got == 2 && hi >= lo) n += hi - lo + 1;
    else return std::nullopt;
  }
  return n;
}

json caches(const fs::path& cache_dir) {
  const std::vector<fs::path> indices = numbered_dirs(cache_dir, "index");
  if (indices.empty()) return nullptr;
  json out = json::array();
  for (const fs::path& i : indices)
    out.push_back({{k::kCacheType, or_null(first_line(i / "type"))},
                   {k::kCacheLevel, or_null(number_in(i / "level"))},
                   {k::kCacheSize, or_null(cache_size(i / "size"))},
                   {k::kCacheNumSharing, or_null(cpu_list_count(i / "shared_cpu_list"))}});
  return out;
}

// The tightest of `read`'s limits from the process's cgroup up to the hierarchy's root (a
// parent's limit binds its children); "max" when none is set, null when none could be read.
// `read` gives -1 for "no limit".
template <class Read>
json tightest_limit(const fs::path& mount, const std::string& cgroup, Read read) {
  std::optional<double> tightest;
  bool any = false;
  for (fs::path rel = fs::path(cgroup).relative_path();; rel = rel.parent_path()) {
    if (const std::optional<double> v = read(mount / rel)) {
      any = true;
      if (*v >= 0 && (!tightest || *v < *tightest)) tightest = *v;
    }
    if (rel.empty()) break;
  }
  if (!any) return nullptr;
  return tightest ? json(*tightest) : json(k::kUnlimited);
}

// cpu.max ("max 100000", "200000 100000": CPUs = quota / period) or memory.max ("max", bytes).
std::optional<double> v2_limit(const fs::path& file, bool cpu) {
  const auto line = first_line(file);
  if (!line) return std::nullopt;
  if (line->rfind(k::kUnlimited, 0) == 0) return -1;
  double quota = 0, period = 1;
  const int got = std::sscanf(line->c_str(), "%lf %lf", &quota, &period);
  if (got < 1 || (cpu && (got != 2 || period <= 0))) return std::nullopt;
  return cpu ? quota / period : quota;
}

// cgroup v2 (one unified hierarchy: "0::/path") or v1 (a line per controller set).
json cgroup_limits(const fs::path& root) {
  std::ifstream in(root / "proc/self/cgroup");
  if (!in) return nullptr;
  const fs::path mount = root / "sys/fs/cgroup";
  std::string line, unified, cpu_ctrl, cpu_path, mem_ctrl, mem_path;
  bool have_unified = false;
  while (std::getline(in, line)) {
    const auto a = line.find(':'), b = line.find(':', a + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    const std::string ctrls = line.substr(a + 1, b - a - 1), path = line.substr(b + 1);
    if (ctrls.empty()) { unified = path; have_unified = true; }
    std::stringstream names(ctrls);
    for (std::string c; std::getline(names, c, ',');) {
      if (c == "cpu") { cpu_ctrl = ctrls; cpu_path = path; }
      if (c == "memory") { mem_ctrl = ctrls; mem_path = path; }
    }
  }
  if (have_unified && fs::exists(mount / "cgroup.controllers")) {
    return {{k::kCgroupVersion, 2},
            {k::kCgroupCpuLimit, tightest_limit(mount, unified, [](const fs::path& d) { return v2_limit(d / "cpu.max", true); })},
            {k::kCgroupMemoryLimit, tightest_limit(mount, unified, [](const fs::path& d) { return v2_limit(d / "memory.max", false); })}};
  }
  if (cpu_ctrl.empty() && mem_ctrl.empty()) return nullptr;
  const auto cpu = [](const fs::path& d) -> std::optional<double> {
    const auto quota = number_in(d / "cpu.cfs_quota_us"), period = number_in(d / "cpu.cfs_period_us");
    if (!quota || !period || *period <= 0) return std::nullopt;
    return *quota < 0 ? -1.0 : static_cast<double>(*quota) / static_cast<double>(*period);
  };
  const auto memory = [](const fs::path& d) -> std::optional<double> {
    const auto bytes = number_in(d / "memory.limit_in_bytes");
    if (!bytes) return std::nullopt;
    return *bytes >= (1LL << 62) ? -1.0 : static_cast<double>(*bytes);  // the kernel's "unlimited" is ~2^63
  };
  return {{k::kCgroupVersion, 1},
          {k::kCgroupCpuLimit, cpu_ctrl.empty() ? json(nullptr) : tightest_limit(mount / cpu_ctrl, cpu_path, cpu)},
          {k::kCgroupMemoryLimit, mem_ctrl.empty() ? json(nullptr) : tightest_limit(mount / mem_ctrl, mem_path, memory)}};
}

std::string now_iso8601() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  ::localtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S%z", &tm);
  return buf;
}

std::string compiler() {
#if defined(__clang__)
  return std::string("clang ") + __clang_version__;
#elif defined(__GNUC__)
  return std::string("g++ ") + __VERSION__;
#else
  return "unknown";
#endif
}

// "flags : ... hypervisor ..." on x86; null where /proc/cpuinfo has no flags line.
json hypervisor(const fs::path& root) {
  const std::string flags = cpuinfo_field(root, "flags");
  if (flags.empty()) return nullptr;
  std::stringstream words(flags);
  for (std::string w; words >> w;)
    if (w == "hypervisor") return true;
  return false;
}

json load_average(const fs::path& root) {
  const auto line = first_line(root / "proc/loadavg");
  double l[3];
  if (!line || std::sscanf(line->c_str(), "%lf %lf %lf", &l[0], &l[1], &l[2]) != 3) return nullptr;
  return {l[0], l[1], l[2]};
}

}  // namespace

MachineFacts read_machine(const fs::path& root) {
  MachineFacts f;
  const fs::path cpus = root / "sys/devices/system/cpu";
  cpu_frequency(cpus, f);
  f.benchmark[k::kCaches] = caches(cpus / "cpu0/cache");
  const json load = load_average(root);
  f.benchmark[k::kLoadAvg] = load;
  f.ours[k::kLoadAvg1m] = load.is_null() ? json(nullptr) : load[0];
  const fs::path thp = root / "sys/kernel/mm/transparent_hugepage";
  f.ours[k::kThpEnabled] = bracketed_mode(thp / "enabled");
  f.ours[k::kThpDefrag] = bracketed_mode(thp / "defrag");
  std::error_code ec;
  f.ours[k::kNumaNodes] = fs::is_directory(root / "sys/devices/system/node", ec)
                              ? json(numbered_dirs(root / "sys/devices/system/node", "node").size())
                              : json(nullptr);
  f.ours[k::kCgroup] = cgroup_limits(root);
  f.ours[k::kHypervisor] = hypervisor(root);
  return f;
}

nlohmann::json capture_environment(const RunContext& rc) {
  utsname u{};
  ::uname(&u);
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  const std::string mhz = cpuinfo_field("/", "cpu MHz");
  const std::string cpu_model = cpuinfo_field("/", "model name");
  const std::string build_type = ALLOCLAB_BUILD_TYPE;
  MachineFacts machine = read_machine("/");

  nlohmann::json ours{
      {k::kAlloclabVersion, ALLOCLAB_VERSION},
      {k::kGitRevision, ALLOCLAB_GIT_REVISION},
      {k::kBuildType, build_type},
      {k::kBuildFlags, ALLOCLAB_BUILD_FLAGS},
      {k::kSanitizer, ALLOCLAB_SANITIZER},
      {k::kCompiler, compiler()},
      {k::kCommandLine, rc.command_line},
      {k::kCpuModel, cpu_model.empty() ? json(nullptr) : json(cpu_model)},
      {k::kKernel, std::string(u.sysname) + " " + u.release + " " + u.version},
      {k::kMachine, u.machine},
      {k::kLibc, std::string("glibc ") + ::gnu_get_libc_version()},
      {k::kSeed, rc.seed},
      {k::kAllocators, rc.allocators},
      {k::kMemoryBudget, rc.memory_budget},
  };
  ours.update(machine.ours);
  nlohmann::json ctx{
      {k::kDate, now_iso8601()},
      {k::kHostName, host},
      {k::kExecutable, rc.command_line.empty() ? "" : rc.command_line.front()},
      {k::kNumCpus, std::thread::hardware_concurrency()},
      {k::kMhzPerCpu, mhz.empty() ? json(nullptr) : json(static_cast<int>(std::atof(mhz.c_str())))},
      {k::kLibraryBuildType, build_type == "Debug" ? "debug" : "release"},
      {k::kAlloclab, std::move(ours)},
  };
  ctx.update(machine.benchmark);
  return ctx;
}

}  // namespace alloclab
