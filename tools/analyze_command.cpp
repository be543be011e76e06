#include "analyze_command.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fmt/format.h>
#include <memory>

#include "analysis/analysis_json.hpp"
#include "analysis/analysis_text.hpp"
#include "analysis/strategies.hpp"
#include "cli_common.hpp"
#include "harness/child.hpp"
#include "harness/deployments.hpp"
#include "harness/environment.hpp"
#include "harness/runner.hpp"
#include "harness/table.hpp"
#include "model/keys.hpp"
#include "model/same_file.hpp"
#include "model/verdict.hpp"
#include "reports/format.hpp"
#include "reports/render.hpp"
#include "reports/results.hpp"
#include "reports/svg.hpp"
#include "utf8_text.hpp"

namespace alloclab::cli {
namespace {

struct AnalyzeOptions {
  std::string trace;
  std::string json, html, md, workload_out;
  bool no_measure = false;
  bool measure_options = false;  // -a or --reps given
  std::vector<std::string> allocators;  // empty: analysis::kProduction
  unsigned reps = 3;
};

void check_output(const std::string& flag, const std::string& path, const std::string& trace) {
  if (path.empty()) return;
  if (model::same_file(path, trace)) throw UsageError(fmt::format("{}: '{}' is the trace being analysed", flag, path));
  if (std::string err = check_writable(path); !err.empty()) throw UsageError(fmt::format("{}: {}", flag, err));
}

void write_or_refuse(const std::string& path, const std::string& text) {
  if (std::string err = write_file_atomically(path, text); !err.empty()) throw UsageError(err);
}

// The allocators measured: every one a recommendation names, then the production ones (or -a).
std::vector<std::string> measured_names(const analysis::HeapAnalysis& a, const AnalyzeOptions& o) {
  std::vector<std::string> names;
  auto add = [&names](std::string_view n) {
    if (std::find(names.begin(), names.end(), n) == names.end()) names.emplace_back(n);
  };
  for (const analysis::Recommendation& r : a.recommendations)
    for (const std::string& n : r.allocators) add(n);
  if (o.allocators.empty())
    for (std::string_view n : analysis::kProduction) add(n);
  for (const std::string& n : o.allocators) add(n);
  return names;
}

// A row for an allocator this build does not have (a mix not merged yet): shown, never replaced.
Row unregistered_row(const Row& like, const std::string& name) {
  Row r = like;
  r.allocator = name;
  if (auto at = r.name.find("/" + like.allocator + "/"); at != std::string::npos)
    r.name.replace(at + 1, like.allocator.size(), name);
  r.m = {};
  r.m.status = Status::kUnavailable;
  r.m.error = fmt::format("'{}' is not registered in this build (see: alloclab list)", name);
  r.repetition_index = 0;
  return r;
}

// One sentence per recommendation: how its allocator fared in the replays, against glibc and
// the group's verdict.
std::string backing(const analysis::Recommendation& rec, const model::Verdict& v, const std::vector<Row>& rows) {
  std::vector<std::string> parts;
  for (const std::string& name : rec.allocators) {
    auto e = std::find_if(v.entries.begin(), v.entries.end(), [&](const model::Entry& x) { return x.name == name; });
    if (e == v.entries.end()) {
      auto row = std::find_if(rows.begin(), rows.end(), [&](const Row& r) { return r.allocator == name; });
      parts.push_back(fmt::format("{}: {}", name, row == rows.end() ? "not measured"
                                                  : std::string(status_name(row->m.status)) + ": " + row->m.error));
      continue;
    }
    const auto idx = static_cast<std::size_t>(e - v.entries.begin());
    std::string s = fmt::format("{}: {:.1f} {}, rank {} of {}", name, e->time.median, model::metric_unit(v.metric), idx + 1,
                                v.entries.size());
    if (v.baseline >= 0 && static_cast<std::size_t>(v.baseline) != idx) {
      const model::Entry& b = v.entries[static_cast<std::size_t>(v.baseline)];
      const model::RatioCi r = model::ratio_ci(b.time_samples, e->time_samples);
      s += fmt::format(", {:.2f}x {} (95 % CI {:.2f}-{:.2f})", r.value, b.name, r.lo, r.hi);
      if (e->rss.present() && b.rss.present())
        s += fmt::format(", peak RSS {} against {}", analysis::size_text(e->rss.median), analysis::size_text(b.rss.median));
    }
    if (std::find(v.frontier.begin(), v.frontier.end(), idx) != v.frontier.end()) s += ", on the time/memory frontier";
    for (const model::Domination& d : v.dominated)
      if (d.loser == idx) s += fmt::format(", dominated by {}", v.entries[d.winner].name);
    parts.push_back(std::move(s));
  }
  return fmt::format("{}", fmt::join(parts, "; "));
}

model::Verdict verdict_of(const std::vector<Row>& rows) {
  std::map<std::string, std::vector<model::Repetition>> reps;
  for (const Row& r : rows)
    if (r.allocator != "null") reps[r.allocator].push_back(model::repetition_of(r.m));
  std::vector<model::Contender> cs;
  for (const auto& [name, rs] : reps) cs.push_back(model::contender_of(name, rs));
  return model::decide(cs, "glibc");
}

std::string live_chart(const analysis::HeapAnalysis& a) {
  if (a.live.size() < 2) return {};
  reports::svg::Line line{"live bytes", "#0072b2", reports::Marker::kCircle, false, {}, {}, false};
  for (const analysis::LivePoint& p : a.live)
    line.points.emplace_back(static_cast<double>(p.call), static_cast<double>(p.bytes) / (1024.0 * 1024));
  return reports::svg::line_chart({"Live bytes over the trace", "call", "MiB live", false, true, {}, {}}, {line});
}

std::string analysis_html(const analysis::HeapAnalysis& a, const std::vector<std::string>& backings) {
  using reports::html_escape;
  std::string h = "<section><h2>Heap behaviour</h2>\n<pre>" + html_escape(analysis::render_text(a)) + "</pre>\n";
  h += live_chart(a);
  h += "<h3>Recommendations</h3><ul>\n";
  for (std::size_t i = 0; i < a.recommendations.size(); ++i) {
    h += "<li>" + html_escape(a.recommendations[i].reason);
    if (i < backings.size()) h += "<br><small>measured: " + html_escape(backings[i]) + "</small>";
    h += "</li>\n";
  }
  return h + "</ul></section>\n";
}

// The replays' report (the Report points into the Results, so both live here).
std::string replay_page(const nlohmann::json& doc, const std::string& file, bool html) {
  reports::Results results;
  reports::parse_results(doc.dump(), file, results);
  const reports::Report report = reports::summarize(results, "glibc");
  return html ? reports::render_html(report) : reports::render_markdown(report);
}

std::string html_page(const analysis::HeapAnalysis& a, const std::vector<std::string>& backings,
                      const nlohmann::json& doc, const std::string& file) {
  const std::string section = analysis_html(a, backings);
  if (doc.is_null())
    return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>alloclab analyze</title></head><body>\n"
           "<h1>alloclab analyze</h1>\n" + section + "</body></html>\n";
  std::string page = replay_page(doc, file, true);
  const std::string anchor = "</h1>\n";
  const auto at = page.find(anchor);
  return at == std::string::npos ? page : page.insert(at + anchor.size(), section);
}

// The Markdown and HTML pages asked for: the analysis, then the replays' report (doc, when it
// measured). Both are rendered before either is written.
void write_reports(const AnalyzeOptions& o, const analysis::HeapAnalysis& a, const std::vector<std::string>& backings,
                   const nlohmann::json& doc) {
  std::string md, html;
  if (!o.md.empty()) md = analysis::render_markdown(a, backings) + (doc.is_null() ? "" : "\n" + replay_page(doc, o.trace, false));
  if (!o.html.empty()) html = html_page(a, backings, doc, o.trace);
  if (!o.md.empty()) write_or_refuse(o.md, md);
  if (!o.html.empty()) write_or_refuse(o.html, html);
}

// Whether `path` holds JSON (a saved analysis) rather than a trace: its first non-blank byte.
bool is_json_file(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return false;  // the trace reader says why
  int c = 0;
  while ((c = std::fgetc(f)) == ' ' || c == '\n' || c == '\t' || c == '\r') {
  }
  std::fclose(f);
  return c == '{';
}

// `alloclab analyze F.json`: renders what `analyze --json` saved, without the trace (nothing
// is replayed). Every output is rendered before any is written.
int render_saved(const AnalyzeOptions& o) {
  if (!o.json.empty() || !o.workload_out.empty() || o.no_measure || o.measure_options)
    throw UsageError(fmt::format("'{}' is a saved analysis: --json, --workload-out, --no-measure, -a and --reps need "
                                 "the trace it was made from", o.trace));
  for (const auto& [flag, path] : {std::pair{"--html", &o.html}, std::pair{"--md", &o.md}})
    check_output(flag, *path, o.trace);
  nlohmann::json doc;
  analysis::SavedAnalysis saved;
  try {
    doc = nlohmann::json::parse(reports::read_results_file(o.trace));
    if (!doc.is_object() || !doc.contains(model::key::kAnalysis))
      throw UsageError(fmt::format("'{}': no '{}' member: not written by alloclab analyze --json", o.trace,
                                   model::key::kAnalysis));
    saved = analysis::from_json(doc[model::key::kAnalysis]);
    doc.erase(model::key::kAnalysis);
    if (!doc.contains(model::key::kBenchmarks)) doc = nlohmann::json();  // analysed with --no-measure
  } catch (const nlohmann::json::exception& e) {
    throw UsageError(fmt::format("'{}': not JSON: {}", o.trace, e.what()));
  } catch (const reports::InputError& e) {
    throw UsageError(e.what());
  } catch (const analysis::AnalysisJsonError& e) {
    throw UsageError(fmt::format("'{}': {}", o.trace, e.what()));
  }
  std::string text = analysis::render_text(saved.analysis);
  if (!saved.backings.empty()) text += analysis::render_backings(saved.analysis, saved.backings);
  try {
    write_reports(o, saved.analysis, saved.backings, doc);
  } catch (const reports::InputError& e) {  // the replays' rows beside the analysis
    throw UsageError(e.what());
  }
  fmt::print("{}", text);
  return kExitOk;
}

int run_analyze(const AnalyzeOptions& o, const std::vector<std::string>& command_line) {
  refuse_non_utf8(command_line);
  if (is_json_file(o.trace)) return render_saved(o);
  for (const auto& [flag, path] : {std::pair{"--json", &o.json}, std::pair{"--html", &o.html},
                                   std::pair{"--md", &o.md}, std::pair{"--workload-out", &o.workload_out}})
    check_output(flag, *path, o.trace);
  RecordedTrace trace;
  try {
    trace = read_recorded_trace(o.trace);
  } catch (const TraceFileError& e) {
    throw UsageError(e.what());
  }
  const analysis::HeapAnalysis a = analysis::analyze(trace);
  if (a.allocations == 0) throw UsageError(fmt::format("trace '{}': holds no allocation to analyse", o.trace));
  if (!o.workload_out.empty()) {
    try {
      write_or_refuse(o.workload_out, synth::format_spec(analysis::workload_spec(trace)));
    } catch (const synth::SpecError& e) {
      throw UsageError(e.what());
    }
  }
  trace = {};  // the replays read the file themselves
  fmt::print("{}", analysis::render_text(a));
  if (!o.workload_out.empty()) fmt::print("\nworkload spec written to {}\n", o.workload_out);

  std::vector<Row> rows;
  std::vector<std::string> backings;
  nlohmann::json doc;
  bool failed = false;
  if (!o.no_measure) {
    RunSpec spec;
    spec.workload = "replay";
    spec.trace_file = o.trace;
    spec.reps = o.reps;
    spec.allocators.clear();
    std::vector<std::string> missing;
    for (const std::string& n : measured_names(a, o))
      (find_measurable(n) ? spec.allocators : missing).push_back(n);
    auto [s, combos] = plan_run(std::move(spec), false);
    s.params = combos.front();
    fmt::print("\nreplaying the trace ({} repetitions each):\n", s.reps);
    install_interrupt_handler();
    RunOutcome out = run_spec(s);
    rows = std::move(out.rows);
    failed = out.any_failed;
    if (!rows.empty())
      for (const std::string& n : missing) rows.push_back(unregistered_row(rows.front(), n));
    print_table(stdout, rows, "glibc", ::isatty(STDOUT_FILENO) != 0);
    const model::Verdict v = verdict_of(rows);
    for (const analysis::Recommendation& r : a.recommendations) backings.push_back(backing(r, v, rows));
    fmt::print("{}", analysis::render_backings(a, backings));
    if (out.interrupted != 0) return 128 + out.interrupted;
    doc = results_document(capture_environment(RunContext{command_line, 0, out.allocators, out.memory_budget}), rows);
  }
  if (!o.json.empty()) {
    nlohmann::json j = analysis::to_json(a);
    for (std::size_t i = 0; i < backings.size(); ++i) j[model::key::kRecommendations][i][model::key::kBacking] = backings[i];
    nlohmann::json out = doc.is_null() ? nlohmann::json::object() : doc;
    out[model::key::kAnalysis] = std::move(j);
    write_or_refuse(o.json, out.dump(2) + "\n");
  }
  write_reports(o, a, backings, doc);
  return failed ? kExitRowFailed : kExitOk;
}

}  // namespace

void add_analyze_command(CLI::App& app, std::function<int()>& action, const std::vector<std::string>& command_line) {
  auto o = std::make_shared<AnalyzeOptions>();
  CLI::App* cmd = app.add_subcommand("analyze", "what a recorded program does with its heap, what to use, measured");
  cmd->add_option("trace", o->trace,
                  "a trace written by alloclab record, or a JSON file written by analyze --json (rendered again, "
                  "without the trace)")
      ->required();
  cmd->add_option("--json", o->json, "write the analysis and the replays' results (JSON) to FILE");
  cmd->add_option("--html", o->html, "write the analysis and the replays' report (HTML) to FILE");
  cmd->add_option("--md", o->md, "write the analysis and the replays' report (Markdown) to FILE");
  cmd->add_option("--workload-out", o->workload_out, "write the trace's behaviour as a workload spec (synth --spec)");
  cmd->add_flag("--no-measure", o->no_measure, "analyse only: no replays");
  cmd->add_option_function<std::string>("--allocator,-a", [o](const std::string& v) {
    o->allocators = split_list(v);
    o->measure_options = true;
  },
                                        "allocators to measure beside the recommended ones (default: the production ones)");
  cmd->add_option_function<std::string>("--reps,-r", [o](const std::string& v) {
    o->reps = parse_bounded(v, "--reps", 1, 1000);
    o->measure_options = true;
  },
                                        "repetitions per allocator (3)");
  cmd->callback([o, &action, command_line] { action = [o, command_line] { return run_analyze(*o, command_line); }; });
}

}  // namespace alloclab::cli
