#include "child.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <chrono>
#include <cstring>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "plugin_loader.hpp"
#include "preload.hpp"
#include "proc_stats.hpp"
#include "results.hpp"
#include "signal_name.hpp"


namespace alloclab {
namespace {

using nlohmann::json;
constexpr int kResultFd = 3;

constexpr int kSpecFd = 4;

// The spec travels whole, its size histogram as bins, not as a path: every child draws from
// what the parent checked, even if the file changes during the run.
json job_to_json(const ChildJob& job) {
  return json{{"spec", job.spec}, {"allocator", job.allocator}, {"repetition", job.repetition},
              {"preload", job.preload_library}};
}

bool write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

std::string read_all(int fd) {
  std::string text;
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::runtime_error(fmt::format("cannot read the job (fd {}): {}", fd, std::strerror(errno)));
    if (n == 0) return text;
    text.append(buf, static_cast<std::size_t>(n));
  }
}

// The job in an anonymous file, rewound, at a descriptor above the ones the child is given
// (so that placing them cannot overwrite it). A file, not a pipe: the parent writes it all
// before the child starts, and a child that dies early cannot block or SIGPIPE the parent.
int job_file(const std::string& text) {
  const int fd = ::memfd_create("alloclab-job", MFD_CLOEXEC);
  if (fd < 0) return -1;
  const int high = ::fcntl(fd, F_DUPFD_CLOEXEC, 10);
  ::close(fd);
  if (high < 0) return -1;
  if (!write_all(high, text) || ::lseek(high, 0, SEEK_SET) != 0) {
    ::close(high);
    return -1;
  }
  return high;
}

std::string last_line(const std::string& text) {
  auto end = text.find_last_not_of("\n ");
  if (end == std::string::npos) return {};
  const auto begin = text.rfind('\n', end);
  return text.substr(begin == std::string::npos ? 0 : begin + 1, end - (begin == std::string::npos ? 0 : begin + 1) + 1);
}

std::string find_in_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    const std::string candidate = dir + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return {};
}

// The "totals:" (or "summary:") line of a callgrind output file: instructions executed while
// collection was on.
std::uint64_t callgrind_total(const std::string& file) {
  std::ifstream in(file);
  std::string line;
  std::uint64_t total = 0;
  while (std::getline(in, line))
    if (line.rfind("totals:", 0) == 0 || line.rfind("summary:", 0) == 0)
      total = std::stoull(line.substr(line.find(':') + 1));
  return total;
}

Measurement failed(Status s, std::string why) {
  Measurement m;
  m.status = s;
  m.error = std::move(why);
  return m;
}

volatile std::sig_atomic_t g_interrupt = 0;

void on_interrupt(int sig) { g_interrupt = sig; }

enum class Drained { kDone, kTimeout, kRssLimit, kInterrupted };

// Reads the child's result pipe and stderr until both close, the deadline passes, the child's
// RSS passes `max_rss` (sampled every 20 ms; 0: unchecked) or the parent is interrupted.
Drained drain(pid_t pid, int result_fd, int err_fd, std::string& result, std::string& err,
              std::chrono::steady_clock::time_point deadline, std::uint64_t max_rss) {
  pollfd fds[2] = {{result_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  std::string* sinks[2] = {&result, &err};
  int open = 2;
  char buf[65536];
  const long long tick_ms = max_rss > 0 ? 20 : 1000;
  while (open > 0) {
    if (g_interrupt != 0) return Drained::kInterrupted;
    if (max_rss > 0 && rss_bytes_of(pid) > max_rss) return Drained::kRssLimit;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return Drained::kTimeout;
    const int n = ::poll(fds, 2, static_cast<int>(std::min<long long>(left.count(), tick_ms)));
    if (n < 0) {
      if (errno == EINTR) continue;
      return Drained::kTimeout;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
      if (got > 0) {
        sinks[i]->append(buf, static_cast<std::size_t>(got));
        if (i == 1 && err.size() > 16384) err.erase(0, err.size() - 8192);
      } else if (got == 0 || errno != EINTR) {
        fds[i].fd = -1;
        --open;
      }
    }
  }
  return Drained::kDone;
}

}  // namespace

void install_interrupt_handler() {
  struct sigaction sa{};
  sa.sa_handler = on_interrupt;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: poll() returns EINTR and the drain loop sees the flag
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
  ::sigaction(SIGHUP, &sa, nullptr);  // a closed terminal keeps the rows too
}

int interrupted() { return static_cast<int>(g_interrupt); }

Measurement run_in_child(const ChildJob& job) {
  const RunSpec& spec = job.spec;
  if (g_interrupt != 0) return failed(Status::kFailed, "interrupted");
  char exe[4096];
  const ssize_t len = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (len <= 0) return failed(Status::kFailed, "cannot find this executable (/proc/self/exe)");
  exe[len] = '\0';
  std::vector<std::string> env = preload_environment(PreloadEnv{job.preload_library, false, job.environment});
  std::vector<char*> envp = environment_pointers(env);
  static std::atomic<unsigned> serial{0};
  const std::string cg_out = fmt::format("/tmp/alloclab-callgrind.{}.{}", ::getpid(), serial++);
  std::vector<std::string> args;
  if (spec.count_instructions)
    args = {"valgrind", "--tool=callgrind", "--collect-atstart=no", "--quiet",
            "--callgrind-out-file=" + cg_out, exe};
  else
    args = {"alloclab-child"};
  args.emplace_back(kChildFlag);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const std::string program = spec.count_instructions ? find_in_path("valgrind") : std::string(exe);
  if (program.empty()) return failed(Status::kUnavailable, "valgrind not found: apt-get install valgrind");

  const int job_fd = job_file(job_to_json(job).dump());
  if (job_fd < 0) return failed(Status::kFailed, fmt::format("cannot hand the job to the child: {}", std::strerror(errno)));
  int out[2], err[2];
  if (::pipe2(out, O_CLOEXEC) != 0) {
    ::close(job_fd);
    return failed(Status::kFailed, "pipe failed");
  }
  if (::pipe2(err, O_CLOEXEC) != 0) {
    ::close(job_fd);
    ::close(out[0]);
    ::close(out[1]);
    return failed(Status::kFailed, "pipe failed");
  }
  if (job.budget != nullptr) job.budget->before_child();
  const int cgroup_fd = job.budget != nullptr ? job.budget->cgroup_procs_fd() : -1;
  const pid_t pid = ::fork();
  if (pid == 0) {
    // Into the run's memory cgroup before exec, so the budget covers the child from its start;
    // before the dup2s, which may reuse the cgroup fd's number.
    const bool joined = cgroup_fd < 0 || ::write(cgroup_fd, "0", 1) == 1;
    ::dup2(out[1], kResultFd);
    ::dup2(job_fd, kSpecFd);  // job_fd is above both targets: neither dup2 overwrote it
    ::dup2(err[1], STDERR_FILENO);
    if (!joined) {
      static constexpr char kMsg[] = "cannot join the run's memory cgroup\n";
      (void)!::write(STDERR_FILENO, kMsg, sizeof kMsg - 1);
      _exit(126);
    }
    ::execve(program.c_str(), argv.data(), envp.data());
    _exit(127);
  }
  ::close(job_fd);
  ::close(out[1]);
  ::close(err[1]);
  if (pid < 0) {
    ::close(out[0]);
    ::close(err[0]);
    return failed(Status::kFailed, fmt::format("fork failed: {}", std::strerror(errno)));
  }

  std::string result, errors;
  // --duration: on top of --timeout, the row's clock time and four times as much for the chunks
  // made off the clock (making churn's ops took 1.3x the null allocator's replay of them).
  const double timeout_s = spec.timeout_s + 5.0 * static_cast<double>(spec.duration_s);
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(static_cast<long long>(timeout_s * 1000));
  // The watchdog's bytes: --max-rss, or the default budget where no cgroup enforces it.
  const std::uint64_t watchdog = job.budget != nullptr ? job.budget->watchdog_bytes() : spec.max_rss;
  const Drained how = drain(pid, out[0], err[0], result, errors, deadline, watchdog);
  const std::uint64_t rss_at_kill = how == Drained::kRssLimit ? rss_bytes_of(pid) : 0;
  if (how != Drained::kDone) ::kill(pid, SIGKILL);
  ::close(out[0]);
  ::close(err[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }

  switch (how) {
    case Drained::kDone: break;
    case Drained::kTimeout:
      return failed(Status::kTimeout, fmt::format("timeout after {} s", timeout_s));
    case Drained::kRssLimit:
      return failed(Status::kFailed, job.budget != nullptr ? job.budget->breach_text(rss_at_kill)
                                                            : fmt::format("RSS limit {} bytes exceeded ({} bytes)",
                                                                          watchdog, rss_at_kill));
    case Drained::kInterrupted:
      return failed(Status::kFailed, fmt::format("interrupted ({})", signal_name(g_interrupt)));
  }
  if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL && job.budget != nullptr)
    if (auto why = job.budget->cgroup_breach()) return failed(Status::kFailed, std::move(*why));
  if (WIFSIGNALED(status)) {
    std::string why = fmt::format("crashed ({})", signal_name(WTERMSIG(status)));
    if (const std::string line = last_line(errors); !line.empty()) why += ": " + line;
    return failed(Status::kCrashed, why);
  }
  if (WEXITSTATUS(status) != 0 || result.empty()) {
    const std::string line = last_line(errors);
    return failed(Status::kFailed, fmt::format("child exited with status {}{}{}", WEXITSTATUS(status),
                                               line.empty() ? "" : ": ", line));
  }
  try {
    Measurement m = measurement_from_json(json::parse(result));
    if (spec.count_instructions) {
      m.instructions = callgrind_total(cg_out);
      ::unlink(cg_out.c_str());
      if (m.instructions == 0 && m.status == Status::kOk)
        return failed(Status::kFailed, "callgrind wrote no instruction count");
    }
    return m;
  } catch (const std::exception& e) {
    return failed(Status::kFailed, fmt::format("unreadable child result: {}", e.what()));
  }
}

int child_main(int argc, char** /*argv: the spec comes on kSpecFd*/) {
  if (argc != 2) return 2;
  Measurement m;
  try {
    const json j = json::parse(read_all(kSpecFd));
    ::close(kSpecFd);
    const MeasureRequest req{j.at("spec").get<RunSpec>(), j.at("allocator").get<std::string>()};
    const std::string preload = j.at("preload").get<std::string>();
    std::string why = preload.empty() ? std::string{} : check_malloc_owner(preload);
    for (const std::string& path : req.plugins)
      if (why.empty()) why = load_plugin(path);
    m = why.empty() ? measure(req) : failed(Status::kFailed, why);
  } catch (const std::exception& e) {
    m = failed(Status::kFailed, fmt::format("bad child request: {}", e.what()));
  }
  return write_all(kResultFd, measurement_to_json(m).dump()) ? 0 : 3;
}

}  // namespace alloclab
