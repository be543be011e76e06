// Registers the in-process `mempool` plugin and `mempool-preload`: the same heap built as
// liballoclab_mempool.so and measured like jemalloc (LD_PRELOAD into a child running plain
// malloc/free). An empty package means "built by alloclab": the runner looks for the library
// in the executable's ../lib directory.
#include "allocators/glibc/malloc_allocator.hpp"
#include "mempool_allocator.hpp"
#include "workloads/register.hpp"

ALLOCLAB_REGISTER_ALLOCATOR(alloclab::MempoolAllocator);

namespace {

constexpr alloclab::Traits preload_traits() {
  alloclab::Traits t = alloclab::MallocAllocator::traits;
  t.name = "mempool-preload";
  t.summary = "alloclab mempool as a drop-in malloc (liballoclab_mempool.so), LD_PRELOAD";
  return t;
}

const bool registered_preload = [] {
  alloclab::register_plugin(alloclab::make_entry<alloclab::MallocAllocator>(
      preload_traits(), alloclab::Preload{"liballoclab_mempool.so", ""}));
  return true;
}();

}  // namespace
