#include "churn.hpp"

#include <fmt/format.h>

#include <random>

#include "trace_builder.hpp"
#include "workload.hpp"

namespace alloclab {
namespace {

constexpr std::uint64_t kMaxOps = std::uint64_t{1} << 28;  // 2 GiB of trace at most

constexpr ParamSpec kParams[] = {
    {"threads", "threads", "worker threads, each with its own op stream", 1, 1, 256},
    {"iters", "iters", "iterations (allocations) per thread", 300000, 1, kMaxOps},
    {"min_size", "min", "smallest block size in bytes (inclusive)", 8, 0, 1u << 30},
    {"max_size", "max", "largest block size in bytes (inclusive)", 256, 1, 1u << 30},
    {"keep", "keep", "percent of blocks kept alive rather than freed at once", 75, 0, 100},
};

std::string validate(const Params& p) {
  if (p.at("min_size") > p.at("max_size"))
    return fmt::format("min_size {} is larger than max_size {}", p.at("min_size"),
                       p.at("max_size"));
  if (p.at("threads") * p.at("iters") > kMaxOps)
    return fmt::format("threads x iters = {} exceeds the trace limit of {} allocations",
                       p.at("threads") * p.at("iters"), kMaxOps);
  return {};
}

Trace generate(const GenerateRequest& req) {
  const auto& p = req.params;
  const auto threads = static_cast<std::uint32_t>(p.at("threads"));
  const std::uint64_t iters = p.at("iters");
  const std::uint64_t base_seed = req.seed != 0 ? req.seed : churn::kDefaultSeed;
  constexpr std::uint32_t kSlotsPerThread = churn::kKeepLimit + 2;  // kept stack + scratch

  Trace trace;
  trace.needs_caps = kFree;
  trace.slots = std::size_t{threads} * kSlotsPerThread;
  trace.threads.resize(threads);
  for (std::uint32_t t = 0; t < threads; ++t) {
    std::mt19937_64 rng(base_seed ^ (churn::kThreadMix * t));
    std::uniform_int_distribution<std::uint64_t> size_of(p.at("min_size"), p.at("max_size"));
    std::bernoulli_distribution keep(static_cast<double>(p.at("keep")) / 100.0);

    auto& ops = trace.threads[t];
    ops.reserve(2 * iters);
    ThreadTraceBuilder b(ops);
    const std::uint32_t base = t * kSlotsPerThread;
    const std::uint32_t scratch = base + kSlotsPerThread - 1;
    std::vector<std::uint32_t> kept;  // sizes; slot = base + index
    kept.reserve(churn::kKeepLimit + 1);

    for (std::uint64_t i = 0; i < iters; ++i) {
      const auto size = static_cast<std::uint32_t>(size_of(rng));
      if (!keep(rng)) {
        b.alloc(scratch, size);
        b.free(scratch, size);
        continue;
      }
      b.alloc(base + static_cast<std::uint32_t>(kept.size()), size);
      kept.push_back(size);
      if (kept.size() <= churn::kKeepLimit) continue;
      for (std::uint32_t k = 0; k < churn::kFlush; ++k) {
        b.free(base + static_cast<std::uint32_t>(kept.size() - 1), kept.back());
        kept.pop_back();
      }
    }
    for (std::uint32_t k = 0; k < kept.size(); ++k) b.free(base + k, kept[k]);
    b.finish(trace);
  }
  return trace;
}

}  // namespace

ALLOCLAB_REGISTER_WORKLOAD((WorkloadInfo{
    "churn", "the seed's tb: random sizes, keep a share alive, LIFO flushes, free the rest",
    kParams, &validate, &generate}));

}  // namespace alloclab
