// Builds one thread's op stream and keeps the trace's bookkeeping (allocation count, live and
// peak bytes, largest request) in one place, so generators only say what happens.
#pragma once

#include <algorithm>
#include <vector>

#include "trace.hpp"

namespace alloclab {

class ThreadTraceBuilder {
 public:
  explicit ThreadTraceBuilder(std::vector<Op>& ops) : ops_(ops) {}

  void alloc(std::uint32_t slot, std::uint32_t size) {
    ops_.push_back(Op::make(OpKind::kAlloc, slot, size));
    ++allocations_;
    live_ += size;
    peak_ = std::max(peak_, live_);
    max_request_ = std::max<std::size_t>(max_request_, size);
  }
  // pre: `size` is what the slot was allocated with.
  void free(std::uint32_t slot, std::uint32_t size) {
    ops_.push_back(Op::make(OpKind::kFree, slot));
    live_ -= size;
  }

  // Adds this thread's figures to the trace's totals.
  void finish(Trace& trace) const {
    trace.allocations += allocations_;
    trace.peak_live_bytes += peak_;
    trace.max_request = std::max(trace.max_request, max_request_);
  }

 private:
  std::vector<Op>& ops_;
  std::uint64_t allocations_ = 0;
  std::uint64_t live_ = 0;
  std::uint64_t peak_ = 0;
  std::size_t max_request_ = 0;
};

}  // namespace alloclab
