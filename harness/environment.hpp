// The `context` of a results file: everything needed to reproduce or question a figure.
#pragma once

#include <filesystem>
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

// What the machine says about itself under `root` ("/", or a fake tree in tests): procfs and
// sysfs read, nothing assumed; a fact that cannot be read is null. Two objects: Google
// Benchmark's context keys (cpu_scaling_enabled, caches, load_avg) and ours (governor, turbo,
// SMT, THP modes, NUMA nodes, cgroup limits, hypervisor, 1-minute load), keys in model/keys.hpp.
struct MachineFacts {
  nlohmann::json benchmark = nlohmann::json::object();
  nlohmann::json ours = nlohmann::json::object();
};
MachineFacts read_machine(const std::filesystem::path& root);

}  // namespace alloclab
