// Batches allocated together and released together: frame (reset where the allocator can),
// lifo (always block by block, newest first) and thread-churn (each batch on a new thread).
#pragma once

#include <cstdint>

namespace alloclab {
struct GenerateRequest;
struct Trace;
struct BatchShape {
  bool may_reset = false;         // release with one reset() where the allocator has kReset
  bool thread_per_batch = false;  // each batch runs on a fresh thread (kThreadExit before it)
};
// Per thread, `rounds` times: allocate `batch` blocks (sizes from params min_size, max_size,
// dist), then release them (reset, or free newest first).
Trace generate_batches(const GenerateRequest& req, std::uint64_t rounds, std::uint32_t batch,
                       BatchShape shape);
}  // namespace alloclab
