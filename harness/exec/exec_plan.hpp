// Planning runs of real programs (`alloclab exec`, and `alloclab suite` for each of its
// programs): the program described once (Program), checked and resolved (plan_program), and
// the allocators that can serve a whole program (exec_contenders). Nothing runs here; a bad
// value is a one-line UsageError. exec_run.hpp runs the plans.
#pragma once

#include <optional>
#include <regex>
#include <string>
#include <vector>

namespace alloclab::exec {

// --metric NAME=REGEX[:higher|lower]: the figure a program prints, first capture group.
struct Metric {
  std::string name, pattern;
  std::regex re;
  bool higher = false;
};
Metric parse_metric(const std::string& spec);

// A server the program loads (--server): started under the allocator, ready when `ready`
// says so, stopped after the client (the Program's argv, run plainly) ends.
struct Server {
  std::vector<std::string> argv;  // argv[0]: a path or a name in PATH (split_command)
  std::string ready;             // "tcp:127.0.0.1:PORT" or "regex:TEXT" (its stdout+stderr)
  double ready_timeout_s = 30;
  double stop_grace_s = 5;       // SIGTERM, then SIGKILL after this
};

// One program as the user describes it.
struct Program {
  std::vector<std::string> argv;  // argv[0]: a path or a name looked up in PATH
  std::string label;              // the row name's program part; empty: argv[0]'s file name
  std::string cwd;                // empty: the current directory
  std::string stdin_file;         // empty: /dev/null
  std::vector<std::string> env;   // NAME=VALUE set for the program (not LD_PRELOAD)
  std::optional<Metric> metric;   // judge on it instead of wall time
  double timeout_s = 600;         // a run's limit; then its process group is killed
  unsigned rss_interval_ms = 10;  // RSS sampling of the process tree; 0: off
  std::vector<std::string> inputs;  // files the program reads: their hash goes in the rows
  std::optional<Server> server;   // set: argv is the client, the server is what is measured
};

// One allocator a whole program can run under: glibc (nothing preloaded), a deployment or a
// variant of one (harness/deployments.hpp), or a user's library.
struct Contender {
  std::string name;
  std::string library;                   // empty: glibc, nothing preloaded
  std::vector<std::string> environment;  // NAME=value: the deployment's and the variant's
  std::string settings;                  // the variant's settings as given; empty: none
  std::string unavailable;               // why it cannot run; empty when it can
};

// `list`: the -a text ("all", or names and variants, brace-aware commas); `variants`: the
// --variant NAME=BASE{K=V,...} definitions the list may name; `preload_lib` (+ its
// `preload_name`): a user's library, run last. At least one; no name twice.
std::vector<Contender> exec_contenders(const std::string& list, const std::vector<std::string>& variants = {},
                                       const std::string& preload_lib = {}, const std::string& preload_name = {});

// The allocator ratios are taken against: `wanted` when given (it must be run), else glibc
// when run, else the first.
std::string exec_baseline(const std::vector<Contender>& contenders, const std::string& wanted = {});

// A program checked and resolved: its path found and executable, cwd and stdin absolute.
struct ExecPlan {
  Program program;           // argv[0] the resolved path
  std::string label;         // the row name's program part
  std::string refusal;       // why no allocator can reach the program (static, setuid); empty: none
  std::string command_text;  // the command line, shell-quoted (with a server: server, then client)
  std::string input_hash;    // of the --input files' contents; empty: none named
  std::string probe;         // liballoclab_exec_probe.so
  // The first non-standard allocating call (mallocx, mi_malloc, tc_malloc ...) the measured
  // program imports; empty: none, so an allocator library it links only for its control API
  // (mallctl) serves it nothing (proof.hpp).
  std::string allocator_api;
};
ExecPlan plan_program(Program p);

// A command line split into words as the shell would (quotes, no expansion of $ or `);
// a UsageError naming `what` when it cannot be.
std::vector<std::string> split_command(const std::string& text, const std::string& what);

// `arg` as a shell word: itself when it needs no quoting, else in single quotes.
std::string shell_quoted(const std::string& arg);

}  // namespace alloclab::exec
