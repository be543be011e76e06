// What a planned run will do, said before it does it: a large plan (a sweep of thousands of
// children) is announced with its count and, after its first row group, a time estimate;
// --dry-run lists the rows and runs nothing. Under --shard, only this shard's rows.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "harness/run_spec.hpp"

namespace alloclab::cli {

class RunPlanNotice {
 public:
  // From this many child processes on, a plan is announced: at about 0.1-1 s a child, the
  // run then takes minutes and a user should see that before waiting for it.
  static constexpr std::size_t kLargePlan = 100;
  // The shard's selection of allocators for parameter set `combo` (see run_spec()).
  using Selection = std::function<std::function<bool(std::size_t)>(std::size_t combo)>;

  RunPlanNotice(const RunSpec& planned, const std::vector<Params>& combos, const Selection& select);

  std::size_t children() const { return children_; }
  // --dry-run: one line per row (name, repetitions), then the totals. Returns the exit code.
  int list_rows(std::FILE* out) const;
  // A large plan: its rows, repetitions and child count, on one line.
  void announce(std::FILE* out) const;
  // Once, after the first parameter set measured of a large plan with more: the time left,
  // extrapolated from that set (sets of a sweep differ in cost; it says it is a guess).
  void estimate(std::FILE* out, std::size_t combo);

 private:
  const RunSpec& spec_;
  const std::vector<Params>& combos_;
  std::vector<std::vector<std::string>> allocators_;  // per parameter set, as measured
  std::size_t rows_ = 0, sets_ = 0, children_ = 0;
  bool estimated_ = false;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace alloclab::cli
