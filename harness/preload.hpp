// The one LD_PRELOAD launcher: finding a shared library, building a child's environment that
// preloads it, and (in the child) proving the library really owns malloc, so a failed preload
// is a loud error and never a silent glibc measurement. Serves `alloclab run` (deployments),
// `alloclab-micro --preload` and `alloclab record`.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace alloclab {

// Where a library is looked for.
enum class LibraryHome {
  kSystem,    // the system library directories (Debian packages)
  kAlloclab,  // this executable's ../lib: libraries alloclab builds (build tree and install)
};

// Absolute (canonical) path of `soname`; empty when it is not there.
std::string find_library(std::string_view soname, LibraryHome home);

// "5.3.0-1" from dpkg, or "" (not a Debian package, or dpkg unavailable).
std::string package_version(std::string_view package);

struct PreloadEnv {
  std::string library;  // absolute path to preload; empty: no LD_PRELOAD
  // Keep an inherited LD_PRELOAD after `library` (record: the program's own preloads stay);
  // otherwise it is dropped, so only `library` can own malloc.
  bool keep_inherited = false;
  std::span<const std::string_view> set = {};  // "NAME=value": replace any inherited NAME
};

// This process's environment as the child's: `spec` applied.
std::vector<std::string> preload_environment(const PreloadEnv& spec);

// envp for execve: pointers into `env`, null-terminated.
std::vector<char*> environment_pointers(std::vector<std::string>& env);

// In the child: empty when `malloc` resolves into `library` (a path), else the reason.
std::string check_malloc_owner(const std::string& library);

}  // namespace alloclab
