// Planning a run: every setting of the spec checked against the others and the registries,
// its files read (--size-histogram, --trace), and the workload parameters expanded into the
// combinations to run. Nothing runs; a bad value is a one-line UsageError. The command line
// (tools/) fills the spec; tests/fuzz/fuzz_cli.cpp drives plan_run.
#pragma once

#include <vector>

#include "param_range.hpp"
#include "run_spec.hpp"

namespace alloclab {

struct Plan {
  RunSpec spec;  // allocators resolved, size histogram read; `params` unset
  std::vector<Params> combos;  // complete parameter sets, one per row group (one unless a sweep)
};

// With `sweep`, a parameter may list several values and every combination runs. Plugins named
// by the spec must be loaded first (their allocators are names it may use).
Plan plan_run(RunSpec spec, bool sweep);

// --duration: "90s", "10m", "2h" (a whole number and its unit) into seconds, within
// [1 s, kMaxDurationS]; a UsageError naming the text otherwise.
inline constexpr std::uint64_t kMaxDurationS = 24 * 3600;
std::uint64_t parse_duration_s(const std::string& text);

}  // namespace alloclab
