// reports/output.cpp — see output.hpp.
#include "reports/output.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

namespace alloclab::reports {

void write_file_atomically(const std::string& path, std::string_view text) {
  const std::filesystem::path target(path);
  const auto fail = [&path](int err) -> void {
    throw OutputError(fmt::format("cannot write {}: {}", path, std::strerror(err)));
  };
  if (target.filename().empty()) fail(EISDIR);
  const std::filesystem::path dir = target.has_parent_path() ? target.parent_path() : ".";
  std::string tmpl = (dir / fmt::format(".{}.tmp.XXXXXX", target.filename().string())).string();
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  const int fd = ::mkstemp(name.data());
  if (fd < 0) fail(errno);
  const auto abandon = [&](int err) {
    ::close(fd);
    ::unlink(name.data());
    fail(err);
  };
  // mkstemp creates 0600; a report is for sharing: 0644 (subject to nothing else).
  if (::fchmod(fd, 0644) != 0) abandon(errno);
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      abandon(errno);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) abandon(errno);
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(name.data());
    fail(err);
  }
  if (::rename(name.data(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(name.data());
    fail(err);
  }
}

}  // namespace alloclab::reports
