// malloc's alignment, and the aligned family: posix_memalign, aligned_alloc, memalign, valloc,
// pvalloc, for every power-of-two alignment from 8 to 1 MiB with sizes below, at and above it.
#include <malloc.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "probe.hpp"

namespace alloclab::probe {
namespace {

constexpr std::size_t kFundamental = 16;  // alignof(max_align_t) on x86-64 and aarch64
constexpr std::size_t kMinAlign = 8, kMaxAlign = std::size_t{1} << 20;

// Every size 1..4096, then 2^k - 1, 2^k, 2^k + 1 up to 64 MiB.
std::vector<std::size_t> malloc_sizes() {
  std::vector<std::size_t> sizes;
  for (std::size_t n = 1; n <= 4096; ++n) sizes.push_back(n);
  for (unsigned k = 13; k <= 26; ++k)
    for (std::size_t n : {(std::size_t{1} << k) - 1, std::size_t{1} << k, (std::size_t{1} << k) + 1}) sizes.push_back(n);
  sizes.pop_back();  // 64 MiB is the largest
  return sizes;
}

// One block from the function under test, checked: not null, aligned, writable in full, its
// usable size at least the request. Frees it.
template <class Alloc>
void check_block(Outcome& o, const char* call, std::size_t align, std::size_t size, Alloc alloc) {
  o.call("%s(%zu, %zu)", call, align, size);
  void* p = alloc(align, size);
  if (p == nullptr) {
    o.fail("%s(%zu, %zu) -> NULL (errno %d), expected a block", call, align, size, errno);
    return;
  }
  if (alignment_of(p) < align)
    o.fail("%s(%zu, %zu) -> %p: aligned to %zu, expected %zu", call, align, size, p, alignment_of(p), align);
  std::memset(p, 0x5a, size);
  o.call("malloc_usable_size(%p) of %s(%zu, %zu)", p, call, align, size);
  if (const std::size_t usable = malloc_usable_size(p); usable < size)
    o.fail("%s(%zu, %zu) -> %p: malloc_usable_size %zu < %zu", call, align, size, p, usable, size);
  std::free(p);
}

// The sizes an aligned function is tried with at `align`: below, at and above it.
template <class Alloc>
void over_alignments(Outcome& o, const char* call, bool multiples_only, Alloc alloc) {
  unsigned blocks = 0;
  for (std::size_t a = kMinAlign; a <= kMaxAlign; a *= 2) {
    const std::size_t below = a / 2, above = a + (multiples_only ? a : 1);
    for (std::size_t size : {below, a, above}) {
      if (multiples_only && size % a != 0) continue;  // aligned_alloc_odd_size notes those
      check_block(o, call, a, size, alloc);
      ++blocks;
    }
  }
  o.info("%u blocks, alignments %zu..%zu, sizes below/at/above each: all aligned, writable, "
         "usable size >= request", blocks, kMinAlign, kMaxAlign);
}

std::size_t page() { return static_cast<std::size_t>(::sysconf(_SC_PAGESIZE)); }

}  // namespace

void malloc_alignment(Outcome& o) {
  std::size_t small_min = kFundamental, small_at = 0;
  void* small_ptr = nullptr;
  unsigned count = 0;
  for (std::size_t n : malloc_sizes()) {
    void* live[3];
    for (void*& p : live) {
      o.call("malloc(%zu)", n);
      p = std::malloc(n);
      ++count;
      if (p == nullptr) {
        o.fail("malloc(%zu) -> NULL, expected a block", n);
        continue;
      }
      static_cast<char*>(p)[0] = 1;
      static_cast<char*>(p)[n - 1] = 1;
      const std::size_t a = alignment_of(p);
      if (n >= kFundamental && a < kFundamental)
        o.fail("malloc(%zu) -> %p: aligned to %zu, expected %zu", n, p, a, kFundamental);
      else if (n < kFundamental && a < small_min) {
        small_min = a;
        small_at = n;
        small_ptr = p;
      }
    }
    for (void* p : live) std::free(p);
  }
  if (small_min < kFundamental)
    o.note("sizes below %zu get less than %zu-byte alignment (C11 allows it): malloc(%zu) -> %p, "
           "aligned to %zu; every size >= %zu was %zu-aligned", kFundamental, kFundamental, small_at,
           small_ptr, small_min, kFundamental, kFundamental);
  o.info("%u blocks of sizes 1..4096 and 2^k-1..2^k+1 up to 64 MiB: all %zu-aligned", count, kFundamental);
}

void posix_memalign_check(Outcome& o) {
  over_alignments(o, "posix_memalign", false, [&](std::size_t a, std::size_t n) -> void* {
    void* p = nullptr;
    const int rc = ::posix_memalign(&p, a, n);
    if (rc != 0) {
      errno = rc;
      return nullptr;
    }
    return p;
  });
}

void aligned_alloc_check(Outcome& o) {
  over_alignments(o, "aligned_alloc", true, [](std::size_t a, std::size_t n) { return ::aligned_alloc(a, n); });
}

void memalign_check(Outcome& o) {
  over_alignments(o, "memalign", false, [](std::size_t a, std::size_t n) { return ::memalign(a, n); });
}

void valloc_check(Outcome& o) {
  const std::size_t pg = page();
  for (std::size_t a = kMinAlign; a <= kMaxAlign; a *= 2)
    for (std::size_t size : {a / 2, a, a + 1})
      check_block(o, "valloc", pg, size, [](std::size_t, std::size_t n) { return ::valloc(n); });
  o.info("sizes 4..1 MiB+1: all page-aligned (%zu), writable, usable size >= request", pg);
}

void pvalloc_check(Outcome& o) {
  const std::size_t pg = page();
  for (std::size_t a = kMinAlign; a <= kMaxAlign; a *= 2)
    for (std::size_t size : {a / 2, a, a + 1}) {
      // pvalloc rounds the size up to whole pages: the whole rounded block must be there.
      const std::size_t rounded = (size + pg - 1) / pg * pg;
      o.call("pvalloc(%zu)", size);
      void* p = ::pvalloc(size);
      if (p == nullptr) {
        o.fail("pvalloc(%zu) -> NULL (errno %d), expected a block", size, errno);
        continue;
      }
      if (alignment_of(p) < pg) o.fail("pvalloc(%zu) -> %p: aligned to %zu, expected %zu", size, p, alignment_of(p), pg);
      o.call("malloc_usable_size(%p) of pvalloc(%zu)", p, size);
      if (const std::size_t usable = malloc_usable_size(p); usable < rounded)
        o.fail("pvalloc(%zu) -> %p: malloc_usable_size %zu < %zu (the size rounded to pages)", size, p, usable, rounded);
      else
        std::memset(p, 0x5a, rounded);
      std::free(p);
    }
  o.info("sizes 4..1 MiB+1: all page-aligned (%zu), usable size >= the size rounded up to pages", pg);
}

void posix_memalign_einval(Outcome& o) {
  for (std::size_t a : {std::size_t{0}, std::size_t{3}, sizeof(void*) / 2, std::size_t{24}, std::size_t{48},
                        std::size_t{4097}, (std::size_t{1} << 20) + 8}) {
    void* p = &o;  // a value posix_memalign must leave alone on error
    o.call("posix_memalign(&p, %zu, 64)", a);
    const int rc = ::posix_memalign(&p, a, 64);
    if (rc != EINVAL) {
      o.fail("posix_memalign(&p, %zu, 64) -> %d (%s), expected EINVAL: %zu is not a power of two "
             "multiple of sizeof(void*)", a, rc, rc == 0 ? "success" : std::strerror(rc), a);
      if (rc == 0) std::free(p);
    }
  }
  o.info("posix_memalign with alignments 0, 3, 4, 24, 48, 4097, 1 MiB+8 -> EINVAL");
}

void nonpow2_alignment(Outcome& o) {
  // C17 makes such an aligned_alloc fail; glibc's memalign rounds the alignment up. Described.
  for (std::size_t a : {std::size_t{24}}) {
    errno = 0;
    o.call("aligned_alloc(%zu, %zu)", a, a * 4);
    void* p = ::aligned_alloc(a, a * 4);
    o.note("aligned_alloc(%zu, %zu) -> %p (aligned to %zu, errno %d)", a, a * 4, p, alignment_of(p), errno);
    std::free(p);
    errno = 0;
    o.call("memalign(%zu, %zu)", a, a * 4);
    p = ::memalign(a, a * 4);
    o.note("memalign(%zu, %zu) -> %p (aligned to %zu, errno %d)", a, a * 4, p, alignment_of(p), errno);
    std::free(p);
  }
}

void aligned_alloc_odd_size(Outcome& o) {
  // C11 asked for a size that is a multiple of the alignment; C17 dropped the requirement.
  const std::pair<std::size_t, std::size_t> calls[] = {{64, 100}, {4096, 1}, {256, 257}};
  for (auto [a, n] : calls) {
    errno = 0;
    o.call("aligned_alloc(%zu, %zu)", a, n);
    void* p = ::aligned_alloc(a, n);
    if (p != nullptr) std::memset(p, 0x5a, n);
    o.note("aligned_alloc(%zu, %zu) -> %p (aligned to %zu, errno %d)", a, n, p, alignment_of(p), errno);
    std::free(p);
  }
}

}  // namespace alloclab::probe
