// Server mode of `alloclab exec` (--server CMD --ready ...): the server runs under the
// allocator and is what is measured; the client (not preloaded) loads it and prints the
// figure. Loopback only: a benchmark must not reach, or be reached from, another machine.
#pragma once

#include <cstdint>
#include <string>

#include "harness/exec/exec_plan.hpp"
#include "harness/exec/launch.hpp"

namespace alloclab::exec {

// --ready: "tcp:HOST:PORT" (HOST a loopback address: 127.x.x.x, ::1, localhost) or "regex:TEXT"
// (a line of the server's output matching TEXT). A UsageError when it is neither.
struct Readiness {
  std::string host;    // tcp: the numeric loopback address
  std::uint16_t port = 0;  // tcp; 0: regex
  std::string regex;   // regex: the pattern
};
Readiness parse_ready(const std::string& spec);

// True when something already accepts connections on the tcp readiness's port.
bool port_in_use(const Readiness& r);

struct ServerOutcome {
  Outcome server;     // the measured process: its rusage, RSS, wall from its start to its end
  std::string error;  // why the row cannot count (not ready, port in use, exited early, client failed)
  bool timed_out = false;  // the error is the run's --timeout (server's or client's)
};

// Starts `server`, waits for readiness (server.ready_timeout_s), runs `client` to its end,
// then stops the server (SIGTERM, SIGKILL after stop_grace_s). A server stopped so counts as
// exited 0. pre: server_launch.stdout_file is set (the regex reads it).
ServerOutcome serve(const Server& server, const Launch& server_launch, const Launch& client);

}  // namespace alloclab::exec
