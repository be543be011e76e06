// reports/palette.hpp — each allocator's series style (colour + marker shape), the same in
// every report: a fixed one for the allocators this tree knows, a name-hash one for others.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace alloclab::reports {

enum class Marker { kCircle, kSquare, kTriangle, kDiamond, kTriangleDown };

struct SeriesStyle {
  std::string_view colour;  // "#rrggbb"
  Marker marker;
  bool operator==(const SeriesStyle&) const = default;
};

// Paul Tol's "muted" scheme (colour-blind safe, apart from the greys of axes and text). With
// 9 colours and 5 markers (coprime), style i = (colour i % 9, marker i % 5) is distinct for
// the first 45 indices.
inline constexpr std::array<std::string_view, 9> kColours = {
    "#332288", "#cc6677", "#117733", "#88ccee", "#882255", "#44aa99", "#ddcc77", "#aa4499", "#999933"};
inline constexpr std::size_t kMarkers = 5;
inline constexpr std::size_t kStyles = kColours.size() * kMarkers;

// Known names, in style order: the first nine have nine different colours.
inline constexpr std::array<std::string_view, 17> kKnownAllocators = {
    "glibc",    "jemalloc",      "mimalloc",      "tcmalloc",   "tbbmalloc",    "mempool",
    "arena",    "object_pool",   "pmr_pool",      "mempool-preload", "chunk_pool", "pmr_monotonic",
    "pmr_sync_pool", "boost_pool", "boost_pool_sc", "object_pool_sc", "null"};

SeriesStyle style_at(std::size_t index);
// Known names: their fixed style; others: one of the styles no known name has, by a hash of
// the name (stable across runs and builds).
SeriesStyle series_style(std::string_view allocator);

}  // namespace alloclab::reports
