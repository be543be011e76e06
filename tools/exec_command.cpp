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
  std::string allocators = "all";
  std::vector<std::string> variants;
  std::string preload_lib, name;
  std::string reps = "5", warmup = "0", timeout = "600", rss_interval = "10";
  std::string cwd, stdin_file, json, metric, baseline;
  std::string server, ready, ready_timeout = "30", shard;
  std::vector<std::string> env, inputs;
  bool quiet = false;
  std::vector<std::string> command;
};

unsigned number(const std::string& text, const std::string& what, std::uint64_t lo, std::uint64_t hi) {
  return static_cast<unsigned>(parse_bounded(text, what, lo, hi));
}

exec::Program program_of(const ExecOptions& o) {
  exec::Program p;
  p.argv = o.command;
  p.cwd = o.cwd;
  p.stdin_file = o.stdin_file;
  p.env = o.env;
  p.inputs = o.inputs;
  if (!o.metric.empty()) p.metric = exec::parse_metric(o.metric);
  p.timeout_s = number(o.timeout, "--timeout", 1, 86400);
  p.rss_interval_ms = number(o.rss_interval, "--rss-interval", 0, 60000);
  if (o.server.empty() != o.ready.empty()) throw UsageError("--server and --ready go together");
  if (!o.server.empty())
    p.server = exec::Server{exec::split_command(o.server, "--server"), o.ready,
                            static_cast<double>(number(o.ready_timeout, "--ready-timeout", 1, 86400))};
  return p;
}

int execute(const ExecOptions& o, const std::vector<std::string>& command_line) {
  const std::vector<exec::Contender> contenders =
      exec::exec_contenders(o.allocators, o.variants, o.preload_lib, o.name);
  const std::string baseline = exec::exec_baseline(contenders, o.baseline);
  exec::ExecRunOptions run;
  run.reps = number(o.reps, "--reps", 1, 100000);
  run.warmup = number(o.warmup, "--warmup", 0, 100000);
  if (!o.shard.empty()) run.shard = parse_shard(o.shard);
  if (o.quiet && o.json.empty()) throw UsageError("--quiet without --json: the results would be shown nowhere");
  if (!o.json.empty())
    if (std::string err = check_writable(o.json); !err.empty()) throw UsageError("--json: " + err);
  const std::vector<exec::ExecPlan> plans{exec::plan_program(program_of(o))};
  install_interrupt_handler();
  const bool progress = !o.quiet && ::isatty(STDERR_FILENO) != 0;
  run.on_row = [&](const model::Row& r) {
    if (progress)
      fmt::print(stderr, "\r\033[Kexec: {} rep {}/{}: {}", r.allocator, r.repetition_index + 1, run.reps,
                 model::status_name(r.m.status));
  };
  const exec::ExecOutcome out = exec::run_exec(plans, contenders, run);
  if (progress) fmt::print(stderr, "\r\033[K");
  if (!o.quiet) exec::print_exec_table(stdout, out.rows, baseline, ::isatty(STDOUT_FILENO) != 0);
  nlohmann::json context;  // read only when it is written
  if (!o.json.empty()) context = capture_environment(RunContext{command_line, 0, out.libraries});
  if (!o.json.empty() && !run.shard.whole()) context[model::key::kAlloclab][model::key::kShard] = shard_json(run.shard);
  return finish_run(context, out.rows, o.json, out.interrupted, out.any_failed);
}

}  // namespace

void add_exec_command(CLI::App& app, ExecAction& action) {
  auto o = std::make_shared<ExecOptions>();
  CLI::App* cmd = app.add_subcommand(
      "exec", "run a real program under each allocator that can serve it (LD_PRELOAD), interleaved");
  cmd->add_option("-a,--allocators", o->allocators,
                  "comma-separated: glibc and the deployments (alloclab list), or variants "
                  "BASE{NAME=value,...}; all: every one")
      ->capture_default_str();
  // One value per repeatable option, taken as it is parsed: a vector option would swallow the `--`.
  const auto repeatable = [&](const char* flag, std::vector<std::string>& into, const char* help) {
    cmd->add_option_function<std::string>(flag, [&into](const std::string& v) { into.push_back(v); }, help)
        ->trigger_on_parse();
  };
  repeatable("--variant", o->variants, "NAME=BASE{NAME=value,...}: a short name -a may use (repeatable)");
  cmd->add_option("--preload-lib", o->preload_lib, "also run under this malloc library (LD_PRELOAD)");
  cmd->add_option("--name", o->name, "the --preload-lib library's name in the results (default: its file name)");
  cmd->add_option("--reps,-r", o->reps, "measured runs per allocator")->capture_default_str();
  cmd->add_option("--warmup", o->warmup, "discarded runs per allocator first")->capture_default_str();
  cmd->add_option("--timeout", o->timeout, "seconds a run may take; then its process group is killed")
      ->capture_default_str();
  cmd->add_option("--rss-interval", o->rss_interval, "ms between RSS samples of the process tree (0: none)")
      ->capture_default_str();
  cmd->add_option("--cwd", o->cwd, "working directory of the program");
  repeatable("--env", o->env, "NAME=VALUE set for the program (repeatable)");
  repeatable("--input", o->inputs, "a file the program reads: its hash goes in the results (repeatable)");
  cmd->add_option("--stdin", o->stdin_file, "the program's standard input (default: /dev/null)");
  cmd->add_option("--metric", o->metric,
                  "NAME=REGEX[:higher|lower]: judge on the figure the program prints (first capture group "
                  "of stdout+stderr; default lower) instead of wall time");
  cmd->add_option("--server", o->server,
                  "a server to start under the allocator and measure; the command after -- is then its "
                  "client (not preloaded), run once it is ready");
  cmd->add_option("--ready", o->ready, "when the server is ready: tcp:127.0.0.1:PORT (accepts) or regex:TEXT (its output)");
  cmd->add_option("--ready-timeout", o->ready_timeout, "seconds the server has to get ready")->capture_default_str();
  cmd->add_option("--shard", o->shard, "K/N: run only this machine's share of the rows (0-based K); auto: from "
                                     "SLURM_ARRAY_TASK_ID/COUNT or JOB_COMPLETION_INDEX (auto/N)");
  cmd->add_option("--baseline", o->baseline, "allocator the ratios are taken against (default: glibc when run, else the first)");
  cmd->add_option("--json,-o", o->json, "write results (Google Benchmark JSON layout) to FILE");
  cmd->add_flag("--quiet,-q", o->quiet, "no table (with --json)");
  cmd->add_option("command", o->command, "the program and its arguments (after --)")->required();
  cmd->callback([o, &action] {
    action = [o](const std::vector<std::string>& command_line) { return execute(*o, command_line); };
  });
}

}  // namespace alloclab::cli
