// The `null` plugin: the cheapest allocator that is still correct (no two live blocks
// overlap), so the harness can report its own cost per op beside every run, and every other
// row its cost above that floor. It must be no dearer than any plugin on any workload, so:
//   - requests up to kLinearMax have one exact LIFO list per byte size, indexed by n itself:
//     no size arithmetic on a hit, a pop or push is three memory operations; a miss carves
//     max(n, 1) rounded up to 16 bytes from a bump pointer. Every block on list n spans
//     capacity(n), so any request of n fits any block on it.
//   - the replay calls allocate_fast / deallocate_fast (the lists alone, no size or alignment
//     compare) when the harness says no request of the trace exceeds kFastMax and the
//     alignment is the default (workloads/replay.hpp, FastPath), and allocate_fresh (the
//     bump pointer alone) when no op of the trace frees (FreshPath: frame).
//   - bigger requests take power-of-two lists; over-aligned ones join their size's list and
//     are served from it only when its head is aligned enough (both out of line).
//   - reset() (arena's frame shape) and reallocate() (in place within the block's size), so
//     the floor replays the cheapest trace a workload offers, as arena does. reset() clears
//     the lists only up to the largest block carved since the last one.
// What it will hand out is faulted in at construction (before the clock): page faults are an
// allocator's cost, not the harness's. That is prefault_bytes(): twice the expected live bytes
// (rounding at most doubles a request) plus a MiB, at most kPrefault (64 MiB) and kPrefault
// when the hint is missing, so 256 threads of a small trace fault in 256 MiB, not 16 GiB.
#pragma once

#include <sys/mman.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>

#include "allocators/core/traits.hpp"

namespace alloclab {

namespace null_detail {
inline constexpr std::size_t kStep = 16;
inline constexpr std::size_t kLinearMax = 8192;
constexpr std::size_t capacity_linear(std::size_t n) noexcept {
  return (std::max<std::size_t>(n, 1) + kStep - 1) & ~(kStep - 1);
}
// capacity_linear(n) for every n <= kLinearMax: the fast path's miss loads it (16 KiB, read
// only on a miss) instead of rounding.
inline constexpr auto kLinearCapacity = [] {
  std::array<std::uint16_t, kLinearMax + 1> t{};
  for (std::size_t n = 0; n <= kLinearMax; ++n) t[n] = static_cast<std::uint16_t>(capacity_linear(n));
  return t;
}();
}  // namespace null_detail

class NullAllocator {
 public:
  static constexpr std::size_t kMaxSize = std::size_t{1} << 30;
  static constexpr std::size_t kMaxAlign = 4096;
  static constexpr Traits traits{"null", "harness cost: exact per-size LIFO lists over a bump pointer",
                                 kFree | kReset | kRealloc, kMaxSize, kMaxAlign};

  // The reservation shrinks until the system grants it (valgrind caps address space).
  explicit NullAllocator(const Config& config) : prefault_(prefault_bytes(config)) {
    for (reserve_ = kReserve; reserve_ >= kPrefault; reserve_ /= 4) {
      void* p = ::mmap(nullptr, reserve_, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
      if (p == MAP_FAILED) continue;
      base_ = static_cast<std::byte*>(p);
      break;
    }
    if (base_ == nullptr) return;
    cursor_ = reinterpret_cast<std::uintptr_t>(base_);
    end_ = cursor_ + reserve_;
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

  // The replay's fast path: pre: n <= kFastMax, align <= kMinAlign.
  static constexpr std::size_t kFastMax = null_detail::kLinearMax;
  [[gnu::always_inline]] void* allocate_fast(std::size_t n) noexcept {
    if (Node* node = exact_[n]) [[likely]] {
      exact_[n] = node->next;
      return node;
    }
    return carve_linear(n);
  }
  // The replay's FreshPath (no op of the trace frees, so every list is empty): the bump
  // pointer alone. pre: n <= kFastMax, align <= kMinAlign.
  [[gnu::always_inline]] void* allocate_fresh(std::size_t n) noexcept { return carve_linear(n); }

  // pre: n <= kFastMax.
  [[gnu::always_inline]] void deallocate_fast(void* p, std::size_t n) noexcept {
    exact_[n] = ::new (p) Node{exact_[n]};
  }

  [[gnu::always_inline]] void* allocate(std::size_t n, std::size_t align) noexcept {
    if (n <= kLinearMax && align <= kStep) [[likely]] return allocate_fast(n);
    return allocate_slow(n, align);
  }

  // The list follows from the size alone (an over-aligned block joins its size's list), so a
  // free reads nothing but n.
  [[gnu::always_inline]] void deallocate(void* p, std::size_t n, std::size_t /*align*/) noexcept {
    if (n <= kLinearMax) [[likely]] return deallocate_fast(p, n);
    deallocate_pow2(p, n);
  }

  // Every block is dead: the bump pointer starts over, the lists are emptied (a list above
  // the largest block carved is empty: a block only ever joins a list of its capacity).
  void reset() noexcept {
    cursor_ = reinterpret_cast<std::uintptr_t>(base_);
    clear(exact_, carved_max_ + 1);
    carved_max_ = 0;
    clear(pow2_, std::size(pow2_));
  }

  // In place while the new size maps to the block's own list, else move.
  void* reallocate(void* p, std::size_t old_n, std::size_t n, std::size_t align) noexcept {
    if (n <= kMaxSize && capacity(n) == capacity(old_n)) return p;
    void* q = allocate(n, align);
    if (q == nullptr) return nullptr;
    std::memcpy(q, p, std::min(old_n, n));
    deallocate(p, old_n, align);
    return q;
  }

 private:
  struct Node {
    Node* next;
  };
  static constexpr std::size_t kStep = null_detail::kStep;
  static constexpr std::size_t kLinearMax = null_detail::kLinearMax;  // exact lists: a 64 KiB table
  static constexpr std::size_t kReserve = std::size_t{1} << 36;  // address space only
  static constexpr std::size_t kPrefault = std::size_t{64} << 20;

  // The bytes a block of n spans, which also names its list (any alignment: over-aligned
  // linear blocks are carved aligned, pow2 blocks are min(size, kMaxAlign)-aligned).
  static constexpr std::size_t capacity_linear(std::size_t n) noexcept {
    return null_detail::capacity_linear(n);
  }
  static constexpr auto& kLinearCapacity = null_detail::kLinearCapacity;

  // A new block of capacity_linear(n) from the bump pointer. pre: n <= kLinearMax.
  [[gnu::always_inline]] void* carve_linear(std::size_t n) noexcept {
    // The bump pointer stays 16-aligned: the capacity is one table load, one bound check
    // (end_ is 0 when the reservation failed, so nothing fits).
    const std::size_t size = kLinearCapacity[n];
    const std::uintptr_t p = cursor_;
    const std::uintptr_t next = p + size;
    if (next > end_) [[unlikely]] return nullptr;
    if (size > carved_max_) carved_max_ = size;
    cursor_ = next;
    if (p == 0) __builtin_unreachable();  // p >= base_: the caller need not test for nullptr
    return reinterpret_cast<void*>(p);
  }
  // Zeroes n list heads with plain 16-byte stores: memset's `rep stosb` runs (and valgrind
  // counts) one iteration per byte, which made reset() the floor's dearest op on frame.
  static void clear(Node** lists, std::size_t n) noexcept {
    std::size_t i = 0;
    for (; i + 2 <= n; i += 2) {
      asm("" : : "r"(i));  // not turned back into a memset call
      lists[i] = nullptr;
      lists[i + 1] = nullptr;
    }
    if (i < n) lists[i] = nullptr;
  }
  static std::size_t capacity(std::size_t n) noexcept {
    return n <= kLinearMax ? capacity_linear(n) : std::bit_ceil(n);
  }
  static unsigned pow2_index(std::size_t n) noexcept {
    return static_cast<unsigned>(std::countr_zero(capacity(n)));
  }

  // Over-aligned or big: an over-aligned request takes its list's head only when the head is
  // aligned enough, else carves an aligned block.
  [[gnu::noinline]] void* allocate_slow(std::size_t n, std::size_t align) noexcept {
    if (n > kMaxSize || align > kMaxAlign) return nullptr;
    Node*& head = n <= kLinearMax ? exact_[n] : pow2_[pow2_index(n)];
    if (Node* node = head; node != nullptr && reinterpret_cast<std::uintptr_t>(node) % align == 0) {
      head = node->next;
      return node;
    }
    const std::size_t size = capacity(n);
    if (n > kLinearMax) return carve(size, std::min(size, kMaxAlign));
    if (size > carved_max_) carved_max_ = size;
    return carve(size, std::max(align, kStep));
  }

  [[gnu::noinline]] void deallocate_pow2(void* p, std::size_t n) noexcept {
    Node*& head = pow2_[pow2_index(n)];
    head = ::new (p) Node{head};
  }

  // pre: align is a power of two, size <= kMaxSize. Keeps the bump pointer 16-aligned.
  void* carve(std::size_t size, std::size_t align) noexcept {
    const std::uintptr_t p = (cursor_ + align - 1) & ~(align - 1);
    if (p > end_ || end_ - p < size) return nullptr;
    cursor_ = p + ((size + kStep - 1) & ~(kStep - 1));
    return reinterpret_cast<void*>(p);
  }

  Node* exact_[kLinearMax + 1] = {};  // first: indexed with no offset
  std::size_t carved_max_ = 0;        // the largest linear block carved since reset()
  Node* pow2_[std::countr_zero(kMaxSize) + 1] = {};
  std::size_t prefault_ = 0;
  std::size_t reserve_ = 0;
  std::byte* base_ = nullptr;
  std::uintptr_t cursor_ = 0;
  std::uintptr_t end_ = 0;
};

}  // namespace alloclab
