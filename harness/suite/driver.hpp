// `alloclab suite`'s run: the suite's rows planned (program × allocator, in the order --shard
// splits), every chosen program's input written once into a scratch folder and planned as an
// exec program (harness/exec/exec_plan.hpp), then all of them run by exec's own loop
// (exec_run.hpp: repetitions interleaved over programs and allocators, the probe's proof).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "harness/exec/exec_run.hpp"
#include "harness/shard.hpp"
#include "harness/suite/programs.hpp"
#include "model/row.hpp"

namespace alloclab::suite {

// Where each program's words are found: an empty string when not in PATH.
using Locate = std::function<std::string(const std::string&)>;

// Why `p` cannot run here ("lua5.4 not found in PATH: install lua5.4 ..."), empty when it can.
std::string unavailable_reason(const Program& p, const Locate& locate);

// The name of every row of `program` under `allocator`: exec/ALLOCATOR/program:NAME.
std::string suite_row_name(const std::string& allocator, std::string_view program);

// One planned row: a program under an allocator. Planned row i (program-major, allocator-minor,
// unavailable programs included) belongs to shard i mod N.
struct PlannedRow {
  const Program* program;
  const exec::Contender* contender;
  std::string unavailable;  // why the program cannot run here; empty: it runs
};
std::vector<PlannedRow> plan_rows(const std::vector<const Program*>& programs,
                                  const std::vector<exec::Contender>& contenders, const Locate& locate,
                                  const Shard& shard = {});

struct SuitePlan {
  std::vector<const Program*> programs;  // in run order
  std::vector<exec::Contender> contenders;
  Size size = Size::kDefault;
  unsigned reps = 5, warmup = 0;
  double timeout_s = 600;
  Shard shard;
};

// Runs this shard's rows; `on_row` sees each measured row as it is made (may be empty). A
// program that is not installed gives one `unavailable` row per allocator. Throws a UsageError
// for what exec refuses (a port already in use, no probe library).
// pre: install_interrupt_handler() was called.
exec::ExecOutcome run_suite(const SuitePlan& plan, const Locate& locate, const std::function<void(const model::Row&)>& on_row);

}  // namespace alloclab::suite
