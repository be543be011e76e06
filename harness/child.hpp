// The process model: every measured repetition runs in a fresh child (this same executable,
// re-executed with a hidden first argument), so its heap state and peak RSS belong to that
// allocator alone, and a crash or hang becomes a row instead of ending the run.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "measure.hpp"
#include "memory_budget.hpp"

namespace alloclab {

inline constexpr const char* kChildFlag = "--alloclab-child";

struct ChildSpec {
  MeasureRequest request;
  std::string preload_library;  // absolute path for LD_PRELOAD; empty: in-process plugin
  double timeout_s = 120;
  // Run under valgrind --tool=callgrind and report the replay's instruction count (slow, but
  // the same from run to run on a noisy machine).
  bool callgrind = false;
  std::uint64_t max_rss = 0;  // bytes; the parent kills a child whose RSS passes it. 0: no limit
  RunBudget* budget = nullptr;  // the run's memory budget: its cgroup, and the breach's wording
  std::span<const std::string_view> environment = {};  // a deployment's "NAME=value" variables
};

// SIGINT/SIGTERM to the parent during a run: the child being measured is killed, run_in_child
// returns an `interrupted` failure and the runner stops, so the rows so far can be saved.
void install_interrupt_handler();
// The signal that interrupted the run (SIGINT, SIGTERM), or 0.
int interrupted();

// Parent side: runs the child and turns whatever happens to it into a Measurement.
Measurement run_in_child(const ChildSpec& spec);

// Child side: argv = {exe, kChildFlag, request-json}. Writes the result JSON to fd 3.
int child_main(int argc, char** argv);

}  // namespace alloclab
