// PhaseArena: the arena part of `arena+mempool`. An Arena (allocators/arena) over one bounded
// reservation, which counts its live blocks and rewinds to its start when the last one is
// freed: the end of a frame-shaped phase, found from the frees alone (a recorded trace has no
// reset() calls). When the reservation is full it returns nullptr, and the Fallback in front
// of which it sits sends the request on.
//
// Free: the newest block's space comes back at once (the arena's sized free); any other
// block's when its phase ends. Reuse is deferred, never lost: the reservation bounds what
// waits, and a phase that never ends just overflows into the Fallback's second part.
//
// Capacity: Config::expected_live_bytes (what one phase holds at most, when the runner knows
// it), at least kMinBytes, at most kMaxBytes; kDefaultBytes when unknown. The reservation is
// address space only until touched (os_pages.hpp).
#pragma once

#include <algorithm>
#include <cstddef>
#include <span>

#include "allocators/arena/align.hpp"
#include "allocators/arena/arena.hpp"
#include "allocators/arena/os_pages.hpp"
#include "allocators/core/traits.hpp"

namespace alloclab {

class PhaseArena {
 public:
  static constexpr std::size_t kMinBytes = std::size_t{1} << 20;
  static constexpr std::size_t kDefaultBytes = std::size_t{16} << 20;
  static constexpr std::size_t kMaxBytes = std::size_t{256} << 20;
  static constexpr Traits traits{"phase_arena",
                                 "bounded arena that rewinds when its last live block is freed",
                                 kFree | kRealloc | kReset, kMaxBytes, Arena::kMaxAlign};

  static std::size_t capacity_for(const Config& config) noexcept {
    const std::size_t want = config.expected_live_bytes == 0 ? kDefaultBytes
                                                             : config.expected_live_bytes;
    return round_up(std::clamp(want, kMinBytes, kMaxBytes), os_pages::page_size());
  }

  explicit PhaseArena(const Config& config) noexcept
      : region_(capacity_for(config)), arena_(region_.bytes()) {}
  PhaseArena(const PhaseArena&) = delete;
  PhaseArena& operator=(const PhaseArena&) = delete;

  // Hot path: the arena's bump. nullptr when the reservation is full.
  [[nodiscard]] void* allocate(std::size_t n, std::size_t align) noexcept {
    void* p = arena_.allocate(n, align);
    live_ += p != nullptr;
    return p;
  }

  // pre: p came from this arena with the same n (sized free).
  void deallocate(void* p, std::size_t n, std::size_t align) noexcept {
    if (--live_ == 0)
      arena_.reset();  // the phase is over: everything it allocated is free
    else
      arena_.deallocate(p, n, align);
  }

  // The arena's: in place for the newest block (or a shrink), else a copy; the old block is
  // then dead, so the live count stays.
  [[nodiscard]] void* reallocate(void* p, std::size_t old_n, std::size_t n, std::size_t align) noexcept {
    if (p == nullptr) return allocate(n, align);
    return arena_.reallocate(p, old_n, n, align);
  }

  void reset() noexcept {
    live_ = 0;
    arena_.reset();
  }

  // One range check: the reservation.
  [[nodiscard]] bool owns(const void* p) const noexcept { return arena_.owns(p); }

  [[nodiscard]] std::size_t live() const noexcept { return live_; }
  [[nodiscard]] std::size_t capacity() const noexcept { return region_.bytes().size(); }
  [[nodiscard]] std::size_t remaining() const noexcept { return arena_.remaining(); }

 private:
  // The reservation; declared before the arena, so it is unmapped after the arena is gone.
  class Region {
   public:
    explicit Region(std::size_t bytes) noexcept
        : base_(static_cast<std::byte*>(os_pages::reserve(bytes))), bytes_(base_ != nullptr ? bytes : 0) {}
    ~Region() {
      if (base_ != nullptr) os_pages::release(base_, bytes_);
    }
    Region(const Region&) = delete;
    Region& operator=(const Region&) = delete;
    std::span<std::byte> bytes() const noexcept { return {base_, bytes_}; }

   private:
    std::byte* base_;
    std::size_t bytes_;
  };

  Region region_;
  Arena arena_;
  std::size_t live_ = 0;
};

}  // namespace alloclab
