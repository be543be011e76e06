// The micro suite: turns registry entries into Google Benchmark benchmarks, one per variant the
// plugin's capabilities allow. Each benchmark iteration replays a small pre-generated trace
// through the plugin's own replay loop (entry.replay), so the per-op path is the same statically
// dispatched code `alloclab run` measures; ErasedOps is used only to create and destroy.
//
// Glossary
//   variant - one kind of micro workload (pair, batch_fifo, batch_lifo, batch_reset, random,
//             random_reset) at one parameter; its benchmark name is <variant>/<shown>/<param>.
//   subject - a plugin entry and the name its rows are shown under (a preload peer runs the
//             glibc plugin's code under the peer's name).
#pragma once

#include <span>
#include <string>

#include "bindings/registry.hpp"

namespace alloclab::micro {

struct Subject {
  const PluginEntry* entry;
  std::string shown_name;
};

// Registers, with benchmark::RegisterBenchmark, every variant each subject can run: variants
// outermost, so allocators alternate within a workload. Returns how many were registered.
// pre: called before benchmark::Initialize; entries outlive the benchmark run.
std::size_t register_benchmarks(std::span<const Subject> subjects);

// Destroys the last threaded run's allocator instance, which outlives its run (see
// micro_suite.cpp). pre: no benchmark is running (after benchmark::RunSpecifiedBenchmarks).
void destroy_retired();

}  // namespace alloclab::micro
