#include "same_file.hpp"

#include <sys/stat.h>

#include <filesystem>

namespace alloclab::model {
namespace {

namespace fs = std::filesystem;

// The absolute path with the symlinks of its existing part resolved (spelled as given when
// even that fails).
fs::path normalised(const std::string& p) {
  std::error_code ec;
  fs::path abs = fs::absolute(p, ec);
  if (ec) abs = p;
  const fs::path canon = fs::weakly_canonical(abs, ec);
  return ec ? abs.lexically_normal() : canon;
}

}  // namespace

bool same_file(const std::string& a, const std::string& b) {
  struct stat sa{}, sb{};
  const bool has_a = ::stat(a.c_str(), &sa) == 0, has_b = ::stat(b.c_str(), &sb) == 0;
  if (has_a && has_b) return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
  return !has_a && !has_b && normalised(a) == normalised(b);
}

}  // namespace alloclab::model
