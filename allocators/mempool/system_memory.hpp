// The OS layer under the page heap: page-aligned anonymous mappings and giving pages back.
// Memory is never unmapped: free spans are only madvise'd away, so every span address stays
// valid and coalescing never meets a hole. Tests replace this layer with a fake (see
// mempool_page_heap_test.cpp) that records what was mapped and released.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>

#include "size_classes.hpp"

namespace alloclab::mempool {

struct SystemMemory {
  // Returns `bytes` (a multiple of kPageSize) of zeroed memory aligned to kPageSize, or nullptr.
  static void* map(std::size_t bytes) noexcept {
    // mmap only promises 4 KiB alignment: over-map by one page and trim both ends.
    const std::size_t len = bytes + kPageSize;
    if (len < bytes) return nullptr;
    void* p = ::mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return nullptr;
    const auto raw = reinterpret_cast<std::uintptr_t>(p);
    const std::uintptr_t aligned = (raw + kPageSize - 1) & ~(kPageSize - 1);
    if (aligned > raw) ::munmap(p, aligned - raw);
    const std::uintptr_t end = raw + len, used = aligned + bytes;
    if (end > used) ::munmap(reinterpret_cast<void*>(used), end - used);
    return reinterpret_cast<void*>(aligned);
  }
  // `bytes` of zeroed memory at exactly `at` (page aligned), or nullptr when anything is mapped
  // there: never replaces a mapping.
  static void* map_at(void* at, std::size_t bytes) noexcept {
    void* p = ::mmap(at, bytes, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (p == MAP_FAILED) return nullptr;
    if (p != at) {  // a kernel older than 4.17 takes the flag as a mere hint
      ::munmap(p, bytes);
      return nullptr;
    }
    return p;
  }
  // The pages stay mapped and read back as zeros; their RSS goes back to the OS.
  static void release(void* p, std::size_t bytes) noexcept { ::madvise(p, bytes, MADV_DONTNEED); }
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
