#include "harness/exec/server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <fmt/format.h>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "harness/child.hpp"
#include "harness/signal_name.hpp"
#include "model/exit_codes.hpp"

namespace alloclab::exec {
namespace {

using Clock = std::chrono::steady_clock;
using model::UsageError;

// The numeric form of a loopback host, or empty when `host` is not one.
std::string loopback(const std::string& host) {
  if (host == "localhost") return "127.0.0.1";
  in_addr a4{};
  if (::inet_pton(AF_INET, host.c_str(), &a4) == 1) return (ntohl(a4.s_addr) >> 24) == 127 ? host : std::string();
  in6_addr a6{};
  if (::inet_pton(AF_INET6, host.c_str(), &a6) == 1) return IN6_IS_ADDR_LOOPBACK(&a6) ? host : std::string();
  return {};
}

bool accepts(const Readiness& r) {
  const bool v6 = r.host.find(':') != std::string::npos;
  const int fd = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_storage addr{};
  socklen_t len = 0;
  if (v6) {
    auto* a = reinterpret_cast<sockaddr_in6*>(&addr);
    a->sin6_family = AF_INET6;
    a->sin6_port = htons(r.port);
    ::inet_pton(AF_INET6, r.host.c_str(), &a->sin6_addr);
    len = sizeof *a;
  } else {
    auto* a = reinterpret_cast<sockaddr_in*>(&addr);
    a->sin_family = AF_INET;
    a->sin_port = htons(r.port);
    ::inet_pton(AF_INET, r.host.c_str(), &a->sin_addr);
    len = sizeof *a;
  }
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), len) == 0;
  ::close(fd);
  return ok;
}

std::string read_all(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The last line of the server's output, for the error messages.
std::string last_line(const std::string& file) {
  std::string text = read_all(file);
  while (!text.empty() && text.back() == '\n') text.pop_back();
  const std::size_t nl = text.rfind('\n');
  return nl == std::string::npos ? text : text.substr(nl + 1);
}

// "exit status 3" / "killed by SIGSEGV" of a reaped wait status.
std::string ending(int ws) {
  return WIFSIGNALED(ws) ? fmt::format("killed by {}", signal_name(WTERMSIG(ws)))
                         : fmt::format("exit status {}", WEXITSTATUS(ws));
}

std::string with_output(std::string what, const std::string& file) {
  if (const std::string line = last_line(file); !line.empty()) what += ": " + line;
  return what;
}

// Ends the server's group now and reaps it (readiness failed).
Outcome abandon(const Launch& l, const Started& s) {
  ::kill(-s.pid, SIGKILL);
  return wait_program(l, s);
}

}  // namespace

Readiness parse_ready(const std::string& spec) {
  Readiness r;
  if (spec.starts_with("regex:") && spec.size() > 6) {
    r.regex = spec.substr(6);
    try {
      (void)std::regex(r.regex);
    } catch (const std::regex_error& e) {
      throw UsageError(fmt::format("--ready: bad regular expression '{}': {}", r.regex, e.what()));
    }
    return r;
  }
  const std::size_t colon = spec.rfind(':');
  if (!spec.starts_with("tcp:") || colon <= 4)
    throw UsageError(fmt::format("--ready: '{}' is not tcp:HOST:PORT or regex:TEXT", spec));
  std::string host = spec.substr(4, colon - 4);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  const std::string port = spec.substr(colon + 1);
  char* end = nullptr;
  const unsigned long p = std::strtoul(port.c_str(), &end, 10);
  if (port.empty() || *end != '\0' || p == 0 || p > 65535)
    throw UsageError(fmt::format("--ready: '{}' is not a port (1..65535)", port));
  r.host = loopback(host);
  if (r.host.empty())
    throw UsageError(fmt::format("--ready: '{}' is not a loopback address: servers run on 127.0.0.1 or ::1 only", host));
  r.port = static_cast<std::uint16_t>(p);
  return r;
}

bool port_in_use(const Readiness& r) { return r.port != 0 && accepts(r); }

ServerOutcome serve(const Server& server, const Launch& server_launch, const Launch& client) {
  ServerOutcome so;
  const Readiness ready = parse_ready(server.ready);
  if (port_in_use(ready)) {
    so.error = fmt::format("port {} on {} is already in use before the server started", ready.port, ready.host);
    return so;
  }
  const Started s = start_program(server_launch);
  if (!s.start_error.empty()) {
    so.error = "server: " + s.start_error;
    return so;
  }
  const std::regex re = ready.regex.empty() ? std::regex() : std::regex(ready.regex);
  const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                            std::chrono::duration<double>(server.ready_timeout_s));
  for (;;) {
    siginfo_t info{};
    // WNOWAIT: an early exit is seen without reaping, so wait_program still gets its rusage.
    if (::waitid(P_PID, static_cast<id_t>(s.pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == s.pid) {
      so.server = wait_program(server_launch, s);
      so.error = with_output(fmt::format("server exited before it was ready ({})", ending(so.server.wait_status)),
                             server_launch.stdout_file);
      return so;
    }
    if (ready.port != 0 ? accepts(ready) : std::regex_search(read_all(server_launch.stdout_file), re)) break;
    if (interrupted() != 0) {
      so.server = abandon(server_launch, s);
      so.error = "interrupted";
      return so;
    }
    if (Clock::now() >= deadline) {
      so.server = abandon(server_launch, s);
      so.error = with_output(fmt::format("server not ready after {} s (--ready {})", server.ready_timeout_s, server.ready),
                             server_launch.stdout_file);
      return so;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  // The client runs on its own thread while this one samples the server's RSS.
  std::atomic<bool> client_done{false};
  Outcome client_out;
  std::thread client_thread([&] {
    client_out = launch(client);
    client_done = true;
  });
  bool stopped = false;
  so.server = wait_program(server_launch, s, StopWhen{[&] { return client_done.load(); }, server.stop_grace_s}, &stopped);
  client_thread.join();
  so.timed_out = so.server.timed_out || client_out.timed_out;
  if (!stopped && so.server.interrupted == 0) {
    so.error = so.server.timed_out ? fmt::format("timeout after {} s (server and client killed)", server_launch.timeout_s)
                                   : with_output(fmt::format("server exited while the client ran ({})",
                                                             ending(so.server.wait_status)),
                                                 server_launch.stdout_file);
    return so;
  }
  if (stopped) so.server.wait_status = 0;  // SIGTERM (or SIGKILL after the grace) was ours
  if (!client_out.start_error.empty()) {
    so.error = "client: " + client_out.start_error;
  } else if (client_out.timed_out) {
    so.error = fmt::format("client: timeout after {} s (process group killed)", client.timeout_s);
  } else if (client_out.interrupted == 0 && client_out.wait_status != 0) {
    so.error = with_output(fmt::format("client {}", ending(client_out.wait_status)), client.stderr_file);
  }
  return so;
}

}  // namespace alloclab::exec
