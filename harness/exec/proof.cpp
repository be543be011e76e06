#include "harness/exec/proof.hpp"

#include <dlfcn.h>

#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <sstream>
#include <vector>

namespace alloclab::exec {
namespace {

namespace fs = std::filesystem;

std::string canonical(const std::string& path) {
  std::error_code ec;
  const fs::path p = fs::canonical(path, ec);
  return ec ? path : p.string();
}

std::vector<std::string> fields(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream in(line);
  for (std::string f; std::getline(in, f, '\t');) out.push_back(f);
  return out;
}

}  // namespace

std::string own_malloc_owner() {
  Dl_info info{};
  void* sym = ::dlsym(RTLD_DEFAULT, "malloc");
  if (sym == nullptr || ::dladdr(sym, &info) == 0 || info.dli_fname == nullptr) return {};
  return canonical(info.dli_fname);
}

Proof judge_probe(const std::string& report, pid_t top, const std::string& owner, bool preloaded,
                  const std::string& allocator, const std::string& own_api) {
  Proof p;
  std::string child_failure, bound, dropped;
  std::uint64_t dropped_count = 0;
  std::ifstream in(report);
  for (std::string line; std::getline(in, line);) {
    const std::vector<std::string> f = fields(line);
    if (f.size() == 5 && f[0] == "P") {
      const bool is_top = f[1] == std::to_string(top);
      const std::string got = canonical(f[3]);
      if (is_top && p.malloc_owner.empty()) p.malloc_owner = got;
      else if (got != owner && child_failure.empty())
        child_failure = fmt::format("a child process (pid {}) got malloc from {}, not {}", f[1], got, allocator);
      if (f[4] != "-" && bound.empty() && (!is_top || !own_api.empty())) bound = f[4];
    } else if (f.size() == 4 && f[0] == "E") {
      ++p.children;
      if (f[2] == "1") {
        ++p.children_inherited;
      } else if (dropped.empty()) {
        dropped = f[3];
        ++dropped_count;
      } else {
        ++dropped_count;
      }
    }
  }
  if (p.malloc_owner.empty())
    p.failure = "the probe never ran in the program: the loader did not preload (static, setuid, "
                "or an interpreter that drops LD_PRELOAD)";
  else if (p.malloc_owner != owner)
    p.failure = fmt::format("malloc comes from {}, not {}", p.malloc_owner, allocator);
  else if (!bound.empty())
    p.failure = fmt::format("the program is bound to its own allocator: it loads {}{}", bound,
                            own_api.empty() ? std::string() : " and calls its " + own_api);
  else if (preloaded && dropped_count > 0)
    p.failure = fmt::format("children did not inherit {}: {} of {} programs it started ran without "
                            "LD_PRELOAD of it (first: {})", allocator, dropped_count, p.children, dropped);
  else if (!child_failure.empty())
    p.failure = child_failure;
  return p;
}

}  // namespace alloclab::exec
