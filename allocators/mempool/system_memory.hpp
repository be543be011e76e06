// The OS layer under the page heap: page-aligned anonymous mappings and giving pages back.
// Memory is never unmapped: free spans are only madvise'd away, so every span address stays
// valid and coalescing never meets a hole. Tests replace this layer with a fake (see
// mempool_page_heap_test.cpp) that records what was mapped and released.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "size_classes.hpp"

namespace alloclab::mempool {

struct SystemMemory {
  // Address space the page heap reserves at a time (no RSS, no commit charge until used).
  static constexpr std::size_t kReserveBytes = std::size_t{64} << 30;

  // Returns `bytes` (a multiple of kPageSize) of zeroed memory aligned to kPageSize, or nullptr.
  static void* map(std::size_t bytes) noexcept {
    const std::size_t len = bytes + kPageSize;
    if (len < bytes) return nullptr;
    void* p = ::mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return nullptr;
    return trim(p, len, bytes);
  }
  // Address space for spans: `bytes` (a multiple of kPageSize) reserved, inaccessible and
  // costing neither RSS nor commit charge until commit(); aligned to kPageSize. nullptr if
  // refused.
  static void* reserve(std::size_t bytes) noexcept {
    const std::size_t len = bytes + kPageSize;
    if (len < bytes) return nullptr;
    void* p = ::mmap(nullptr, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) return nullptr;
    return trim(p, len, bytes);
  }
  // Makes reserved pages [p, p + bytes) usable (zeroed). false when the OS refuses.
  static bool commit(void* p, std::size_t bytes) noexcept {
    return ::mprotect(p, bytes, PROT_READ | PROT_WRITE) == 0;
  }
  // The pages stay mapped and read back as zeros; their RSS goes back to the OS. The page heap
  // relies on the zeros (calloc skips clearing released pages), so where madvise refuses
  // (locked pages: mlockall) the pages are cleared by hand.
  static void release(void* p, std::size_t bytes) noexcept {
    if (::madvise(p, bytes, MADV_DONTNEED) != 0) std::memset(p, 0, bytes);
  }

 private:
  // mmap only promises 4 KiB alignment: callers over-map by one page, this trims both ends.
  static void* trim(void* p, std::size_t len, std::size_t bytes) noexcept {
    const auto raw = reinterpret_cast<std::uintptr_t>(p);
    const std::uintptr_t aligned = (raw + kPageSize - 1) & ~(kPageSize - 1);
    if (aligned > raw) ::munmap(p, aligned - raw);
    const std::uintptr_t end = raw + len, used = aligned + bytes;
    if (end > used) ::munmap(reinterpret_cast<void*>(used), end - used);
    return reinterpret_cast<void*>(aligned);
  }
};

// Bump allocator for metadata (spans, thread caches) with a free list per arena, so the
// allocator never calls malloc for itself. Not thread-safe: the owner's lock covers it.
template <class Os, class T>
class MetaPool {
 public:
  // Zeroed storage for one T (constructed by the caller), or nullptr.
  T* take() noexcept {
    if (free_ != nullptr) {
      Node* n = free_;
      free_ = n->next;
      return reinterpret_cast<T*>(n);
    }
    if (end_ - cursor_ < static_cast<std::ptrdiff_t>(kSlot)) {
      auto* chunk = static_cast<char*>(Os::map(kChunk));
      if (chunk == nullptr) return nullptr;
      mapped_ += kChunk;
      cursor_ = chunk;
      end_ = chunk + kChunk;
    }
    T* t = reinterpret_cast<T*>(cursor_);
    cursor_ += kSlot;
    return t;
  }
  void give(T* t) noexcept {
    auto* n = reinterpret_cast<Node*>(t);
    n->next = free_;
    free_ = n;
  }
  std::size_t mapped() const noexcept { return mapped_; }

 private:
  struct Node {
    Node* next;
  };
  static constexpr std::size_t kSlot = (sizeof(T) + 63) & ~std::size_t{63};
  static constexpr std::size_t kChunk = kSlot * 64 > (std::size_t{256} << 10)
                                            ? (kSlot * 64 + kPageSize - 1) & ~(kPageSize - 1)
                                            : std::size_t{256} << 10;
  Node* free_ = nullptr;
  char* cursor_ = nullptr;
  char* end_ = nullptr;
  std::size_t mapped_ = 0;
};

}  // namespace alloclab::mempool
