#include "templates.hpp"

namespace alloclab::scaffold {
namespace {

constexpr std::string_view kHeader = R"tpl(// @NAME@: an arena (written by `alloclab new-allocator`; make it yours).
//
// A bump allocator over one address-space reservation: allocate() rounds the cursor up to the
// alignment and advances it; reset() moves it back to the start, releasing every block at
// once. Single blocks are never freed (no kFree), so workloads that free one by one report it
// as `unsupported`; frame-style workloads (allocate, allocate, ..., reset) are its home.
//
// Glossary
//   cursor  - the first free byte; everything below it is live until reset().
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>

#include "allocators/core/traits.hpp"

namespace alloclab {

class @TYPE@ {
 public:
  static constexpr std::size_t kMaxSize = std::size_t{1} << 24;
  static constexpr Traits traits{"@NAME@", "bump allocator with reset (scaffold: arena)", kReset,
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

  // pre: align is a power of two <= traits.max_align. Hot path: round up, bump.
  void* allocate(std::size_t n, std::size_t align) noexcept {
    if (n > kMaxSize || base_ == nullptr) return nullptr;
    const std::size_t a = align < kMinAlign ? kMinAlign : align;
    const auto at = (reinterpret_cast<std::uintptr_t>(cursor_) + a - 1) & ~(a - 1);
    auto* p = reinterpret_cast<std::byte*>(at);
    const std::size_t size = n == 0 ? 1 : n;  // unique blocks for n == 0
    if (size > static_cast<std::size_t>(base_ + kReserve - p)) return nullptr;
    cursor_ = p + size;
    return p;
  }

  void reset() noexcept { cursor_ = base_; }

  std::size_t used() const noexcept { return static_cast<std::size_t>(cursor_ - base_); }

 private:
  static constexpr std::size_t kReserve = std::size_t{1} << 32;  // address space, not memory

  std::byte* base_ = nullptr;
  std::byte* cursor_ = nullptr;
};

}  // namespace alloclab
)tpl";

constexpr std::string_view kTest = R"tpl(// @NAME@'s own tests. The conformance suite (tests/conformance_test.cpp) already runs every
// contract over this plugin; these check what is particular to its design.
#include "@NAME@.hpp"

#include <gtest/gtest.h>

#include <cstdint>

#include "allocators/core/allocator.hpp"

namespace alloclab {
namespace {

static_assert(Allocator<@TYPE@>);

TEST(@SUITE@, BlocksFollowEachOther) {
  @TYPE@ arena(Config{});
  auto* a = static_cast<std::byte*>(arena.allocate(16, kMinAlign));
  auto* b = static_cast<std::byte*>(arena.allocate(16, kMinAlign));
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(b, a + 16);
  EXPECT_EQ(arena.used(), 32u);
}

TEST(@SUITE@, ResetStartsOver) {
  @TYPE@ arena(Config{});
  void* first = arena.allocate(100, kMinAlign);
  arena.allocate(1000, kMinAlign);
  arena.reset();
  EXPECT_EQ(arena.used(), 0u);
  EXPECT_EQ(arena.allocate(100, kMinAlign), first);
}

TEST(@SUITE@, HonoursLargeAlignments) {
  @TYPE@ arena(Config{});
  arena.allocate(1, kMinAlign);
  void* p = arena.allocate(8, 4096);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(p) % 4096, 0u);
}

}  // namespace
}  // namespace alloclab
)tpl";

}  // namespace

const KindTemplate kArena{"arena", "bump allocator with reset(): frees everything at once",
                          kHeader, kTest};

}  // namespace alloclab::scaffold
