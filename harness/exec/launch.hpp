// One run of a real program for `alloclab exec`: a fresh process in its own process group,
// measured from outside — wall time, the tree's rusage (wait4: the program plus every
// descendant it reaped), and its RSS over time (the tree's VmRSS sampled from /proc).
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace alloclab::exec {

struct Launch {
  std::vector<std::string> argv;  // argv[0]: the program's path
  std::vector<std::string> env;   // the whole environment, "NAME=value"
  std::string cwd;                // empty: this one
  std::string stdin_file;         // empty: /dev/null
  std::string stdout_file;        // empty: /dev/null
  std::string stderr_file;        // empty: /dev/null
  double timeout_s = 600;
  unsigned rss_interval_ms = 10;  // 0: no sampling
};

struct Outcome {
  std::string start_error;  // the program could not be started (then nothing else is set)
  pid_t pid = 0;
  int wait_status = 0;
  bool timed_out = false;
  int interrupted = 0;  // SIGINT/SIGTERM to alloclab during the run (the group was killed)
  std::uint64_t wall_ns = 0;
  rusage usage{};                      // wait4's: the program and its reaped descendants
  std::uint64_t rss_peak_sampled = 0;  // the largest sampled RSS of the whole tree
  std::vector<std::pair<double, std::uint64_t>> rss_series;  // (ms since start, bytes)
};

// A program started in its own process group, not yet waited for.
struct Started {
  std::string start_error;  // it could not be started (then pid is 0 or already reaped)
  pid_t pid = 0;
  std::chrono::steady_clock::time_point t0;
};
Started start_program(const Launch& l);

// How a wait may be ended early: once `stop()` is true the group gets SIGTERM, and SIGKILL
// `grace_s` later (a server stopped after its client). `stopped` in the outcome says so.
struct StopWhen {
  std::function<bool()> stop;
  double grace_s = 5;
};

// Waits for a started program, sampling RSS; past the timeout (or at an interrupt) the whole
// process group is killed. Whatever is left of the group when the program ends is killed too.
// `stopped` (out): the program ended after `when.stop` asked it to.
Outcome wait_program(const Launch& l, const Started& s, const StopWhen& when = {}, bool* stopped = nullptr);

// start_program, then wait_program.
Outcome launch(const Launch& l);

}  // namespace alloclab::exec
