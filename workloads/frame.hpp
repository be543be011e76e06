// Batches allocated together and released together: frame (reset where the allocator can),
// lifo (always block by block, newest first) and thread-churn (each batch on a new thread).
#pragma once

#include <cstdint>

namespace alloclab {
struct GenerateRequest;
struct StreamSetup;
struct BatchShape {
  bool may_reset = false;         // release with one reset() where the allocator has kReset
  bool thread_per_batch = false;  // each batch runs on a fresh thread (kThreadExit before it)
};
// Per thread, `rounds` times (0: unbounded, --duration): allocate `batch` blocks (sizes from
// params min_size, max_size, dist), then release them (reset, or free newest first).
StreamSetup open_batches(const GenerateRequest& req, std::uint64_t rounds, std::uint32_t batch,
                         BatchShape shape);
// The count param's value, 0 when absent (a --duration run).
std::uint64_t count_or_unbounded(const GenerateRequest& req, const char* name);
}  // namespace alloclab
