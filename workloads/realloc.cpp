// realloc: buffers that grow, as vectors (capacity doubles) and string builders (a small step
// at a time) do, through reallocate(p, old, new). `live` buffers grow side by side, one step
// each in turn, so their blocks interleave in the heap and growing in place is not free;
// when all reach the final size they are freed and the next group starts.
#include <fmt/format.h>

#include <algorithm>

#include "generator.hpp"
#include "trace_builder.hpp"
#include "workload.hpp"

namespace alloclab {
namespace {

constexpr std::uint32_t kFirstCapacity = 16;  // a doubling buffer's first block

constexpr ParamSpec kParams[] = {
    {"threads", "threads", "worker threads, each growing its own buffers", 1, 1, 256},
    {"buffers", "buffers", "buffers grown (and freed) per thread", 1000, 1, 1u << 24},
    {"final_size", "final", "size in bytes every buffer grows to", 65536, kFirstCapacity,
     1u << 30},
    {"doubling", "doubling", "percent of buffers that double (the rest grow by --step)", 50, 0,
     100},
    {"step", "step", "bytes a step-growing buffer adds per reallocate", 64, 1, 1u << 30},
    {"live", "live", "buffers growing side by side", 4, 1, 1u << 16},
};

std::uint64_t ops_per_buffer(const Params& p) {
  return p.at("final_size") / p.at("step") + 2;  // steps, first allocation, free
}

std::string validate(const Params& p) {
  return gen::check_ops(p.at("threads") * p.at("buffers") * ops_per_buffer(p),
                        "threads x buffers x (final_size / step + 2)");
}

struct Buffer {
  std::uint32_t size;
  bool doubles;
};

std::uint32_t grown(const Buffer& b, std::uint32_t step, std::uint32_t final_size) {
  const std::uint64_t next = b.doubles ? std::uint64_t{b.size} * 2 : std::uint64_t{b.size} + step;
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(next, final_size));
}

Trace generate(const GenerateRequest& req) {
  const auto& p = req.params;
  const auto threads = static_cast<std::uint32_t>(p.at("threads"));
  const auto live = static_cast<std::uint32_t>(std::min(p.at("live"), p.at("buffers")));
  const auto final_size = static_cast<std::uint32_t>(p.at("final_size"));
  const auto step = static_cast<std::uint32_t>(std::min<std::uint64_t>(p.at("step"), final_size));

  Trace trace;
  trace.needs_caps = kFree | kRealloc;
  trace.slots = std::size_t{threads} * live;
  trace.threads.resize(threads);
  std::vector<Buffer> group;
  for (std::uint32_t t = 0; t < threads; ++t) {
    std::mt19937_64 rng = gen::thread_rng(req, t);
    std::bernoulli_distribution doubles(static_cast<double>(p.at("doubling")) / 100.0);
    trace.threads[t].reserve(p.at("buffers") * ops_per_buffer(p));
    ThreadTraceBuilder b(trace.threads[t]);
    const std::uint32_t base = t * live;
    for (std::uint64_t done = 0; done < p.at("buffers"); done += group.size()) {
      group.resize(static_cast<std::size_t>(std::min<std::uint64_t>(live, p.at("buffers") - done)));
      for (std::uint32_t i = 0; i < group.size(); ++i) {
        group[i].doubles = doubles(rng);
        group[i].size = group[i].doubles ? kFirstCapacity : step;
        b.alloc(base + i, group[i].size);
      }
      for (bool growing = true; growing;) {
        growing = false;
        for (std::uint32_t i = 0; i < group.size(); ++i) {
          if (group[i].size == final_size) continue;
          const std::uint32_t next = grown(group[i], step, final_size);
          b.realloc(base + i, group[i].size, next);
          group[i].size = next;
          growing = true;
        }
      }
      for (std::uint32_t i = 0; i < group.size(); ++i) b.free(base + i, group[i].size);
    }
    b.finish(trace);
  }
  return trace;
}

}  // namespace

ALLOCLAB_REGISTER_WORKLOAD((WorkloadInfo{
    "realloc", "buffers grown by doubling (vectors) and by small steps (string builders)",
    kParams, &validate, &generate}));

}  // namespace alloclab
