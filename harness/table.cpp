#include "table.hpp"

#include <fmt/color.h>
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "model/floor.hpp"
#include "model/param_text.hpp"

namespace alloclab {

std::string bytes_text(double b) {
  if (b >= 1024.0 * 1024 * 1024) return fmt::format("{:.2f} GiB", b / (1024.0 * 1024 * 1024));
  if (b >= 1024.0 * 1024) return fmt::format("{:.1f} MiB", b / (1024.0 * 1024));
  return fmt::format("{:.0f} KiB", b / 1024.0);
}

std::vector<AllocatorSummary> summarize(const std::vector<Row>& rows) {
  std::map<std::string, std::vector<model::Repetition>> by_alloc;
  for (const Row& r : rows) by_alloc[r.allocator].push_back(model::repetition_of(r.m));
  std::vector<AllocatorSummary> out;
  out.reserve(by_alloc.size());  // summaries point into reps: no reallocation after this
  for (auto& [name, reps] : by_alloc) {
    out.push_back(AllocatorSummary{name, std::move(reps), {}});
    out.back().summary = model::summarize_repetitions(out.back().reps);
  }
  std::stable_sort(out.begin(), out.end(), [](const AllocatorSummary& a, const AllocatorSummary& b) {
    return model::ranks_before(a.summary, a.allocator, b.summary, b.allocator);
  });
  return out;
}

void print_table(std::FILE* out, const std::vector<Row>& rows, const std::string& baseline,
                 bool colour, const model::RssBudget& budget) {
  if (rows.empty()) return;
  const std::vector<AllocatorSummary> sums = summarize(rows);
  const model::RowSummary* base = nullptr;
  const model::RowSummary* floor = nullptr;  // null's row: "above floor" is each row minus it
  for (const AllocatorSummary& s : sums) {
    if (s.allocator == baseline && s.summary.ok()) base = &s.summary;
    if (s.allocator == model::kFloorAllocator && s.summary.ok()) floor = &s.summary;
  }

  const Row& first = rows.front();
  std::string title = first.name.substr(0, first.name.find('/'));
  for (const auto& [k, v] : first.params) title += fmt::format(" {}={}", k, model::param_value_text(k, std::to_string(v)));
  if (!first.trace_file.empty()) title += " trace=" + first.trace_file;
  if (!first.size_histogram.empty()) title += " size_histogram=" + first.size_histogram;
  fmt::print(out, "{} touch={} ({} repetition{}, medians)\n", title, first.touch, first.repetitions,
             first.repetitions == 1 ? "" : "s");
  // Counted under callgrind (--measure instructions): instructions/op is the figure rows rank
  // and compare by (model::compare_instructions); its ns/op is callgrind's slowed time.
  const bool counted = std::any_of(sums.begin(), sums.end(), [](const AllocatorSummary& a) {
    return a.summary.measured() && a.summary.counted;
  });
  auto instr_cell = [counted](const model::RowSummary& s) {
    if (!counted) return std::string();
    return s.measured() ? fmt::format(" {:>9.1f}", s.instructions_per_op) : fmt::format(" {:>9}", "-");
  };
  fmt::print(out, "{:<16} {:>9}{} {:>8} {:>17} {:>6} {:>9} {:>12} {:>10}  {}\n", "allocator", "ns/op",
             counted ? fmt::format(" {:>9}", "instr/op") : "", "Mops/s", "min-max ns/op", "cv", "x " + baseline,
             "above floor", "peak RSS", "status");
  for (const AllocatorSummary& a : sums) {
    const model::RowSummary& s = a.summary;
    const std::string label = a.allocator == "null" ? "null (harness)" : a.allocator;
    if (!s.measured()) {
      fmt::print(out, "{:<16} {:>9}{} {:>8} {:>17} {:>6} {:>9} {:>12} {:>10}  {}\n", label, "-", instr_cell(s), "-",
                 "-", "-", "-", "-", "-", s.status_text());
      continue;
    }
    const std::string ratio =
        base != nullptr ? fmt::format("{:.2f}", model::times_baseline(*base, s)) : std::string("-");
    const std::string above = model::above_floor_text(s, floor, a.allocator == model::kFloorAllocator);
    std::string line = fmt::format("{:<16} {:>9.1f}{} {:>8.2f} {:>17} {:>5.1f}% {:>9} {:>12} {:>10}  {}", label,
                                   s.median_ns, instr_cell(s), s.mops, fmt::format("{:.1f}-{:.1f}", s.min_ns, s.max_ns),
                                   s.cv * 100, ratio, above, bytes_text(s.rss_peak_bytes), s.status_with_marks());
    if (colour && &a == &sums.front())
      fmt::print(out, fmt::emphasis::bold | fg(fmt::color::green), "{}\n", line);
    else
      fmt::print(out, "{}\n", line);
  }
  print_verdict(out, sums, baseline, budget);
}

void print_verdict(std::FILE* out, const std::vector<AllocatorSummary>& sums, const std::string& baseline,
                   const model::RssBudget& budget) {
  // The harness's own floor (null) is listed but never judged, as in `alloclab report`.
  std::vector<model::Contender> contenders;
  for (const AllocatorSummary& a : sums)
    if (a.summary.ok() && a.allocator != "null") contenders.push_back(model::contender_of(a.allocator, a.reps));
  const model::Verdict v = model::decide(contenders, baseline, budget);
  fmt::print(out, "verdict: {}.\n", v.sentence);
  if (!v.budget_sentence.empty()) fmt::print(out, "{}.\n", v.budget_sentence);
}

}  // namespace alloclab
