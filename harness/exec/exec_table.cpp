#include "harness/exec/exec_table.hpp"

#include <fmt/color.h>
#include <fmt/format.h>

#include <algorithm>

#include "harness/table.hpp"
#include "model/stats.hpp"

namespace alloclab::exec {
namespace {

// Median of one figure over the ok repetitions of `allocator`.
template <class Get>
double median_of(const std::vector<model::Row>& rows, const std::string& allocator, Get get) {
  std::vector<double> v;
  for (const model::Row& r : rows)
    if (r.allocator == allocator && r.m.status == model::Status::kOk && r.m.program) v.push_back(get(r));
  return v.empty() ? model::kMissing : model::median(v);
}

// "2/2": the programs started that kept the allocator, of all started; "-" when none was.
std::string children_text(const std::vector<model::Row>& rows, const std::string& allocator) {
  for (const model::Row& r : rows)
    if (r.allocator == allocator && r.m.program && r.m.program->children > 0)
      return fmt::format("{}/{}", r.m.program->children_inherited, r.m.program->children);
  return "-";
}

}  // namespace

void print_exec_table(std::FILE* out, const std::vector<model::Row>& rows, const std::string& baseline, bool colour) {
  if (rows.empty()) return;
  const std::vector<AllocatorSummary> sums = summarize(rows);
  const model::RowSummary* base = nullptr;
  for (const AllocatorSummary& s : sums)
    if (s.allocator == baseline && s.summary.ok()) base = &s.summary;
  std::string metric;
  for (const model::Row& r : rows)
    if (r.m.program && !r.m.program->metric_name.empty()) metric = r.m.program->metric_name;

  const model::Row& first = rows.front();
  fmt::print(out, "exec {} ({} repetition{}, medians{})\n", first.command, first.repetitions,
             first.repetitions == 1 ? "" : "s", metric.empty() ? ", judged on wall time" : ", judged on " + metric);
  fmt::print(out, "{:<16} {:>9} {:>17} {:>6} {:>12} {:>9} {:>10} {:>8} {:>8} {:>8}  {}\n", "allocator", "wall s",
             "min-max s", "cv", metric.empty() ? "-" : metric, "x " + baseline, "peak RSS", "user s", "sys s",
             "children", "status");
  for (const AllocatorSummary& a : sums) {
    const model::RowSummary& s = a.summary;
    const double wall = median_of(rows, a.allocator, [](const model::Row& r) { return static_cast<double>(r.m.wall_ns) / 1e9; });
    if (!s.measured() || !model::present(wall)) {
      fmt::print(out, "{:<16} {:>9} {:>17} {:>6} {:>12} {:>9} {:>10} {:>8} {:>8} {:>8}  {}\n", a.allocator, "-",
                 "-", "-", "-", "-", "-", "-", "-", children_text(rows, a.allocator), s.status_text());
      continue;
    }
    double lo = wall, hi = wall;
    for (const model::Row& r : rows)
      if (r.allocator == a.allocator && r.m.status == model::Status::kOk) {
        const double w = static_cast<double>(r.m.wall_ns) / 1e9;
        lo = std::min(lo, w);
        hi = std::max(hi, w);
      }
    const double figure = median_of(rows, a.allocator, [](const model::Row& r) { return r.m.program->metric_value; });
    const std::string ratio =
        base != nullptr ? fmt::format("{:.2f}", model::times_baseline(*base, s)) : std::string("-");
    const std::string line = fmt::format(
        "{:<16} {:>9.3f} {:>17} {:>5.1f}% {:>12} {:>9} {:>10} {:>8.3f} {:>8.3f} {:>8}  {}", a.allocator, wall,
        fmt::format("{:.3f}-{:.3f}", lo, hi), s.cv * 100, metric.empty() ? "-" : fmt::format("{:.6g}", figure),
        ratio, bytes_text(s.rss_peak_bytes),
        median_of(rows, a.allocator, [](const model::Row& r) { return r.m.cpu.user_s; }),
        median_of(rows, a.allocator, [](const model::Row& r) { return r.m.cpu.sys_s; }),
        children_text(rows, a.allocator), s.status_text());
    if (colour && &a == &sums.front())
      fmt::print(out, fmt::emphasis::bold | fg(fmt::color::green), "{}\n", line);
    else
      fmt::print(out, "{}\n", line);
  }
  print_verdict(out, sums, baseline);
}

}  // namespace alloclab::exec
