// cache-scratch: passive false sharing. Thread 0 allocates one small object per thread, side
// by side, and hands one to each thread, which frees it and then allocates and writes its own
// objects. An allocator that gives the freed block (or its neighbours) back to the freeing
// thread leaves threads writing on one cache line although none asked to share.
#include "cache_sharing.hpp"
#include "generator.hpp"

namespace alloclab {
namespace {

std::string validate(const Params& p) {
  return gen::check_ops(3 * p.at("threads") * (p.at("iters") + 1), "3 x threads x (iters + 1)");
}

Trace generate(const GenerateRequest& req) {
  const auto threads = static_cast<std::uint32_t>(req.params.at("threads"));
  const auto size = static_cast<std::uint32_t>(req.params.at("size"));
  Trace trace;
  trace.needs_caps = threads > 1 ? kFree | kCrossThreadFree : kFree;
  trace.slots = std::size_t{2} * threads;  // hand-off mailboxes, then each thread's own slot
  trace.threads.resize(threads);
  ThreadTraceBuilder first(trace.threads[0]);
  for (std::uint32_t t = 0; t < threads; ++t) first.publish(t, size, 0);
  for (std::uint32_t t = 0; t < threads; ++t) {
    // Thread 0 goes on with its hand-offs already counted.
    ThreadTraceBuilder b = t == 0 ? first : ThreadTraceBuilder(trace.threads[t]);
    b.free_await(t);
    cache_sharing::write_loop(b, threads + t, req.params);
    b.finish(trace);
  }
  return trace;
}

}  // namespace

ALLOCLAB_REGISTER_WORKLOAD((WorkloadInfo{
    "cache-scratch", "passive false sharing: objects handed out by one thread, freed and reused",
    cache_sharing::kParams, &validate, &generate}));

}  // namespace alloclab
