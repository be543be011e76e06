#include "suite_command.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <memory>

#include "cli_common.hpp"
#include "harness/environment.hpp"
#include "harness/exec/program_linkage.hpp"
#include "harness/suite/driver.hpp"
#include "model/document.hpp"
#include "reports/results.hpp"
#include "reports/suite_section.hpp"

namespace alloclab::cli {
namespace {

struct SuiteOptions {
  ExecCommonOptions common;
  bool list = false, quick = false;
  std::vector<std::string> names;
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

int list_programs(const suite::Locate& locate) {
  fmt::print("{:<9} {:<26} {:<8} {}\n", "program", "package", "threads", "what · where");
  for (const suite::Program& p : suite::programs()) {
    const std::string why = suite::unavailable_reason(p, locate);
    fmt::print("{:<9} {:<26} {:<8} {} · {}\n", p.name, p.package, p.threaded ? "several" : "one", p.what,
               why.empty() ? locate(std::string(p.binary)) : "unavailable: " + why);
  }
  return 0;
}

int execute(const SuiteOptions& o, const std::vector<std::string>& command_line) {
  const suite::Locate locate = [](const std::string& name) { return exec::find_program(name); };
  if (o.list) return list_programs(locate);
  const ExecSetup s = exec_setup(o.common, o.quick ? 3 : 5);
  suite::SuitePlan plan;
  plan.programs = chosen(o.names);
  plan.contenders = s.contenders;
  plan.size = o.quick ? suite::Size::kQuick : suite::Size::kDefault;
  plan.reps = s.run.reps;
  plan.warmup = s.run.warmup;
  plan.timeout_s = s.timeout_s;
  plan.shard = s.run.shard;
  std::vector<std::string> planned;
  for (const suite::PlannedRow& r : suite::plan_rows(plan.programs, plan.contenders, locate, plan.shard))
    planned.push_back(suite::suite_row_name(r.contender->name, r.program->name) +
                      (r.unavailable.empty() ? "" : " (unavailable: " + r.unavailable + ")"));
  return run_exec_command(
      "suite", o.common, s, planned, command_line,
      [&](const std::function<void(const model::Row&)>& progress) { return suite::run_suite(plan, locate, progress); },
      [&](const std::vector<model::Row>& rows) {
        reports::Results results;
        reports::parse_results(model::results_document(nlohmann::json::object(), rows).dump(), "suite", results);
        fmt::print("{}", reports::suite_section_markdown(reports::summarize(results, s.baseline)));
      });
}

}  // namespace

void add_suite_command(CLI::App& app, ExecAction& action) {
  auto o = std::make_shared<SuiteOptions>();
  CLI::App* cmd = app.add_subcommand(
      "suite", "run the curated real programs (Debian packages, generated inputs) under each allocator, via exec");
  cmd->add_flag("--list", o->list, "the programs, their packages and whether they are installed");
  cmd->add_flag("--quick", o->quick, "inputs sized for about 1 s per run (default: 2-10 s), 3 repetitions");
  cmd->add_option("names", o->names, "programs to run (default: all; see --list)");
  add_exec_common_options(*cmd, o->common, "repetitions per program and allocator, interleaved (default 5, --quick 3)");
  cmd->callback([o, &action] {
    action = [o](const std::vector<std::string>& command_line) { return execute(*o, command_line); };
  });
}

}  // namespace alloclab::cli
