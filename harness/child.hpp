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
#include "run_spec.hpp"

namespace alloclab {

inline constexpr const char* kChildFlag = "--alloclab-child";

// One child's work: the run's spec, unchanged, and which allocator and repetition it measures.
// The spec travels on an inherited file (fd 4), not in argv: it holds the size
// histogram's bins, which can be far larger than an argument may be.
struct ChildJob {
  const RunSpec& spec;   // timeout_s, max_rss and count_instructions (callgrind) apply here too
  std::string allocator;  // the plugin the child runs (a deployment's: glibc's, under LD_PRELOAD)
  unsigned repetition = 0;
  std::string preload_library;  // absolute path for LD_PRELOAD; empty: in-process plugin
  RunBudget* budget = nullptr;  // the run's memory budget: its cgroup, the watchdog's bytes, the breach's wording
  std::span<const std::string_view> environment = {};  // a deployment's "NAME=value" variables
};

// SIGINT/SIGTERM/SIGHUP to the parent during a run: the child being measured is killed, run_in_child
// returns an `interrupted` failure and the runner stops, so the rows so far can be saved.
void install_interrupt_handler();
// The signal that interrupted the run (SIGINT, SIGTERM, SIGHUP), or 0.
int interrupted();

// Parent side: runs the child and turns whatever happens to it into a Measurement.
Measurement run_in_child(const ChildJob& job);

// Child side: argv = {exe, kChildFlag}. Reads the job (JSON) from fd 4 to its end, measures,
// and writes the result JSON to fd 3.
int child_main(int argc, char** argv);

}  // namespace alloclab
