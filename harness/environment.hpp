// The `context` of a results file: everything needed to reproduce or question a figure.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace alloclab {

struct RunContext {
  std::vector<std::string> command_line;
  std::uint64_t seed = 0;
  nlohmann::json allocators = nlohmann::json::object();  // name -> library, package, version
  nlohmann::json memory_budget = nlohmann::json::object();  // RunOutcome::memory_budget
};

// Google Benchmark's context keys plus an "alloclab" object with ours.
nlohmann::json capture_environment(const RunContext& rc);

}  // namespace alloclab
