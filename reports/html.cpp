// reports/html.cpp — the HTML report: one self-contained page (inline CSS + SVG, no script).
#include <fmt/format.h>

#include <algorithm>

#include "model/param_text.hpp"
#include "reports/aged.hpp"
#include "reports/check_section.hpp"
#include "reports/format.hpp"
#include "reports/render.hpp"
#include "reports/svg.hpp"

namespace alloclab::reports {
namespace {

constexpr std::string_view kStyle = R"(
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;background:#fff;
 margin:0 auto;max-width:1220px;padding:16px 20px;line-height:1.4}
h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.25em;margin:1.6em 0 .3em;border-bottom:1px solid #ddd}
.verdict{font-weight:600;margin:.2em 0 .6em}.budget{font-style:italic;margin:.2em 0 .6em}.meta{color:#555}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(540px,1fr));gap:12px}
figure{margin:0;border:1px solid #eee;border-radius:4px}svg{width:100%;height:auto;display:block}
table{border-collapse:collapse;font-size:13px;margin:.6em 0}
th,td{padding:3px 8px;border-bottom:1px solid #eee;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td:first-child{white-space:nowrap}
th{background:#f6f6f6}.bad{color:#a02020}.chip{display:inline-block;width:.9em;height:.9em;margin:0 .3em 0 .8em;vertical-align:-.1em}.who{white-space:nowrap}
footer{margin-top:2em;font-size:13px;color:#444;border-top:1px solid #ddd}
code{background:#f3f3f3;padding:1px 4px;word-break:break-all}dt{font-weight:600;margin-top:.6em}
nav a{margin-right:1em}figcaption{font-size:13px;padding:4px 8px;color:#444}
)";

constexpr double kMiB = 1024.0 * 1024.0;

// By name, not by position, so an allocator looks the same in every report.
std::string_view colour_of(const std::string& allocator) { return series_style(allocator).colour; }
Marker marker_of(const std::string& allocator) { return series_style(allocator).marker; }

std::string figure(const std::string& svg_text, const std::string& caption = {}) {
  const std::string cap = caption.empty() ? std::string() : "<figcaption>" + html_escape(caption) + "</figcaption>";
  return "<figure>" + cap + svg_text + "</figure>\n";
}

std::string time_chart(const Group& g) {
  std::vector<svg::Bar> bars;
  for (const Summary& s : g.rows) {
    svg::Bar b;
    b.label = s.row->allocator;
    b.colour = colour_of(s.row->allocator);
    b.shape = marker_of(s.row->allocator);
    b.has_value = s.measured();
    if (b.has_value) {
      b.value = s.median_ns;
      b.lo = s.ci.lo;
      b.hi = s.ci.hi;
      b.dashed_error = !s.ci.order_statistic;
      b.points = s.ns;
      b.value_text = fmt_num(s.median_ns) + (present(s.x_baseline) ? " (" + fmt_ratio(s.x_baseline) + ")" : "");
    }
    b.note = s.status_text();
    bars.push_back(std::move(b));
  }
  return svg::bar_chart("Time per operation (median, 95% CI, repetitions)", "ns per op (lower is better)", bars);
}

std::string memory_chart(const Group& g) {
  std::vector<svg::Bar> bars;
  for (const Summary& s : g.rows) {
    svg::Bar b;
    b.label = s.row->allocator;
    b.colour = colour_of(s.row->allocator);
    b.shape = marker_of(s.row->allocator);
    b.has_value = present(s.rss_peak_bytes);
    if (b.has_value) {
      b.value = s.rss_peak_bytes / kMiB;
      if (present(s.peak_live_bytes) && present(s.rss_baseline_bytes))
        b.marker = (s.rss_baseline_bytes + s.peak_live_bytes) / kMiB;
      b.value_text = fmt_bytes(s.rss_peak_bytes) +
                     (present(s.overhead) ? fmt::format(" ({} overhead)", fmt_ratio(s.overhead)) : "");
    }
    b.note = s.measured() ? "no memory figures" : model::status_name(s.status);
    bars.push_back(std::move(b));
  }
  return svg::bar_chart("Peak RSS (tick: baseline + peak live bytes)", "MiB (lower is better)", bars);
}

std::string latency_chart(const Group& g) {
  svg::LineChartSpec spec{"Latency percentiles (log scale)", "percentile", "ns", true, false, {}, {}};
  for (const Summary& s : g.rows)
    if (!s.latency.empty()) {
      for (const auto& [name, unused] : s.latency.front().second) spec.x_categories.push_back(name);
      break;
    }
  std::vector<svg::Line> lines;
  for (const Summary& s : g.rows) {
    for (std::size_t op = 0; op < s.latency.size(); ++op) {
      svg::Line l;
      l.label = s.row->allocator + " " + s.latency[op].first;
      l.colour = colour_of(s.row->allocator);
      l.marker = marker_of(s.row->allocator);
      l.dashed = op > 0;  // the first kind (alloc) solid, the others (free) dashed
      for (std::size_t i = 0; i < spec.x_categories.size(); ++i) {
        const double v = s.percentile(s.latency[op].first, spec.x_categories[i]);
        if (present(v) && v > 0) l.points.emplace_back(static_cast<double>(i), v);
      }
      if (!l.points.empty()) lines.push_back(std::move(l));
    }
  }
  return svg::line_chart(spec, lines);
}

std::string rss_series_chart(const Group& g) {
  svg::LineChartSpec spec{"RSS over time", "time (ms)", "RSS (MiB)", false, true, {}, {}};
  std::vector<svg::Line> lines;
  for (const Summary& s : g.rows) {
    if (s.rss_series == nullptr || s.rss_series->size() < kMinSeriesSamples) continue;
    svg::Line l;
    l.label = s.row->allocator;
    l.colour = colour_of(s.row->allocator);
    l.marker = marker_of(s.row->allocator);
    for (const auto& [t, bytes] : *s.rss_series) l.points.emplace_back(t, bytes / (1024.0 * 1024.0));
    lines.push_back(std::move(l));
  }
  return svg::line_chart(spec, lines);
}

const model::Entry* entry_of(const model::Verdict& v, const std::string& name) {
  for (const model::Entry& e : v.entries)
    if (e.name == name) return &e;
  return nullptr;
}

// Time against peak RSS, one marker per allocator with both CIs as error bars; the frontier
// ringed and linked.
std::string tradeoff_chart(const Group& g) {
  const model::Verdict& v = g.decision;
  const std::string unit(model::metric_unit(v.metric));
  std::vector<svg::Point> points;
  for (std::size_t i = 0; i < v.entries.size(); ++i) {
    const model::Entry& e = v.entries[i];
    if (!e.rss.present()) continue;
    svg::Point p;
    p.label = e.name;
    p.colour = colour_of(e.name);
    p.marker = marker_of(e.name);
    p.x = e.rss.median / kMiB;
    p.x_lo = e.rss.ci.lo / kMiB;
    p.x_hi = e.rss.ci.hi / kMiB;
    p.y = e.time.median;
    p.y_lo = e.time.ci.lo;
    p.y_hi = e.time.ci.hi;
    p.frontier = std::find(v.frontier.begin(), v.frontier.end(), i) != v.frontier.end();
    p.tooltip = fmt::format("{}: {} {}, {}{}", e.name, fmt_num(e.time.median), unit, fmt_bytes(e.rss.median),
                            p.frontier ? " (frontier)" : "");
    points.push_back(std::move(p));
  }
  return svg::scatter_chart({"Time vs peak RSS (median, 95% CI; ringed: the frontier)", "peak RSS (MiB, lower is better)",
                             unit + " (lower is better)", "time–memory frontier"},
                            points);
}

// One figure of a sweep over its parameter: a line per allocator with its CI band.
template <class Get>
std::string sweep_chart(const Report& report, const Sweep& sw, std::string title, std::string y_label, Get get) {
  svg::LineChartSpec spec{std::move(title), sw.param_label(), std::move(y_label), false, true, {}, {}};
  for (const std::string& v : sw.values) spec.x_categories.push_back(model::param_value_text(sw.param, v));
  std::vector<svg::Line> lines;
  for (const std::string& alloc : report.allocators) {
    svg::Line l;
    l.label = alloc;
    l.colour = colour_of(alloc);
    l.marker = marker_of(alloc);
    l.band = true;
    for (std::size_t i = 0; i < sw.groups.size(); ++i) {
      const model::Entry* e = entry_of(report.groups[sw.groups[i]].decision, alloc);
      if (e == nullptr || !get(*e).present()) continue;
      const model::Figure f = get(*e);
      l.points.emplace_back(static_cast<double>(i), f.median);
      l.errors.emplace_back(f.ci.lo, f.ci.hi);
    }
    if (!l.points.empty()) lines.push_back(std::move(l));
  }
  return svg::line_chart(spec, lines);
}

std::string sweep_section(const Report& report, const Sweep& sw) {
  const std::string unit(model::metric_unit(report.groups[sw.groups.front()].decision.metric));
  std::string h = fmt::format("<h3>{}</h3><div class=\"charts\">\n", html_escape(sw.title()));
  h += figure(sweep_chart(report, sw, "Time per " + sw.param_label() + " (median, 95% CI band)", unit + " (lower is better)",
                          [](const model::Entry& e) { return e.time; }));
  bool memory = false;  // Google Benchmark rows have no RSS: no empty chart for them
  for (std::size_t gi : sw.groups)
    for (const model::Entry& e : report.groups[gi].decision.entries) memory = memory || e.rss.present();
  if (memory)
    h += figure(sweep_chart(report, sw, "Peak RSS per " + sw.param_label() + " (median, 95% CI band)",
                          "MiB (lower is better)", [](const model::Entry& e) {
                            model::Figure f = e.rss;
                            f.median /= kMiB;
                            f.ci.lo /= kMiB;
                            f.ci.hi /= kMiB;
                            return f;
                          }));
  h += "</div>\n<ul>";
  for (std::size_t i = 0; i < sw.groups.size(); ++i)
    h += fmt::format("<li>{}: {}</li>", html_escape(sw.point_label(i)),
                     html_escape(report.groups[sw.groups[i]].decision.headline));
  return h + fmt::format("</ul><p class=\"verdict\">{}</p>\n", html_escape(sw.lead_sentence(report.groups)));
}

std::string scoreboard_table(const Report& report) {
  std::string t = fmt::format(
      "<section><h2>Scoreboard</h2><table><tr><th>allocator</th><th>× {} (geometric mean)</th><th>95% CI over groups</th>"
      "<th>groups</th><th>on the time–memory frontier</th><th>worst group</th></tr>\n",
      html_escape(report.baseline));
  for (const ScoreLine& l : report.scoreboard) {
    const std::string ci = l.groups >= 2 ? fmt_ratio(l.lo) + " – " + fmt_ratio(l.hi) : std::string(kDash);
    const std::string worst =
        l.worst_group.empty() || l.allocator == report.baseline ? std::string(kDash) : fmt::format("{} ({})", l.worst_group, fmt_ratio(l.worst));
    t += fmt::format(
        "<tr><td><span class=\"chip\" style=\"background:{}\"></span>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
        "<td class=\"n\">{}</td><td class=\"n\">{} of {}</td><td>{}</td></tr>\n",
        colour_of(l.allocator), html_escape(l.allocator), fmt_ratio(l.geomean), ci, l.groups, l.on_frontier,
        l.with_memory, html_escape(worst));
  }
  return t + "</table></section>\n";
}

std::string table(const Report& report, const Group& g) {
  std::string t = fmt::format(
      "<table><tr><th>allocator</th><th>median ns/op</th><th>Mops/s</th><th>95% CI (ns/op)</th>"
      "<th>× {}</th><th>above floor</th><th>peak RSS</th><th>overhead</th><th>p99 alloc / free</th><th>instructions/op</th>"
      "<th>reps</th><th>status</th></tr>\n",
      html_escape(report.baseline));
  for (const Summary& s : g.rows) {
    const std::string ci = s.measured() ? fmt::format("{} – {}{}", fmt_num(s.ci.lo), fmt_num(s.ci.hi),
                                                      s.ci.order_statistic ? "" : " †")
                                        : std::string(kDash);
    const double pa = s.percentile("alloc", "p99"), pf = s.percentile("free", "p99");
    const std::string p99 = present(pa) || present(pf) ? fmt_num(pa) + " / " + fmt_num(pf) : std::string(kDash);
    t += fmt::format(
        "<tr><td><span class=\"chip\" style=\"background:{}\"></span>{}</td><td class=\"n\">{}</td>"
        "<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
        "<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}/{}</td>"
        "<td{}>{}</td></tr>\n",
        colour_of(s.row->allocator), html_escape(s.row->allocator), fmt_num(s.median_ns),
        fmt_num(s.mops), ci, fmt_ratio(s.x_baseline), html_escape(g.above_floor(s)), fmt_bytes(s.rss_peak_bytes), fmt_ratio(s.overhead), p99,
        fmt_num(s.instructions_per_op), s.ns.size(), s.reps, s.status == model::Status::kOk ? "" : " class=\"bad\"",
        html_escape(s.status_with_marks()));
  }
  return t + "</table>\n";
}

std::string footer(const Report& report) {
  std::string f = fmt::format("<footer><p>{}. Error bars are these intervals (dashed where min–max); dots "
                              "are the individual repetitions. Figures are medians over ok repetitions.</p>\n",
                              html_escape(ci_method_note(report)));
  for (const Environment& env : report.results->environments) {
    f += fmt::format("<h3>Environment of {}</h3><dl>", html_escape(env.file));
    if (!env.command_line.empty())
      f += fmt::format("<dt>command line</dt><dd><code>{}</code></dd>", html_escape(env.command_line));
    for (const auto& [label, value] : env.facts)
      f += fmt::format("<dt>{}</dt><dd>{}</dd>", html_escape(label), html_escape(value));
    f += "</dl>\n";
  }
  return f + "</footer>\n";
}

}  // namespace

std::string render_html(const Report& report) {
  std::string h = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>alloclab report</title><style>{}</style></head><body>\n<h1>alloclab report</h1>\n",
      kStyle);
  std::string files;
  for (const std::string& file : report.results->files) files += (files.empty() ? "" : ", ") + html_escape(file);
  h += fmt::format(
      "<p class=\"meta\">{} group{} from {} · baseline <b>{}</b> (× above 1 = faster) · fastest "
      "first</p>\n",
      report.groups.size(), report.groups.size() == 1 ? "" : "s", files,
      html_escape(report.baseline));
  h += "<p>";
  for (const std::string& a : report.allocators)
    h += fmt::format(
        "<span class=\"who\"><span class=\"chip\" style=\"background:{}\"></span>{}</span> ",
        colour_of(a), html_escape(a));
  h += "</p>\n<nav>";
  for (std::size_t i = 0; i < report.groups.size(); ++i)
    h += fmt::format("<a href=\"#g{}\">{}</a> ", i + 1, html_escape(report.groups[i].title()));
  h += "</nav>\n";
  for (std::size_t i = 0; i < report.groups.size(); ++i) {
    const Group& g = report.groups[i];
    h += fmt::format("<section id=\"g{}\"><h2>{}</h2><p class=\"verdict\">{}.</p>\n", i + 1, html_escape(g.title()),
                     html_escape(g.verdict()));
    if (!g.decision.budget_sentence.empty())
      h += fmt::format("<p class=\"budget\">{}.</p>\n", html_escape(g.decision.budget_sentence));
    h += "<div class=\"charts\">\n";
    const auto with_rss = std::count_if(g.decision.entries.begin(), g.decision.entries.end(),
                                        [](const model::Entry& e) { return e.rss.present(); });
    if (with_rss >= 2) h += figure(tradeoff_chart(g));
    h += figure(time_chart(g));
    if (std::any_of(g.rows.begin(), g.rows.end(), [](const Summary& s) { return present(s.rss_peak_bytes); }))
      h += figure(memory_chart(g));
    if (g.has_latency()) h += figure(latency_chart(g));
    if (g.has_rss_series()) h += figure(rss_series_chart(g));
    for (const std::string& chart : aged_charts(g)) h += figure(chart);
    h += "</div>\n" + table(report, g) + aged_table_html(g) + "</section>\n";
  }
  if (!report.sweeps.empty()) {
    h += "<section><h2>Sweeps</h2>\n";
    for (const Sweep& sw : report.sweeps) h += sweep_section(report, sw);
    h += "</section>\n";
  }
  if (!report.scoreboard.empty()) h += scoreboard_table(report);
  h += check_section_html(report.results->checks);
  return h + footer(report) + "</body></html>\n";
}

}  // namespace alloclab::reports
