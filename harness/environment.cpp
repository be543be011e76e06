#include "environment.hpp"

#include <gnu/libc-version.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <thread>

#include "build_info.hpp"
#include "model/keys.hpp"

namespace alloclab {
namespace {

std::string cpuinfo_field(const std::string& key) {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(key, 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) return line.substr(line.find_first_not_of(' ', colon + 1));
    }
  return {};
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

}  // namespace

nlohmann::json capture_environment(const RunContext& rc) {
  utsname u{};
  ::uname(&u);
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  double load[3] = {};
  ::getloadavg(load, 3);
  const std::string mhz = cpuinfo_field("cpu MHz");
  const std::string build_type = ALLOCLAB_BUILD_TYPE;

  nlohmann::json ours{
      {"version", ALLOCLAB_VERSION},
      {"git_revision", ALLOCLAB_GIT_REVISION},
      {"build_type", build_type},
      {"build_flags", ALLOCLAB_BUILD_FLAGS},
      {"sanitizer", ALLOCLAB_SANITIZER},
      {"compiler", compiler()},
      {"command_line", rc.command_line},
      {"cpu_model", cpuinfo_field("model name")},
      {"kernel", std::string(u.sysname) + " " + u.release + " " + u.version},
      {"machine", u.machine},
      {"libc", std::string("glibc ") + ::gnu_get_libc_version()},
      {"seed", rc.seed},
      {"allocators", rc.allocators},
      {model::key::kMemoryBudget, rc.memory_budget},
  };
  return nlohmann::json{
      {"date", now_iso8601()},
      {"host_name", host},
      {"executable", rc.command_line.empty() ? "" : rc.command_line.front()},
      {"num_cpus", std::thread::hardware_concurrency()},
      {"mhz_per_cpu", mhz.empty() ? 0 : static_cast<int>(std::atof(mhz.c_str()))},
      {"cpu_scaling_enabled", false},
      {"caches", nlohmann::json::array()},
      {"load_avg", {load[0], load[1], load[2]}},
      {"library_build_type", build_type == "Debug" ? "debug" : "release"},
      {"alloclab", std::move(ours)},
  };
}

}  // namespace alloclab
