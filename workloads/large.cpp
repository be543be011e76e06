// large: big buffers, allocated, filled and freed over and over (image and network buffers,
// a compiler's arenas). Each thread keeps up to `live` buffers of min_size..max_size bytes;
// once that many are alive, every new one replaces a random one. Each new buffer is written
// as --touch says, then `fill` more passes write a byte to every cache line of it, as a
// program that zero-fills and then uses it: what matters is whether the allocator hands back
// pages still mapped or gives them to the OS and faults them in again.
#include <memory>

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

std::string validate(const Params& p) { return gen::check_sizes(p); }

// One thread's buffers, resumable at any buffer.
class LargeThread final : public ThreadGenerator {
 public:
  LargeThread(const GenerateRequest& req, std::uint32_t t, std::uint64_t buffers, std::uint32_t live)
      : rng_(gen::thread_rng(req, t)), size_of_(req), victim_(0, live - 1), buffers_(buffers),
        live_(live), fill_(static_cast<std::uint32_t>(req.params.at("fill"))), base_(t * live),
        sizes_(live) {}

 private:
  bool more() const override { return buffers_ == 0 || done_ < buffers_; }
  std::size_t max_step() const override { return 3; }
  std::size_t max_closing() const override { return live_; }
  std::uint64_t ops_hint() const override { return buffers_ * 3; }

  void step() override {
    const auto k = done_ < live_ ? static_cast<std::uint32_t>(done_) : victim_(rng_);
    if (done_ >= live_) b_.free(base_ + k, sizes_[k]);
    sizes_[k] = size_of_(rng_);
    b_.alloc(base_ + k, sizes_[k]);
    if (fill_ > 0) b_.write(base_ + k, fill_);
    ++done_;
  }
  void close() override {
    const auto n = static_cast<std::uint32_t>(std::min<std::uint64_t>(live_, done_));
    for (std::uint32_t k = 0; k < n; ++k) b_.free(base_ + k, sizes_[k]);
  }

  std::mt19937_64 rng_;
  gen::SizeSampler size_of_;
  std::uniform_int_distribution<std::uint32_t> victim_;
  std::uint64_t buffers_;  // 0: unbounded (--duration)
  std::uint64_t done_ = 0;
  std::uint32_t live_, fill_, base_;
  std::vector<std::uint32_t> sizes_;
};

StreamSetup open(const GenerateRequest& req) {
  const auto& p = req.params;
  const auto threads = static_cast<std::uint32_t>(p.at("threads"));
  const auto b = p.find("buffers");
  const std::uint64_t buffers = b != p.end() ? b->second : 0;
  const auto live = static_cast<std::uint32_t>(buffers != 0 ? std::min(p.at("live"), buffers) : p.at("live"));
  StreamSetup s;
  s.shape.needs_caps = kFree;
  s.shape.slots = std::size_t{threads} * live;
  for (std::uint32_t t = 0; t < threads; ++t)
    s.threads.push_back(std::make_unique<LargeThread>(req, t, buffers, live));
  return s;
}

}  // namespace

ALLOCLAB_REGISTER_WORKLOAD((WorkloadInfo{
    "large", "big buffers (5-25 MiB) allocated, filled and freed, a bounded number alive",
    kParams, &validate, &drain_stream<&open>, /*load_file=*/nullptr,
    /*trace_depends_on_caps=*/false, &open, "buffers"}));

}  // namespace alloclab
