// Segregator<kThreshold, Small, Large>: requests up to kThreshold bytes go to Small, the rest to
// Large (D's std.experimental.allocator Segregator). A pool in front of a general allocator:
//   using SmallPoolMempool = Named<Segregator<256, ObjectPoolSizeClassed, MempoolAllocator>,
//                                  "small_pool+mempool", "...">;
//
// Routing is a pure function of (size, align), which the sized free repeats: a block's part is
// found from the size it is freed with, so neither part needs `owns`. A request Small cannot
// take by its alignment (align > Small's max_align) goes to Large, whatever its size.
//
// Capabilities, derived from the parts (mix_parts.hpp): free as both (kFree, else kFreeLast),
// realloc whenever both free (a part without realloc resizes by a move inside itself; a block
// that crosses the threshold moves to the other part, min(old, new) bytes copied), reset /
// thread-safe / cross-thread free where both have them. max_size and max_align are Large's.
// A kFixedSize Small is built with Config::block_size = kThreshold.
#pragma once

#include <cstddef>

#include "allocator.hpp"
#include "mix_parts.hpp"
#include "traits.hpp"

namespace alloclab {

template <std::size_t kThreshold, Allocator Small, Allocator Large>
class Segregator {
  static_assert(Small::traits.max_size >= kThreshold, "Small must serve every size up to kThreshold");
  static_assert(!has_cap(Large::traits.caps, kFixedSize), "Large serves every size above kThreshold");

 public:
  static constexpr std::size_t threshold = kThreshold;
  // "<small>+<large>"; Named<Segregator<...>, ...> gives a mix its own name and summary.
  static constexpr Traits traits{
      mix_detail::plus_name<Small, Large>,
      "requests up to a threshold to the first part, larger ones to the second",
      mix_detail::pair_caps(Small::traits.caps & ~std::uint32_t{kFixedSize}, Large::traits.caps),
      Large::traits.max_size, Large::traits.max_align};

  explicit Segregator(const Config& config) noexcept(noexcept(Small(config)) && noexcept(Large(config)))
      : small_(small_config(config)), large_(config) {}
  Segregator(const Segregator&) = delete;
  Segregator& operator=(const Segregator&) = delete;

  // Which part serves (n, align); allocate, free and realloc all ask this.
  static constexpr bool is_small(std::size_t n, std::size_t align) noexcept {
    return n <= kThreshold && align <= Small::traits.max_align;
  }

  // Hot path: one compare picks the part.
  [[nodiscard]] void* allocate(std::size_t n, std::size_t align) noexcept {
    return is_small(n, align) ? small_.allocate(n, align) : large_.allocate(n, align);
  }

  // pre: p came from allocate(n, align) of this mix (or from reallocate to n).
  void deallocate(void* p, std::size_t n, std::size_t align) noexcept
    requires Deallocating<Small> && Deallocating<Large>
  {
    if (is_small(n, align))
      small_.deallocate(p, n, align);
    else
      large_.deallocate(p, n, align);
  }

  [[nodiscard]] void* reallocate(void* p, std::size_t old_n, std::size_t n, std::size_t align) noexcept
    requires Deallocating<Small> && Deallocating<Large>
  {
    if (n > traits.max_size) return nullptr;
    const bool was_small = is_small(old_n, align), small = is_small(n, align);
    if (was_small == small)
      return small ? mix_detail::resize_in(small_, p, old_n, n, align)
                   : mix_detail::resize_in(large_, p, old_n, n, align);
    return small ? mix_detail::move_block(large_, small_, p, old_n, n, align)
                 : mix_detail::move_block(small_, large_, p, old_n, n, align);
  }

  void reset() noexcept
    requires Resettable<Small> && Resettable<Large>
  {
    small_.reset();
    large_.reset();
  }

  [[nodiscard]] bool owns(const void* p) const noexcept
    requires Owning<Small> && Owning<Large>
  {
    return small_.owns(p) || large_.owns(p);
  }

  [[nodiscard]] Small& small() noexcept { return small_; }
  [[nodiscard]] Large& large() noexcept { return large_; }

 private:
  static Config small_config(Config config) noexcept {
    if (has_cap(Small::traits.caps, kFixedSize)) config.block_size = kThreshold;
    return config;
  }

  Small small_;
  Large large_;
};

}  // namespace alloclab
