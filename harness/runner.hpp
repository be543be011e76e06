// The runner: plans allocator x repetition, checks up front what cannot run (unsupported,
// unavailable), then measures each repetition in a fresh child, interleaving allocators
// (A B C A B C ...) so drift on a noisy machine spreads evenly over them.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "environment.hpp"
#include "results.hpp"
#include "run_spec.hpp"

namespace alloclab {

struct RunOutcome {
  std::vector<Row> rows;  // iteration rows, in the order measured
  nlohmann::json allocators = nlohmann::json::object();  // for the context
  nlohmann::json memory_budget = nlohmann::json::object();  // RunBudget::to_json(), for the context
  bool any_failed = false;  // a row failed, crashed or timed out
  int interrupted = 0;      // the signal that stopped the run early (install_interrupt_handler)
};

// The allocators run_spec() measures: spec.allocators, plus `null` when missing.
// With `selected` (--shard): only the allocators it holds, by their place in spec.allocators,
// plus null; none when it holds none.
std::vector<std::string> measured_allocators(const RunSpec& spec,
                                             const std::function<bool(std::size_t)>& selected = {});

// Measures one parameter combination (spec.params, complete; the spec planned by plan_run).
// `on_row` is called after each row is measured (progress output). `selected(i)` (--shard)
// says whether spec.allocators[i] runs; `null`, the harness's floor, runs whenever any does.
RunOutcome run_spec(const RunSpec& spec, const std::function<void(const Row&)>& on_row = {},
                    const std::function<bool(std::size_t)>& selected = {});

}  // namespace alloclab
