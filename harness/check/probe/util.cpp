#include <cstdio>
#include <cstring>
#include <unistd.h>

#include "probe.hpp"

namespace alloclab::probe {

std::size_t alignment_of(const void* p) {
  const auto a = reinterpret_cast<std::uintptr_t>(p);
  if (a == 0) return 0;
  const std::uintptr_t low = a & (~a + 1);
  return low > (std::uintptr_t{1} << 30) ? std::size_t{1} << 30 : static_cast<std::size_t>(low);
}

namespace {
unsigned char pattern_byte(std::size_t i, unsigned seed) {
  return static_cast<unsigned char>((i * 131u + seed * 29u + (i >> 8)) & 0xff);
}
}  // namespace

void fill(void* p, std::size_t n, unsigned seed) {
  auto* b = static_cast<unsigned char*>(p);
  for (std::size_t i = 0; i < n; ++i) b[i] = pattern_byte(i, seed);
}

std::size_t first_mismatch(const void* p, std::size_t n, unsigned seed) {
  const auto* b = static_cast<const unsigned char*>(p);
  for (std::size_t i = 0; i < n; ++i)
    if (b[i] != pattern_byte(i, seed)) return i;
  return n;
}

std::uint64_t rss_bytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  unsigned long long size = 0, resident = 0;
  const int got = std::fscanf(f, "%llu %llu", &size, &resident);
  std::fclose(f);
  return got == 2 ? resident * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE)) : 0;
}

}  // namespace alloclab::probe
