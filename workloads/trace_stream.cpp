#include "trace_stream.hpp"

#include <algorithm>

#include "workload.hpp"

namespace alloclab {

bool ThreadGenerator::next(std::size_t capacity) {
  ops_.clear();
  if (ended_) return false;
  if (ops_.capacity() == 0) {
    const std::uint64_t hint = ops_hint();
    ops_.reserve(hint != 0 ? static_cast<std::size_t>(std::min<std::uint64_t>(hint, capacity)) : capacity);
  }
  // Room is kept for the closing ops, so a chunk never outgrows `capacity` (nor reallocates).
  while (!stopping_ && more() && ops_.size() + min_capacity() <= capacity) step();
  if (stopping_ || !more()) {
    close();
    ended_ = true;
  }
  return true;
}

std::size_t chunk_capacity(std::size_t threads, std::size_t min_capacity) {
  const std::size_t share = kChunkOpsTotal / std::max<std::size_t>(threads, 1);
  return std::max(std::min(kChunkOps, share), min_capacity);
}

Trace drain(StreamSetup setup) {
  Trace trace = std::move(setup.shape);
  trace.threads.resize(setup.threads.size());
  for (std::size_t t = 0; t < setup.threads.size(); ++t) {
    ThreadGenerator& g = *setup.threads[t];
    const std::size_t cap = chunk_capacity(setup.threads.size(), g.min_capacity());
    while (g.next(cap)) trace.threads[t].insert(trace.threads[t].end(), g.chunk().begin(), g.chunk().end());
    g.made().finish(trace);
  }
  return trace;
}

TraceSource::TraceSource(const WorkloadInfo& w, const GenerateRequest& req) {
  if (w.open_stream == nullptr) {
    trace_ = w.generate(req);
    return;
  }
  StreamSetup setup = w.open_stream(req);
  trace_ = std::move(setup.shape);
  gens_ = std::move(setup.threads);
  trace_.threads.resize(gens_.size());
  std::size_t least = 0;
  for (const auto& g : gens_) least = std::max(least, g->min_capacity());
  capacity_ = chunk_capacity(gens_.size(), least);
  for (std::size_t t = 0; t < gens_.size(); ++t) next(t, false);
  count_made();
}

bool TraceSource::next(std::size_t t, bool stop) {
  if (gens_.empty()) {  // a whole trace: one chunk, already given
    trace_.threads[t].clear();
    return false;
  }
  ThreadGenerator& g = *gens_[t];
  if (stop) g.stop();
  g.swap_chunk(trace_.threads[t]);  // the generator's buffer back, refilled in place
  const bool any = g.next(capacity_);
  g.swap_chunk(trace_.threads[t]);
  return any && !trace_.threads[t].empty();
}

void TraceSource::count_made() {
  if (gens_.empty()) return;
  trace_.allocations = 0;
  trace_.peak_live_bytes = 0;
  for (const auto& g : gens_) g->made().finish(trace_);
}

std::size_t TraceSource::largest_request_made() const {
  std::size_t most = trace_.max_request;
  for (const auto& g : gens_) most = std::max(most, g->made().max_request());
  return most;
}

}  // namespace alloclab
