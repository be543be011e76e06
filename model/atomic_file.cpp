#include "model/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <vector>

namespace alloclab::model {
namespace {

namespace fs = std::filesystem;

enum class Kind { kMissing, kRegular, kWriteInto, kRefused };

struct Target {
  fs::path path;  // the symlinks' final target, or the path itself
  Kind kind = Kind::kMissing;
  mode_t mode = 0644;  // kept for a regular file that is replaced
  int err = 0;         // lstat's errno other than ENOENT, or ELOOP
};

// Follows symlinks (relative ones from their own directory) to the path that is written.
Target resolve(const std::string& path) {
  Target t{path};
  for (int hops = 0; hops < 40; ++hops) {
    struct stat st{};
    if (::lstat(t.path.c_str(), &st) != 0) {
      t.err = errno == ENOENT ? 0 : errno;
      t.kind = t.err == 0 ? Kind::kMissing : Kind::kRefused;
      return t;
    }
    if (S_ISLNK(st.st_mode)) {
      std::error_code ec;
      const fs::path link = fs::read_symlink(t.path, ec);
      if (ec) {
        t.err = ec.value();
        t.kind = Kind::kRefused;
        return t;
      }
      t.path = link.is_absolute() ? link : t.path.parent_path() / link;
      continue;
    }
    t.mode = st.st_mode & 07777;
    t.kind = S_ISREG(st.st_mode)                        ? Kind::kRegular
             : S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode) ? Kind::kWriteInto
                                                          : Kind::kRefused;
    if (t.kind == Kind::kRefused) t.err = S_ISDIR(st.st_mode) ? EISDIR : 0;
    return t;
  }
  t.kind = Kind::kRefused;
  t.err = ELOOP;
  return t;
}

std::string refusal(const std::string& path, const Target& t) {
  if (t.err == EISDIR) return fmt::format("cannot write '{}': is a directory", path);
  if (t.err != 0) return fmt::format("cannot write '{}': {}", path, std::strerror(t.err));
  return fmt::format("cannot write '{}': not a regular file, character device or FIFO", path);
}

// Writes all of `text`; 0 or the errno of the failed write.
int write_all(int fd, std::string_view text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    if (n == 0) return EIO;
    done += static_cast<std::size_t>(n);
  }
  return 0;
}

int write_into(const fs::path& path, std::string_view text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  int err = write_all(fd, text);
  if (::close(fd) != 0 && err == 0) err = errno;
  return err;
}

int replace(const fs::path& path, mode_t mode, std::string_view text) {
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  const std::string tmpl = (dir / fmt::format(".{}.tmp.XXXXXX", path.filename().string())).string();
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  const int fd = ::mkstemp(name.data());
  if (fd < 0) return errno;
  int err = ::fchmod(fd, mode) != 0 ? errno : 0;  // mkstemp creates 0600; outputs are for sharing
  if (err == 0) err = write_all(fd, text);
  if (err == 0 && ::fsync(fd) != 0) err = errno;
  if (::close(fd) != 0 && err == 0) err = errno;
  if (err == 0 && ::rename(name.data(), path.c_str()) != 0) err = errno;
  if (err != 0) ::unlink(name.data());
  return err;
}

}  // namespace

std::string write_file_atomically(const std::string& path, std::string_view text) {
  if (path.empty() || fs::path(path).filename().empty())
    return fmt::format("cannot write '{}': is a directory", path);
  const Target t = resolve(path);
  int err = 0;
  switch (t.kind) {
    case Kind::kRefused: return refusal(path, t);
    case Kind::kWriteInto: err = write_into(t.path, text); break;
    case Kind::kMissing: err = replace(t.path, 0644, text); break;
    case Kind::kRegular: err = replace(t.path, t.mode, text); break;
  }
  return err == 0 ? std::string() : fmt::format("cannot write '{}': {}", path, std::strerror(err));
}

std::string check_writable(const std::string& path) {
  if (path.empty() || fs::path(path).filename().empty())
    return fmt::format("cannot write '{}': is a directory", path);
  const Target t = resolve(path);
  if (t.kind == Kind::kRefused) return refusal(path, t);
  if (t.kind == Kind::kWriteInto) {
    if (::access(t.path.c_str(), W_OK) != 0) return fmt::format("cannot write '{}': {}", path, std::strerror(errno));
    return {};
  }
  const fs::path dir = t.path.has_parent_path() ? t.path.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    return fmt::format("cannot write '{}': directory '{}' does not exist", path, dir.string());
  if (::access(dir.c_str(), W_OK) != 0) return fmt::format("cannot write '{}': {}", path, std::strerror(errno));
  if (t.kind == Kind::kRegular && ::access(t.path.c_str(), W_OK) != 0)
    return fmt::format("cannot write '{}': {}", path, std::strerror(errno));
  return {};
}

}  // namespace alloclab::model
