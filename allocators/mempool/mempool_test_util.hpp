// Helpers shared by the mempool heap tests.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdio>

namespace alloclab::mempool::testing {

// Resident set size in bytes, from /proc/self/statm (second field, in pages).
inline std::size_t rss_bytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  unsigned long size = 0, resident = 0;
  const int got = std::fscanf(f, "%lu %lu", &size, &resident);
  std::fclose(f);
  return got == 2 ? resident * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE)) : 0;
}

}  // namespace alloclab::mempool::testing
