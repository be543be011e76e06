// frame: per-frame scratch memory, as the arena articles describe for games and servers.
// Each frame allocates --allocs blocks of mixed sizes, uses them (the replay's touch), then
// releases them all: with one reset() where the allocator has it, else block by block,
// newest first (which also lets a free-last arena reclaim everything).
#include <fmt/format.h>

#include <random>

#include "churn.hpp"
#include "trace_builder.hpp"
#include "workload.hpp"

namespace alloclab {
namespace {

constexpr std::uint64_t kMaxOps = std::uint64_t{1} << 28;

constexpr ParamSpec kParams[] = {
    {"threads", "threads", "worker threads, each with its own frames", 1, 1, 256},
    {"frames", "frames", "frames per thread", 1000, 1, 10000000},
    {"allocs", "allocs", "allocations per frame", 1000, 1, 1000000},
    {"min_size", "min", "smallest block size in bytes (inclusive)", 16, 0, 1u << 30},
    {"max_size", "max", "largest block size in bytes (inclusive)", 512, 1, 1u << 30},
};

std::string validate(const Params& p) {
  if (p.at("min_size") > p.at("max_size"))
    return fmt::format("min_size {} is larger than max_size {}", p.at("min_size"),
                       p.at("max_size"));
  if (p.at("threads") * p.at("frames") * p.at("allocs") > kMaxOps)
    return fmt::format("threads x frames x allocs = {} exceeds the trace limit of {}",
                       p.at("threads") * p.at("frames") * p.at("allocs"), kMaxOps);
  return {};
}

Trace generate(const GenerateRequest& req) {
  const auto& p = req.params;
  const auto threads = static_cast<std::uint32_t>(p.at("threads"));
  const auto allocs = static_cast<std::uint32_t>(p.at("allocs"));
  const bool reset = has_cap(req.caps, kReset);
  const std::uint64_t base_seed = req.seed != 0 ? req.seed : churn::kDefaultSeed;

  Trace trace;
  trace.needs_caps = reset ? kReset : kFree;
  trace.slots = std::size_t{threads} * allocs;
  trace.threads.resize(threads);
  std::vector<std::uint32_t> sizes(allocs);
  for (std::uint32_t t = 0; t < threads; ++t) {
    std::mt19937_64 rng(base_seed ^ (churn::kThreadMix * t));
    std::uniform_int_distribution<std::uint64_t> size_of(p.at("min_size"), p.at("max_size"));
    auto& ops = trace.threads[t];
    ops.reserve(p.at("frames") * (allocs + (reset ? 1 : allocs)));
    ThreadTraceBuilder b(ops);
    const std::uint32_t base = t * allocs;
    for (std::uint64_t f = 0; f < p.at("frames"); ++f) {
      for (std::uint32_t i = 0; i < allocs; ++i) {
        sizes[i] = static_cast<std::uint32_t>(size_of(rng));
        b.alloc(base + i, sizes[i]);
      }
      if (reset) {
        b.reset();
        continue;
      }
      for (std::uint32_t i = allocs; i-- > 0;) b.free(base + i, sizes[i]);
    }
    b.finish(trace);
  }
  return trace;
}

}  // namespace

ALLOCLAB_REGISTER_WORKLOAD((WorkloadInfo{
    "frame", "per-frame scratch: allocate a frame's blocks, use them, release all (reset)",
    kParams, &validate, &generate}));

}  // namespace alloclab
