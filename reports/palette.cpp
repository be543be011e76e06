// reports/palette.cpp — see palette.hpp.
#include "reports/palette.hpp"

#include <cstdint>

namespace alloclab::reports {

SeriesStyle style_at(std::size_t index) {
  index %= kStyles;
  return {kColours[index % kColours.size()], static_cast<Marker>(index % kMarkers)};
}

SeriesStyle series_style(std::string_view allocator) {
  for (std::size_t i = 0; i < kKnownAllocators.size(); ++i)
    if (kKnownAllocators[i] == allocator) return style_at(i);
  // FNV-1a: fixed by its definition, unlike std::hash.
  std::uint64_t h = 14695981039346656037ull;
  for (char c : allocator) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return style_at(kKnownAllocators.size() + h % (kStyles - kKnownAllocators.size()));
}

}  // namespace alloclab::reports
