#include "exec_command.hpp"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>

#include "cli_common.hpp"
#include "harness/child.hpp"
#include "harness/deployments.hpp"
#include "harness/environment.hpp"
#include "harness/exec/exec_table.hpp"
#include "harness/exec/launch.hpp"
#include "harness/exec/proof.hpp"
#include "harness/preload.hpp"
#include "harness/signal_name.hpp"
#include "harness/results.hpp"
#include "model/keys.hpp"
#include "program_linkage.hpp"

namespace alloclab::cli {
namespace {

namespace fs = std::filesystem;
using model::Status;

constexpr std::string_view kGlibc = "glibc";
constexpr std::size_t kStderrLines = 3;  // of a failed program's stderr, in its row

struct ExecOptions {
  std::string allocators = "all";
  std::string preload_lib, name;
  std::string reps = "5", warmup = "0", timeout = "600", rss_interval = "10";
  std::string cwd, stdin_file, json, metric, baseline;
  std::vector<std::string> env;
  bool quiet = false;
  std::vector<std::string> command;
};

// One allocator a whole program can run under.
struct Contender {
  std::string name;
  std::string library;  // empty: glibc, nothing preloaded
  std::vector<std::string> environment;
  std::string unavailable;  // why it cannot run; empty when it can
};

struct Metric {
  std::string name, pattern;
  std::regex re;
  bool higher = false;
};

struct Plan {
  std::vector<Contender> contenders;
  std::string program;  // the resolved path
  std::string refusal;  // why no allocator can reach the program (static, setuid); empty: none
  std::optional<Metric> metric;
  std::vector<std::string> env;  // --env
  std::vector<std::string> argv;  // the command, argv[0] resolved
  std::string cwd, stdin_file, probe, command_text, baseline;
  unsigned reps = 5, warmup = 0, rss_interval_ms = 10;
  double timeout_s = 600;
};

std::string quoted(const std::string& arg) {
  if (!arg.empty() && arg.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+%@") == std::string::npos)
    return arg;
  std::string out = "'";
  for (char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

unsigned number(const std::string& text, const std::string& what, std::uint64_t lo, std::uint64_t hi) {
  const std::uint64_t v = parse_u64(text, what);
  if (v < lo || v > hi) throw UsageError(fmt::format("{}: {} is outside {}..{}", what, v, lo, hi));
  return static_cast<unsigned>(v);
}

Contender contender_named(const std::string& name) {
  if (name == kGlibc) return {name, {}, {}, {}};
  if (const Deployment* d = find_deployment(name)) {
    Contender c{name, deployment_library(*d), {}, deployment_unavailable(*d)};
    for (std::string_view e : d->environment) c.environment.emplace_back(e);
    return c;
  }
  std::vector<std::string> known{std::string(kGlibc)};
  for (const Deployment& d : deployments()) known.emplace_back(d.name);
  if (find_measurable(name))
    throw UsageError(fmt::format("-a: '{}' is an in-process plugin and cannot serve a whole program (exec "
                                 "takes: {}, or --preload-lib)", name, fmt::join(known, ", ")));
  throw UsageError(fmt::format("-a: unknown allocator '{}' for exec (one of: {}, or --preload-lib)", name,
                               fmt::join(known, ", ")));
}

std::vector<Contender> contenders_of(const ExecOptions& o) {
  std::vector<Contender> out;
  std::vector<std::string> names;
  if (o.allocators == "all") {
    names.emplace_back(kGlibc);
    for (const Deployment& d : deployments()) names.emplace_back(d.name);
  } else if (!o.allocators.empty()) {
    std::stringstream in(o.allocators);
    for (std::string n; std::getline(in, n, ',');) names.push_back(n);
  }
  for (const std::string& n : names) out.push_back(contender_named(n));
  if (!o.preload_lib.empty()) {
    std::error_code ec;
    if (!fs::is_regular_file(o.preload_lib, ec))
      throw UsageError(fmt::format("--preload-lib: '{}' is not a file", o.preload_lib));
    const std::string name = o.name.empty() ? fs::path(o.preload_lib).filename().string() : o.name;
    out.push_back({name, fs::canonical(o.preload_lib, ec).string(), {}, {}});
  } else if (!o.name.empty()) {
    throw UsageError("--name names the --preload-lib library; give --preload-lib PATH too");
  }
  if (out.empty()) throw UsageError("-a: no allocator given");
  for (std::size_t i = 0; i < out.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (out[i].name == out[j].name) throw UsageError(fmt::format("-a: '{}' is given twice", out[i].name));
  return out;
}

// NAME=REGEX[:higher|lower]
Metric parse_metric(const std::string& spec) {
  const std::size_t eq = spec.find('=');
  if (eq == 0 || eq == std::string::npos || eq + 1 == spec.size())
    throw UsageError(fmt::format("--metric: '{}' is not NAME=REGEX[:higher|lower]", spec));
  Metric m;
  m.name = spec.substr(0, eq);
  m.pattern = spec.substr(eq + 1);
  for (const auto& [suffix, higher] : {std::pair{":higher", true}, std::pair{":lower", false}})
    if (m.pattern.size() > std::strlen(suffix) && m.pattern.ends_with(suffix)) {
      m.pattern.resize(m.pattern.size() - std::strlen(suffix));
      m.higher = higher;
      break;
    }
  try {
    m.re = std::regex(m.pattern);
  } catch (const std::regex_error& e) {
    throw UsageError(fmt::format("--metric {}: bad regular expression '{}': {}", m.name, m.pattern, e.what()));
  }
  if (m.re.mark_count() < 1)
    throw UsageError(fmt::format("--metric {}: '{}' has no capture group: put the figure in ( )", m.name, m.pattern));
  return m;
}

std::string find_probe() {
  std::string lib = find_library(exec::kProbeLibrary, LibraryHome::kAlloclab);
  if (lib.empty())
    throw UsageError(fmt::format("{} not found beside the executable in ../lib (it is not built in sanitizer "
                                 "builds)", exec::kProbeLibrary));
  return lib;
}

Plan validate(const ExecOptions& o) {
  Plan p;
  if (o.command.empty()) throw UsageError("exec: no command given (alloclab exec [options] -- CMD ARGS...)");
  p.program = find_program(o.command[0]);
  struct stat st{};
  if (p.program.empty() || ::stat(p.program.c_str(), &st) != 0)
    throw UsageError(fmt::format("exec: '{}' not found{}", o.command[0],
                                 o.command[0].find('/') == std::string::npos ? " in PATH" : ""));
  if (!S_ISREG(st.st_mode) || ::access(p.program.c_str(), X_OK) != 0)
    throw UsageError(fmt::format("exec: '{}' is not an executable file", p.program));
  if (is_static_elf(p.program))
    p.refusal = "statically linked: no dynamic loader runs in it, so no LD_PRELOAD (and no probe) reaches it";
  else if ((st.st_mode & (S_ISUID | S_ISGID)) != 0)
    p.refusal = "setuid/setgid: the loader runs it in secure mode and ignores LD_PRELOAD";
  p.contenders = contenders_of(o);
  p.reps = number(o.reps, "--reps", 1, 100000);
  p.warmup = number(o.warmup, "--warmup", 0, 100000);
  p.timeout_s = number(o.timeout, "--timeout", 1, 86400);
  p.rss_interval_ms = number(o.rss_interval, "--rss-interval", 0, 60000);
  for (const std::string& e : o.env) {
    const std::size_t eq = e.find('=');
    if (eq == 0 || eq == std::string::npos)
      throw UsageError(fmt::format("--env: '{}' is not NAME=VALUE", e));
    if (e.compare(0, eq, "LD_PRELOAD") == 0)
      throw UsageError("--env: LD_PRELOAD is what exec sets; give the library as --preload-lib");
    p.env.push_back(e);
  }
  if (!o.metric.empty()) p.metric = parse_metric(o.metric);
  std::error_code ec;
  if (!o.cwd.empty() && !fs::is_directory(o.cwd, ec))
    throw UsageError(fmt::format("--cwd: '{}' is not a directory", o.cwd));
  p.cwd = o.cwd.empty() ? fs::current_path(ec).string() : fs::absolute(o.cwd, ec).string();
  if (!o.stdin_file.empty() && ::access(o.stdin_file.c_str(), R_OK) != 0)
    throw UsageError(fmt::format("--stdin: cannot read '{}': {}", o.stdin_file, std::strerror(errno)));
  p.stdin_file = o.stdin_file.empty() ? std::string() : fs::absolute(o.stdin_file, ec).string();
  for (const Contender& c : p.contenders)
    if (c.name == o.baseline || (o.baseline.empty() && c.name == kGlibc)) p.baseline = c.name;
  if (p.baseline.empty() && !o.baseline.empty())
    throw UsageError(fmt::format("--baseline: '{}' is not among the allocators run", o.baseline));
  if (p.baseline.empty()) p.baseline = p.contenders.front().name;
  if (o.quiet && o.json.empty()) throw UsageError("--quiet without --json: the results would be shown nowhere");
  if (!o.json.empty())
    if (std::string err = check_writable(o.json); !err.empty()) throw UsageError("--json: " + err);
  p.probe = find_probe();
  std::vector<std::string> words;
  for (const std::string& a : o.command) words.push_back(quoted(a));
  p.command_text = fmt::format("{}", fmt::join(words, " "));
  return p;
}

std::string read_all(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string last_lines(const std::string& text, std::size_t n) {
  std::size_t end = text.find_last_not_of("\n");
  if (end == std::string::npos) return {};
  std::size_t start = end + 1;
  for (std::size_t k = 0; k < n && start > 0; ++k) {
    const std::size_t nl = text.rfind('\n', start - 1);
    start = nl == std::string::npos ? 0 : nl;
    if (nl == std::string::npos) break;
  }
  std::string out = text.substr(start, end + 1 - start);
  for (char& c : out)
    if (c == '\n') c = '|';
  return out.substr(out.find_first_not_of('|') == std::string::npos ? 0 : out.find_first_not_of('|'));
}

struct Scratch {
  std::string dir;
  Scratch() {
    std::string tmpl = (fs::temp_directory_path() / "alloclab-exec.XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) throw UsageError(fmt::format("mkdtemp failed: {}", std::strerror(errno)));
    dir = tmpl;
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  std::string file(const char* name) const { return dir + "/" + name; }
};

model::Row row_base(const Plan& p, const Contender& c, unsigned rep) {
  model::Row r;
  r.allocator = c.name;
  r.workload = "exec";
  r.name = fmt::format("exec/{}/cmd:{}", c.name, fs::path(p.program).filename().string());
  r.touch = "";
  r.command = p.command_text;
  r.cwd = p.cwd;
  r.repetition_index = rep;
  r.repetitions = p.reps;
  r.dispatch = c.library.empty() ? "none" : "preload";
  return r;
}

// The status of a run that started: how it ended, whether the allocator was proven, the metric.
void judge(model::Row& r, const exec::Outcome& out, const exec::Proof& proof, const Plan& p,
           const std::string& stderr_text, const std::string& output) {
  model::Measurement& m = r.m;
  model::ProgramRun& run = *m.program;
  const int ws = out.wait_status;
  if (out.timed_out) {
    m.status = Status::kTimeout;
    m.error = fmt::format("timeout after {} s (process group killed)", p.timeout_s);
  } else if (out.interrupted != 0) {
    m.status = Status::kFailed;
    m.error = "interrupted";
  } else if (WIFSIGNALED(ws)) {
    m.status = Status::kCrashed;
    m.error = fmt::format("killed by {}", signal_name(WTERMSIG(ws)));
  } else if (run.exit_status != 0) {
    m.status = Status::kFailed;
    m.error = fmt::format("exit status {}", run.exit_status);
    if (const std::string tail = last_lines(stderr_text, kStderrLines); !tail.empty()) m.error += ": " + tail;
  } else if (!proof.failure.empty()) {
    m.status = Status::kFailed;
    m.error = proof.failure;
  } else if (p.metric) {
    std::smatch match;
    if (!std::regex_search(output, match, p.metric->re) || match.size() < 2 || !match[1].matched) {
      m.status = Status::kFailed;
      m.error = fmt::format("--metric {}: pattern '{}' never matched the output", p.metric->name, p.metric->pattern);
    } else {
      char* end = nullptr;
      const std::string text = match[1].str();
      run.metric_value = std::strtod(text.c_str(), &end);
      if (end == text.c_str() || *end != '\0' || !(run.metric_value > 0))
        run.metric_value = 0, m.status = Status::kFailed,
        m.error = fmt::format("--metric {}: '{}' is not a positive number", p.metric->name, text);
    }
  }
}

model::Row run_once(const Plan& p, const Contender& c, unsigned rep, const Scratch& scratch, const std::string& owner) {
  model::Row r = row_base(p, c, rep);
  if (!c.unavailable.empty()) {
    r.m.status = Status::kUnavailable;
    r.m.error = c.unavailable;
    return r;
  }
  if (!p.refusal.empty()) {
    r.m.status = Status::kFailed;
    r.m.error = p.refusal;
    return r;
  }
  const std::string report = scratch.file("probe"), out_file = scratch.file("stdout"), err_file = scratch.file("stderr");
  std::error_code ec;
  fs::remove(report, ec);
  std::vector<std::string> set = c.environment;
  set.insert(set.end(), p.env.begin(), p.env.end());
  set.push_back(fmt::format("{}={}", exec::kProbeFileVar, report));
  set.push_back(fmt::format("{}={}", exec::kProbeExpectVar, c.library));
  const std::vector<std::string_view> views(set.begin(), set.end());
  const std::string preload = c.library.empty() ? p.probe : c.library + ":" + p.probe;  // the probe after it
  exec::Launch l;
  l.argv = p.argv;
  l.env = preload_environment(PreloadEnv{preload, false, views});
  l.cwd = p.cwd;
  l.stdin_file = p.stdin_file;
  l.stdout_file = p.metric ? out_file : std::string();
  l.stderr_file = err_file;
  l.timeout_s = p.timeout_s;
  l.rss_interval_ms = p.rss_interval_ms;
  const exec::Outcome out = exec::launch(l);
  if (!out.start_error.empty()) {
    r.m.status = Status::kFailed;
    r.m.error = out.start_error;
    return r;
  }
  const int ws = out.wait_status;
  model::Measurement& m = r.m;
  m.wall_ns = std::max<std::uint64_t>(out.wall_ns, 1);
  const rusage& u = out.usage;
  m.cpu = {static_cast<double>(u.ru_utime.tv_sec) + static_cast<double>(u.ru_utime.tv_usec) / 1e6,
           static_cast<double>(u.ru_stime.tv_sec) + static_cast<double>(u.ru_stime.tv_usec) / 1e6,
           static_cast<std::uint64_t>(u.ru_minflt), static_cast<std::uint64_t>(u.ru_majflt)};
  // ru_maxrss (KiB) is the largest single process of the tree; the samples add the tree up.
  m.rss_peak = std::max<std::uint64_t>(static_cast<std::uint64_t>(u.ru_maxrss) * 1024, out.rss_peak_sampled);
  m.rss_series = out.rss_series;
  const exec::Proof proof = exec::judge_probe(report, out.pid, c.library.empty() ? owner : c.library,
                                              !c.library.empty(), c.name);
  m.program = model::ProgramRun{};
  model::ProgramRun& run = *m.program;
  run.exit_status = WIFSIGNALED(ws) ? 128 + WTERMSIG(ws) : WEXITSTATUS(ws);
  run.voluntary_ctx_switches = static_cast<std::uint64_t>(u.ru_nvcsw);
  run.involuntary_ctx_switches = static_cast<std::uint64_t>(u.ru_nivcsw);
  run.malloc_owner = proof.malloc_owner;
  run.children = proof.children;
  run.children_inherited = proof.children_inherited;
  if (p.metric) {
    run.metric_name = p.metric->name;
    run.metric_higher_is_better = p.metric->higher;
  }
  const std::string err_text = read_all(err_file);
  judge(r, out, proof, p, err_text, p.metric ? read_all(out_file) + err_text : std::string());
  return r;
}

int execute(const ExecOptions& o, const std::vector<std::string>& command_line) {
  Plan p = validate(o);
  p.argv = o.command;
  p.argv[0] = p.program;
  const Scratch scratch;
  const std::string owner = exec::own_malloc_owner();
  install_interrupt_handler();
  std::vector<model::Row> rows;
  nlohmann::json libraries = nlohmann::json::object();
  for (const Contender& c : p.contenders) libraries[c.name] = c.library.empty() ? owner : c.library;
  // Interleaved (A B C A B C): a drift of the machine spreads over every allocator alike.
  bool any_failed = false;
  const bool progress = !o.quiet && ::isatty(STDERR_FILENO) != 0;
  for (unsigned rep = 0; rep < p.warmup + p.reps && interrupted() == 0; ++rep) {
    for (const Contender& c : p.contenders) {
      if (interrupted() != 0) break;
      const bool warmup = rep < p.warmup;
      if (warmup && (!c.unavailable.empty() || !p.refusal.empty())) continue;
      model::Row r = run_once(p, c, warmup ? 0 : rep - p.warmup, scratch, owner);
      if (warmup || (interrupted() != 0 && r.m.error == "interrupted")) continue;
      any_failed = any_failed || model::is_fault(r.m.status);
      if (progress)
        fmt::print(stderr, "\r\033[Kexec: {} rep {}/{}: {}", c.name, r.repetition_index + 1, p.reps,
                   model::status_name(r.m.status));
      rows.push_back(std::move(r));
    }
  }
  if (progress) fmt::print(stderr, "\r\033[K");
  if (!o.quiet) exec::print_exec_table(stdout, rows, p.baseline, ::isatty(STDOUT_FILENO) != 0);
  nlohmann::json context;  // read only when it is written
  if (!o.json.empty()) context = capture_environment(RunContext{command_line, 0, libraries});
  return finish_run(context, rows, o.json, interrupted(), any_failed);
}

}  // namespace

void add_exec_command(CLI::App& app, ExecAction& action) {
  auto o = std::make_shared<ExecOptions>();
  CLI::App* cmd = app.add_subcommand(
      "exec", "run a real program under each allocator that can serve it (LD_PRELOAD), interleaved");
  cmd->add_option("-a,--allocators", o->allocators,
                  "comma-separated: glibc and the deployments (alloclab list); all: every one")
      ->capture_default_str();
  cmd->add_option("--preload-lib", o->preload_lib, "also run under this malloc library (LD_PRELOAD)");
  cmd->add_option("--name", o->name, "the --preload-lib library's name in the results (default: its file name)");
  cmd->add_option("--reps,-r", o->reps, "measured runs per allocator")->capture_default_str();
  cmd->add_option("--warmup", o->warmup, "discarded runs per allocator first")->capture_default_str();
  cmd->add_option("--timeout", o->timeout, "seconds a run may take; then its process group is killed")
      ->capture_default_str();
  cmd->add_option("--rss-interval", o->rss_interval, "ms between RSS samples of the process tree (0: none)")
      ->capture_default_str();
  cmd->add_option("--cwd", o->cwd, "working directory of the program");
  // One value per --env, taken as it is parsed: a vector option would swallow the `--`.
  cmd->add_option_function<std::string>(
         "--env", [o](const std::string& e) { o->env.push_back(e); }, "NAME=VALUE set for the program (repeatable)")
      ->trigger_on_parse();
  cmd->add_option("--stdin", o->stdin_file, "the program's standard input (default: /dev/null)");
  cmd->add_option("--metric", o->metric,
                  "NAME=REGEX[:higher|lower]: judge on the figure the program prints (first capture group "
                  "of stdout+stderr; default lower) instead of wall time");
  cmd->add_option("--baseline", o->baseline, "allocator the ratios are taken against (default: glibc when run, else the first)");
  cmd->add_option("--json,-o", o->json, "write results (Google Benchmark JSON layout) to FILE");
  cmd->add_flag("--quiet,-q", o->quiet, "no table (with --json)");
  cmd->add_option("command", o->command, "the program and its arguments (after --)")->required();
  cmd->callback([o, &action] {
    action = [o](const std::vector<std::string>& command_line) { return execute(*o, command_line); };
  });
}

}  // namespace alloclab::cli
