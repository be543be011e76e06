#include "churn.hpp"

#include <fmt/format.h>

#include <memory>
#include <random>

#include "generator.hpp"
#include "trace_builder.hpp"
#include "workload.hpp"

namespace alloclab {
namespace {

// No trace limit: churn streams (trace_stream.hpp), so iters costs time, not memory.
constexpr std::uint64_t kMaxIters = std::uint64_t{1} << 40;

constexpr ParamSpec kParams[] = {
    {"threads", "threads", "worker threads, each with its own op stream", 1, 1, 256},
    {"iters", "iters", "iterations (allocations) per thread", 300000, 1, kMaxIters},
    gen::min_size_param(8),
    gen::max_size_param(256),
    {"keep", "keep", "percent of blocks kept alive rather than freed at once", 75, 0, 100},
    gen::kDistParam,
};

std::string validate(const Params& p) { return gen::check_sizes(p); }

constexpr std::uint32_t kSlotsPerThread = churn::kKeepLimit + 2;  // kept stack + scratch

// One thread of the seed's tb loop, resumable at any iteration.
class ChurnThread final : public ThreadGenerator {
 public:
  ChurnThread(const GenerateRequest& req, std::uint32_t t, std::uint64_t min_size,
              std::uint64_t max_size, std::uint64_t iters)
      : rng_(gen::thread_rng(req, t)),
        size_of_(gen::dist_of(req.params), min_size, max_size, req.size_histogram),
        keep_(static_cast<double>(req.params.at("keep")) / 100.0),
        iters_(iters),
        base_(t * kSlotsPerThread) {
    kept_.reserve(churn::kKeepLimit + 1);
  }

 private:
  bool more() const override { return iters_ == 0 || done_ < iters_; }
  std::size_t max_step() const override { return 1 + churn::kFlush; }
  std::size_t max_closing() const override { return churn::kKeepLimit; }
  std::uint64_t ops_hint() const override { return 2 * iters_; }

  void step() override {
    ++done_;
    const std::uint32_t size = size_of_(rng_);
    if (!keep_(rng_)) {
      b_.alloc(scratch(), size);
      b_.free(scratch(), size);
      return;
    }
    b_.alloc(base_ + static_cast<std::uint32_t>(kept_.size()), size);
    kept_.push_back(size);
    if (kept_.size() <= churn::kKeepLimit) return;
    for (std::uint32_t k = 0; k < churn::kFlush; ++k) {
      b_.free(base_ + static_cast<std::uint32_t>(kept_.size() - 1), kept_.back());
      kept_.pop_back();
    }
  }
  void close() override {
    for (std::uint32_t k = 0; k < kept_.size(); ++k) b_.free(base_ + k, kept_[k]);
    kept_.clear();
  }
  std::uint32_t scratch() const { return base_ + kSlotsPerThread - 1; }

  std::mt19937_64 rng_;
  gen::SizeSampler size_of_;
  std::bernoulli_distribution keep_;
  std::uint64_t iters_;  // 0: unbounded (--duration)
  std::uint64_t done_ = 0;
  std::uint32_t base_;
  std::vector<std::uint32_t> kept_;  // sizes; slot = base_ + index
};

}  // namespace

StreamSetup open_churn(const GenerateRequest& req, std::uint64_t min_size, std::uint64_t max_size) {
  const auto& p = req.params;
  const auto threads = static_cast<std::uint32_t>(p.at("threads"));
  const auto iters = p.find("iters");
  StreamSetup s;
  s.shape.needs_caps = kFree;
  s.shape.slots = std::size_t{threads} * kSlotsPerThread;
  for (std::uint32_t t = 0; t < threads; ++t)
    s.threads.push_back(std::make_unique<ChurnThread>(req, t, min_size, max_size,
                                                      iters != p.end() ? iters->second : 0));
  return s;
}

namespace {

StreamSetup open(const GenerateRequest& req) {
  return open_churn(req, req.params.at("min_size"), req.params.at("max_size"));
}

// fixed: churn with one block size, the home ground of single-size pools.
constexpr ParamSpec kFixedParams[] = {
    kParams[0], kParams[1],
    {"size", "size", "the one block size in bytes", 64, 0, 1u << 30},
    kParams[4],
};

StreamSetup open_fixed(const GenerateRequest& req) {
  return open_churn(req, req.params.at("size"), req.params.at("size"));
}

}  // namespace

ALLOCLAB_REGISTER_WORKLOAD((WorkloadInfo{
    "churn", "the seed's tb: random sizes, keep a share alive, LIFO flushes, free the rest",
    kParams, &validate, &drain_stream<&open>, /*load_file=*/nullptr,
    /*trace_depends_on_caps=*/false, &open, "iters"}));

ALLOCLAB_REGISTER_WORKLOAD((WorkloadInfo{
    "fixed", "churn with a single block size (--size): where object pools shine", kFixedParams,
    /*validate=*/nullptr, &drain_stream<&open_fixed>, /*load_file=*/nullptr,
    /*trace_depends_on_caps=*/false, &open_fixed, "iters"}));

}  // namespace alloclab
