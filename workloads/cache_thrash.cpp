// cache-thrash: active false sharing. Every thread allocates its own small objects and writes
// them: an allocator that serves threads from one shared pool puts their objects on the same
// cache lines; one with per-thread heaps keeps the lines apart.
#include "cache_sharing.hpp"
#include "generator.hpp"

namespace alloclab {
namespace {

std::string validate(const Params& p) {
  return gen::check_ops(3 * p.at("threads") * p.at("iters"), "3 x threads x iters");
}

Trace generate(const GenerateRequest& req) {
  const auto threads = static_cast<std::uint32_t>(req.params.at("threads"));
  Trace trace;
  trace.needs_caps = gen::free_cap_for(req.caps);  // each object is freed before the next
  trace.slots = threads;
  trace.threads.resize(threads);
  for (std::uint32_t t = 0; t < threads; ++t) {
    ThreadTraceBuilder b(trace.threads[t]);
    cache_sharing::write_loop(b, t, req.params);
    b.finish(trace);
  }
  return trace;
}

}  // namespace

ALLOCLAB_REGISTER_WORKLOAD((WorkloadInfo{
    "cache-thrash", "active false sharing: threads allocate small objects and write them",
    cache_sharing::kParams, &validate, &generate}));

}  // namespace alloclab
