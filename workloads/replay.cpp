#include "replay.hpp"

#include <fmt/format.h>

namespace alloclab::replay_detail {

std::string describe_null(std::size_t n, std::size_t align) {
  return fmt::format("allocate({}, {}) returned nullptr (out of memory or size not served)", n,
                     align);
}

void report_null(ThreadJob& job, std::size_t n, std::size_t align) noexcept {
  try {
    job.error = describe_null(n, align);
  } catch (...) {
    job.error.clear();  // no memory for the message: the replay still stops
  }
}

std::string describe_misaligned(const void* p, std::size_t align) {
  return fmt::format("misaligned block {} for align {}", p, align);
}

std::string describe_corrupt(const void* p, std::size_t n, std::uint32_t slot) {
  return fmt::format(
      "verify: block {} ({} bytes, slot {}) was overwritten while live (overlapping blocks?)", p, n,
      slot);
}

std::string describe_unsupported(OpKind kind) {
  return fmt::format("op kind {} not supported by this allocator", static_cast<unsigned>(kind));
}

}  // namespace alloclab::replay_detail
