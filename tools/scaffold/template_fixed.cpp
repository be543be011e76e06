#include "templates.hpp"

namespace alloclab::scaffold {
namespace {

constexpr std::string_view kHeader = R"tpl(// @NAME@: a fixed-size pool (written by `alloclab new-allocator`; make it yours).
//
// Serves one block size, Config::block_size (the workload's largest request), rounded up to
// kAlign. Freed blocks go on a LIFO free list threaded through them; when it is empty, the
// next block is cut from the current slab, and a full slab is followed by a new one, twice as
// large, up to kMaxSlab. Slabs are kept on a list through their first bytes and released
// by the destructor.
//
// Glossary
//   stride - the block size actually carved: block_size rounded up to kAlign.
//   slab   - a run of blocks obtained from the system in one call.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <new>

#include "allocators/core/traits.hpp"

namespace alloclab {

class @TYPE@ {
 public:
  static constexpr std::size_t kAlign = 16;
  static constexpr std::size_t kMaxBlock = std::size_t{1} << 20;
  static constexpr Traits traits{"@NAME@", "single-size free-list pool (scaffold: fixed)",
                                 kFree | kFixedSize, kMaxBlock, kAlign};

  explicit @TYPE@(const Config& c) noexcept
      : block_(c.block_size), stride_(std::max(round_up(c.block_size), kAlign)) {}
  ~@TYPE@() {
    while (slabs_ != nullptr) {
      Node* next = slabs_->next;
      std::free(slabs_);
      slabs_ = next;
    }
  }
  @TYPE@(const @TYPE@&) = delete;
  @TYPE@& operator=(const @TYPE@&) = delete;

  // Sizes above the configured block size (or kMaxBlock) are refused with nullptr.
  void* allocate(std::size_t n, std::size_t align) noexcept {
    if (n > block_ || n > kMaxBlock || align > kAlign) return nullptr;
    if (Node* node = free_) {  // hot path: pop
      free_ = node->next;
      return node;
    }
    return carve();
  }

  // pre: p came from this pool.
  void deallocate(void* p, std::size_t, std::size_t) noexcept { free_ = ::new (p) Node{free_}; }

 private:
  struct Node {
    Node* next;
  };
  static constexpr std::size_t kFirstSlab = 64 * 1024;
  static constexpr std::size_t kMaxSlab = 16 * 1024 * 1024;

  static constexpr std::size_t round_up(std::size_t n) noexcept {
    return (n + kAlign - 1) & ~(kAlign - 1);
  }

  // Slow path: the next block of the current slab, or a new slab.
  void* carve() noexcept {
    if (cursor_ + stride_ > end_) {
      // The slab's first kAlign bytes link it to the previous slab.
      const std::size_t bytes = std::max(slab_bytes_, kAlign + stride_);
      void* slab = std::aligned_alloc(kAlign, round_up(bytes));
      if (slab == nullptr) return nullptr;
      slabs_ = ::new (slab) Node{slabs_};
      cursor_ = static_cast<std::byte*>(slab) + kAlign;
      end_ = static_cast<std::byte*>(slab) + round_up(bytes);
      slab_bytes_ = std::min(slab_bytes_ * 2, kMaxSlab);
    }
    void* p = cursor_;
    cursor_ += stride_;
    return p;
  }

  std::size_t block_;
  std::size_t stride_;
  std::size_t slab_bytes_ = kFirstSlab;
  Node* free_ = nullptr;
  Node* slabs_ = nullptr;
  std::byte* cursor_ = nullptr;
  std::byte* end_ = nullptr;
};

}  // namespace alloclab
)tpl";

constexpr std::string_view kTest = R"tpl(// @NAME@'s own tests. The conformance suite (tests/conformance_test.cpp) already runs every
// contract over this plugin; these check what is particular to its design.
#include "@NAME@.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "allocators/core/allocator.hpp"

namespace alloclab {
namespace {

static_assert(Allocator<@TYPE@>);

TEST(@SUITE@, FreedBlockComesBackFirst) {
  @TYPE@ pool(Config{40, 1});
  void* p = pool.allocate(40, kMinAlign);
  ASSERT_NE(p, nullptr);
  pool.deallocate(p, 40, kMinAlign);
  EXPECT_EQ(pool.allocate(40, kMinAlign), p);
}

TEST(@SUITE@, RefusesMoreThanTheBlockSize) {
  @TYPE@ pool(Config{40, 1});
  EXPECT_EQ(pool.allocate(41, kMinAlign), nullptr);
  EXPECT_NE(pool.allocate(0, kMinAlign), nullptr);
}

TEST(@SUITE@, BlocksAcrossSlabsNeverOverlap) {
  @TYPE@ pool(Config{24, 1});
  std::vector<unsigned char*> live;
  for (int i = 0; i < 20000; ++i) {  // several slabs
    auto* p = static_cast<unsigned char*>(pool.allocate(24, kMinAlign));
    ASSERT_NE(p, nullptr);
    std::memset(p, i & 0xff, 24);
    live.push_back(p);
  }
  std::sort(live.begin(), live.end());
  for (std::size_t i = 1; i < live.size(); ++i) EXPECT_GE(live[i] - live[i - 1], 24);
}

}  // namespace
}  // namespace alloclab
)tpl";

}  // namespace

const KindTemplate kFixed{"fixed", "one block size, LIFO free list over growing slabs", kHeader,
                          kTest};

}  // namespace alloclab::scaffold
