// xmalloc: producers and consumers (after xmalloc-test). Threads come in pairs: the even
// thread allocates blocks and passes them through a bounded queue, a ring of `queue` mailbox
// slots, to the odd thread, which frees them. Every block is freed by another thread than
// allocated it, and the producer waits when the consumer falls `queue` blocks behind.
#include <fmt/format.h>

#include "generator.hpp"
#include "trace_builder.hpp"
#include "workload.hpp"

namespace alloclab {
namespace {

constexpr ParamSpec kParams[] = {
    {"threads", "threads", "worker threads, an even number: producer/consumer pairs", 2, 2, 256},
    {"items", "items", "blocks each producer hands to its consumer", 200000, 1, 1u << 26},
    {"queue", "queue", "bound of each pair's queue (ring of mailbox slots)", 64, 1, 1u << 16},
    gen::min_size_param(8),
    gen::max_size_param(512),
    gen::kDistParam,
};

std::string validate(const Params& p) {
  if (p.at("threads") % 2 != 0)
    return fmt::format("threads = {} must be even: producer/consumer pairs", p.at("threads"));
  if (std::string why = gen::check_sizes(p); !why.empty()) return why;
  return gen::check_ops(p.at("threads") * p.at("items"), "threads x items");
}

Trace generate(const GenerateRequest& req) {
  const auto& p = req.params;
  const auto threads = static_cast<std::uint32_t>(p.at("threads"));
  const auto queue = static_cast<std::uint32_t>(p.at("queue"));
  const std::uint64_t items = p.at("items");

  Trace trace;
  trace.needs_caps = kFree | kCrossThreadFree;
  trace.slots = std::size_t{threads / 2} * queue;
  trace.threads.resize(threads);
  std::vector<std::uint32_t> in_ring(queue);  // size last published in each ring slot
  for (std::uint32_t pair = 0; pair < threads / 2; ++pair) {
    const std::uint32_t producer = 2 * pair, base = pair * queue;
    std::mt19937_64 rng = gen::thread_rng(req, producer);
    gen::SizeSampler size_of(req);
    trace.threads[producer].reserve(items);
    trace.threads[producer + 1].reserve(items);
    ThreadTraceBuilder prod(trace.threads[producer]), cons(trace.threads[producer + 1]);
    std::fill(in_ring.begin(), in_ring.end(), 0u);
    for (std::uint64_t i = 0; i < items; ++i) {
      const auto k = static_cast<std::uint32_t>(i % queue);
      const std::uint32_t size = size_of(rng);
      prod.publish(base + k, size, in_ring[k]);
      in_ring[k] = size;
      cons.free_await(base + k);
    }
    prod.finish(trace);
    cons.finish(trace);
  }
  return trace;
}

}  // namespace

ALLOCLAB_REGISTER_WORKLOAD((WorkloadInfo{
    "xmalloc", "producer/consumer pairs: one thread allocates, the other frees, bounded queue",
    kParams, &validate, &generate}));

}  // namespace alloclab
