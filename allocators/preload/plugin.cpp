// Production allocators, measured as deployed: the runner starts the child with LD_PRELOAD of
// the Debian library and the child runs plain malloc/free (MallocAllocator). The child proves
// with dladdr that the library really owns malloc; see harness/preload.cpp.
#include "allocators/glibc/malloc_allocator.hpp"
#include "workloads/register.hpp"

namespace {

using alloclab::MallocAllocator;
using alloclab::Preload;
using alloclab::Traits;

constexpr Traits peer(std::string_view name, std::string_view summary) {
  Traits t = MallocAllocator::traits;
  t.name = name;
  t.summary = summary;
  return t;
}

struct Peer {
  Traits traits;
  Preload preload;
};

constexpr Peer kPeers[] = {
    {peer("jemalloc", "jemalloc (FreeBSD/Meta), LD_PRELOAD"), {"libjemalloc.so.2", "libjemalloc2"}},
    {peer("mimalloc", "mimalloc (Microsoft), LD_PRELOAD"), {"libmimalloc.so.2", "libmimalloc2.0"}},
    {peer("tcmalloc", "gperftools tcmalloc_minimal, LD_PRELOAD"),
     {"libtcmalloc_minimal.so.4", "libtcmalloc-minimal4"}},
    {peer("tbbmalloc", "oneTBB scalable allocator (proxy), LD_PRELOAD"),
     {"libtbbmalloc_proxy.so.2", "libtbbmalloc2"}},
};

const bool registered = [] {
  for (const Peer& p : kPeers)
    alloclab::register_plugin(alloclab::make_entry<MallocAllocator>(p.traits, p.preload));
  return true;
}();

}  // namespace
