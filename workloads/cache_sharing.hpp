// What cache-thrash and cache-scratch share (after Hoard's benchmarks): their params and each
// thread's loop, allocate a small object, write it many times, free it. When the allocator
// puts two threads' objects on one cache line, every write makes the line bounce between
// cores (false sharing), and the time shows it: the figure is how much the allocator lets
// threads share lines.
#pragma once

#include "trace_builder.hpp"
#include "workload.hpp"

namespace alloclab::cache_sharing {

inline constexpr ParamSpec kParams[] = {
    {"threads", "threads", "worker threads", 2, 1, 256},
    {"iters", "iters", "objects each thread allocates, writes and frees in turn", 1000, 1,
     1u << 24},
    {"size", "size", "object size in bytes (small, so several share a cache line)", 8, 1, 4096},
    {"writes", "writes", "writes to each object before it is freed", 10000, 1, 1u << 30},
};

// Per object: allocate into `slot`, write it `writes` times, free it.
inline void write_loop(ThreadTraceBuilder& b, std::uint32_t slot, const Params& p) {
  const auto size = static_cast<std::uint32_t>(p.at("size"));
  for (std::uint64_t i = 0; i < p.at("iters"); ++i) {
    b.alloc(slot, size);
    b.write(slot, static_cast<std::uint32_t>(p.at("writes")));
    b.free(slot, size);
  }
}

}  // namespace alloclab::cache_sharing
