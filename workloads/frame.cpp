// frame: per-frame scratch memory, as the arena articles describe for games and servers.
// Each frame allocates --allocs blocks of mixed sizes, uses them (the replay's touch), then
// releases them all: with one reset() where the allocator has it, else block by block,
// newest first (which also lets a free-last arena reclaim everything).
#include "frame.hpp"

#include <fmt/format.h>

#include <memory>

#include "generator.hpp"
#include "trace_builder.hpp"
#include "workload.hpp"

namespace alloclab {
namespace {

// One thread's batches, resumable at any batch.
class BatchThread final : public ThreadGenerator {
 public:
  BatchThread(const GenerateRequest& req, std::uint32_t t, std::uint64_t rounds,
              std::uint32_t batch, BatchShape shape, bool reset)
      : rng_(gen::thread_rng(req, t)), size_of_(req), rounds_(rounds), batch_(batch),
        base_(t * batch), shape_(shape), reset_(reset), sizes_(batch) {}

 private:
  bool more() const override { return rounds_ == 0 || done_ < rounds_; }
  std::size_t max_step() const override { return 1 + 2 * std::size_t{batch_}; }
  std::uint64_t ops_hint() const override { return rounds_ * (batch_ + (reset_ ? 1 : batch_) + 1); }

  void step() override {
    ++done_;
    if (shape_.thread_per_batch) b_.thread_exit();  // so the worker itself only starts threads
    for (std::uint32_t i = 0; i < batch_; ++i) {
      sizes_[i] = size_of_(rng_);
      b_.alloc(base_ + i, sizes_[i]);
    }
    if (reset_) {
      b_.reset();
      return;
    }
    for (std::uint32_t i = batch_; i-- > 0;) b_.free(base_ + i, sizes_[i]);
  }

  std::mt19937_64 rng_;
  gen::SizeSampler size_of_;
  std::uint64_t rounds_;  // 0: unbounded
  std::uint64_t done_ = 0;
  std::uint32_t batch_, base_;
  BatchShape shape_;
  bool reset_;
  std::vector<std::uint32_t> sizes_;
};

}  // namespace

StreamSetup open_batches(const GenerateRequest& req, std::uint64_t rounds, std::uint32_t batch,
                         BatchShape shape) {
  const auto threads = static_cast<std::uint32_t>(req.params.at("threads"));
  const bool reset = shape.may_reset && has_cap(req.caps, kReset);
  StreamSetup s;
  s.shape.needs_caps = reset ? kReset : gen::free_cap_for(req.caps);
  s.shape.slots = std::size_t{threads} * batch;
  for (std::uint32_t t = 0; t < threads; ++t)
    s.threads.push_back(std::make_unique<BatchThread>(req, t, rounds, batch, shape, reset));
  return s;
}

std::uint64_t count_or_unbounded(const GenerateRequest& req, const char* name) {
  const auto it = req.params.find(name);
  return it != req.params.end() ? it->second : 0;
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
  // Streams: only one frame per thread must fit in memory at once.
  return gen::check_ops(p.at("threads") * (2 * p.at("allocs") + 1), "threads x (2 x allocs + 1)");
}

StreamSetup open(const GenerateRequest& req) {
  return open_batches(req, count_or_unbounded(req, "frames"),
                      static_cast<std::uint32_t>(req.params.at("allocs")),
                      BatchShape{.may_reset = true});
}

}  // namespace

ALLOCLAB_REGISTER_WORKLOAD((WorkloadInfo{
    "frame", "per-frame scratch: allocate a frame's blocks, use them, release all (reset)",
    kParams, &validate, &drain_stream<&open>, /*load_file=*/nullptr,
    /*trace_depends_on_caps=*/true, &open, "frames"}));

}  // namespace alloclab
