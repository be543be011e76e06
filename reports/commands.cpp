// reports/commands.cpp — see commands.hpp. Option parsing lives here; the work is in the
// renderers and compare(), which know nothing of the command line.
#include "reports/commands.hpp"

#include <fmt/format.h>

#include <iostream>
#include <iterator>
#include <memory>

#include "model/atomic_file.hpp"
#include "model/exit_codes.hpp"
#include "model/same_file.hpp"
#include "reports/compare.hpp"
#include "reports/output.hpp"
#include "reports/render.hpp"
#include "reports/results.hpp"
#include "reports/warnings.hpp"

namespace alloclab::reports {
namespace {

using model::kExitOk;
constexpr int kExitRegression = model::kExitRowFailed, kExitBadInput = model::kExitUsage;

struct ReportOptions {
  std::vector<std::string> files;
  std::string baseline = "glibc";
  std::string md, html, csv;
  std::string rss_budget;  // empty: none
};

struct CompareCliOptions {
  std::string base, now;
  std::string threshold = "5%";
  double alpha = 0.05;
  bool fail_on_regression = false;
  bool allow_missing = false;
  bool across_hosts = false;
};

int error(const std::string& message) {
  std::cerr << "alloclab: error: " << message << '\n';
  return kExitBadInput;
}

void emit(const std::string& path, const std::string& text) {
  if (path.empty() || path == "-") {
    std::cout << text << std::flush;
  } else {
    if (std::string err = model::write_file_atomically(path, text); !err.empty()) throw OutputError(err);
  }
}

// An output must not replace an input or another output of the same command (by device and
// inode, or by path where it does not exist yet): only the last write would survive.
void refuse_outputs_over_inputs(const ReportOptions& o) {
  const std::pair<const char*, const std::string*> outputs[] = {{"--md", &o.md}, {"--html", &o.html}, {"--csv", &o.csv}};
  for (std::size_t i = 0; i < std::size(outputs); ++i) {
    const auto& [flag, path] = outputs[i];
    if (path->empty() || *path == "-") continue;
    for (const std::string& input : o.files)
      if (model::same_file(*path, input))
        throw OutputError(fmt::format("{}: '{}' is the results file this report reads; give another file", flag, *path));
    for (std::size_t j = 0; j < i; ++j)
      if (!outputs[j].second->empty() && *outputs[j].second != "-" && model::same_file(*path, *outputs[j].second))
        throw OutputError(fmt::format("{}: '{}' is also the {} output; give another file", flag, *path, outputs[j].first));
  }
}

int run_report(const ReportOptions& o) {
  try {
    refuse_outputs_over_inputs(o);
    const model::RssBudget budget = o.rss_budget.empty() ? model::RssBudget{} : model::parse_rss_budget(o.rss_budget);
    const Results results = load_results(o.files);
    const Report report = summarize(results, o.baseline, budget);
    // Render everything before writing anything: a rendering bug must not leave half the outputs.
    // Conditions that spoil the figures: in the notes of each report, and on the terminal once
    // the reports are written (an error stays the one line it is).
    const std::vector<std::string> warnings = measurement_warnings(results);
    const std::string md = render_markdown(report) + notes_markdown(warnings);
    std::string html = o.html.empty() ? std::string() : render_html(report);
    if (const auto body_end = html.rfind("</body>"); body_end != std::string::npos)
      html.insert(body_end, notes_html(warnings));
    const std::string csv = o.csv.empty() ? std::string() : render_csv(report);
    if (!o.html.empty()) emit(o.html, html);
    if (!o.csv.empty()) emit(o.csv, csv);
    emit(o.md, md);
    // A failed write to stdout is reported once, at exit (tools/output_check): no warning first.
    if (std::cout)
      for (const std::string& w : warnings) std::cerr << "alloclab: warning: " << w << '\n';
    return kExitOk;
  } catch (const std::invalid_argument& e) {  // --rss-budget
    return error(e.what());
  } catch (const InputError& e) {
    return error(e.what());
  } catch (const OutputError& e) {
    return error(e.what());
  }
}

int run_compare(const CompareCliOptions& o) {
  try {
    CompareOptions options;
    options.threshold = parse_threshold(o.threshold);
    if (!(o.alpha > 0 && o.alpha < 1)) return error(fmt::format("--alpha: expected a value in (0, 1), not {}", o.alpha));
    options.alpha = o.alpha;
    options.allow_missing = o.allow_missing;
    options.across_hosts = o.across_hosts;
    const Results base = load_results({o.base});
    const Results now = load_results({o.now});
    const CompareResult result = compare(base, now, options);
    std::cout << render_compare(result, options, o.base, o.now) << std::flush;
    if (!o.fail_on_regression) return kExitOk;
    if (std::string why = gate_refusal(result, options); !why.empty()) return error("--fail-on-regression: " + why);
    return result.regression ? kExitRegression : kExitOk;
  } catch (const std::invalid_argument& e) {
    return error(e.what());
  } catch (const InputError& e) {
    return error(e.what());
  }
}

}  // namespace

void add_commands(CLI::App& app, std::function<int()>& action) {
  auto ro = std::make_shared<ReportOptions>();
  CLI::App* report = app.add_subcommand(
      "report", "Summarise result files (ours or Google Benchmark JSON) as Markdown, HTML and CSV");
  report->add_option("files", ro->files, "Results files to merge")->required();
  report->add_option("--baseline", ro->baseline, "Allocator the × column divides by")->capture_default_str();
  report->add_option("--md", ro->md, "Write the Markdown here instead of stdout ('-': stdout)");
  report->add_option("--html", ro->html, "Write a self-contained HTML page with charts here");
  report->add_option("--csv", ro->csv, "Write one CSV record per row here");
  report->add_option("--rss-budget", ro->rss_budget,
                     "Also name the fastest allocator within this peak RSS: 1.2x (of the group's smallest) or 256MiB");
  report->callback([ro, &action] { action = [ro] { return run_report(*ro); }; });

  auto co = std::make_shared<CompareCliOptions>();
  CLI::App* cmp = app.add_subcommand(
      "compare", "Compare two result files row by row (Mann–Whitney U) and gate on regressions");
  cmp->add_option("BASE", co->base, "Results file of the reference build")->required();
  cmp->add_option("NEW", co->now, "Results file of the build under test")->required();
  cmp->add_option("--threshold", co->threshold, "Slowdown that counts as a regression, e.g. 5%")
      ->capture_default_str();
  cmp->add_option("--alpha", co->alpha, "Significance level of the test")->capture_default_str();
  cmp->add_flag("--fail-on-regression", co->fail_on_regression,
                "Exit 1 when a row is significantly slower by more than the threshold, or broke; "
                "exit 2 when nothing could be judged or rows of BASE are missing from NEW");
  cmp->add_flag("--allow-missing", co->allow_missing,
                "Let the gate pass when rows of BASE are missing from NEW (it still fails on no common row)");
  cmp->add_flag("--across-hosts", co->across_hosts,
                "Let the gate judge BASE and NEW measured on different machines (host, CPU or kernel)");
  cmp->callback([co, &action] { action = [co] { return run_compare(*co); }; });
}

}  // namespace alloclab::reports
