// Fuzz target: the recorded-trace reader and its conversion to a replay (workloads/
// recorded_trace.cpp), whole and streamed in small rounds (open_recorded_stream). Any input must either convert or throw TraceFileError with one line;
// anything else (another exception, a crash, a sanitizer report) is a bug. The reader takes a
// path, so the input is handed over as an in-memory file.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "workloads/recorded_trace.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const int fd = ::memfd_create("fuzz-trace", 0);
  if (fd < 0) std::abort();
  if (size > 0 && ::write(fd, data, size) != static_cast<ssize_t>(size)) std::abort();
  try {
    const alloclab::RecordedTrace t = alloclab::read_recorded_trace("/proc/self/fd/" + std::to_string(fd));
    (void)alloclab::to_replay_trace(t, "fuzz.trace");
  } catch (const alloclab::TraceFileError& e) {
    if (std::string_view(e.what()).find('\n') != std::string_view::npos) std::abort();
  }
  try {
    alloclab::StreamSetup s = alloclab::open_recorded_stream("/proc/self/fd/" + std::to_string(fd), 16);
    std::vector<std::vector<alloclab::Op>> round(s.shape.threads.size());
    while (s.rounds->next(round)) {
    }
  } catch (const alloclab::TraceFileError& e) {
    if (std::string_view(e.what()).find('\n') != std::string_view::npos) std::abort();
  }
  ::close(fd);
  return 0;
}
