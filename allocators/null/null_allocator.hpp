// The `null` plugin: the cheapest allocator that is still correct (no two live blocks
// overlap), so the harness can report its own cost per op beside every run. Power-of-two
// classes, each a LIFO list threaded through freed blocks, carved from one reservation.
// Its ns/op bounds the replay loop's overhead from above.
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

  explicit NullAllocator(const Config&) {
    void* p = ::mmap(nullptr, kReserve, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p != MAP_FAILED) base_ = cursor_ = static_cast<std::byte*>(p);
  }
  ~NullAllocator() {
    if (base_ != nullptr) ::munmap(base_, kReserve);
  }
  NullAllocator(const NullAllocator&) = delete;
  NullAllocator& operator=(const NullAllocator&) = delete;

  void* allocate(std::size_t n, std::size_t align) noexcept {
    if (n > kMaxSize || align > traits.max_align) return nullptr;
    const unsigned c = class_of(std::max(n, align));
    if (Node* node = free_[c]) {
      free_[c] = node->next;
      return node;
    }
    const std::size_t size = kMinBlock << c;
    const std::size_t a = std::min<std::size_t>(size, 4096);
    auto* p = reinterpret_cast<std::byte*>(
        (reinterpret_cast<std::uintptr_t>(cursor_) + a - 1) & ~(a - 1));
    if (base_ == nullptr || p + size > base_ + kReserve) return nullptr;
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
  static constexpr unsigned kClasses = std::countr_zero(kMaxSize / kMinBlock) + 1;

  static unsigned class_of(std::size_t n) noexcept {
    return n <= kMinBlock ? 0u : static_cast<unsigned>(std::bit_width(n - 1)) - 4u;
  }

  std::byte* base_ = nullptr;
  std::byte* cursor_ = nullptr;
  Node* free_[kClasses] = {};
};

}  // namespace alloclab
