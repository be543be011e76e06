#include "record_process.hpp"

#include <sys/prctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fmt/format.h>

#include "cli_common.hpp"

namespace alloclab::cli {
namespace {

// Hands the terminal to process group `group`. SIGTTOU is blocked (the caller's mask), which
// lets a process outside the foreground group do so.
void give_terminal(bool owned, pid_t group) {
  if (owned) (void)::tcsetpgrp(STDIN_FILENO, group);
}

[[noreturn]] void exec_child(char* const argv[], char* const envp[], char* pid_slot, pid_t parent,
                             bool owns_terminal, const sigset_t& old_mask) {
  ::setpgid(0, 0);
  give_terminal(owns_terminal, ::getpid());
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) _exit(127);  // alloclab is already gone
  if (pid_slot != nullptr) std::snprintf(pid_slot, 21, "%d", static_cast<int>(::getpid()));
  ::sigprocmask(SIG_SETMASK, &old_mask, nullptr);
  ::execvpe(argv[0], argv, envp);
  std::fprintf(stderr, "alloclab: error: cannot run '%s': %s\n", argv[0], std::strerror(errno));
  _exit(127);
}

}  // namespace

int run_in_own_group(char* const argv[], char* const envp[], char* pid_slot, pid_t& child) {
  // The signals are blocked before the fork and taken with sigtimedwait: none is lost between
  // the fork and the wait, and none kills alloclab while the program runs on.
  sigset_t waited, blocked, old_mask;
  sigemptyset(&waited);
  for (const int sig : {SIGINT, SIGTERM, SIGHUP, SIGCHLD}) sigaddset(&waited, sig);
  blocked = waited;
  sigaddset(&blocked, SIGTTOU);
  ::sigprocmask(SIG_BLOCK, &blocked, &old_mask);
  struct sigaction dfl{};
  dfl.sa_handler = SIG_DFL;
  ::sigaction(SIGCHLD, &dfl, nullptr);  // inherited SIG_IGN would reap the child before waitpid
  const bool owns_terminal = ::isatty(STDIN_FILENO) != 0 && ::tcgetpgrp(STDIN_FILENO) == ::getpgrp();
  const pid_t parent = ::getpid();

  std::fflush(nullptr);
  child = ::fork();
  if (child < 0) {
    const int err = errno;
    ::sigprocmask(SIG_SETMASK, &old_mask, nullptr);
    throw UsageError(fmt::format("fork failed: {}", std::strerror(err)));
  }
  if (child == 0) exec_child(argv, envp, pid_slot, parent, owns_terminal, old_mask);
  ::setpgid(child, child);  // also here: the group exists whichever process runs first
  give_terminal(owns_terminal, child);

  int status = 0;
  int signals = 0;          // how many stop signals alloclab got
  bool killed = false;      // the group was sent SIGKILL
  for (;;) {
    const pid_t r = ::waitpid(child, &status, WNOHANG | WUNTRACED);
    if (r == child && !WIFSTOPPED(status)) break;
    if (r < 0 && errno != EINTR) {
      const int err = errno;
      ::sigprocmask(SIG_SETMASK, &old_mask, nullptr);
      throw UsageError(fmt::format("waiting for the program failed: {}", std::strerror(err)));
    }
    if (r == child && owns_terminal) {  // Ctrl-Z: stop alloclab too; on `fg` resume the program
      give_terminal(true, ::getpgrp());
      ::raise(SIGSTOP);
      give_terminal(true, child);
      ::kill(-child, SIGCONT);
    }
    const timespec grace{kStopGraceSeconds, 0};
    siginfo_t info;
    const int sig = ::sigtimedwait(&waited, &info, signals > 0 && !killed ? &grace : nullptr);
    if (sig == SIGCHLD || (sig < 0 && errno == EINTR)) continue;
    if (sig > 0 && ++signals == 1) {
      ::kill(-child, sig);
    } else if (!killed) {  // a second signal, or the grace period is over
      ::kill(-child, SIGKILL);
      killed = true;
    }
  }
  if (signals > 0) ::kill(-child, SIGKILL);  // what outlived the program, e.g. its children
  give_terminal(owns_terminal, ::getpgrp());
  ::sigprocmask(SIG_SETMASK, &old_mask, nullptr);
  return status;
}

}  // namespace alloclab::cli
