#include "preload.hpp"

#include <dlfcn.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>

extern char** environ;

namespace alloclab {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kLdPreload = "LD_PRELOAD=";

constexpr const char* kSystemDirs[] = {"/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
                                       "/usr/lib64", "/usr/lib", "/usr/local/lib"};

// "NAME=" of a "NAME=value" entry.
std::string_view key_of(std::string_view entry) {
  const std::size_t eq = entry.find('=');
  return entry.substr(0, eq == std::string_view::npos ? entry.size() : eq + 1);
}

}  // namespace

std::string find_library(std::string_view soname, LibraryHome home) {
  std::error_code ec;
  std::vector<fs::path> dirs;
  if (home == LibraryHome::kSystem) {
    dirs.assign(std::begin(kSystemDirs), std::end(kSystemDirs));
  } else {
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (ec) return {};
    dirs.push_back(exe.parent_path().parent_path() / "lib");
  }
  for (const fs::path& d : dirs) {
    const fs::path candidate = d / soname;
    if (fs::is_regular_file(candidate, ec)) return fs::canonical(candidate, ec).string();
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

std::vector<std::string> preload_environment(const PreloadEnv& spec) {
  std::vector<std::string> env;
  std::string inherited;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string_view entry = *e;
    if (entry.starts_with(kLdPreload)) {
      inherited = entry.substr(kLdPreload.size());
      continue;
    }
    const bool replaced = std::any_of(spec.set.begin(), spec.set.end(), [&](std::string_view s) {
      return key_of(s) == key_of(entry);
    });
    if (!replaced) env.emplace_back(entry);
  }
  std::string preload = spec.library;
  if (spec.keep_inherited && !inherited.empty())
    preload += preload.empty() ? inherited : ":" + inherited;
  if (!preload.empty()) env.push_back(std::string(kLdPreload) + preload);
  for (std::string_view s : spec.set) env.emplace_back(s);
  return env;
}

std::vector<char*> environment_pointers(std::vector<std::string>& env) {
  std::vector<char*> envp;
  for (std::string& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  return envp;
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
