// Running the probe (alloclab-check-probe) once: a child in its own process group with the
// allocator's environment, its output captured, killed (group and all) at the deadline.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace alloclab::check {

struct ProbeRun {
  int wait_status = 0;  // as waitpid gives it
  bool timed_out = false;
  std::string out, err;  // stdout, stderr (stderr's last 4 KiB)
  std::uint64_t wall_ns = 0;
};

// pre: argv[0] is the probe's path. Throws std::runtime_error when it cannot be started.
ProbeRun run_probe(const std::vector<std::string>& argv, std::vector<std::string> env, double timeout_s);

}  // namespace alloclab::check
