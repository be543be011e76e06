// reports/markdown.cpp — the Markdown report: compact enough for a pull-request comment.
#include <fmt/format.h>

#include <algorithm>

#include "reports/aged.hpp"
#include "reports/check_section.hpp"
#include "reports/suite_section.hpp"
#include "reports/format.hpp"
#include "reports/render.hpp"

namespace alloclab::reports {
namespace {

std::string ci_cell(const Summary& s) {
  if (!s.measured()) return std::string(kDash);
  return fmt::format("{} – {}{}", fmt_num(s.ci.lo), fmt_num(s.ci.hi), s.ci.order_statistic ? "" : " †");
}

std::string status_cell(const Summary& s) {
  const std::string marks = s.marks_text();  // figures that cannot be trusted, in italics
  const std::string tail = marks.empty() ? "" : md_cell(fmt::format("; _{}_", marks));
  if (s.status == model::Status::kOk) return "ok" + tail;
  return md_cell(fmt::format("**{}**: {}", model::status_name(s.status), s.error)) + tail;
}

std::string p99_cell(const Summary& s) {
  const double a = s.percentile("alloc", "p99"), f = s.percentile("free", "p99");
  if (!present(a) && !present(f)) return std::string(kDash);
  return fmt::format("{} / {}", fmt_num(a), fmt_num(f));
}

const model::Entry* entry_of(const model::Verdict& v, const std::string& name) {
  for (const model::Entry& e : v.entries)
    if (e.name == name) return &e;
  return nullptr;
}

// Where the row stands on time and memory together: on the frontier, or dominated by whom.
std::string tradeoff_cell(const Group& g, const Summary& s) {
  const model::Verdict& v = g.decision;
  for (std::size_t i : v.frontier)
    if (v.entries[i].name == s.row->allocator) return "frontier";
  for (const model::Domination& d : v.dominated)
    if (v.entries[d.loser].name == s.row->allocator) return "dominated by " + md_cell(v.entries[d.winner].name);
  return std::string(kDash);
}

template <class Pred>
bool any_row(const Group& g, Pred pred) {
  return std::any_of(g.rows.begin(), g.rows.end(), pred);
}

void group_table(std::string& out, const Group& g, const std::string& baseline) {
  const bool overhead = any_row(g, [](const Summary& s) { return present(s.overhead); });
  const bool latency = any_row(g, [](const Summary& s) { return !s.latency.empty(); });
  const bool instr = any_row(g, [](const Summary& s) { return present(s.instructions_per_op); });
  const bool tradeoff = g.decision.frontier.size() + g.decision.dominated.size() >= 2;
  const bool floor = g.floor != nullptr;
  out += fmt::format("| allocator | median ns/op | Mops/s | 95% CI (ns/op) | × {} | peak RSS |",
                     md_cell(baseline));
  if (floor) out += " above floor |";
  if (tradeoff) out += " time–memory |";
  if (overhead) out += " overhead |";
  if (latency) out += " p99 alloc / free (ns) |";
  if (instr) out += " instructions/op |";
  out += " status |\n| --- | ---: | ---: | :---: | ---: | ---: |";
  if (floor) out += " ---: |";
  if (tradeoff) out += " --- |";
  if (overhead) out += " ---: |";
  if (latency) out += " ---: |";
  if (instr) out += " ---: |";
  out += " --- |\n";
  for (const Summary& s : g.rows) {
    const bool is_base = &s == g.baseline;
    out += fmt::format("| {}{}{} | {} | {} | {} | {} | {} |", is_base ? "_" : "",
                       md_cell(s.row->allocator), is_base ? "_" : "", fmt_num(s.median_ns),
                       fmt_num(s.mops), ci_cell(s), fmt_ratio(s.x_baseline), fmt_bytes(s.rss_peak_bytes));
    if (floor) out += fmt::format(" {} |", g.above_floor(s));
    if (tradeoff) out += fmt::format(" {} |", tradeoff_cell(g, s));
    if (overhead) out += fmt::format(" {} |", fmt_ratio(s.overhead));
    if (latency) out += fmt::format(" {} |", p99_cell(s));
    if (instr) out += fmt::format(" {} |", fmt_num(s.instructions_per_op));
    out += fmt::format(" {} |\n", status_cell(s));
  }
}

// A sweep as one table: one line per allocator, one column per point, then the verdict per
// point and where the lead changes hands.
void sweep_table(std::string& out, const Report& report, const Sweep& sw) {
  const model::Verdict& first = report.groups[sw.groups.front()].decision;
  out += fmt::format("### {}\n\nmedian {} · peak RSS per {}\n\n| allocator |", md_cell(sw.title()),
                     model::metric_unit(first.metric), md_cell(sw.param_label()));
  for (std::size_t i = 0; i < sw.values.size(); ++i) out += fmt::format(" {} |", md_cell(sw.point_label(i)));
  out += "\n| --- |";
  for (std::size_t i = 0; i < sw.values.size(); ++i) out += " ---: |";
  out += "\n";
  for (const std::string& alloc : report.allocators) {
    std::string line = fmt::format("| {} |", md_cell(alloc));
    bool any = false;
    for (std::size_t gi : sw.groups) {
      const Group& g = report.groups[gi];
      const model::Entry* e = entry_of(g.decision, alloc);
      const auto row = std::find_if(g.rows.begin(), g.rows.end(), [&](const Summary& s) { return s.row->allocator == alloc; });
      if (e != nullptr) {
        line += fmt::format(" {} · {} |", fmt_num(e->time.median), fmt_bytes(e->rss.median));
        any = true;
      } else if (row != g.rows.end()) {
        line += fmt::format(" {} |", model::status_name(row->status));
        any = true;
      } else {
        line += " |";
      }
    }
    if (any) out += line + "\n";
  }
  out += "\n";
  for (std::size_t i = 0; i < sw.groups.size(); ++i)
    out += fmt::format("- {}: {}\n", md_cell(sw.point_label(i)), md_cell(report.groups[sw.groups[i]].decision.headline));
  out += fmt::format("\n**{}**\n\n", sw.lead_sentence(report.groups));
}

void scoreboard_table(std::string& out, const Report& report) {
  std::size_t judged = 0;
  for (const Group& g : report.groups) if (g.decision.entries.size() >= 2) ++judged;
  out += fmt::format(
      "### Scoreboard over {} groups\n\n| allocator | × {} (geometric mean) | 95% CI over groups | groups | on the "
      "time–memory frontier | worst group (× {}) |\n| --- | ---: | :---: | ---: | ---: | --- |\n",
      judged, md_cell(report.baseline), md_cell(report.baseline));
  for (const ScoreLine& l : report.scoreboard) {
    const std::string ci = l.groups >= 2 ? fmt::format("{} – {}", fmt_ratio(l.lo), fmt_ratio(l.hi)) : std::string(kDash);
    const std::string worst = l.worst_group.empty() || l.allocator == report.baseline ? std::string(kDash)
                                                    : fmt::format("{} ({})", md_cell(l.worst_group), fmt_ratio(l.worst));
    out += fmt::format("| {} | {} | {} | {} | {} of {} | {} |\n", md_cell(l.allocator), fmt_ratio(l.geomean), ci,
                       l.groups, l.on_frontier, l.with_memory, worst);
  }
  out += "\n";
}

void environment(std::string& out, const Report& report) {
  out += "<details><summary>Environment</summary>\n\n";
  for (const Environment& env : report.results->environments) {
    out += fmt::format("**{}**\n\n", md_cell(env.file));
    for (const auto& [label, value] : env.facts) out += fmt::format("- {}: {}\n", md_cell(label), md_cell(value));
    if (!env.command_line.empty()) out += fmt::format("- command line: {}\n", md_code(env.command_line));
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
  for (const std::string& f : report.results->files) files += (files.empty() ? "" : ", ") + md_code(f);
  const std::string reps = report.min_reps == report.max_reps
                               ? fmt::format("{}", report.min_reps)
                               : fmt::format("{}–{}", report.min_reps, report.max_reps);
  out += fmt::format(
      "{} rows in {} groups from {} · {} repetitions per row · baseline **{}** "
      "(× {} above 1 = faster than {}) · sorted fastest first\n\n",
      rows, report.groups.size(), files, reps, report.baseline, report.baseline, report.baseline);
  for (const Group& g : report.groups) {
    out += fmt::format("### {}\n\n**{}.**\n\n", md_cell(g.title()), md_cell(g.verdict()));
    if (!g.decision.budget_sentence.empty()) out += fmt::format("*{}.*\n\n", md_cell(g.decision.budget_sentence));
    group_table(out, g, report.baseline);
    out += aged_table_markdown(g) + "\n";
  }
  for (const Sweep& sw : report.sweeps) sweep_table(out, report, sw);
  if (!report.scoreboard.empty()) scoreboard_table(out, report);
  out += suite_section_markdown(report);
  out += check_section_markdown(report.results->checks);
  out += fmt::format("<sub>{}. Figures are medians over the ok repetitions; peak RSS is the child "
                     "process's.</sub>\n\n",
                     ci_method_note(report));
  environment(out, report);
  return out;
}

}  // namespace alloclab::reports
