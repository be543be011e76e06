// large: big buffers, allocated, filled and freed over and over (image and network buffers,
// a compiler's arenas). Each thread keeps up to `live` buffers of min_size..max_size bytes;
// once that many are alive, every new one replaces a random one. Each new buffer is written
// as --touch says, then `fill` more passes write a byte to every cache line of it, as a
// program that zero-fills and then uses it: what matters is whether the allocator hands back
// pages still mapped or gives them to the OS and faults them in again.
#include "generator.hpp"
#include "trace_builder.hpp"
#include "workload.hpp"

namespace alloclab {
namespace {

constexpr std::uint64_t kMiB = std::uint64_t{1} << 20;

constexpr ParamSpec kParams[] = {
    {"threads", "threads", "worker threads, each with its own buffers", 1, 1, 256},
    {"buffers", "buffers", "buffers each thread allocates (and frees)", 400, 1, 1u << 24},
    {"live", "live", "buffers alive at once per thread; a new one replaces a random one", 20, 1,
     1u << 16},
    {"fill", "fill", "passes writing every cache line of a new buffer (0: only --touch)", 1, 0,
     1000},
    gen::min_size_param(5 * kMiB),
    gen::max_size_param(25 * kMiB),
};

std::string validate(const Params& p) {
  if (std::string why = gen::check_sizes(p); !why.empty()) return why;
  return gen::check_ops(p.at("threads") * p.at("buffers") * 3, "threads x buffers x 3");
}

Trace generate(const GenerateRequest& req) {
  const auto& p = req.params;
  const auto threads = static_cast<std::uint32_t>(p.at("threads"));
  const auto live = static_cast<std::uint32_t>(std::min(p.at("live"), p.at("buffers")));
  const auto fill = static_cast<std::uint32_t>(p.at("fill"));
  Trace trace;
  trace.needs_caps = kFree;
  trace.slots = std::size_t{threads} * live;
  trace.threads.resize(threads);
  std::vector<std::uint32_t> sizes(live);
  for (std::uint32_t t = 0; t < threads; ++t) {
    std::mt19937_64 rng = gen::thread_rng(req, t);
    gen::SizeSampler size_of(req);
    std::uniform_int_distribution<std::uint32_t> victim(0, live - 1);
    trace.threads[t].reserve(p.at("buffers") * 3);
    ThreadTraceBuilder b(trace.threads[t]);
    const std::uint32_t base = t * live;
    for (std::uint64_t i = 0; i < p.at("buffers"); ++i) {
      const auto k = i < live ? static_cast<std::uint32_t>(i) : victim(rng);
      if (i >= live) b.free(base + k, sizes[k]);
      sizes[k] = size_of(rng);
      b.alloc(base + k, sizes[k]);
      if (fill > 0) b.write(base + k, fill);
    }
    for (std::uint32_t k = 0; k < live; ++k) b.free(base + k, sizes[k]);
    b.finish(trace);
  }
  return trace;
}

}  // namespace

ALLOCLAB_REGISTER_WORKLOAD((WorkloadInfo{
    "large", "big buffers (5-25 MiB) allocated, filled and freed, a bounded number alive",
    kParams, &validate, &generate, /*load_file=*/nullptr, /*trace_depends_on_caps=*/false}));

}  // namespace alloclab
