// Running planned programs (exec_plan.hpp) under each contender: a fresh process per
// repetition, interleaved (for each repetition: every program, every allocator), warm-up runs
// discarded, the probe's proof judged, the metric extracted. One row per measured run.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/exec/exec_plan.hpp"
#include "harness/shard.hpp"
#include "model/row.hpp"

namespace alloclab::exec {

struct ExecRunOptions {
  unsigned reps = 5;
  unsigned warmup = 0;
  std::function<void(const model::Row&)> on_row;  // each measured row as it is made (progress)
  // Which (program, allocator) pairs run, by exec_row_name (--shard); unset: all.
  std::function<bool(const std::string&)> selected;
  // --shard: planned row i = program index * contenders + contender index runs on its shard.
  Shard shard;
};

struct ExecOutcome {
  std::vector<model::Row> rows;
  nlohmann::json libraries = nlohmann::json::object();  // allocator name -> the library that served it
  bool any_failed = false;
  int interrupted = 0;  // the signal that stopped the runs (the rows so far kept), or 0
};

// The row name every run of `plan` under `allocator` gets: exec/ALLOCATOR/cmd:LABEL (what
// --shard splits on, before anything runs).
std::string exec_row_name(const ExecPlan& plan, const std::string& allocator);

// pre: install_interrupt_handler() was called (Ctrl-C stops between and inside runs).
ExecOutcome run_exec(const std::vector<ExecPlan>& programs, const std::vector<Contender>& contenders,
                     const ExecRunOptions& options);

}  // namespace alloclab::exec
