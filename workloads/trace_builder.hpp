// Builds one thread's op stream and keeps the trace's bookkeeping (allocation count, live and
// peak bytes, largest request) in one place, so generators only say what happens.
//
// Live bytes are counted per thread by who allocates and frees: a block freed by another
// thread (larson) lowers that thread's count, so a count can go below zero and the summed
// per-thread peaks bound the true peak from above. A hand-off (publish/free_await) is counted
// by the producer alone, which knows when its slot was emptied.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "trace.hpp"

namespace alloclab {

class ThreadTraceBuilder {
 public:
  explicit ThreadTraceBuilder(std::vector<Op>& ops) : ops_(ops) {}

  void alloc(std::uint32_t slot, std::uint32_t size) {
    ops_.push_back(Op::make(OpKind::kAlloc, slot, size));
    allocated(size, 0);
  }
  // pre: `size` is what the slot was allocated with.
  void free(std::uint32_t slot, std::uint32_t size) {
    ops_.push_back(Op::make(OpKind::kFree, slot));
    live_ -= size;
  }
  // pre: `old_size` is the slot's current size.
  void realloc(std::uint32_t slot, std::uint32_t old_size, std::uint32_t new_size) {
    ops_.push_back(Op::make(OpKind::kRealloc, slot, new_size));
    allocated(new_size, old_size);
  }

  // Every live block of this thread's allocator instance dies at once.
  void reset() {
    ops_.push_back(Op::make(OpKind::kReset, 0));
    live_ = 0;
  }

  // Hand a new block to another thread through `slot`. pre: `reclaimed` is the size of the
  // block this thread published in the slot before (0 if none), which the consumer has freed
  // by the time this op can run.
  void publish(std::uint32_t slot, std::uint32_t size, std::uint32_t reclaimed) {
    ops_.push_back(Op::make(OpKind::kAllocPublish, slot, size));
    allocated(size, reclaimed);
  }
  void free_await(std::uint32_t slot) { ops_.push_back(Op::make(OpKind::kFreeAwait, slot)); }

  void barrier() { ops_.push_back(Op::make(OpKind::kBarrier, 0)); }
  void write(std::uint32_t slot, std::uint32_t times) {
    ops_.push_back(Op::make(OpKind::kWrite, slot, times));
  }
  // The rest of the stream runs on a fresh thread.
  void thread_exit() { ops_.push_back(Op::make(OpKind::kThreadExit, 0)); }
  // The replay records time and RSS here (Trace::marks[index] holds what the generator knows).
  void mark(std::uint32_t index) { ops_.push_back(Op::make(OpKind::kMark, 0, index)); }

  std::uint64_t allocations() const { return allocations_; }
  std::size_t max_request() const { return max_request_; }

  // Adds this thread's figures to the trace's totals.
  void finish(Trace& trace) const {
    trace.allocations += allocations_;
    trace.peak_live_bytes += peak_;
    trace.max_request = std::max(trace.max_request, max_request_);
  }

 private:
  void allocated(std::uint32_t size, std::uint32_t replaced) {
    ++allocations_;
    live_ += std::int64_t{size} - std::int64_t{replaced};
    peak_ = std::max(peak_, static_cast<std::uint64_t>(std::max<std::int64_t>(live_, 0)));
    max_request_ = std::max<std::size_t>(max_request_, size);
  }

  std::vector<Op>& ops_;
  std::uint64_t allocations_ = 0;
  std::int64_t live_ = 0;
  std::uint64_t peak_ = 0;
  std::size_t max_request_ = 0;
};

}  // namespace alloclab
