// Names for composed allocators, built at compile time into static storage.
//
//   Named<Inner, "name", "summary">   Inner under a name and summary of its own, for a
//                                     composition that deserves one (object_pool_sc).
//   suffixed_name<A, "_locked">()     "<A's name>_locked": the name an adapter derives, so that
//                                     registering Locked<X> beside X does not clash.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <string_view>

#include "allocator.hpp"
#include "traits.hpp"

namespace alloclab {

// A string literal usable as a template argument: Named<A, "name", "...">.
template <std::size_t N>
struct fixed_string {
  char chars[N]{};
  constexpr fixed_string(const char (&s)[N]) noexcept { std::copy_n(s, N, chars); }
  constexpr std::string_view view() const noexcept { return {chars, N - 1}; }
};

namespace named_detail {

// One static array per (name, suffix) pair; the string_view handed out points into it.
template <std::string_view const& kHead, fixed_string kTail>
struct Joined {
  static constexpr auto chars = [] {
    std::array<char, kHead.size() + kTail.view().size()> s{};
    std::copy(kHead.begin(), kHead.end(), s.begin());
    std::copy(kTail.view().begin(), kTail.view().end(), s.begin() + kHead.size());
    return s;
  }();
  static constexpr std::string_view view{chars.data(), chars.size()};
};

template <class A>
inline constexpr std::string_view name_of = A::traits.name;
template <class A>
inline constexpr std::string_view summary_of = A::traits.summary;

}  // namespace named_detail

template <class A, fixed_string kSuffix>
constexpr std::string_view suffixed_name() noexcept {
  return named_detail::Joined<named_detail::name_of<A>, kSuffix>::view;
}

template <class A, fixed_string kSuffix>
constexpr std::string_view suffixed_summary() noexcept {
  return named_detail::Joined<named_detail::summary_of<A>, kSuffix>::view;
}

// Inner with its own name and summary; everything else (capabilities, limits, the API) is
// Inner's, inherited, so the hot path is Inner's own.
template <Allocator Inner, fixed_string kName, fixed_string kSummary>
class Named : public Inner {
 public:
  static constexpr Traits traits{kName.view(), kSummary.view(), Inner::traits.caps,
                                 Inner::traits.max_size, Inner::traits.max_align};
  using Inner::Inner;
};

}  // namespace alloclab
