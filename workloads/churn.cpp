#include "churn.hpp"

#include <fmt/format.h>

#include <random>

#include "generator.hpp"
#include "trace_builder.hpp"
#include "workload.hpp"

namespace alloclab {
namespace {

using gen::kMaxOps;

constexpr ParamSpec kParams[] = {
    {"threads", "threads", "worker threads, each with its own op stream", 1, 1, 256},
    {"iters", "iters", "iterations (allocations) per thread", 300000, 1, kMaxOps},
    gen::min_size_param(8),
    gen::max_size_param(256),
    {"keep", "keep", "percent of blocks kept alive rather than freed at once", 75, 0, 100},
    gen::kDistParam,
};

std::string check_trace_size(const Params& p) {
  if (p.at("threads") * p.at("iters") > kMaxOps)
    return fmt::format("threads x iters = {} exceeds the trace limit of {} allocations",
                       p.at("threads") * p.at("iters"), kMaxOps);
  return {};
}

std::string validate(const Params& p) {
  if (std::string why = gen::check_sizes(p); !why.empty()) return why;
  return check_trace_size(p);
}

}  // namespace

Trace generate_churn(const GenerateRequest& req, std::uint64_t min_size, std::uint64_t max_size) {
  const auto& p = req.params;
  const auto threads = static_cast<std::uint32_t>(p.at("threads"));
  const std::uint64_t iters = p.at("iters");
  const gen::SizeDist dist = gen::dist_of(p);
  constexpr std::uint32_t kSlotsPerThread = churn::kKeepLimit + 2;  // kept stack + scratch

  Trace trace;
  trace.needs_caps = kFree;
  trace.slots = std::size_t{threads} * kSlotsPerThread;
  trace.threads.resize(threads);
  for (std::uint32_t t = 0; t < threads; ++t) {
    std::mt19937_64 rng = gen::thread_rng(req, t);
    gen::SizeSampler size_of(dist, min_size, max_size, req.size_histogram);
    std::bernoulli_distribution keep(static_cast<double>(p.at("keep")) / 100.0);

    auto& ops = trace.threads[t];
    ops.reserve(2 * iters);
    ThreadTraceBuilder b(ops);
    const std::uint32_t base = t * kSlotsPerThread;
    const std::uint32_t scratch = base + kSlotsPerThread - 1;
    std::vector<std::uint32_t> kept;  // sizes; slot = base + index
    kept.reserve(churn::kKeepLimit + 1);

    for (std::uint64_t i = 0; i < iters; ++i) {
      const std::uint32_t size = size_of(rng);
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

namespace {

Trace generate(const GenerateRequest& req) {
  return generate_churn(req, req.params.at("min_size"), req.params.at("max_size"));
}

// fixed: churn with one block size, the home ground of single-size pools.
constexpr ParamSpec kFixedParams[] = {
    kParams[0], kParams[1],
    {"size", "size", "the one block size in bytes", 64, 0, 1u << 30},
    kParams[4],
};

Trace generate_fixed(const GenerateRequest& req) {
  return generate_churn(req, req.params.at("size"), req.params.at("size"));
}

}  // namespace

ALLOCLAB_REGISTER_WORKLOAD((WorkloadInfo{
    "churn", "the seed's tb: random sizes, keep a share alive, LIFO flushes, free the rest",
    kParams, &validate, &generate}));

ALLOCLAB_REGISTER_WORKLOAD((WorkloadInfo{
    "fixed", "churn with a single block size (--size): where object pools shine", kFixedParams,
    &check_trace_size, &generate_fixed}));

}  // namespace alloclab
