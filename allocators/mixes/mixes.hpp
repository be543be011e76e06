// Strategy mixes: alloclab's strategies composed (allocators/core/segregator.hpp, fallback.hpp)
// so that together they serve whole programs, recorded traces included, which each part alone
// cannot (no realloc, a size limit). Each mix is one `using`; its capabilities are derived from
// its parts at compile time, and the hot path is the parts' own, statically dispatched.
#pragma once

#include "allocators/core/fallback.hpp"
#include "allocators/core/named.hpp"
#include "allocators/core/segregator.hpp"
#include "allocators/mempool/mempool_allocator.hpp"
#include "allocators/object_pool/fixed_pool.hpp"
#include "phase_arena.hpp"
#include "thread_pool.hpp"

namespace alloclab {

// Small blocks are most of a program's allocations: a size class each, LIFO reuse.
inline constexpr std::size_t kSmallPoolThreshold = 256;

using SmallPoolMempool =
    Named<Segregator<kSmallPoolThreshold, ObjectPoolSizeClassed, MempoolAllocator>,
          "small_pool+mempool",
          "object_pool_sc up to 256 B (sized free finds the class), mempool above; realloc "
          "across them copies">;

using ArenaMempool =
    Named<Fallback<PhaseArena, MempoolAllocator>, "arena+mempool",
          "bounded arena that rewinds when a phase's blocks are all freed, mempool when it is "
          "full; frees routed by the arena's address range">;

// The thread-safe mix, for multi-threaded programs: small blocks from the thread's own pools,
// remote frees by one CAS onto the owner's list; the rest, and the slabs, from the mempool.
using ThreadPoolMempool =
    Named<Segregator<kSmallPoolThreshold, ThreadPool, MempoolAllocator>, "thread_pool+mempool",
          "per-thread size-classed pools up to 256 B (remote frees by CAS to the owning thread), "
          "mempool above; thread-safe">;

}  // namespace alloclab
