// The strategies used as plain libraries, through find_package(alloclab) only. Each check
// prints "<what>: ok" or "<what>: FAILED"; tests/install_test.sh compares the whole output.
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "allocators/arena/arena.hpp"
#include "allocators/chunk_pool/chunk_pool.hpp"
#include "allocators/mempool/heap.hpp"
#include "allocators/object_pool/object_pool.hpp"

namespace {

int failures = 0;

void check(bool ok, const char* what) {
  std::printf("%s: %s\n", what, ok ? "ok" : "FAILED");
  failures += ok ? 0 : 1;
}

bool aligned(const void* p, std::uintptr_t align) {
  return reinterpret_cast<std::uintptr_t>(p) % align == 0;
}

struct Node {
  static inline int destroyed = 0;
  explicit Node(int v) noexcept : value(v) {}
  ~Node() { ++destroyed; }
  int value;
};

void arena() {
  alloclab::Arena arena;
  void* kept = arena.allocate(100);
  const alloclab::Arena::Marker mark = arena.save();
  void* scratch = arena.allocate(1000, 64);
  std::memset(scratch, 1, 1000);
  arena.restore(mark);
  void* again = arena.allocate(1000, 64);  // the rewound cursor hands out the same bytes
  check(kept != nullptr && scratch != nullptr && again == scratch && aligned(again, 64),
        "arena save/restore");
}

void object_pool() {
  alloclab::ObjectPool<Node> pool;
  Node* a = pool.create(7);
  const bool made = a != nullptr && a->value == 7;
  pool.destroy(a);
  Node* b = pool.create(8);  // the freed item comes back first
  check(made && b == a && b->value == 8 && Node::destroyed == 1, "object_pool create/destroy");
  pool.destroy(b);
}

void chunk_pool() {
  alloclab::ChunkPool pool;
  void* p = pool.allocate(48, 16);
  const bool ok = p != nullptr && aligned(p, 16);
  if (p != nullptr) std::memset(p, 2, 48);
  pool.deallocate(p, 48);
  check(ok, "chunk_pool allocate/deallocate");
}

void mempool() {
  namespace mp = alloclab::mempool;
  void* small = mp::allocate(200);
  void* large = mp::allocate(std::size_t{1} << 20);
  const bool served = small != nullptr && large != nullptr;
  if (served) {
    std::memset(small, 3, 200);
    std::memset(large, 4, std::size_t{1} << 20);
  }
  const bool counted = mp::stats().in_use >= (std::size_t{1} << 20) + 200;
  mp::deallocate(small, 200, 16);
  mp::deallocate(large);
  check(served && counted && mp::validate() == nullptr, "mempool allocate/stats/validate");
}

}  // namespace

int main() {
  arena();
  object_pool();
  chunk_pool();
  mempool();
  return failures == 0 ? 0 : 1;
}
