// thread-churn: short-lived threads, as servers that spawn a thread per task. Each worker
// runs `spawns` threads one after another; each allocates `allocs` blocks, frees them
// (newest first) and exits. Thread start and exit are timed, and the allocator's per-thread
// caches are torn down each time: one that strands them grows by so much per thread (the
// row's rss_growth_per_thread).
#include "frame.hpp"
#include "generator.hpp"
#include "workload.hpp"

namespace alloclab {
namespace {

constexpr ParamSpec kParams[] = {
    {"threads", "threads", "workers running short-lived threads side by side", 2, 1, 256},
    {"spawns", "spawns", "short-lived threads each worker runs, one after another", 200, 1,
     1000000},
    {"allocs", "allocs", "blocks each short-lived thread allocates, then frees", 1000, 1,
     1u << 20},
    gen::min_size_param(8),
    gen::max_size_param(256),
    gen::kDistParam,
};

std::string validate(const Params& p) {
  if (std::string why = gen::check_sizes(p); !why.empty()) return why;
  // Streams: only one short-lived thread's ops per worker must fit in memory at once.
  return gen::check_ops(p.at("threads") * (2 * p.at("allocs") + 1), "threads x (2 x allocs + 1)");
}

StreamSetup open(const GenerateRequest& req) {
  return open_batches(req, count_or_unbounded(req, "spawns"),
                      static_cast<std::uint32_t>(req.params.at("allocs")),
                      BatchShape{.thread_per_batch = true});
}

}  // namespace

ALLOCLAB_REGISTER_WORKLOAD((WorkloadInfo{
    "thread-churn", "short-lived threads that allocate, free and exit; RSS growth per thread",
    kParams, &validate, &drain_stream<&open>, /*load_file=*/nullptr,
    /*trace_depends_on_caps=*/true, &open, "spawns"}));

}  // namespace alloclab
