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
  return gen::check_ops(2 * p.at("threads") * p.at("rounds") * p.at("batch"),
                        "2 x threads x rounds x batch");
}

Trace generate(const GenerateRequest& req) {
  return generate_batches(req, req.params.at("rounds"),
                          static_cast<std::uint32_t>(req.params.at("batch")), BatchShape{});
}

}  // namespace

ALLOCLAB_REGISTER_WORKLOAD((WorkloadInfo{
    "lifo", "allocate a batch of random sizes, free it in reverse order, repeat (sh6bench)",
    kParams, &validate, &generate}));

}  // namespace alloclab
