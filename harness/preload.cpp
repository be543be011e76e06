#include "preload.hpp"

#include <dlfcn.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fmt/format.h>

#include "build_info.hpp"

namespace alloclab {
namespace fs = std::filesystem;

std::string find_preload_library(const Preload& p) {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  const fs::path dirs[] = {"/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
                           "/usr/lib64", "/usr/lib", "/usr/local/lib",
                           exe.parent_path().parent_path() / "lib"};
  for (const fs::path& d : dirs) {
    const fs::path candidate = d / p.library;
    if (fs::exists(candidate, ec)) return fs::canonical(candidate, ec).string();
  }
  return {};
}

std::string package_version(std::string_view package) {
  if (package.empty()) return {};
  const std::string cmd =
      fmt::format("dpkg-query -W -f='${{Version}}' {} 2>/dev/null", std::string(package));
  std::FILE* pipe = ::popen(cmd.c_str(), "r");
  if (pipe == nullptr) return {};
  std::array<char, 128> buf{};
  std::string out;
  while (std::fgets(buf.data(), buf.size(), pipe) != nullptr) out += buf.data();
  ::pclose(pipe);
  return out;
}

std::string preload_unavailable(const Preload& p) {
  if (std::string_view(ALLOCLAB_SANITIZER).size() != 0)
    return "not measured in a sanitizer build (the sanitizer runtime owns malloc)";
  if (!find_preload_library(p).empty()) return {};
  if (p.package.empty())
    return fmt::format("{} not found next to the executable (build it: make bench)", p.library);
  return fmt::format("{} not found: apt-get install {}", p.library, p.package);
}

std::string check_malloc_owner(const std::string& library) {
  void* sym = ::dlsym(RTLD_DEFAULT, "malloc");
  Dl_info info{};
  if (sym == nullptr || ::dladdr(sym, &info) == 0 || info.dli_fname == nullptr)
    return "cannot tell which library provides malloc (dladdr failed)";
  std::error_code ec;
  const auto owner = fs::canonical(info.dli_fname, ec);
  if (ec || owner != fs::canonical(library, ec))
    return fmt::format("LD_PRELOAD of {} did not take: malloc comes from {}", library,
                       info.dli_fname);
  return {};
}

}  // namespace alloclab
