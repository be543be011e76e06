#include "harness/exec/exec_run.hpp"

#include <stdlib.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <sstream>

#include "harness/child.hpp"
#include "harness/exec/launch.hpp"
#include "harness/exec/proof.hpp"
#include "harness/exec/server.hpp"
#include "harness/preload.hpp"
#include "harness/signal_name.hpp"
#include "model/exit_codes.hpp"

namespace alloclab::exec {
namespace {

namespace fs = std::filesystem;
using model::Status;

constexpr std::size_t kStderrLines = 3;  // of a failed program's stderr, in its row

std::string read_all(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The last `n` lines of `text` on one line, joined by '|'.
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
    if (::mkdtemp(tmpl.data()) == nullptr) throw model::UsageError(fmt::format("mkdtemp failed: {}", std::strerror(errno)));
    dir = tmpl;
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  std::string file(const char* name) const { return dir + "/" + name; }
};

model::Row row_base(const ExecPlan& p, const Contender& c, unsigned rep, unsigned reps) {
  model::Row r;
  r.allocator = c.name;
  r.workload = "exec";
  r.name = exec_row_name(p, c.name);
  r.touch = "";
  r.command = p.command_text;
  r.cwd = p.program.cwd;
  r.input_hash = p.input_hash;
  r.settings = c.settings;
  r.repetition_index = rep;
  r.repetitions = reps;
  r.dispatch = c.library.empty() ? "none" : "preload";
  return r;
}

// The status of a run that started: how it ended, whether the allocator was proven, the metric.
void judge(model::Row& r, const Outcome& out, const Proof& proof, const Program& p, const std::string& stderr_text,
           const std::string& output) {
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

double seconds(const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; }

// The measured process's figures (the server's in server mode) into the row.
void record(model::Row& r, const Outcome& out, const Proof& proof, const Program& p) {
  model::Measurement& m = r.m;
  m.wall_ns = std::max<std::uint64_t>(out.wall_ns, 1);
  const rusage& u = out.usage;
  m.cpu = {seconds(u.ru_utime), seconds(u.ru_stime), static_cast<std::uint64_t>(u.ru_minflt),
           static_cast<std::uint64_t>(u.ru_majflt)};
  // ru_maxrss (KiB) is the largest single process of the tree; the samples add the tree up.
  m.rss_peak = std::max<std::uint64_t>(static_cast<std::uint64_t>(u.ru_maxrss) * 1024, out.rss_peak_sampled);
  m.rss_series = out.rss_series;
  m.program = model::ProgramRun{};
  model::ProgramRun& run = *m.program;
  const int ws = out.wait_status;
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
}

// The environment of a run under `c`: the allocator's variables, the program's, the probe's.
// glibc preloads libc (`owner`) itself: a program linked to another allocator (Debian's
// redis-server needs libjemalloc) then still gets glibc's malloc, which comes first.
Launch preloaded(const ExecPlan& p, const Contender& c, const std::vector<std::string>& argv, const std::string& report,
                 const std::string& owner) {
  std::vector<std::string> set = c.environment;
  set.insert(set.end(), p.program.env.begin(), p.program.env.end());
  set.push_back(fmt::format("{}={}", kProbeFileVar, report));
  set.push_back(fmt::format("{}={}", kProbeExpectVar, c.library));
  const std::vector<std::string_view> views(set.begin(), set.end());
  const std::string& first = c.library.empty() ? owner : c.library;
  const std::string preload = first.empty() ? p.probe : first + ":" + p.probe;  // the probe after it
  Launch l;
  l.argv = argv;
  l.env = preload_environment(PreloadEnv{preload, false, views});
  l.cwd = p.program.cwd;
  l.timeout_s = p.program.timeout_s;
  l.rss_interval_ms = p.program.rss_interval_ms;
  return l;
}

model::Row run_once(const ExecPlan& p, const Contender& c, unsigned rep, unsigned reps, const Scratch& scratch,
                    const std::string& owner) {
  model::Row r = row_base(p, c, rep, reps);
  if (!c.unavailable.empty() || !p.refusal.empty()) {
    r.m.status = c.unavailable.empty() ? Status::kFailed : Status::kUnavailable;
    r.m.error = c.unavailable.empty() ? p.refusal : c.unavailable;
    return r;
  }
  const std::string report = scratch.file("probe"), out_file = scratch.file("stdout"), err_file = scratch.file("stderr");
  std::error_code ec;
  fs::remove(report, ec);
  const Program& prog = p.program;
  Outcome out;
  std::string err_text, output;
  if (prog.server) {
    Launch server = preloaded(p, c, prog.server->argv, report, owner);
    server.stdout_file = scratch.file("server.out");  // the regex readiness reads it
    server.stderr_file = server.stdout_file;
    Launch client;
    client.argv = prog.argv;
    client.env = preload_environment(PreloadEnv{{}, false, {}});
    for (const std::string& e : prog.env) client.env.push_back(e);
    client.cwd = prog.cwd;
    client.stdin_file = prog.stdin_file;
    client.stdout_file = out_file;
    client.stderr_file = err_file;
    client.timeout_s = prog.timeout_s;
    client.rss_interval_ms = 0;
    const ServerOutcome so = serve(*prog.server, server, client);
    if (!so.error.empty()) {
      r.m.status = so.timed_out ? Status::kTimeout : Status::kFailed;
      r.m.error = so.error;
      return r;
    }
    out = so.server;
    err_text = read_all(err_file);
    output = read_all(out_file) + err_text;
  } else {
    Launch l = preloaded(p, c, prog.argv, report, owner);
    l.stdin_file = prog.stdin_file;
    l.stdout_file = prog.metric ? out_file : std::string();
    l.stderr_file = err_file;
    out = launch(l);
    if (!out.start_error.empty()) {
      r.m.status = Status::kFailed;
      r.m.error = out.start_error;
      return r;
    }
    err_text = read_all(err_file);
    if (prog.metric) output = read_all(out_file) + err_text;
  }
  const Proof proof =
      judge_probe(report, out.pid, c.library.empty() ? owner : c.library, !c.library.empty(), c.name, p.allocator_api);
  record(r, out, proof, prog);
  judge(r, out, proof, prog, err_text, output);
  return r;
}

}  // namespace

std::string exec_row_name(const ExecPlan& plan, const std::string& allocator) {
  return fmt::format("exec/{}/cmd:{}", allocator, plan.label);
}

ExecOutcome run_exec(const std::vector<ExecPlan>& programs, const std::vector<Contender>& contenders,
                     const ExecRunOptions& o) {
  ExecOutcome result;
  const Scratch scratch;
  const std::string owner = own_malloc_owner();
  for (const Contender& c : contenders) result.libraries[c.name] = c.library.empty() ? owner : c.library;
  const auto selected = [&](std::size_t pi, std::size_t ci) {
    return o.shard.holds(pi * contenders.size() + ci) &&
           (!o.selected || o.selected(exec_row_name(programs[pi], contenders[ci].name)));
  };
  // Interleaved (A B C A B C): a drift of the machine spreads over every allocator alike.
  for (unsigned rep = 0; rep < o.warmup + o.reps && interrupted() == 0; ++rep)
    for (std::size_t pi = 0; pi < programs.size(); ++pi)
      for (std::size_t ci = 0; ci < contenders.size(); ++ci) {
        const ExecPlan& p = programs[pi];
        const Contender& c = contenders[ci];
        if (interrupted() != 0) break;
        if (!selected(pi, ci)) continue;
        const bool warmup = rep < o.warmup;
        if (warmup && (!c.unavailable.empty() || !p.refusal.empty())) continue;
        model::Row r = run_once(p, c, warmup ? 0 : rep - o.warmup, o.reps, scratch, owner);
        if (warmup || (interrupted() != 0 && r.m.error == "interrupted")) continue;
        result.any_failed = result.any_failed || model::is_fault(r.m.status);
        if (o.on_row) o.on_row(r);
        result.rows.push_back(std::move(r));
      }
  result.interrupted = interrupted();
  return result;
}

}  // namespace alloclab::exec
