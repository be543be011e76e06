#include "harness/exec/launch.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <optional>

#include "harness/child.hpp"
#include "harness/preload.hpp"
#include "harness/proc_stats.hpp"
#include "harness/series_bound.hpp"

namespace alloclab::exec {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// The RSS of `pid` and of every descendant still alive (the children files of each thread).
std::uint64_t tree_rss(pid_t pid, int depth = 0) {
  std::uint64_t total = rss_bytes_of(pid);
  if (depth > 32) return total;
  std::error_code ec;
  for (const auto& task : fs::directory_iterator(fmt::format("/proc/{}/task", pid), ec)) {
    std::ifstream children(task.path() / "children");
    for (pid_t child; children >> child;) total += tree_rss(child, depth + 1);
  }
  return total;
}

// In the forked child: redirect, enter the directory, exec; errno goes back through `report`.
[[noreturn]] void start(const Launch& l, char* const argv[], char* const envp[], int report, pid_t parent) {
  ::setpgid(0, 0);
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) _exit(127);
  const auto redirect = [&](const std::string& file, int fd, int flags) {
    const int from = ::open(file.empty() ? "/dev/null" : file.c_str(), flags | O_CLOEXEC, 0600);
    if (from < 0 || ::dup2(from, fd) < 0) {
      const int err = errno;
      (void)!::write(report, &err, sizeof err);
      _exit(127);
    }
  };
  redirect(l.stdin_file, STDIN_FILENO, O_RDONLY);
  redirect(l.stdout_file, STDOUT_FILENO, O_WRONLY | O_CREAT | O_TRUNC);
  redirect(l.stderr_file, STDERR_FILENO, O_WRONLY | O_CREAT | O_TRUNC);
  if (!l.cwd.empty() && ::chdir(l.cwd.c_str()) != 0) {
    const int err = errno;
    (void)!::write(report, &err, sizeof err);
    _exit(127);
  }
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  ::signal(SIGINT, SIG_DFL);
  ::signal(SIGTERM, SIG_DFL);
  ::execve(argv[0], argv, envp);
  const int err = errno;
  (void)!::write(report, &err, sizeof err);
  _exit(127);
}

void sample(Outcome& o, RssSeries& series, pid_t pid, Clock::time_point t0) {
  const std::uint64_t rss = tree_rss(pid);
  o.rss_peak_sampled = std::max(o.rss_peak_sampled, rss);
  series.add(std::chrono::duration<double, std::milli>(Clock::now() - t0).count(), rss);
}

}  // namespace

Started start_program(const Launch& l) {
  Started s;
  std::vector<std::string> env = l.env;
  std::vector<char*> envp = environment_pointers(env), argv;
  for (const std::string& a : l.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  int report[2];
  if (::pipe2(report, O_CLOEXEC) != 0) {
    s.start_error = fmt::format("pipe failed: {}", std::strerror(errno));
    return s;
  }
  const pid_t parent = ::getpid();
  s.t0 = Clock::now();
  const pid_t pid = ::fork();
  if (pid < 0) {
    s.start_error = fmt::format("fork failed: {}", std::strerror(errno));
    ::close(report[0]);
    ::close(report[1]);
    return s;
  }
  if (pid == 0) start(l, argv.data(), envp.data(), report[1], parent);
  ::setpgid(pid, pid);  // also here: the group exists whichever process runs first
  ::close(report[1]);
  s.pid = pid;
  int err = 0;
  const bool failed_to_start = ::read(report[0], &err, sizeof err) == static_cast<ssize_t>(sizeof err);
  ::close(report[0]);
  if (failed_to_start) {
    int status = 0;
    ::wait4(pid, &status, 0, nullptr);
    s.start_error = fmt::format("cannot run '{}': {}", l.argv[0], std::strerror(err));
  }
  return s;
}

Outcome wait_program(const Launch& l, const Started& s, const StopWhen& when, bool* stopped) {
  Outcome o;
  o.pid = s.pid;
  const pid_t pid = s.pid;
  const auto t0 = s.t0;
  // The pidfd turns readable when the program ends: the wait wakes then, not at the next sample.
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  const auto deadline = t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(l.timeout_s));
  std::optional<Clock::time_point> kill_at;  // set once stop() asked for the end
  RssSeries series;  // bounded however long the program runs
  for (;;) {
    const pid_t r = ::wait4(pid, &o.wait_status, WNOHANG, &o.usage);
    if (r == pid) break;
    const auto now = Clock::now();
    if (now >= deadline || interrupted() != 0 || (kill_at && now >= *kill_at)) {
      o.timed_out = interrupted() == 0 && !kill_at;
      o.interrupted = interrupted();
      ::kill(-pid, SIGKILL);
      ::wait4(pid, &o.wait_status, 0, &o.usage);
      break;
    }
    if (!kill_at && when.stop && when.stop()) {
      ::kill(-pid, SIGTERM);
      kill_at = now + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(when.grace_s));
    }
    if (l.rss_interval_ms > 0) sample(o, series, pid, t0);
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count() + 1;
    // A stop() to ask is asked every 5 ms: the client's end stops the server promptly.
    const long long period = when.stop && !kill_at ? 5 : l.rss_interval_ms > 0 ? l.rss_interval_ms : 100;
    const int wait_ms = static_cast<int>(std::min<long long>(period, left));
    if (pidfd >= 0) {
      pollfd p{pidfd, POLLIN, 0};
      ::poll(&p, 1, wait_ms);
    } else {
      ::usleep(1000);  // no pidfd (Linux < 5.3): poll the wait every millisecond
    }
  }
  o.rss_series = series.take();
  if (stopped != nullptr) *stopped = kill_at.has_value();
  o.wall_ns = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - t0).count());
  if (pidfd >= 0) ::close(pidfd);
  ::kill(-pid, SIGKILL);  // what outlived the program: its background children
  return o;
}

Outcome launch(const Launch& l) {
  const Started s = start_program(l);
  if (!s.start_error.empty()) {
    Outcome o;
    o.start_error = s.start_error;
    return o;
  }
  return wait_program(l, s);
}

}  // namespace alloclab::exec
