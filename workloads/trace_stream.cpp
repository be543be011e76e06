#include "trace_stream.hpp"

#include <algorithm>
#include <stdexcept>

#include "workload.hpp"

namespace alloclab {

namespace {

// Adds one thread's share of a mark to the whole process's.
void add_share(TraceMark& total, const TraceMark& share) {
  total.allocations += share.allocations;
  total.live_bytes += share.live_bytes;
  total.after_shrink = share.after_shrink;
}

}  // namespace

bool ThreadGenerator::next(std::size_t capacity) {
  ops_.clear();
  marks_.clear();
  if (ended_) return false;
  if (ops_.capacity() == 0) {
    const std::uint64_t hint = ops_hint();
    ops_.reserve(hint != 0 ? static_cast<std::size_t>(std::min<std::uint64_t>(hint, capacity)) : capacity);
  }
  // Room is kept for the closing ops, so a chunk never outgrows `capacity` (nor reallocates).
  if (lockstep()) {
    const std::size_t quota = std::max<std::size_t>((capacity - max_closing()) / max_step(), 1);
    for (std::size_t n = 0; n < quota && !stopping_ && more(); ++n) step();
  } else {
    while (!stopping_ && more() && ops_.size() + min_capacity() <= capacity) step();
  }
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

Trace drain(StreamSetup setup, std::size_t capacity) {
  Trace trace = std::move(setup.shape);
  trace.threads.resize(setup.threads.size());
  for (std::size_t t = 0; t < setup.threads.size(); ++t) {
    ThreadGenerator& g = *setup.threads[t];
    const std::size_t cap = capacity == 0 ? chunk_capacity(setup.threads.size(), g.min_capacity())
                                          : std::max(capacity, g.min_capacity());
    std::vector<Op>& all = trace.threads[t];
    std::uint32_t first_mark = 0;  // the whole trace's index of the chunk's first mark
    while (g.next(cap)) {
      const std::size_t from = all.size();
      all.insert(all.end(), g.chunk().begin(), g.chunk().end());
      if (g.chunk_marks().empty()) continue;
      for (std::size_t i = from; i < all.size(); ++i)
        if (all[i].kind() == OpKind::kMark) all[i].arg += first_mark;
      for (std::size_t i = 0; i < g.chunk_marks().size(); ++i) {
        if (t == 0) trace.marks.emplace_back();
        add_share(trace.marks.at(first_mark + i), g.chunk_marks()[i]);
      }
      first_mark += static_cast<std::uint32_t>(g.chunk_marks().size());
    }
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
  if (setup.rounds != nullptr) {
    rounds_ = std::move(setup.rounds);  // shape.threads holds its first round
    count_made();
    return;
  }
  gens_ = std::move(setup.threads);
  trace_.threads.resize(gens_.size());
  std::size_t least = 0;
  for (const auto& g : gens_) least = std::max(least, g->min_capacity());
  capacity_ = chunk_capacity(gens_.size(), least);
  for (std::size_t t = 0; t < gens_.size(); ++t) next(t, false);
  count_made();
  gather_marks();
}

void TraceSource::gather_marks() {
  if (gens_.empty()) return;
  trace_.marks.assign(gens_.front()->chunk_marks().size(), TraceMark{});
  for (const auto& g : gens_) {
    if (g->chunk_marks().size() != trace_.marks.size())
      throw std::logic_error("a round's chunks hold different numbers of marks (the generator is not lockstep)");
    for (std::size_t i = 0; i < trace_.marks.size(); ++i) add_share(trace_.marks[i], g->chunk_marks()[i]);
  }
}

bool TraceSource::next(std::size_t t, bool stop) {
  if (rounds_ != nullptr) {
    if (t != 0 || !error_.empty()) return false;
    try {
      const bool any = rounds_->next(trace_.threads);
      rounds_->count(trace_);  // slots may have grown
      return any;
    } catch (const std::exception& e) {  // the file, read as it replays (cut since it was opened)
      error_ = e.what();
      for (auto& ops : trace_.threads) ops.clear();
      return false;
    }
  }
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
  if (rounds_ != nullptr) return rounds_->count(trace_);
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
