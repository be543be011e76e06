// The allocators the recommendations name, in one table: the strategy mixes (allocators/core
// building blocks, registered by their own folders) and the production allocators every
// recommendation is measured against. A name that is not registered in a build is measured as
// `unavailable`, never replaced by another.
#pragma once

#include <cstdint>
#include <string_view>

namespace alloclab::analysis {

struct Strategy {
  std::string_view allocator;  // the registered name
  std::string_view what;       // how a recommendation describes it
};

// Many small, short-lived blocks: size-classed pools up to 256 B, mempool for the rest.
inline constexpr Strategy kSmallPool{"small_pool+mempool", "a size-classed pool for blocks up to 256 B in front of mempool"};
// The same for a multi-threaded program: the pools are per thread and a remote free is one CAS
// onto the owner's list (small_pool+mempool is not thread-safe, so it cannot replay one).
inline constexpr Strategy kThreadPool{"thread_pool+mempool", "per-thread size-classed pools for blocks up to 256 B in front of mempool"};
// Phases that release everything they allocated: an arena per phase, mempool for the rest.
inline constexpr Strategy kPhaseArena{"arena+mempool", "an arena per phase in front of mempool"};
// No pattern a special strategy exploits: a general-purpose allocator.
inline constexpr Strategy kGeneral{"mempool", "a general-purpose thread-caching allocator"};
// Remote frees are cheap here (README's xmalloc rows: a CAS onto the owner's list, or batched
// transfer lists), unlike glibc's, which takes the owning arena's lock.
inline constexpr std::string_view kCheapRemoteFree[] = {"mimalloc", "mempool"};
// Every recommendation is measured against these (those not installed show as unavailable).
inline constexpr std::string_view kProduction[] = {"glibc", "jemalloc", "mimalloc", "tcmalloc", "mempool"};

// The size a "small" block has at most: the small pool's threshold.
inline constexpr std::uint64_t kSmallBlock = 256;

}  // namespace alloclab::analysis
