#include "preload.hpp"

#include <dlfcn.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <vector>

namespace alloclab::micro {
namespace {

namespace fs = std::filesystem;

constexpr const char* kSystemDirs[] = {"/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
                                       "/usr/lib", "/usr/local/lib"};

}  // namespace

std::optional<std::string> find_library(std::string_view soname) {
  std::error_code ec;
  std::vector<fs::path> dirs(std::begin(kSystemDirs), std::end(kSystemDirs));
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) dirs.push_back(self.parent_path().parent_path() / "lib");
  for (const fs::path& dir : dirs) {
    const fs::path candidate = dir / soname;
    if (fs::is_regular_file(candidate, ec)) return candidate.string();  // follows symlinks
  }
  return std::nullopt;
}

std::string exec_with_preload(const PluginEntry& peer, char** argv) {
  const std::string_view name = peer.traits.name;
  const std::optional<std::string> library = find_library(peer.preload.library);
  if (!library)
    return fmt::format("{}: {} not found (install the Debian package {})", name,
                       peer.preload.library, peer.preload.package);
  const std::string shown(name);
  if (::setenv("LD_PRELOAD", library->c_str(), 1) != 0 ||
      ::setenv(kPreloadedAsEnv, shown.c_str(), 1) != 0)
    return fmt::format("{}: setenv failed: {}", name, std::strerror(errno));
  ::execv("/proc/self/exe", argv);
  return fmt::format("{}: cannot re-execute /proc/self/exe: {}", name, std::strerror(errno));
}

std::string check_malloc_owner(const PluginEntry& peer) {
  const std::string_view want = peer.preload.library;
  void* const sym = ::dlsym(RTLD_DEFAULT, "malloc");
  Dl_info info{};
  if (sym == nullptr || ::dladdr(sym, &info) == 0 || info.dli_fname == nullptr)
    return fmt::format("{}: cannot tell which library provides malloc (dladdr failed)",
                       peer.traits.name);
  const std::string owner = fs::path(info.dli_fname).filename().string();
  if (owner != want)
    return fmt::format("{}: malloc comes from {}, not {} (LD_PRELOAD={}); refusing to measure it",
                       peer.traits.name, info.dli_fname, want,
                       std::getenv("LD_PRELOAD") ? std::getenv("LD_PRELOAD") : "");
  return {};
}

}  // namespace alloclab::micro
