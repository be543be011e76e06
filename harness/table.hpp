// The terminal summary of a run: one line per allocator, medians over the repetitions.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "results.hpp"

namespace alloclab {

struct Summary {
  std::string allocator;
  Status status = Status::kOk;
  std::string error;
  unsigned ok_reps = 0;
  double median_ns = 0, min_ns = 0, max_ns = 0, cv = 0;
  double median_peak_rss = 0;
};

// One summary per allocator, fastest first; rows that did not run last.
std::vector<Summary> summarize(const std::vector<Row>& rows);

void print_table(std::FILE* out, const std::vector<Row>& rows, const std::string& baseline,
                 bool colour);

}  // namespace alloclab
