// The `null` plugin: the cheapest allocator that is still correct (no two live blocks
// overlap), so the harness can report its own cost per op beside every run. Size classes
// (16-byte steps to 512, then powers of two), each a LIFO list threaded through freed blocks,
// carved from one reservation; tight classes keep its footprint, and so its cache misses, low.
// Its ns/op bounds the replay loop's overhead from above. What it will hand out is faulted in
// at construction (before the clock): page faults are an allocator's cost, not the harness's.
// That is prefault_bytes(): twice the expected live bytes (class rounding at most doubles a
// request) plus a MiB, at most kPrefault (64 MiB) and kPrefault when the hint is missing, so
// 256 threads of a small trace fault in 256 MiB, not 16 GiB.
#pragma once

#include <sys/mman.h>

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>

#include "allocators/core/traits.hpp"

namespace alloclab {

class NullAllocator {
 public:
  static constexpr std::size_t kMaxSize = std::size_t{1} << 20;
  static constexpr Traits traits{"null", "harness cost: power-of-two LIFO lists in one buffer",
                                 kFree, kMaxSize, 4096};

  // The reservation shrinks until the system grants it (valgrind caps address space).
  explicit NullAllocator(const Config& config) : prefault_(prefault_bytes(config)) {
    for (reserve_ = kReserve; reserve_ >= kPrefault; reserve_ /= 4) {
      void* p = ::mmap(nullptr, reserve_, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
      if (p == MAP_FAILED) continue;
      base_ = cursor_ = static_cast<std::byte*>(p);
      break;
    }
    if (base_ == nullptr) return;
    for (std::size_t off = 0; off < prefault_; off += 4096) base_[off] = std::byte{0};
  }
  ~NullAllocator() {
    if (base_ != nullptr) ::munmap(base_, reserve_);
  }
  NullAllocator(const NullAllocator&) = delete;
  NullAllocator& operator=(const NullAllocator&) = delete;

  static constexpr std::size_t prefault_bytes(const Config& config) noexcept {
    if (config.expected_live_bytes == 0) return kPrefault;
    const std::size_t want = (2 * config.expected_live_bytes + (std::size_t{1} << 20) + 4095) & ~std::size_t{4095};
    return std::min(want, kPrefault);
  }

  void* allocate(std::size_t n, std::size_t align) noexcept {
    if (n > kMaxSize || align > traits.max_align) return nullptr;
    const unsigned c = class_of(std::max(n, align));
    if (Node* node = free_[c]) {
      free_[c] = node->next;
      return node;
    }
    const std::size_t size = class_size(c);
    const std::size_t a = std::min<std::size_t>(size, 4096);
    auto* p = reinterpret_cast<std::byte*>(
        (reinterpret_cast<std::uintptr_t>(cursor_) + a - 1) & ~(a - 1));
    if (base_ == nullptr || p + size > base_ + reserve_) return nullptr;
    cursor_ = p + size;
    return p;
  }

  void deallocate(void* p, std::size_t n, std::size_t align) noexcept {
    const unsigned c = class_of(std::max(n, align));
    free_[c] = ::new (p) Node{free_[c]};
  }

 private:
  struct Node {
    Node* next;
  };
  static constexpr std::size_t kMinBlock = 16;
  static constexpr std::size_t kReserve = std::size_t{1} << 36;  // address space only
  static constexpr std::size_t kPrefault = std::size_t{64} << 20;
  static constexpr std::size_t kLinear = 512;  // 16-byte steps up to here
  static constexpr unsigned kLinearClasses = kLinear / kMinBlock;
  static constexpr unsigned kClasses =
      kLinearClasses + std::countr_zero(kMaxSize / kLinear);

  // Class 0 serves 1..16 bytes (and 0), class 31 serves 497..512, class 32 serves 513..1024.
  static unsigned class_of(std::size_t n) noexcept {
    if (n <= kLinear) return n == 0 ? 0u : static_cast<unsigned>((n - 1) / kMinBlock);
    return kLinearClasses - 1 + static_cast<unsigned>(std::bit_width(n - 1)) -
           static_cast<unsigned>(std::countr_zero(kLinear));
  }
  static std::size_t class_size(unsigned c) noexcept {
    return c < kLinearClasses ? (c + 1) * kMinBlock : kLinear << (c - kLinearClasses + 1);
  }

  std::size_t prefault_ = 0;
  std::size_t reserve_ = 0;
  std::byte* base_ = nullptr;
  std::byte* cursor_ = nullptr;
  Node* free_[kClasses] = {};
};

}  // namespace alloclab
