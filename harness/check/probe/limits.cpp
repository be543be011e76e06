// The edges: impossible sizes give NULL and ENOMEM, malloc_usable_size covers the request,
// free(NULL) does nothing.
#include <malloc.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

#include "probe.hpp"

namespace alloclab::probe {
namespace {

void expect_enomem(Outcome& o, const char* call, void* p, int err) {
  if (p == nullptr && err == ENOMEM) return;
  o.fail("%s -> %p, errno %d (%s), expected NULL and ENOMEM", call, p, err, std::strerror(err));
  std::free(p);
}

}  // namespace

void impossible_sizes(Outcome& o) {
  constexpr std::size_t kHalf = SIZE_MAX / 2 + 1;  // PTRDIFF_MAX + 1: no object is that large
  const std::size_t sizes[] = {SIZE_MAX, SIZE_MAX - 4095, kHalf};
  char call[96];
  for (std::size_t n : sizes) {
    std::snprintf(call, sizeof call, "malloc(%zu)", n);
    o.call("%s", call);
    errno = 0;
    void* p = std::malloc(n);
    expect_enomem(o, call, p, errno);
  }
  void* live = std::malloc(64);
  std::memset(live, 0x5a, 64);
  std::snprintf(call, sizeof call, "realloc(%p, %zu)", live, SIZE_MAX);
  o.call("%s", call);
  errno = 0;
  void* r = std::realloc(live, SIZE_MAX);
  expect_enomem(o, call, r, errno);
  if (r == nullptr) {
    const auto* b = static_cast<const unsigned char*>(live);
    for (int i = 0; i < 64; ++i)
      if (b[i] != 0x5a) {
        o.fail("after a failed realloc(p, SIZE_MAX) the original block changed at byte %d", i);
        break;
      }
    std::free(live);
  }
  o.call("posix_memalign(&p, 64, SIZE_MAX)");
  void* q = nullptr;
  const int rc = ::posix_memalign(&q, 64, SIZE_MAX);
  if (rc != ENOMEM) {
    o.fail("posix_memalign(&p, 64, %zu) -> %d (%s), expected ENOMEM", SIZE_MAX, rc, std::strerror(rc));
    if (rc == 0) std::free(q);
  }
  struct Aligned {
    const char* call;
    void* (*fn)();
  };
  const Aligned aligned[] = {
      {"aligned_alloc(64, SIZE_MAX - 63)", [] { return ::aligned_alloc(64, SIZE_MAX - 63); }},
      {"memalign(64, SIZE_MAX)", [] { return ::memalign(64, SIZE_MAX); }},
      {"valloc(SIZE_MAX)", [] { return ::valloc(SIZE_MAX); }},
      {"pvalloc(SIZE_MAX)", [] { return ::pvalloc(SIZE_MAX); }},
  };
  for (const Aligned& a : aligned) {
    o.call("%s", a.call);
    errno = 0;
    void* p = a.fn();
    expect_enomem(o, a.call, p, errno);
  }
  o.info("malloc(SIZE_MAX, SIZE_MAX-4095, 2^63), realloc(p, SIZE_MAX), posix_memalign, aligned_alloc, "
         "memalign, valloc, pvalloc of SIZE_MAX -> NULL with ENOMEM; the block given to realloc kept");
}

void usable_size(Outcome& o) {
  unsigned count = 0;
  auto one = [&](std::size_t n) {
    o.call("malloc(%zu)", n);
    void* p = std::malloc(n);
    if (p == nullptr) return o.fail("malloc(%zu) -> NULL, expected a block", n);
    o.call("malloc_usable_size(%p)", p);
    const std::size_t usable = malloc_usable_size(p);
    if (usable < n) o.fail("malloc(%zu) -> %p: malloc_usable_size %zu, expected >= %zu", n, p, usable, n);
    else std::memset(p, 0x5a, usable);  // the usable size is the caller's to write
    ++count;
    std::free(p);
  };
  for (std::size_t n = 0; n <= 4096; ++n) one(n);
  for (unsigned k = 13; k <= 26; ++k) one((std::size_t{1} << k) + 1);
  o.info("%u blocks 0..4096 and 2^k+1 to 64 MiB: malloc_usable_size >= request, all of it writable", count);
}

void free_null(Outcome& o) {
  o.call("free(NULL)");
  for (int i = 0; i < 1000; ++i) std::free(nullptr);
  o.call("malloc(1) after free(NULL)");
  void* p = std::malloc(1);
  if (p == nullptr) o.fail("malloc(1) after 1000 free(NULL) -> NULL");
  std::free(p);
  o.info("free(NULL) x1000: no effect");
}

}  // namespace alloclab::probe
