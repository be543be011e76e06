// The analysis as JSON, under the results model's keys (model/keys.hpp): the `analysis`
// member of `alloclab analyze --json`'s document, and its reader (`alloclab analyze F.json`
// renders a saved analysis without the trace).
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "heap_analysis.hpp"

namespace alloclab::analysis {

nlohmann::json to_json(const HeapAnalysis& a);

// What `analyze --json` saved: the analysis and, when it measured, one sentence per
// recommendation on how its allocators fared in the replays (empty when it did not).
struct SavedAnalysis {
  HeapAnalysis analysis;
  std::vector<std::string> backings;
};

// One line naming the key and what is wrong with it.
struct AnalysisJsonError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Strict: every key to_json writes, of its type (counts unsigned, shares in [0, 1], figures
// finite and non-negative), no other key; the backings on every recommendation or on none.
// Throws AnalysisJsonError.
SavedAnalysis from_json(const nlohmann::json& j);

}  // namespace alloclab::analysis
