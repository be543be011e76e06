#include "suite_command.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <fstream>
#include <memory>
#include <sstream>

#include "cli_common.hpp"
#include "harness/deployments.hpp"
#include "harness/param_range.hpp"
#include "harness/results.hpp"
#include "harness/suite/driver.hpp"
#include "model/document.hpp"
#include "model/keys.hpp"
#include "harness/exec/program_linkage.hpp"
#include "reports/results.hpp"
#include "reports/suite_section.hpp"

namespace alloclab::cli {
namespace {

namespace fs = std::filesystem;

struct SuiteOptions {
  bool list = false, quick = false, quiet = false;
  std::vector<std::string> names;
  std::string allocators = "all", reps, warmup = "0", timeout = "600", json, baseline = "glibc";
};

std::vector<const suite::Program*> chosen(const std::vector<std::string>& names) {
  std::vector<const suite::Program*> out;
  if (names.empty())
    for (const suite::Program& p : suite::programs()) out.push_back(&p);
  std::vector<std::string> known;
  for (const suite::Program& p : suite::programs()) known.emplace_back(p.name);
  for (const std::string& n : names) {
    const suite::Program* p = suite::program_named(n);
    if (p == nullptr) throw UsageError(fmt::format("suite: unknown program '{}' (one of: {})", n, fmt::join(known, ", ")));
    if (std::find(out.begin(), out.end(), p) != out.end()) throw UsageError(fmt::format("suite: '{}' is given twice", n));
    out.push_back(p);
  }
  return out;
}

// exec's names for -a: `all` is glibc and every deployment, in exec's order. exec checks each name
// itself; the suite needs them for the rows of a program that cannot run.
std::vector<std::string> allocator_names(const std::string& list) {
  std::vector<std::string> out;
  if (list == "all") {
    out.emplace_back("glibc");
    for (const Deployment& d : deployments()) out.emplace_back(d.name);
    return out;
  }
  std::stringstream in(list);
  for (std::string n; std::getline(in, n, ',');) out.push_back(n);
  return out;
}

// The one adapter to exec's server mode (`--server CMD --ready SPEC`, added to exec by the
// server-mode change): empty when this build's exec takes it, else why not.
std::string server_mode_missing(CLI::App& exec) {
  return exec.get_option_no_throw("--server") != nullptr && exec.get_option_no_throw("--ready") != nullptr
             ? std::string()
             : "this build's `alloclab exec` has no server mode (--server/--ready)";
}
void add_server_words(std::vector<std::string>& words, const suite::Server& s) {
  std::string command;
  for (const std::string& w : s.argv) command += (command.empty() ? "" : " ") + (w.empty() ? std::string("''") : w);
  words.insert(words.end(), {"--server", command, "--ready", s.ready});
}

// The adapter to exec's run loop: exec's own subcommand, parsed from words and run in this
// process, its rows read back from its results file, so a suite row is exactly what `alloclab exec`
// writes for that command line (its checks, proof and server mode included).
suite::ExecResult run_exec(const suite::ExecRequest& q, const std::string& results,
                           const std::vector<std::string>& command_line) {
  std::vector<std::string> words{"exec", "-a", q.allocators, "--reps", "1", "--warmup", std::to_string(q.warmup),
                                 "--timeout", fmt::format("{}", q.timeout_s), "--cwd", q.cwd, "--quiet", "--json",
                                 results};
  if (!q.metric.empty()) words.insert(words.end(), {"--metric", q.metric});
  for (const std::string& e : q.env) words.insert(words.end(), {"--env", e});
  if (q.server) add_server_words(words, *q.server);
  words.emplace_back("--");
  words.insert(words.end(), q.argv.begin(), q.argv.end());
  CLI::App app;
  ExecAction action;
  add_exec_command(app, action);
  std::reverse(words.begin(), words.end());  // CLI11 takes a vector back to front
  try {
    app.parse(words);
  } catch (const CLI::ParseError& e) {
    throw UsageError(fmt::format("suite {}: exec refused its command line: {}", q.program, e.what()));
  }
  std::error_code ec;
  fs::remove(results, ec);
  const int rc = action(command_line);
  suite::ExecResult out;
  if (rc >= 128) out.interrupted = rc - 128;
  std::ifstream in(results, std::ios::binary);
  if (!in) throw UsageError(fmt::format("suite {}: exec wrote no results (exit {})", q.program, rc));
  model::Document doc = model::read_results(nlohmann::json::parse(in));
  out.rows = std::move(doc.rows);
  return out;
}

int list_programs(const suite::Locate& locate, const std::string& no_server_mode) {
  fmt::print("{:<9} {:<26} {:<8} {}\n", "program", "package", "threads", "what · where");
  for (const suite::Program& p : suite::programs()) {
    const std::string why = suite::unavailable_reason(p, locate, no_server_mode);
    fmt::print("{:<9} {:<26} {:<8} {} · {}\n", p.name, p.package, p.threaded ? "several" : "one", p.what,
               why.empty() ? locate(std::string(p.binary)) : "unavailable: " + why);
  }
  return 0;
}

int execute(const SuiteOptions& o, const std::vector<std::string>& command_line) {
  const suite::Locate locate = [](const std::string& name) { return exec::find_program(name); };
  CLI::App probe_app;
  ExecAction unused;
  add_exec_command(probe_app, unused);
  const std::string no_server = server_mode_missing(*probe_app.get_subcommand("exec"));
  if (o.list) return list_programs(locate, no_server);
  suite::SuitePlan plan;
  plan.programs = chosen(o.names);
  plan.allocators = allocator_names(o.allocators);
  plan.allocator_list = o.allocators;
  plan.size = o.quick ? suite::Size::kQuick : suite::Size::kDefault;
  plan.reps = parse_bounded(o.reps.empty() ? (o.quick ? "3" : "5") : o.reps, "--reps", 1, 1000);
  plan.warmup = parse_bounded(o.warmup, "--warmup", 0, 100);
  plan.timeout_s = parse_bounded(o.timeout, "--timeout", 1, 86400);
  plan.no_server_mode = no_server;
  if (o.quiet && o.json.empty()) throw UsageError("--quiet without --json: the results would be shown nowhere");
  if (!o.json.empty())
    if (std::string err = check_writable(o.json); !err.empty()) throw UsageError("--json: " + err);
  // exec's results file for each call, beside nothing of the user's.
  std::string tmpl = (fs::temp_directory_path() / "alloclab-suite-exec.XXXXXX").string();
  const int fd = ::mkstemp(tmpl.data());
  if (fd < 0) throw UsageError("suite: cannot create a temporary file");
  ::close(fd);
  struct Remove {
    std::string f;
    ~Remove() { std::error_code ec; fs::remove(f, ec); }
  } remove{tmpl};
  nlohmann::json context;
  const suite::ExecRunner runner = [&](const suite::ExecRequest& q) {
    suite::ExecResult r = run_exec(q, tmpl, command_line);
    std::ifstream in(tmpl, std::ios::binary);
    context = nlohmann::json::parse(in).at(model::key::kContext);
    return r;
  };
  const bool progress = !o.quiet && ::isatty(STDERR_FILENO) != 0;
  const suite::SuiteResult got = suite::run_suite(plan, runner, locate, [&](const suite::Program& p, unsigned rep) {
    if (progress) fmt::print(stderr, "\r\033[Ksuite: {} rep {}/{}", p.name, rep + 1, plan.reps);
  });
  if (progress) fmt::print(stderr, "\r\033[K");
  if (context.is_object()) context.erase(model::key::kSchemaVersion);  // results_document adds it again
  if (!o.quiet) {
    reports::Results results;
    reports::parse_results(model::results_document(context, got.rows).dump(), "suite", results);
    fmt::print("{}", reports::suite_section_markdown(reports::summarize(results, o.baseline)));
  }
  return finish_run(context, got.rows, o.json, got.interrupted, got.any_failed);
}

}  // namespace

void add_suite_command(CLI::App& app, ExecAction& action) {
  auto o = std::make_shared<SuiteOptions>();
  CLI::App* cmd = app.add_subcommand(
      "suite", "run the curated real programs (Debian packages, generated inputs) under each allocator, via exec");
  cmd->add_flag("--list", o->list, "the programs, their packages and whether they are installed");
  cmd->add_flag("--quick", o->quick, "inputs sized for about 1 s per run (default: 2-10 s), 3 repetitions");
  cmd->add_option("names", o->names, "programs to run (default: all; see --list)");
  cmd->add_option("-a,--allocators", o->allocators, "as exec's: glibc and the deployments; all: every one")
      ->capture_default_str();
  cmd->add_option("--reps,-r", o->reps, "repetitions per program and allocator, interleaved (default 5, --quick 3)");
  cmd->add_option("--warmup", o->warmup, "discarded runs per allocator before each program's first")
      ->capture_default_str();
  cmd->add_option("--timeout", o->timeout, "seconds one run may take")->capture_default_str();
  cmd->add_option("--baseline", o->baseline, "allocator the table's ratios are taken against")->capture_default_str();
  cmd->add_option("--json,-o", o->json, "write results (Google Benchmark JSON layout) to FILE");
  cmd->add_flag("--quiet,-q", o->quiet, "no table (with --json)");
  cmd->callback([o, &action] {
    action = [o](const std::vector<std::string>& command_line) { return execute(*o, command_line); };
  });
}

}  // namespace alloclab::cli
