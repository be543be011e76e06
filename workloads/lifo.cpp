// lifo: allocate a batch, free it newest first, repeat (after sh6bench): the stack-like
// pattern of recursive code and nested scopes, which a free list serves at its best.
#include "frame.hpp"
#include "generator.hpp"
#include "workload.hpp"

namespace alloclab {
namespace {

constexpr ParamSpec kParams[] = {
    {"threads", "threads", "worker threads, each with its own batches", 1, 1, 256},
    {"batch", "batch", "blocks allocated before they are freed newest first", 1000, 1, 1000000},
    {"rounds", "rounds", "batches per thread", 1000, 1, 10000000},
    gen::min_size_param(8),
    gen::max_size_param(1000),
    gen::kDistParam,
};

std::string validate(const Params& p) {
  if (std::string why = gen::check_sizes(p); !why.empty()) return why;
  // Streams: only one batch per thread must fit in memory at once.
  return gen::check_ops(p.at("threads") * (2 * p.at("batch") + 1), "threads x (2 x batch + 1)");
}

StreamSetup open(const GenerateRequest& req) {
  return open_batches(req, count_or_unbounded(req, "rounds"),
                      static_cast<std::uint32_t>(req.params.at("batch")), BatchShape{});
}

}  // namespace

ALLOCLAB_REGISTER_WORKLOAD((WorkloadInfo{
    "lifo", "allocate a batch of random sizes, free it in reverse order, repeat (sh6bench)",
    kParams, &validate, &drain_stream<&open>, /*load_file=*/nullptr,
    /*trace_depends_on_caps=*/true, &open, "rounds"}));

}  // namespace alloclab
