#include "analysis_text.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace alloclab::analysis {

std::string size_text(double b) {
  if (b >= 1024.0 * 1024 * 1024) return fmt::format("{:.2f} GiB", b / (1024.0 * 1024 * 1024));
  if (b >= 1024.0 * 1024) return fmt::format("{:.1f} MiB", b / (1024.0 * 1024));
  if (b >= 1024.0) return fmt::format("{:.1f} KiB", b / 1024.0);
  return fmt::format("{:.0f} B", b);
}

namespace {

std::string pct(double s) { return fmt::format("{:.1f} %", s * 100); }

std::string class_range(const SizeClass& c) {
  return c.hi == ~std::uint64_t{0} ? fmt::format("> {}", size_text(static_cast<double>(c.lo - 1)))
                                   : fmt::format("{}-{}", c.lo, c.hi);
}

std::string class_share(const HeapAnalysis& a, const SizeClass& c) {
  return pct(static_cast<double>(c.allocations) / static_cast<double>(std::max<std::uint64_t>(a.allocations, 1)));
}

std::string short_lived_share(const SizeClass& c) {
  return pct(c.freed == 0 ? 0 : static_cast<double>(c.short_lived) / static_cast<double>(c.allocations));
}

std::string totals_line(const HeapAnalysis& a) {
  return fmt::format("{} calls, {} allocations, {} frees, {} reallocs, {} threads ({} frees of blocks allocated "
                     "before the recording)",
                     a.calls, a.allocations, a.frees, a.reallocs, a.threads, a.unknown_frees);
}

std::string frees_line(const HeapAnalysis& a) {
  std::string o = fmt::format("remote frees {} ({} of frees); LIFO frees {}; reallocs {} of allocating calls",
                              a.remote_frees, pct(a.remote_free_share), pct(a.lifo_share), pct(a.realloc_share));
  if (a.reallocs > 0) {
    o += fmt::format(", median growth {:.2f}x (", a.growth_median);
    for (std::size_t i = 0; i < a.growth.size(); ++i)
      o += fmt::format("{}{} {}", i == 0 ? "" : ", ", a.growth[i].label, a.growth[i].count);
    o += ")";
  }
  return o;
}

std::string live_line(const HeapAnalysis& a) {
  return fmt::format("live bytes: peak {} at call {}; {} frames (phases of >= {} allocations that release all), "
                     "{} of allocations, a median {:.0f} allocations each, {} of their frees after the last allocation",
                     size_text(static_cast<double>(a.peak_live_bytes)), a.peak_call, a.frames, kMinFrameAllocations,
                     pct(a.frame_share), a.frame_median_allocations, pct(a.released_together));
}

}  // namespace

std::string render_text(const HeapAnalysis& a) {
  std::string o = fmt::format("{}\n\n", totals_line(a));
  o += fmt::format("{:<16} {:>10} {:>7} {:>10} {:>9} {:>12} {:>12} {:>14} {:>8}\n", "size class", "allocs", "share",
                   "bytes", "<=1000 life", "life p50", "life p90", fmt::format("p50 {}", a.time_unit), "remote");
  for (const SizeClass& c : a.classes)
    o += fmt::format("{:<16} {:>10} {:>7} {:>10} {:>9} {:>12.0f} {:>12.0f} {:>14.0f} {:>8}\n", class_range(c),
                     c.allocations, class_share(a, c), size_text(static_cast<double>(c.bytes)), short_lived_share(c),
                     c.life_allocs_p50, c.life_allocs_p90, c.life_time_p50, c.remote_frees);
  o += fmt::format("\n{}\n{}\n", frees_line(a), live_line(a));
  o += fmt::format("\n{:<8} {:>10} {:>10} {:>8} {:>10} {:>10} {:>10} {:>7}\n", "thread", "allocs", "frees", "reallocs",
                   "remote", "handed off", "peak live", "frames");
  for (const ThreadFigures& t : a.per_thread)
    o += fmt::format("{:<8} {:>10} {:>10} {:>8} {:>10} {:>10} {:>10} {:>7}\n", t.thread, t.allocations, t.frees,
                     t.reallocs, t.remote_frees, t.handed_off, size_text(static_cast<double>(t.peak_live_bytes)), t.frames);
  o += "\nrecommendations:\n";
  for (const Recommendation& r : a.recommendations) o += fmt::format("- {}\n", r.reason);
  return o;
}

std::string render_markdown(const HeapAnalysis& a, const std::vector<std::string>& backings) {
  std::string o = fmt::format("## Heap behaviour\n\n{}.\n\n", totals_line(a));
  o += fmt::format("| size class | allocs | share | bytes | dies within 1000 | life p50 | life p90 | p50 {} | remote frees |\n"
                   "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n",
                   a.time_unit);
  for (const SizeClass& c : a.classes)
    o += fmt::format("| {} | {} | {} | {} | {} | {:.0f} | {:.0f} | {:.0f} | {} |\n", class_range(c), c.allocations,
                     class_share(a, c), size_text(static_cast<double>(c.bytes)), short_lived_share(c),
                     c.life_allocs_p50, c.life_allocs_p90, c.life_time_p50, c.remote_frees);
  o += fmt::format("\n{}.\n\n{}.\n\n", frees_line(a), live_line(a));
  o += "| thread | allocs | frees | reallocs | remote frees | handed off | peak live | frames |\n"
       "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n";
  for (const ThreadFigures& t : a.per_thread)
    o += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} |\n", t.thread, t.allocations, t.frees, t.reallocs,
                     t.remote_frees, t.handed_off, size_text(static_cast<double>(t.peak_live_bytes)), t.frames);
  o += "\n### Recommendations\n\n";
  for (std::size_t i = 0; i < a.recommendations.size(); ++i) {
    o += fmt::format("- {}\n", a.recommendations[i].reason);
    if (i < backings.size()) o += fmt::format("  - measured: {}\n", backings[i]);
  }
  return o;
}

std::string render_backings(const HeapAnalysis& a, const std::vector<std::string>& backings) {
  std::string o = "\nrecommendations, measured:\n";
  for (std::size_t i = 0; i < a.recommendations.size() && i < backings.size(); ++i)
    o += fmt::format("- {}\n  {}\n", a.recommendations[i].reason, backings[i]);
  return o;
}

}  // namespace alloclab::analysis
