#include "table.hpp"

#include <fmt/color.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "sample_stats.hpp"

namespace alloclab {
namespace {

std::string bytes_text(double b) {
  if (b >= 1024.0 * 1024 * 1024) return fmt::format("{:.2f} GiB", b / (1024.0 * 1024 * 1024));
  if (b >= 1024.0 * 1024) return fmt::format("{:.1f} MiB", b / (1024.0 * 1024));
  return fmt::format("{:.0f} KiB", b / 1024.0);
}

}  // namespace

std::vector<Summary> summarize(const std::vector<Row>& rows) {
  std::map<std::string, std::vector<const Row*>> by_alloc;
  for (const Row& r : rows) by_alloc[r.allocator].push_back(&r);
  std::vector<Summary> out;
  for (const auto& [name, group] : by_alloc) {
    Summary s;
    s.allocator = name;
    std::vector<double> ns, rss;
    for (const Row* r : group) {
      if (r->m.status != Status::kOk) {
        s.status = r->m.status;
        s.error = r->m.error;
        continue;
      }
      ns.push_back(r->ns_per_op());
      rss.push_back(static_cast<double>(r->m.rss_peak));
    }
    s.ok_reps = static_cast<unsigned>(ns.size());
    if (!ns.empty()) {
      s.median_ns = median_of(ns);
      s.min_ns = *std::min_element(ns.begin(), ns.end());
      s.max_ns = *std::max_element(ns.begin(), ns.end());
      s.median_peak_rss = median_of(rss);
      s.cv = stddev_of(ns) / mean_of(ns);
    }
    out.push_back(std::move(s));
  }
  std::stable_sort(out.begin(), out.end(), [](const Summary& a, const Summary& b) {
    if ((a.ok_reps > 0) != (b.ok_reps > 0)) return a.ok_reps > 0;
    return a.median_ns < b.median_ns;
  });
  return out;
}

void print_table(std::FILE* out, const std::vector<Row>& rows, const std::string& baseline,
                 bool colour) {
  if (rows.empty()) return;
  const std::vector<Summary> sums = summarize(rows);
  double base_ns = 0;
  for (const Summary& s : sums)
    if (s.allocator == baseline && s.ok_reps > 0) base_ns = s.median_ns;

  const Row& first = rows.front();
  std::string title = first.name.substr(0, first.name.find('/'));
  for (const auto& [k, v] : first.params) title += fmt::format(" {}={}", k, v);
  if (!first.trace_file.empty()) title += " trace=" + first.trace_file;
  if (!first.size_histogram.empty()) title += " size_histogram=" + first.size_histogram;
  fmt::print(out, "{} touch={} ({} repetition{}, medians)\n", title, first.touch, first.repetitions,
             first.repetitions == 1 ? "" : "s");
  fmt::print(out, "{:<16} {:>9} {:>8} {:>17} {:>6} {:>9} {:>10}  {}\n", "allocator", "ns/op",
             "Mops/s", "min-max ns/op", "cv", "x " + baseline, "peak RSS", "status");
  for (const Summary& s : sums) {
    const std::string label = s.allocator == "null" ? "null (harness)" : s.allocator;
    if (s.ok_reps == 0) {
      fmt::print(out, "{:<16} {:>9} {:>8} {:>17} {:>6} {:>9} {:>10}  {}: {}\n", label, "-", "-",
                 "-", "-", "-", "-", status_name(s.status), s.error);
      continue;
    }
    const std::string ratio = base_ns > 0 ? fmt::format("{:.2f}", base_ns / s.median_ns) : "-";
    const std::string status =
        s.status == Status::kOk ? "ok" : fmt::format("{} ({})", status_name(s.status), s.error);
    std::string line = fmt::format("{:<16} {:>9.1f} {:>8.2f} {:>17} {:>5.1f}% {:>9} {:>10}  {}",
                                   label, s.median_ns, 1e3 / s.median_ns,
                                   fmt::format("{:.1f}-{:.1f}", s.min_ns, s.max_ns), s.cv * 100,
                                   ratio, bytes_text(s.median_peak_rss), status);
    if (colour && &s == &sums.front())
      fmt::print(out, fmt::emphasis::bold | fg(fmt::color::green), "{}\n", line);
    else
      fmt::print(out, "{}\n", line);
  }
}

}  // namespace alloclab
