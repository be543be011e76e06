#include "analysis_text.hpp"

#include <fmt/format.h>

namespace alloclab::analysis {

std::string size_text(double b) {
  if (b >= 1024.0 * 1024 * 1024) return fmt::format("{:.2f} GiB", b / (1024.0 * 1024 * 1024));
  if (b >= 1024.0 * 1024) return fmt::format("{:.1f} MiB", b / (1024.0 * 1024));
  if (b >= 1024.0) return fmt::format("{:.1f} KiB", b / 1024.0);
  return fmt::format("{:.0f} B", b);
}

std::string render_text(const HeapAnalysis& a) {
  auto pct = [](double s) { return fmt::format("{:.1f} %", s * 100); };
  std::string o = fmt::format("{} calls, {} allocations, {} frees, {} reallocs, {} threads ({} frees of blocks "
                              "allocated before the recording)\n\n",
                              a.calls, a.allocations, a.frees, a.reallocs, a.threads, a.unknown_frees);
  o += fmt::format("{:<16} {:>10} {:>7} {:>10} {:>9} {:>12} {:>12} {:>14} {:>8}\n", "size class", "allocs", "share",
                   "bytes", "<=1000 life", "life p50", "life p90", fmt::format("p50 {}", a.time_unit), "remote");
  for (const SizeClass& c : a.classes) {
    const std::string range = c.hi == ~std::uint64_t{0} ? fmt::format("> {}", size_text(static_cast<double>(c.lo - 1)))
                                                       : fmt::format("{}-{}", c.lo, c.hi);
    o += fmt::format("{:<16} {:>10} {:>7} {:>10} {:>9} {:>12.0f} {:>12.0f} {:>14.0f} {:>8}\n", range, c.allocations,
                     pct(static_cast<double>(c.allocations) / static_cast<double>(std::max<std::uint64_t>(a.allocations, 1))),
                     size_text(static_cast<double>(c.bytes)),
                     pct(c.freed == 0 ? 0 : static_cast<double>(c.short_lived) / static_cast<double>(c.allocations)),
                     c.life_allocs_p50, c.life_allocs_p90, c.life_time_p50, c.remote_frees);
  }
  o += fmt::format("\nremote frees {} ({} of frees); LIFO frees {}; reallocs {} of allocating calls",
                   a.remote_frees, pct(a.remote_free_share), pct(a.lifo_share), pct(a.realloc_share));
  if (a.reallocs > 0) {
    o += fmt::format(", median growth {:.2f}x (", a.growth_median);
    for (std::size_t i = 0; i < a.growth.size(); ++i)
      o += fmt::format("{}{} {}", i == 0 ? "" : ", ", a.growth[i].label, a.growth[i].count);
    o += ")";
  }
  o += fmt::format("\nlive bytes: peak {} at call {}; {} frames (phases of >= {} allocations that release all), "
                   "{} of allocations, a median {:.0f} allocations each, {} of their frees after the last allocation\n",
                   size_text(static_cast<double>(a.peak_live_bytes)), a.peak_call, a.frames, kMinFrameAllocations,
                   pct(a.frame_share), a.frame_median_allocations, pct(a.released_together));
  o += fmt::format("\n{:<8} {:>10} {:>10} {:>8} {:>10} {:>10} {:>10} {:>7}\n", "thread", "allocs", "frees", "reallocs",
                   "remote", "handed off", "peak live", "frames");
  for (const ThreadFigures& t : a.per_thread)
    o += fmt::format("{:<8} {:>10} {:>10} {:>8} {:>10} {:>10} {:>10} {:>7}\n", t.thread, t.allocations, t.frees,
                     t.reallocs, t.remote_frees, t.handed_off, size_text(static_cast<double>(t.peak_live_bytes)), t.frames);
  o += "\nrecommendations:\n";
  for (const Recommendation& r : a.recommendations) o += fmt::format("- {}\n", r.reason);
  return o;
}

}  // namespace alloclab::analysis
