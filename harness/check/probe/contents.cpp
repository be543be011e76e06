// Contents: live blocks never overlap; realloc keeps what it moves; calloc zeroes (recycled
// memory too) and refuses a product that overflows.
#include <malloc.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <utility>
#include <vector>

#include "probe.hpp"

namespace alloclab::probe {
namespace {

struct Block {
  unsigned char* p;
  std::size_t n;
  unsigned seed;
};

bool allocate(Outcome& o, Block& b) {
  o.call("malloc(%zu)", b.n);
  b.p = static_cast<unsigned char*>(std::malloc(b.n));
  if (b.p == nullptr) {
    o.fail("malloc(%zu) -> NULL, expected a block", b.n);
    return false;
  }
  fill(b.p, b.n, b.seed);
  return true;
}

// Every block still holds its own pattern, and no two requested ranges intersect.
void verify(Outcome& o, std::vector<Block>& live, std::size_t round) {
  for (const Block& b : live)
    if (std::size_t at = first_mismatch(b.p, b.n, b.seed); at != b.n) {
      o.fail("round %zu: the block %p of malloc(%zu) changed at byte %zu: another block was written over it",
             round, static_cast<void*>(b.p), b.n, at);
      return;
    }
  std::vector<Block> sorted = live;
  std::sort(sorted.begin(), sorted.end(), [](const Block& a, const Block& b) { return a.p < b.p; });
  for (std::size_t i = 1; i < sorted.size(); ++i)
    if (sorted[i - 1].p + sorted[i - 1].n > sorted[i].p) {
      o.fail("round %zu: malloc(%zu) -> %p overlaps malloc(%zu) -> %p", round, sorted[i - 1].n,
             static_cast<void*>(sorted[i - 1].p), sorted[i].n, static_cast<void*>(sorted[i].p));
      return;
    }
}

}  // namespace

void no_overlap(Outcome& o) {
  const std::pair<std::size_t, std::size_t> rounds[] = {{4096, 128}, {4096, 4096}, {512, 65536}, {64, 1 << 20}};
  Rng rng;
  unsigned seed = 1, total = 0;
  for (std::size_t r = 0; r < std::size(rounds); ++r) {
    const auto [count, max_size] = rounds[r];
    std::vector<Block> live(count);
    for (Block& b : live) {
      b = {nullptr, 1 + rng.below(max_size), seed++};
      if (!allocate(o, b)) return;
    }
    verify(o, live, r);
    // Free every other block and allocate again into the holes (recycled memory).
    for (std::size_t i = 0; i < live.size(); i += 2) std::free(live[i].p);
    for (std::size_t i = 0; i < live.size(); i += 2) {
      live[i] = {nullptr, 1 + rng.below(max_size), seed++};
      if (!allocate(o, live[i])) return;
    }
    verify(o, live, r);
    for (const Block& b : live) std::free(b.p);
    total += static_cast<unsigned>(count + count / 2);
  }
  o.info("%u blocks up to 1 MiB, written in full, half freed and reallocated: no overlap, no byte changed", total);
}

void realloc_contents(Outcome& o) {
  const std::size_t steps[] = {1, 16, 100, 4096, 65536, 1 << 20, 4 << 20, 1 << 20, 65536, 4096, 100, 16, 1};
  o.call("realloc(NULL, 24)");
  auto* p = static_cast<unsigned char*>(std::realloc(nullptr, 24));
  if (p == nullptr) return o.fail("realloc(NULL, 24) -> NULL, expected a block");
  fill(p, 24, 7);
  if (first_mismatch(p, 24, 7) != 24) o.fail("realloc(NULL, 24) -> %p: not writable", static_cast<void*>(p));
  std::size_t n = 24;
  unsigned moves = 0;
  for (std::size_t next : steps) {
    o.call("realloc(%p, %zu)", static_cast<void*>(p), next);
    auto* q = static_cast<unsigned char*>(std::realloc(p, next));
    if (q == nullptr) return o.fail("realloc(%p, %zu) -> NULL, expected a block", static_cast<void*>(p), next);
    const std::size_t kept = std::min(n, next);
    if (std::size_t at = first_mismatch(q, kept, 7); at != kept)
      return o.fail("realloc(%p, %zu) from %zu bytes -> %p: byte %zu of the %zu kept bytes changed",
                    static_cast<void*>(p), next, n, static_cast<void*>(q), at, kept);
    moves += q != p;
    fill(q, next, 7);
    p = q;
    n = next;
  }
  o.call("realloc(%p, 0)", static_cast<void*>(p));
  void* zero = std::realloc(p, 0);  // glibc frees and gives NULL; others give a minimal block
  std::free(zero);
  o.info("realloc(NULL, 24) then %zu grows/shrinks 1..4 MiB (%u moved): contents kept; realloc(p, 0) -> %s",
         std::size(steps), moves, zero == nullptr ? "NULL (freed)" : "a minimal block");
}

void calloc_zeroes(Outcome& o) {
  const std::size_t sizes[] = {1, 8, 24, 100, 1000, 4096, 65536, 1 << 20, 8 << 20};
  constexpr int kBlocks = 8;
  for (std::size_t n : sizes) {
    // Dirty memory first, so that calloc is served recycled blocks, not fresh zero pages.
    void* dirty[kBlocks];
    for (void*& d : dirty) {
      d = std::malloc(n);
      if (d != nullptr) std::memset(d, 0xa5, n);
    }
    for (void* d : dirty) std::free(d);
    void* blocks[kBlocks];
    for (int i = 0; i < kBlocks; ++i) {
      const std::size_t count = i % 2 == 0 ? 1 : n, elem = i % 2 == 0 ? n : 1;
      o.call("calloc(%zu, %zu)", count, elem);
      blocks[i] = std::calloc(count, elem);
      if (blocks[i] == nullptr) {
        o.fail("calloc(%zu, %zu) -> NULL, expected a block", count, elem);
        continue;
      }
      const auto* b = static_cast<const unsigned char*>(blocks[i]);
      const auto* nz = std::find_if(b, b + n, [](unsigned char c) { return c != 0; });
      if (nz != b + n)
        o.fail("calloc(%zu, %zu) -> %p: byte %td is 0x%02x, expected 0", count, elem, blocks[i], nz - b, *nz);
    }
    for (void* b : blocks) std::free(b);
  }
  o.info("calloc of 1 B..8 MiB over freed 0xa5-filled blocks: every byte zero");
}

void calloc_overflow(Outcome& o) {
  const std::pair<std::size_t, std::size_t> calls[] = {
      {SIZE_MAX / 2 + 1, 2}, {SIZE_MAX, SIZE_MAX}, {std::size_t{1} << 33, std::size_t{1} << 31}, {3, SIZE_MAX / 2}};
  for (auto [count, elem] : calls) {
    errno = 0;
    o.call("calloc(%zu, %zu)", count, elem);
    void* p = std::calloc(count, elem);
    const int err = errno;
    if (p != nullptr || err != ENOMEM)
      o.fail("calloc(%zu, %zu) -> %p, errno %d (%s), expected NULL and ENOMEM (the product overflows)",
             count, elem, p, err, std::strerror(err));
    std::free(p);
  }
  o.info("4 overflowing products -> NULL, errno ENOMEM");
}

}  // namespace alloclab::probe
