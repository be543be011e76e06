// What a planned run will do, said before it does it: a large plan (a sweep of thousands of
// children) is announced with its count and, after its first row group, a time estimate;
// --dry-run lists the rows and runs nothing.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <vector>

#include "harness/run_spec.hpp"

namespace alloclab::cli {

class RunPlanNotice {
 public:
  // From this many child processes on, a plan is announced: at about 0.1-1 s a child, the
  // run then takes minutes and a user should see that before waiting for it.
  static constexpr std::size_t kLargePlan = 100;

  RunPlanNotice(const RunSpec& planned, const std::vector<Params>& combos);

  std::size_t children() const { return children_; }
  // --dry-run: one line per row (name, repetitions), then the totals. Returns the exit code.
  int list_rows(std::FILE* out) const;
  // A large plan: its rows, repetitions and child count, on one line.
  void announce(std::FILE* out) const;
  // After the first row group of a large plan with more groups: the time left, extrapolated
  // from the group just measured (groups of a sweep differ in cost; it says it is a guess).
  void estimate(std::FILE* out) const;

 private:
  const RunSpec& spec_;
  const std::vector<Params>& combos_;
  std::vector<std::string> allocators_;
  std::size_t children_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace alloclab::cli
