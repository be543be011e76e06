// larson: a server simulation (Larson & Krishnan). Each thread owns an array of slots filled
// with blocks of random sizes; in each round it replaces random slots with new blocks, then
// passes its array on: after round r, thread t works on array (t + r) % threads (a barrier
// separates rounds). Most blocks are therefore freed by another thread than allocated them.
// At the end each thread frees the array it holds last.
#include <fmt/format.h>

#include "generator.hpp"
#include "trace_builder.hpp"
#include "workload.hpp"

namespace alloclab {
namespace {

constexpr ParamSpec kParams[] = {
    {"threads", "threads", "worker threads; each owns one slot array", 2, 1, 256},
    {"slots", "slots", "blocks in each thread's slot array", 1000, 1, 1u << 20},
    {"rounds", "rounds", "rounds; the arrays move to the next thread after each", 100, 1, 1000000},
    {"replace", "replace", "slots replaced (free + allocate) per thread and round", 1000, 1,
     1u << 24},
    gen::min_size_param(8),
    gen::max_size_param(1000),
    gen::kDistParam,
};

std::string validate(const Params& p) {
  if (std::string why = gen::check_sizes(p); !why.empty()) return why;
  if (p.at("threads") * p.at("slots") >= Op::kMaxSlots)
    return fmt::format("threads x slots = {} exceeds {} slots", p.at("threads") * p.at("slots"),
                       Op::kMaxSlots);
  return gen::check_ops(p.at("threads") * p.at("rounds") * p.at("replace") * 2,
                        "2 x threads x rounds x replace");
}

Trace generate(const GenerateRequest& req) {
  const auto& p = req.params;
  const auto threads = static_cast<std::uint32_t>(p.at("threads"));
  const auto per = static_cast<std::uint32_t>(p.at("slots"));
  const std::uint64_t rounds = p.at("rounds"), replace = p.at("replace");

  Trace trace;
  trace.needs_caps = threads > 1 ? kFree | kCrossThreadFree : kFree;
  trace.slots = std::size_t{threads} * per;
  trace.threads.resize(threads);
  std::vector<std::uint32_t> sizes(trace.slots);  // every slot's current size
  std::vector<std::mt19937_64> rngs;
  std::vector<ThreadTraceBuilder> builders;
  std::vector<gen::SizeSampler> size_of(threads, gen::SizeSampler(req));
  for (std::uint32_t t = 0; t < threads; ++t) {
    rngs.push_back(gen::thread_rng(req, t));
    trace.threads[t].reserve(per * 2 + rounds * (2 * replace + 1));
    builders.emplace_back(trace.threads[t]);
  }
  auto array_of = [&](std::uint32_t t, std::uint64_t r) {
    return static_cast<std::uint32_t>((t + r) % threads) * per;
  };

  for (std::uint32_t t = 0; t < threads; ++t) {  // each thread fills its own array
    for (std::uint32_t i = 0; i < per; ++i) {
      sizes[t * per + i] = size_of[t](rngs[t]);
      builders[t].alloc(t * per + i, sizes[t * per + i]);
    }
    builders[t].barrier();
  }
  // Arrays are disjoint within a round, so generating thread by thread is the replay's order.
  for (std::uint64_t r = 0; r < rounds; ++r) {
    for (std::uint32_t t = 0; t < threads; ++t) {
      std::uniform_int_distribution<std::uint32_t> pick(0, per - 1);
      for (std::uint64_t k = 0; k < replace; ++k) {
        const std::uint32_t slot = array_of(t, r) + pick(rngs[t]);
        builders[t].free(slot, sizes[slot]);
        sizes[slot] = size_of[t](rngs[t]);
        builders[t].alloc(slot, sizes[slot]);
      }
      builders[t].barrier();
    }
  }
  for (std::uint32_t t = 0; t < threads; ++t) {
    const std::uint32_t base = array_of(t, rounds);
    for (std::uint32_t i = 0; i < per; ++i) builders[t].free(base + i, sizes[base + i]);
    builders[t].finish(trace);
  }
  return trace;
}

}  // namespace

ALLOCLAB_REGISTER_WORKLOAD((WorkloadInfo{
    "larson", "server simulation: threads replace random blocks in slot arrays passed round",
    kParams, &validate, &generate}));

}  // namespace alloclab
