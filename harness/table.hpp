// The terminal summary of a run: one line per allocator, rendered from the results model's
// per-row summary (model/summary.hpp), the same figures `alloclab report` shows.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "model/summary.hpp"
#include "model/verdict.hpp"
#include "results.hpp"

namespace alloclab {

struct AllocatorSummary {
  std::string allocator;
  std::vector<model::Repetition> reps;  // what `summary` points into
  model::RowSummary summary;
};

// One summary per allocator, best first (model::ranks_before).
std::vector<AllocatorSummary> summarize(const std::vector<Row>& rows);

// "3.2 MiB": the table's spelling of a byte count.
std::string bytes_text(double bytes);

// The verdict of time and memory together over `sums` (the null plugin is not judged), and the
// fastest allocator within `budget` when one is given.
void print_verdict(std::FILE* out, const std::vector<AllocatorSummary>& sums, const std::string& baseline,
                   const model::RssBudget& budget = {});

// The table, then the verdict of time and memory together (model/verdict.hpp), and the fastest
// allocator within `budget` when one is given.
void print_table(std::FILE* out, const std::vector<Row>& rows, const std::string& baseline,
                 bool colour, const model::RssBudget& budget = {});

}  // namespace alloclab
