#include "exec_command.hpp"

#include <unistd.h>

#include <fmt/format.h>
#include <memory>

#include "cli_common.hpp"
#include "harness/child.hpp"
#include "harness/environment.hpp"
#include "harness/exec/exec_plan.hpp"
#include "harness/exec/exec_run.hpp"
#include "harness/exec/exec_table.hpp"
#include "harness/shard.hpp"
#include "model/keys.hpp"

namespace alloclab::cli {
namespace {

struct ExecOptions {
  ExecCommonOptions common;
  std::string preload_lib, name, rss_interval = "10";
  std::string cwd, stdin_file, metric;
  std::string server, ready, ready_timeout = "30";
  std::vector<std::string> env, inputs;
  std::vector<std::string> command;
};

unsigned number(const std::string& text, const std::string& what, std::uint64_t lo, std::uint64_t hi) {
  return static_cast<unsigned>(parse_bounded(text, what, lo, hi));
}

exec::Program program_of(const ExecOptions& o, double timeout_s) {
  exec::Program p;
  p.argv = o.command;
  p.cwd = o.cwd;
  p.stdin_file = o.stdin_file;
  p.env = o.env;
  p.inputs = o.inputs;
  if (!o.metric.empty()) p.metric = exec::parse_metric(o.metric);
  p.timeout_s = timeout_s;
  p.rss_interval_ms = number(o.rss_interval, "--rss-interval", 0, 60000);
  if (o.server.empty() != o.ready.empty()) throw UsageError("--server and --ready go together");
  if (!o.server.empty())
    p.server = exec::Server{exec::split_command(o.server, "--server"), o.ready,
                            static_cast<double>(number(o.ready_timeout, "--ready-timeout", 1, 86400))};
  return p;
}

int execute(const ExecOptions& o, const std::vector<std::string>& command_line) {
  const ExecSetup s = exec_setup(o.common, 5, o.preload_lib, o.name);
  const std::vector<exec::ExecPlan> plans{exec::plan_program(program_of(o, s.timeout_s))};
  std::vector<std::string> planned;
  for (std::size_t ci = 0; ci < s.contenders.size(); ++ci)
    if (s.run.shard.holds(ci)) planned.push_back(exec::exec_row_name(plans[0], s.contenders[ci].name));
  return run_exec_command(
      "exec", o.common, s, planned, command_line,
      [&](const std::function<void(const model::Row&)>& progress) {
        exec::ExecRunOptions run = s.run;
        run.on_row = progress;
        return exec::run_exec(plans, s.contenders, run);
      },
      [&](const std::vector<model::Row>& rows) {
        exec::print_exec_table(stdout, rows, s.baseline, ::isatty(STDOUT_FILENO) != 0);
      });
}

}  // namespace

void add_repeatable(CLI::App& cmd, const char* flag, std::vector<std::string>& into, const char* help) {
  cmd.add_option_function<std::string>(flag, [&into](const std::string& v) { into.push_back(v); }, help)
      ->trigger_on_parse();
}

void add_exec_common_options(CLI::App& cmd, ExecCommonOptions& o, const std::string& reps_help) {
  cmd.add_option("-a,--allocators", o.allocators,
                 "comma-separated: glibc and the deployments (alloclab list), or variants "
                 "BASE{NAME=value,...}; all: every one")
      ->capture_default_str();
  add_repeatable(cmd, "--variant", o.variants, "NAME=BASE{NAME=value,...}: a short name -a may use (repeatable)");
  cmd.add_option("--reps,-r", o.reps, reps_help);
  cmd.add_option("--warmup", o.warmup, "discarded runs per allocator first")->capture_default_str();
  cmd.add_option("--timeout", o.timeout, "seconds a run may take; then its process group is killed")
      ->capture_default_str();
  cmd.add_option("--shard", o.shard, "K/N: run only this machine's share of the rows (0-based K); auto: from "
                                     "SLURM_ARRAY_TASK_ID/COUNT or JOB_COMPLETION_INDEX (auto/N)");
  cmd.add_option("--baseline", o.baseline, "allocator the ratios are taken against (default: glibc when run, else the first)");
  cmd.add_option("--json,-o", o.json, "write results (Google Benchmark JSON layout) to FILE");
  cmd.add_flag("--quiet,-q", o.quiet, "no table (with --json)");
  cmd.add_flag("--dry-run", o.dry_run, "list the rows this shard would measure, and their count; run nothing");
}

ExecSetup exec_setup(const ExecCommonOptions& o, unsigned default_reps, const std::string& preload_lib,
                     const std::string& preload_name) {
  ExecSetup s;
  s.contenders = exec::exec_contenders(o.allocators, o.variants, preload_lib, preload_name);
  s.baseline = exec::exec_baseline(s.contenders, o.baseline);
  s.run.reps = o.reps.empty() ? default_reps : number(o.reps, "--reps", 1, 100000);
  s.run.warmup = number(o.warmup, "--warmup", 0, 100000);
  s.timeout_s = number(o.timeout, "--timeout", 1, 86400);
  if (!o.shard.empty()) s.run.shard = parse_shard(o.shard);
  if (o.quiet && o.json.empty()) throw UsageError("--quiet without --json: the results would be shown nowhere");
  if (!o.json.empty())
    if (std::string err = check_writable(o.json); !err.empty()) throw UsageError("--json: " + err);
  return s;
}

int run_exec_command(const char* tool, const ExecCommonOptions& o, const ExecSetup& s,
                     const std::vector<std::string>& planned, const std::vector<std::string>& command_line,
                     const std::function<exec::ExecOutcome(const std::function<void(const model::Row&)>&)>& run,
                     const std::function<void(const std::vector<model::Row>&)>& show) {
  if (o.dry_run) {
    for (const std::string& name : planned) fmt::print("{}  ×{}\n", name, s.run.reps);
    fmt::print("{} rows × {} repetitions = {} runs, {} warm-up runs (dry run: nothing ran)\n", planned.size(),
               s.run.reps, planned.size() * s.run.reps, planned.size() * s.run.warmup);
    return kExitOk;
  }
  install_interrupt_handler();
  const bool progress = !o.quiet && ::isatty(STDERR_FILENO) != 0;
  const exec::ExecOutcome out = run([&](const model::Row& r) {
    if (progress)
      fmt::print(stderr, "\r\033[K{}: {} rep {}/{}: {}", tool, r.name, r.repetition_index + 1, s.run.reps,
                 model::status_name(r.m.status));
  });
  if (progress) fmt::print(stderr, "\r\033[K");
  if (!o.quiet) show(out.rows);
  nlohmann::json context;  // read only when it is written
  if (!o.json.empty()) context = capture_environment(RunContext{command_line, 0, out.libraries});
  if (!o.json.empty() && !s.run.shard.whole()) context[model::key::kAlloclab][model::key::kShard] = shard_json(s.run.shard);
  return finish_run(context, out.rows, o.json, out.interrupted, out.any_failed);
}

void add_exec_command(CLI::App& app, ExecAction& action) {
  auto o = std::make_shared<ExecOptions>();
  CLI::App* cmd = app.add_subcommand(
      "exec", "run a real program under each allocator that can serve it (LD_PRELOAD), interleaved");
  add_exec_common_options(*cmd, o->common, "measured runs per allocator (default 5)");
  cmd->add_option("--preload-lib", o->preload_lib, "also run under this malloc library (LD_PRELOAD)");
  cmd->add_option("--name", o->name, "the --preload-lib library's name in the results (default: its file name)");
  cmd->add_option("--rss-interval", o->rss_interval, "ms between RSS samples of the process tree (0: none)")
      ->capture_default_str();
  cmd->add_option("--cwd", o->cwd, "working directory of the program");
  add_repeatable(*cmd, "--env", o->env, "NAME=VALUE set for the program (repeatable)");
  add_repeatable(*cmd, "--input", o->inputs, "a file the program reads: its hash goes in the results (repeatable)");
  cmd->add_option("--stdin", o->stdin_file, "the program's standard input (default: /dev/null)");
  cmd->add_option("--metric", o->metric,
                  "NAME=REGEX[:higher|lower]: judge on the figure the program prints (first capture group "
                  "of stdout+stderr; default lower) instead of wall time");
  cmd->add_option("--server", o->server,
                  "a server to start under the allocator and measure; the command after -- is then its "
                  "client (not preloaded), run once it is ready");
  cmd->add_option("--ready", o->ready, "when the server is ready: tcp:127.0.0.1:PORT (accepts) or regex:TEXT (its output)");
  cmd->add_option("--ready-timeout", o->ready_timeout, "seconds the server has to get ready")->capture_default_str();
  cmd->add_option("command", o->command, "the program and its arguments (after --)")->required();
  cmd->callback([o, &action] {
    action = [o](const std::vector<std::string>& command_line) { return execute(*o, command_line); };
  });
}

}  // namespace alloclab::cli
