#include "output_check.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <system_error>

namespace alloclab::cli {
namespace {

constexpr int kExitWriteError = 2;

int write_failed(const char* tool, const std::string& what) {
  std::fprintf(stderr, "%s: error: %s\n", tool, what.c_str());  // may fail too: the exit code still says it
  std::fflush(stderr);
  return kExitWriteError;
}

}  // namespace

int with_checked_output(const char* tool, const std::function<int()>& body) {
  int code = 0;
  try {
    code = body();
  } catch (const std::system_error& e) {  // fmt::print onto a full or closed stream
    return write_failed(tool, e.what());
  }
  std::cout.flush();
  errno = 0;
  if (std::fflush(stdout) != 0 || std::ferror(stdout) != 0 || !std::cout)
    return write_failed(tool, std::string("cannot write standard output: ") +
                                  (errno != 0 ? std::strerror(errno) : "write error"));
  std::cerr.flush();
  if (std::ferror(stderr) != 0 || !std::cerr) return kExitWriteError;  // nowhere left to say why
  return code;
}

}  // namespace alloclab::cli
