#include "preload.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>
#include <vector>

#include "harness/preload.hpp"

namespace alloclab::micro {

std::string exec_with_preload(const Deployment& d, char** argv) {
  if (std::string why = deployment_unavailable(d); !why.empty())
    return fmt::format("{}: {}", d.name, why);
  const std::string as = fmt::format("{}={}", kPreloadedAsEnv, d.name);
  std::vector<std::string_view> set(d.environment.begin(), d.environment.end());
  set.push_back(as);
  std::vector<std::string> env = preload_environment(PreloadEnv{deployment_library(d), false, set});
  std::vector<char*> envp = environment_pointers(env);
  ::execve("/proc/self/exe", argv, envp.data());
  return fmt::format("{}: cannot re-execute /proc/self/exe: {}", d.name, std::strerror(errno));
}

std::string check_malloc_owner(const Deployment& d) {
  const std::string library = deployment_library(d);
  std::string why = library.empty()
                        ? fmt::format("{} is not installed", d.library)
                        : alloclab::check_malloc_owner(library);
  if (why.empty()) return {};
  return fmt::format("{}: {}; refusing to measure it", d.name, why);
}

}  // namespace alloclab::micro
