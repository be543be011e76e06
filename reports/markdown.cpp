// reports/markdown.cpp — the Markdown report: compact enough for a pull-request comment.
#include <fmt/format.h>

#include <algorithm>

#include "reports/format.hpp"
#include "reports/render.hpp"

namespace alloclab::reports {
namespace {

std::string ci_cell(const Summary& s) {
  if (!s.measured()) return std::string(kDash);
  return fmt::format("{} – {}{}", fmt_num(s.ci.lo), fmt_num(s.ci.hi), s.ci.order_statistic ? "" : " †");
}

std::string status_cell(const Summary& s) {
  if (s.status == model::Status::kOk) return "ok";
  return md_cell(fmt::format("**{}**: {}", model::status_name(s.status), s.error));
}

std::string p99_cell(const Summary& s) {
  const double a = s.percentile("alloc", "p99"), f = s.percentile("free", "p99");
  if (!present(a) && !present(f)) return std::string(kDash);
  return fmt::format("{} / {}", fmt_num(a), fmt_num(f));
}

template <class Pred>
bool any_row(const Group& g, Pred pred) {
  return std::any_of(g.rows.begin(), g.rows.end(), pred);
}

void group_table(std::string& out, const Group& g, const std::string& baseline) {
  const bool overhead = any_row(g, [](const Summary& s) { return present(s.overhead); });
  const bool latency = any_row(g, [](const Summary& s) { return !s.latency.empty(); });
  const bool instr = any_row(g, [](const Summary& s) { return present(s.instructions_per_op); });
  out += fmt::format("| allocator | median ns/op | Mops/s | 95% CI (ns/op) | × {} | peak RSS |",
                     md_cell(baseline));
  if (overhead) out += " overhead |";
  if (latency) out += " p99 alloc / free (ns) |";
  if (instr) out += " instructions/op |";
  out += " status |\n| --- | ---: | ---: | :---: | ---: | ---: |";
  if (overhead) out += " ---: |";
  if (latency) out += " ---: |";
  if (instr) out += " ---: |";
  out += " --- |\n";
  for (const Summary& s : g.rows) {
    const bool is_base = &s == g.baseline;
    out += fmt::format("| {}{}{} | {} | {} | {} | {} | {} |", is_base ? "_" : "",
                       md_cell(s.row->allocator), is_base ? "_" : "", fmt_num(s.median_ns),
                       fmt_num(s.mops), ci_cell(s), fmt_ratio(s.x_baseline), fmt_bytes(s.rss_peak_bytes));
    if (overhead) out += fmt::format(" {} |", fmt_ratio(s.overhead));
    if (latency) out += fmt::format(" {} |", p99_cell(s));
    if (instr) out += fmt::format(" {} |", fmt_num(s.instructions_per_op));
    out += fmt::format(" {} |\n", status_cell(s));
  }
}

void scaling_table(std::string& out, const Report& report, const Family& f) {
  out += fmt::format("### Thread scaling · {} (Mops/s, median)\n\n| allocator |", f.title());
  for (std::size_t gi : f.groups) {
    const double t = report.groups[gi].rows.front().row->threads();
    out += fmt::format(" {} {} |", t, t == 1 ? "thread" : "threads");
  }
  out += "\n| --- |";
  for (std::size_t i = 0; i < f.groups.size(); ++i) out += " ---: |";
  out += "\n";
  for (const std::string& alloc : report.allocators) {
    std::string line = fmt::format("| {} |", md_cell(alloc));
    bool any = false;
    for (std::size_t gi : f.groups) {
      const Group& g = report.groups[gi];
      auto it = std::find_if(g.rows.begin(), g.rows.end(),
                             [&](const Summary& s) { return s.row->allocator == alloc; });
      if (it == g.rows.end()) {
        line += " |";
        continue;
      }
      any = true;
      line += fmt::format(" {} |", it->ok() ? fmt_num(it->mops) : std::string(model::status_name(it->status)));
    }
    if (any) out += line + "\n";
  }
  out += "\n";
}

void environment(std::string& out, const Report& report) {
  out += "<details><summary>Environment</summary>\n\n";
  for (const Environment& env : report.results->environments) {
    out += fmt::format("**{}**\n\n", md_cell(env.file));
    for (const auto& [label, value] : env.facts) out += fmt::format("- {}: {}\n", label, md_cell(value));
    if (!env.command_line.empty()) out += fmt::format("- command line: `{}`\n", env.command_line);
    out += "\n";
  }
  out += "</details>\n";
}

}  // namespace

std::string render_markdown(const Report& report) {
  std::string out = "## alloclab report\n\n";
  std::size_t rows = 0;
  for (const Group& g : report.groups) rows += g.rows.size();
  std::string files;
  for (const std::string& f : report.results->files) files += (files.empty() ? "" : ", ") + ("`" + f + "`");
  const std::string reps = report.min_reps == report.max_reps
                               ? fmt::format("{}", report.min_reps)
                               : fmt::format("{}–{}", report.min_reps, report.max_reps);
  out += fmt::format(
      "{} rows in {} groups from {} · {} repetitions per row · baseline **{}** "
      "(× {} above 1 = faster than {}) · sorted fastest first\n\n",
      rows, report.groups.size(), files, reps, report.baseline, report.baseline, report.baseline);
  for (const Group& g : report.groups) {
    out += fmt::format("### {}\n\n**{}**\n\n", md_cell(g.title()), g.verdict);
    group_table(out, g, report.baseline);
    out += "\n";
  }
  for (const Family& f : report.families) scaling_table(out, report, f);
  out += fmt::format("<sub>{}. Figures are medians over the ok repetitions; peak RSS is the child "
                     "process's.</sub>\n\n",
                     ci_method_note(report));
  environment(out, report);
  return out;
}

}  // namespace alloclab::reports
