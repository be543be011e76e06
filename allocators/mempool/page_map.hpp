// PageMap: page id -> (span, size class) for the whole 48-bit address space, as a 3-level
// radix tree (12 + 12 + 11 bits of the 35-bit page id).
//
// Readers take no lock: free() looks up any pointer from any thread. Writers (the page heap,
// under its lock) create nodes zeroed and publish them with release stores; readers load with
// acquire, so a reader that sees a node sees it initialised. Entries are relaxed atomics: a
// reader only looks up blocks it legitimately owns, whose registration happened-before it got
// the pointer (through the allocator's locks or the program's own synchronisation).
//
// Who is registered: every page of a small span (objects may sit on any page); the first and
// last page of free and large spans (what coalescing and free() need). The class byte is
// non-zero only on pages of live small spans, so free() tells small from large in one load.
//
// The flat window: the page heap's first reserved range (up to 16 GiB) also has its class
// bytes in one flat array, so free() of a block there reads one byte instead of walking three
// levels (unsized free, preloaded churn 8-256 B: see allocators/mempool/README.md).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "span.hpp"

namespace alloclab::mempool {

template <class Os>
class PageMap {
 public:
  static constexpr unsigned kAddressBits = 48;
  static constexpr unsigned kBits = kAddressBits - kPageShift;  // 35
  static constexpr unsigned kLeafBits = 11;
  static constexpr unsigned kMidBits = 12;
  static constexpr unsigned kRootBits = kBits - kLeafBits - kMidBits;

  constexpr PageMap() = default;
  PageMap(const PageMap&) = delete;
  PageMap& operator=(const PageMap&) = delete;

  // Lock-free. nullptr for pages never registered (or pointers outside 48 bits).
  Span* span(PageId id) const noexcept {
    const Leaf* l = leaf(id);
    return l == nullptr ? nullptr : l->span[id & kLeafMask].load(std::memory_order_relaxed);
  }
  // Lock-free. The size class of a live small span's page holding p, 0 otherwise.
  unsigned size_class(const void* p) const noexcept {
    // A reader sees the window if it owns a block in it (registered after cover()); one that
    // sees none yet looks in the tree, which has every class byte too. The window's start is
    // kept in bytes: subtracting before the shift saves free() two instructions.
    const auto address = reinterpret_cast<std::uintptr_t>(p);
    const std::size_t window = flat_pages_.load(std::memory_order_acquire);
    const std::size_t rel = (address - flat_start_.load(std::memory_order_relaxed)) >> kPageShift;
    if (rel < window) [[likely]] return flat_.load(std::memory_order_relaxed)[rel].load(std::memory_order_relaxed);
    const PageId id = address >> kPageShift;
    const Leaf* l = leaf(id);
    return l == nullptr ? 0u : l->cls[id & kLeafMask].load(std::memory_order_relaxed);
  }

  // Writer side (one writer at a time). Creates the nodes covering [id, id + n).
  // Returns false when the OS refuses memory.
  bool ensure(PageId id, std::size_t n) noexcept {
    for (PageId p = id; p < id + n;) {
      if ((p >> kBits) != 0) return false;
      auto& mid_slot = root_[p >> (kLeafBits + kMidBits)];
      Mid* m = mid_slot.load(std::memory_order_acquire);
      if (m == nullptr) {
        m = static_cast<Mid*>(Os::map(node_bytes<Mid>()));
        if (m == nullptr) return false;
        metadata_ += node_bytes<Mid>();
        mid_slot.store(m, std::memory_order_release);
      }
      auto& leaf_slot = m->leaf[(p >> kLeafBits) & kMidMask];
      if (leaf_slot.load(std::memory_order_acquire) == nullptr) {
        auto* l = static_cast<Leaf*>(Os::map(node_bytes<Leaf>()));
        if (l == nullptr) return false;
        metadata_ += node_bytes<Leaf>();
        leaf_slot.store(l, std::memory_order_release);
      }
      p = ((p >> kLeafBits) + 1) << kLeafBits;
    }
    return true;
  }
  // pre: ensure() covered id.
  void set(PageId id, Span* s, unsigned cls) noexcept {
    Leaf* l = leaf(id);
    l->span[id & kLeafMask].store(s, std::memory_order_relaxed);
    l->cls[id & kLeafMask].store(static_cast<std::uint8_t>(cls), std::memory_order_relaxed);
    const PageId rel = id - (flat_start_.load(std::memory_order_relaxed) >> kPageShift);
    if (rel < flat_pages_.load(std::memory_order_relaxed))
      flat_.load(std::memory_order_relaxed)[rel].store(static_cast<std::uint8_t>(cls), std::memory_order_relaxed);
  }

  // Writer side: gives the pages [first, first + pages), none registered yet, the flat window
  // (the first call only; no window if the OS refuses the array, the tree serves alone).
  void cover(PageId first, std::size_t pages) noexcept {
    if (flat_pages_.load(std::memory_order_relaxed) != 0) return;
    pages = pages < kFlatMaxPages ? pages : kFlatMaxPages;
    const std::size_t bytes = (pages + kPageSize - 1) & ~(kPageSize - 1);
    auto* table = static_cast<std::atomic<std::uint8_t>*>(Os::map(bytes));
    if (table == nullptr) return;
    metadata_ += bytes;
    flat_.store(table, std::memory_order_relaxed);
    flat_start_.store(first << kPageShift, std::memory_order_relaxed);
    flat_pages_.store(pages, std::memory_order_release);
  }

  std::size_t metadata_bytes() const noexcept { return metadata_; }

 private:
  static constexpr std::size_t kLeafMask = (std::size_t{1} << kLeafBits) - 1;
  static constexpr std::size_t kMidMask = (std::size_t{1} << kMidBits) - 1;

  struct Leaf {
    std::atomic<Span*> span[std::size_t{1} << kLeafBits];
    std::atomic<std::uint8_t> cls[std::size_t{1} << kLeafBits];
  };
  struct Mid {
    std::atomic<Leaf*> leaf[std::size_t{1} << kMidBits];
  };
  template <class Node>
  static constexpr std::size_t node_bytes() noexcept {
    return (sizeof(Node) + kPageSize - 1) & ~(kPageSize - 1);
  }

  Leaf* leaf(PageId id) const noexcept {
    if ((id >> kBits) != 0) [[unlikely]] return nullptr;
    const Mid* m = root_[id >> (kLeafBits + kMidBits)].load(std::memory_order_acquire);
    if (m == nullptr) [[unlikely]] return nullptr;
    return m->leaf[(id >> kLeafBits) & kMidMask].load(std::memory_order_acquire);
  }

  static constexpr std::size_t kFlatMaxPages = (std::size_t{16} << 30) >> kPageShift;  // 2 MiB

  std::atomic<Mid*> root_[std::size_t{1} << kRootBits] = {};
  std::atomic<std::atomic<std::uint8_t>*> flat_{nullptr};
  std::atomic<std::uintptr_t> flat_start_{0};  // the window's first byte
  std::atomic<std::size_t> flat_pages_{0};
  std::size_t metadata_ = 0;
};

}  // namespace alloclab::mempool
