// What the two mixes (Segregator, Fallback) share: the capabilities a pair of parts gives the
// mix, the `owns` a part may offer, and moving a block between parts (realloc across them).
//
// Glossary
//   part  - one of the allocators a mix is made of; the mix owns one instance of each.
//   owns  - `bool owns(const void* p) const noexcept`: p lies in memory this part hands out.
//           It must be cheap (an address-range check, a page-map lookup): Fallback asks it on
//           every free. pre: p is a live block of some allocator (or nullptr).
//   move  - allocate in the target part, copy min(old, new) bytes, free in the source part.
#pragma once

#include <algorithm>
#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "allocator.hpp"
#include "named.hpp"
#include "traits.hpp"

namespace alloclab {

template <class A>
concept Owning = requires(const A& a, const void* p) {
  { a.owns(p) } noexcept -> std::same_as<bool>;
};

namespace mix_detail {

// kFree when both parts reuse any block; kFreeLast when either reuses only its newest.
constexpr std::uint32_t free_caps(std::uint32_t a, std::uint32_t b) noexcept {
  if (has_cap(a, kFree) && has_cap(b, kFree)) return kFree;
  constexpr std::uint32_t kAnyFree = kFree | kFreeLast;
  return ((a & kAnyFree) != 0 && (b & kAnyFree) != 0) ? kFreeLast : 0u;
}

// A mix can do what both parts can; it can resize whenever both free (a part without realloc
// resizes by a move inside itself), and a block can then also move from one part to the other.
constexpr std::uint32_t pair_caps(std::uint32_t a, std::uint32_t b) noexcept {
  const std::uint32_t freeing = free_caps(a, b);
  return freeing | (freeing != 0 ? std::uint32_t{kRealloc} : 0u) |
         (a & b & (kReset | kThreadSafe | kCrossThreadFree));
}
static_assert(pair_caps(kFree, kFree | kRealloc | kThreadSafe) == (kFree | kRealloc));
static_assert(pair_caps(kFreeLast | kReset, kFree | kReset) == (kFreeLast | kRealloc | kReset));
static_assert(pair_caps(kReset, kFree) == 0);

// Whether part A may be asked for (n, align) at all: its preconditions, checked before the
// call. Folds to `true` where A's limits cover the mix's.
template <class A>
constexpr bool serves(std::size_t n, std::size_t align) noexcept {
  return n <= A::traits.max_size && align <= A::traits.max_align;
}

// "<a>+<b>": the name a mix derives from its parts' names.
template <std::string_view const& kA, std::string_view const& kB>
struct PlusName {
  static constexpr auto chars = [] {
    std::array<char, kA.size() + 1 + kB.size()> s{};
    std::copy(kA.begin(), kA.end(), s.begin());
    s[kA.size()] = '+';
    std::copy(kB.begin(), kB.end(), s.begin() + kA.size() + 1);
    return s;
  }();
  static constexpr std::string_view view{chars.data(), chars.size()};
};

template <class A, class B>
inline constexpr std::string_view plus_name =
    PlusName<named_detail::name_of<A>, named_detail::name_of<B>>::view;

// Moves p (old_n bytes, from `from`) to a new block of `to`; nullptr (p still valid) when `to`
// has no room. pre: serves<To>(n, align).
template <class From, class To>
void* move_block(From& from, To& to, void* p, std::size_t old_n, std::size_t n,
                 std::size_t align) noexcept {
  void* q = to.allocate(n, align);
  if (q == nullptr) return nullptr;
  if (p != nullptr) {
    std::memcpy(q, p, std::min(old_n, n));
    from.deallocate(p, old_n, align);
  }
  return q;
}

// Resizes p inside one part: its own reallocate where it has one, else a move within it.
template <class P>
void* resize_in(P& part, void* p, std::size_t old_n, std::size_t n, std::size_t align) noexcept {
  if constexpr (Reallocating<P>)
    return part.reallocate(p, old_n, n, align);
  else
    return move_block(part, part, p, old_n, n, align);
}

}  // namespace mix_detail
}  // namespace alloclab
