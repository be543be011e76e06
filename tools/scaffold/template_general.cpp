#include "templates.hpp"

namespace alloclab::scaffold {
namespace {

constexpr std::string_view kHeader = R"tpl(// @NAME@: a general-purpose allocator (written by `alloclab new-allocator`; make it yours).
//
// Size classes are powers of two from 16 bytes to kMaxSize; each class keeps a LIFO free list
// threaded through its freed blocks. An empty class is refilled by splitting one kChunk-byte
// chunk carved from a single address-space reservation, so blocks of class size s sit at
// offsets that are multiples of s in a page-aligned chunk: every block is aligned to
// min(s, 4096), which is how alignment requests are honoured (the class is picked for
// max(n, align)).
//
// Glossary
//   class  - one block size; class c serves sizes (8 << c, 16 << c], class 0 also serves 0..16.
//   chunk  - kChunk bytes split into blocks of one class when that class runs dry.
#pragma once

#include <sys/mman.h>

#include <algorithm>
#include <bit>
#include <cstddef>
#include <new>

#include "allocators/core/traits.hpp"

namespace alloclab {

class @TYPE@ {
 public:
  static constexpr std::size_t kMaxSize = std::size_t{1} << 16;
  static constexpr Traits traits{"@NAME@", "size-classed free lists (scaffold: general)", kFree,
                                 kMaxSize, 4096};

  explicit @TYPE@(const Config&) noexcept {
    void* p = ::mmap(nullptr, kReserve, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p != MAP_FAILED) base_ = cursor_ = static_cast<std::byte*>(p);
  }
  ~@TYPE@() {
    if (base_ != nullptr) ::munmap(base_, kReserve);
  }
  @TYPE@(const @TYPE@&) = delete;
  @TYPE@& operator=(const @TYPE@&) = delete;

  // pre: align is a power of two <= traits.max_align.
  void* allocate(std::size_t n, std::size_t align) noexcept {
    if (n > kMaxSize || align > traits.max_align) return nullptr;
    const unsigned c = class_of(std::max(n, align));
    if (free_[c] == nullptr && !refill(c)) return nullptr;  // slow path
    Node* node = free_[c];                                   // hot path: pop
    free_[c] = node->next;
    return node;
  }

  // pre: p came from allocate(n, align) on this instance.
  void deallocate(void* p, std::size_t n, std::size_t align) noexcept {
    const unsigned c = class_of(std::max(n, align));
    free_[c] = ::new (p) Node{free_[c]};
  }

 private:
  struct Node {
    Node* next;
  };
  static constexpr std::size_t kMinBlock = 16;
  static constexpr std::size_t kChunk = kMaxSize;                // one chunk holds the largest block
  static constexpr std::size_t kReserve = std::size_t{1} << 34;  // address space, not memory
  static constexpr unsigned kClasses =
      static_cast<unsigned>(std::countr_zero(kMaxSize) - std::countr_zero(kMinBlock)) + 1;
  static_assert(std::has_single_bit(kMaxSize) && kChunk % kMaxSize == 0);

  static unsigned class_of(std::size_t n) noexcept {
    return static_cast<unsigned>(std::bit_width(std::max(n, kMinBlock) - 1)) -
           static_cast<unsigned>(std::countr_zero(kMinBlock));
  }
  static std::size_t class_size(unsigned c) noexcept { return kMinBlock << c; }

  // Slow path: splits a fresh chunk into class c blocks. False when the reservation is used up.
  bool refill(unsigned c) noexcept {
    if (base_ == nullptr || cursor_ + kChunk > base_ + kReserve) return false;
    std::byte* chunk = cursor_;
    cursor_ += kChunk;
    const std::size_t size = class_size(c);
    for (std::size_t off = kChunk; off >= size; off -= size)  // lowest address ends on top
      free_[c] = ::new (chunk + off - size) Node{free_[c]};
    return true;
  }

  std::byte* base_ = nullptr;
  std::byte* cursor_ = nullptr;
  Node* free_[kClasses] = {};
};

}  // namespace alloclab
)tpl";

constexpr std::string_view kTest = R"tpl(// @NAME@'s own tests. The conformance suite (tests/conformance_test.cpp) already runs every
// contract over this plugin; these check what is particular to its design.
#include "@NAME@.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "allocators/core/allocator.hpp"

namespace alloclab {
namespace {

static_assert(Allocator<@TYPE@>);

TEST(@SUITE@, SizesInOneClassShareFreedBlocks) {
  @TYPE@ a(Config{});
  void* p = a.allocate(33, kMinAlign);  // class 64
  ASSERT_NE(p, nullptr);
  a.deallocate(p, 33, kMinAlign);
  EXPECT_EQ(a.allocate(64, kMinAlign), p);  // LIFO: the same block comes back
}

TEST(@SUITE@, BlocksAreAlignedToTheRequest) {
  @TYPE@ a(Config{});
  for (std::size_t align = 16; align <= @TYPE@::traits.max_align; align *= 2) {
    void* p = a.allocate(1, align);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(p) % align, 0u) << align;
  }
}

TEST(@SUITE@, ManyLiveBlocksKeepTheirContents) {
  @TYPE@ a(Config{});
  std::vector<unsigned char*> live;
  for (std::size_t i = 0; i < 5000; ++i) {
    auto* p = static_cast<unsigned char*>(a.allocate(i % 300, kMinAlign));
    ASSERT_NE(p, nullptr);
    std::memset(p, static_cast<int>(i & 0xff), i % 300);
    live.push_back(p);
  }
  for (std::size_t i = 0; i < live.size(); ++i)
    for (std::size_t k = 0; k < i % 300; ++k)
      ASSERT_EQ(live[i][k], static_cast<unsigned char>(i & 0xff)) << i;
  for (std::size_t i = 0; i < live.size(); ++i) a.deallocate(live[i], i % 300, kMinAlign);
}

TEST(@SUITE@, RefusesTooLargeRequests) {
  @TYPE@ a(Config{});
  EXPECT_EQ(a.allocate(@TYPE@::kMaxSize + 1, kMinAlign), nullptr);
  EXPECT_NE(a.allocate(@TYPE@::kMaxSize, kMinAlign), nullptr);
}

}  // namespace
}  // namespace alloclab
)tpl";

}  // namespace

const KindTemplate kGeneral{"general", "size-classed free lists: serves any size up to 64 KiB",
                            kHeader, kTest};

}  // namespace alloclab::scaffold
