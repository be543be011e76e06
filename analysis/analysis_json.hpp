// The analysis as JSON, under the results model's keys (model/keys.hpp): the `analysis`
// member of `alloclab analyze --json`'s document.
#pragma once

#include <nlohmann/json.hpp>

#include "heap_analysis.hpp"

namespace alloclab::analysis {

nlohmann::json to_json(const HeapAnalysis& a);

}  // namespace alloclab::analysis
