// frame: per-frame scratch memory, as the arena articles describe for games and servers.
// Each frame allocates --allocs blocks of mixed sizes, uses them (the replay's touch), then
// releases them all: with one reset() where the allocator has it, else block by block,
// newest first (which also lets a free-last arena reclaim everything).
#include "frame.hpp"

#include <fmt/format.h>

#include "generator.hpp"
#include "trace_builder.hpp"
#include "workload.hpp"

namespace alloclab {
Trace generate_batches(const GenerateRequest& req, std::uint64_t rounds, std::uint32_t batch,
                       BatchShape shape) {
  const auto& p = req.params;
  const auto threads = static_cast<std::uint32_t>(p.at("threads"));
  const bool reset = shape.may_reset && has_cap(req.caps, kReset);

  Trace trace;
  trace.needs_caps = reset ? kReset : gen::free_cap_for(req.caps);
  trace.slots = std::size_t{threads} * batch;
  trace.threads.resize(threads);
  std::vector<std::uint32_t> sizes(batch);
  for (std::uint32_t t = 0; t < threads; ++t) {
    std::mt19937_64 rng = gen::thread_rng(req, t);
    gen::SizeSampler size_of(req);
    auto& ops = trace.threads[t];
    ops.reserve(rounds * (batch + (reset ? 1 : batch) + 1));
    ThreadTraceBuilder b(ops);
    const std::uint32_t base = t * batch;
    for (std::uint64_t f = 0; f < rounds; ++f) {
      if (shape.thread_per_batch) b.thread_exit();  // so the worker itself only starts threads
      for (std::uint32_t i = 0; i < batch; ++i) {
        sizes[i] = size_of(rng);
        b.alloc(base + i, sizes[i]);
      }
      if (reset) {
        b.reset();
        continue;
      }
      for (std::uint32_t i = batch; i-- > 0;) b.free(base + i, sizes[i]);
    }
    b.finish(trace);
  }
  return trace;
}

namespace {

constexpr ParamSpec kParams[] = {
    {"threads", "threads", "worker threads, each with its own frames", 1, 1, 256},
    {"frames", "frames", "frames per thread", 1000, 1, 10000000},
    {"allocs", "allocs", "allocations per frame", 1000, 1, 1000000},
    gen::min_size_param(16),
    gen::max_size_param(512),
    gen::kDistParam,
};

std::string validate(const Params& p) {
  if (std::string why = gen::check_sizes(p); !why.empty()) return why;
  return gen::check_ops(p.at("threads") * p.at("frames") * p.at("allocs"),
                        "threads x frames x allocs");
}

Trace generate(const GenerateRequest& req) {
  return generate_batches(req, req.params.at("frames"),
                          static_cast<std::uint32_t>(req.params.at("allocs")),
                          BatchShape{.may_reset = true});
}

}  // namespace

ALLOCLAB_REGISTER_WORKLOAD((WorkloadInfo{
    "frame", "per-frame scratch: allocate a frame's blocks, use them, release all (reset)",
    kParams, &validate, &generate}));

}  // namespace alloclab
