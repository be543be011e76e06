// The runner: plans allocator x repetition, checks up front what cannot run (unsupported,
// unavailable), then measures each repetition in a fresh child, interleaving allocators
// (A B C A B C ...) so drift on a noisy machine spreads evenly over them.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "environment.hpp"
#include "results.hpp"

namespace alloclab {

struct RunPlan {
  std::vector<std::string> allocators;  // known names; `null` is added when missing
  std::string workload;
  Params params;  // complete
  Touch touch = Touch::kLines;
  bool verify = false;
  std::uint64_t seed = 0;
  unsigned reps = 5;
  double timeout_s = 120;
  unsigned rss_interval_ms = 5;
  std::uint32_t latency_every = 0;
  bool count_instructions = false;  // children under callgrind; rows tagged measure:instructions
  std::string trace_file;  // --trace (replay)
  SizeHistogram size_histogram;  // --size-histogram (dist 3)
  std::uint64_t max_rss = 0;  // bytes of RSS a child may reach before it is killed; 0: the default budget
};

struct RunOutcome {
  std::vector<Row> rows;  // iteration rows, in the order measured
  nlohmann::json allocators = nlohmann::json::object();  // for the context
  nlohmann::json memory_budget = nlohmann::json::object();  // RunBudget::to_json(), for the context
  bool any_failed = false;  // a row failed, crashed or timed out
  int interrupted = 0;      // the signal that stopped the run early (install_interrupt_handler)
};

// The allocators run_plan() measures: plan.allocators, plus `null` when missing.
std::vector<std::string> measured_allocators(const RunPlan& plan);

// `on_row` is called after each row is measured (progress output).
RunOutcome run_plan(const RunPlan& plan, const std::function<void(const Row&)>& on_row = {});

}  // namespace alloclab
