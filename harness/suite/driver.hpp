// `alloclab suite`'s run: every chosen program's input written once into a scratch folder, then
// repetitions interleaved over programs (and, inside exec, over allocators), each run through
// exec's run loop behind ExecRunner — the one narrow door between the suite and exec.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "harness/suite/programs.hpp"
#include "model/row.hpp"

namespace alloclab::suite {

// One call of exec: the program once (one repetition) under each allocator of the list.
struct ExecRequest {
  std::string program;            // the suite's name, for messages
  std::vector<std::string> argv;  // argv[0]: a name exec finds in PATH (the command text keeps it)
  std::optional<Server> server;
  std::string metric;             // exec's --metric; empty: wall time
  std::vector<std::string> env;   // exec's --env NAME=VALUE
  std::string cwd;                // the scratch folder holding the input
  std::string allocators;         // exec's -a LIST
  unsigned warmup = 0;            // exec's --warmup (discarded runs per allocator first)
  double timeout_s = 600;
};

struct ExecResult {
  std::vector<model::Row> rows;  // one per allocator (fewer when interrupted)
  int interrupted = 0;           // the signal that stopped it, 0: none
};

// Runs exec; throws cli's UsageError-like std::runtime_error for what exec refused.
using ExecRunner = std::function<ExecResult(const ExecRequest&)>;

// Where each program's words are found: an empty string when not in PATH.
using Locate = std::function<std::string(const std::string&)>;

struct SuitePlan {
  std::vector<const Program*> programs;  // in run order
  std::vector<std::string> allocators;   // names, in exec's order (for unavailable rows)
  std::string allocator_list;            // as given to exec's -a
  Size size = Size::kDefault;
  unsigned reps = 5, warmup = 0;
  double timeout_s = 600;
  std::string no_server_mode;  // why server programs cannot run through this exec; empty: they can
};

struct SuiteResult {
  std::vector<model::Row> rows;
  int interrupted = 0;
  bool any_failed = false;
};

// Why `p` cannot run here ("lua5.4 not found in PATH: install lua5.4 ..." or, for a server,
// `no_server_mode`), empty when it can.
std::string unavailable_reason(const Program& p, const Locate& locate, const std::string& no_server_mode);

// `progress(program, rep)` is called before each exec call (may be empty).
SuiteResult run_suite(const SuitePlan& plan, const ExecRunner& exec, const Locate& locate,
                      const std::function<void(const Program&, unsigned)>& progress);

}  // namespace alloclab::suite
