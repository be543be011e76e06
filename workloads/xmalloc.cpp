// xmalloc: producers and consumers (after xmalloc-test). Threads come in pairs: the even
// thread allocates blocks and hands them, `batch` at a time, through a bounded queue (a ring
// of `in_flight` mailboxes) to the odd thread, which frees them. Every block is freed by
// another thread than allocated it, and the producer waits when the consumer falls
// `in_flight` hand-offs behind.
//
// A hand-off of one block is one mailbox op each side (publish / free_await). A batch of
// n >= 2 blocks uses two mailbox slots of its ring entry, first (A) and last (B), with plain
// allocations and frees in between:
//   producer: publish A (waits until the consumer emptied A: the whole previous batch of this
//             entry is freed), alloc the middle, publish B (release: the middle is visible);
//   consumer: free_await B, free the middle, free_await A (empties A last).
// So the hand-off costs two synchronised ops per batch, not per block, and what is left to
// measure is allocation on one thread and free on another (the remote-free path).
#include <fmt/format.h>

#include "generator.hpp"
#include "trace_builder.hpp"
#include "workload.hpp"

namespace alloclab {
namespace {

constexpr ParamSpec kParams[] = {
    {"threads", "threads", "worker threads, an even number: producer/consumer pairs", 2, 2, 256},
    {"items", "items", "blocks each producer hands to its consumer", 200000, 1, 1u << 26},
    // Labelled "queue" as before batches existed, so rows at --batch 1 keep their names.
    {"in_flight", "queue", "hand-offs queued per pair (ring of mailboxes), each of `batch` blocks",
     64, 1, 1u << 16},
    {"batch", "batch", "blocks per hand-off: the producer allocates them all, then hands them over",
     1, 1, 1u << 16, true},
    gen::min_size_param(8),
    gen::max_size_param(512),
    gen::kDistParam,
};

std::string validate(const Params& p) {
  if (p.at("threads") % 2 != 0)
    return fmt::format("threads = {} must be even: producer/consumer pairs", p.at("threads"));
  if (std::string why = gen::check_sizes(p); !why.empty()) return why;
  const std::uint64_t slots = p.at("threads") / 2 * p.at("in_flight") * p.at("batch");
  if (slots >= Op::kMaxSlots)
    return fmt::format("threads / 2 x in_flight x batch = {} exceeds {} slots", slots,
                       Op::kMaxSlots);
  return gen::check_ops(p.at("threads") * p.at("items"), "threads x items");
}

Trace generate(const GenerateRequest& req) {
  const auto& p = req.params;
  const auto threads = static_cast<std::uint32_t>(p.at("threads"));
  const auto in_flight = static_cast<std::uint32_t>(p.at("in_flight"));
  const auto batch = static_cast<std::uint32_t>(p.at("batch"));
  const std::uint64_t items = p.at("items");
  const std::uint32_t per_pair = in_flight * batch;

  Trace trace;
  trace.needs_caps = kFree | kCrossThreadFree;
  trace.slots = std::size_t{threads / 2} * per_pair;
  trace.threads.resize(threads);
  std::vector<std::uint32_t> sizes(per_pair);   // each slot's current block size
  std::vector<std::uint32_t> in_ring(in_flight);  // bytes of the batch last sent per entry
  for (std::uint32_t pair = 0; pair < threads / 2; ++pair) {
    const std::uint32_t producer = 2 * pair, base = pair * per_pair;
    std::mt19937_64 rng = gen::thread_rng(req, producer);
    gen::SizeSampler size_of(req);
    trace.threads[producer].reserve(items);
    trace.threads[producer + 1].reserve(items);
    ThreadTraceBuilder prod(trace.threads[producer]), cons(trace.threads[producer + 1]);
    std::fill(in_ring.begin(), in_ring.end(), 0u);
    std::uint64_t b = 0;
    for (std::uint64_t done = 0; done < items; done += batch, ++b) {
      const auto k = static_cast<std::uint32_t>(b % in_flight);
      const auto n = static_cast<std::uint32_t>(std::min<std::uint64_t>(batch, items - done));
      const std::uint32_t first = k * batch, last = first + batch - 1;  // A and B
      std::uint32_t bytes = 0;
      for (std::uint32_t i = 0; i < n; ++i) bytes += sizes[first + i] = size_of(rng);
      // The previous batch of entry k is freed once A is empty: its bytes are reclaimed there.
      prod.publish(base + first, sizes[first], in_ring[k]);
      in_ring[k] = bytes;
      if (n == 1) {
        cons.free_await(base + first);
        continue;
      }
      for (std::uint32_t i = 1; i + 1 < n; ++i) prod.alloc(base + first + i, sizes[first + i]);
      sizes[last] = sizes[first + n - 1];
      prod.publish(base + last, sizes[last], 0);
      cons.free_await(base + last);
      // Live bytes are the producer's to count (it reclaims the batch at its next publish of A).
      for (std::uint32_t i = 1; i + 1 < n; ++i) cons.free(base + first + i, 0);
      cons.free_await(base + first);
    }
    prod.finish(trace);
    cons.finish(trace);
  }
  return trace;
}

}  // namespace

ALLOCLAB_REGISTER_WORKLOAD((WorkloadInfo{
    "xmalloc",
    "producer/consumer pairs: one thread allocates batches, the other frees them, bounded queue",
    kParams, &validate, &generate}));

}  // namespace alloclab
