// Fallback<Primary, Secondary>: Primary serves what it can; when it returns nullptr (full, or
// the request is beyond its limits) Secondary does (D's FallbackAllocator). A bounded arena in
// front of a general allocator:
//   using ArenaMempool = Named<Fallback<PhaseArena, MempoolAllocator>, "arena+mempool", "...">;
//
// Free and realloc are routed by Primary's `owns(p)` (mix_parts.hpp), which must be cheap: it
// runs on every free. A block stays in the part that holds it; a Primary block that cannot grow
// in place (Primary full) moves to Secondary, min(old, new) bytes copied. Secondary needs no
// `owns`; the mix offers one when both parts do, so a Fallback can itself be a Primary.
//
// Capabilities, derived from the parts: as Segregator's (free as both, realloc whenever both
// free, reset / thread-safe / cross-thread free where both have them). max_size and max_align
// are the larger of the parts'; each part is asked only for requests within its own limits.
#pragma once

#include <algorithm>
#include <cstddef>

#include "allocator.hpp"
#include "mix_parts.hpp"
#include "traits.hpp"

namespace alloclab {

template <Allocator Primary, Allocator Secondary>
  requires Owning<Primary>
class Fallback {
  static_assert(!has_cap(Primary::traits.caps, kFixedSize) &&
                    !has_cap(Secondary::traits.caps, kFixedSize),
                "a Fallback's parts serve any size (a fixed-size pool belongs in a Segregator)");

 public:
  // "<primary>+<secondary>"; Named<Fallback<...>, ...> gives a mix its own name and summary.
  static constexpr Traits traits{
      mix_detail::plus_name<Primary, Secondary>,
      "the first part while it has room, the second after it",
      mix_detail::pair_caps(Primary::traits.caps, Secondary::traits.caps),
      std::max(Primary::traits.max_size, Secondary::traits.max_size),
      std::max(Primary::traits.max_align, Secondary::traits.max_align)};

  explicit Fallback(const Config& config) noexcept(noexcept(Primary(config)) &&
                                                   noexcept(Secondary(config)))
      : primary_(config), secondary_(config) {}
  Fallback(const Fallback&) = delete;
  Fallback& operator=(const Fallback&) = delete;

  // Hot path: Primary's, with Secondary behind its nullptr.
  [[nodiscard]] void* allocate(std::size_t n, std::size_t align) noexcept {
    if (mix_detail::serves<Primary>(n, align)) [[likely]]
      if (void* p = primary_.allocate(n, align)) [[likely]]
        return p;
    return mix_detail::serves<Secondary>(n, align) ? secondary_.allocate(n, align) : nullptr;
  }

  // pre: p came from allocate(n, align) of this mix (or from reallocate to n).
  void deallocate(void* p, std::size_t n, std::size_t align) noexcept
    requires Deallocating<Primary> && Deallocating<Secondary>
  {
    if (primary_.owns(p))
      primary_.deallocate(p, n, align);
    else
      secondary_.deallocate(p, n, align);
  }

  [[nodiscard]] void* reallocate(void* p, std::size_t old_n, std::size_t n, std::size_t align) noexcept
    requires Deallocating<Primary> && Deallocating<Secondary>
  {
    if (p == nullptr) return allocate(n, align);
    if (!primary_.owns(p))
      return mix_detail::serves<Secondary>(n, align)
                 ? mix_detail::resize_in(secondary_, p, old_n, n, align)
                 : nullptr;
    if (mix_detail::serves<Primary>(n, align))
      if (void* q = mix_detail::resize_in(primary_, p, old_n, n, align)) return q;
    return mix_detail::serves<Secondary>(n, align)
               ? mix_detail::move_block(primary_, secondary_, p, old_n, n, align)
               : nullptr;
  }

  void reset() noexcept
    requires Resettable<Primary> && Resettable<Secondary>
  {
    primary_.reset();
    secondary_.reset();
  }

  [[nodiscard]] bool owns(const void* p) const noexcept
    requires Owning<Secondary>
  {
    return primary_.owns(p) || secondary_.owns(p);
  }

  [[nodiscard]] Primary& primary() noexcept { return primary_; }
  [[nodiscard]] Secondary& secondary() noexcept { return secondary_; }

 private:
  Primary primary_;
  Secondary secondary_;
};

}  // namespace alloclab
