// model/: the results model, below both the harness (which writes results) and the reports
// (which read them). It depends on nlohmann_json and fmt only.
//
// Glossary
//   results file   {"context": {...}, "benchmarks": [...]}: Google Benchmark's layout plus our
//                  fields; the context carries alloclab_schema_version (document.hpp).
//   key            a JSON field name; every one is spelled once, in keys.hpp.
//   Status         how a repetition ended: ok, unsupported, unavailable, failed, crashed, timeout.
//   Measurement    one repetition's measured figures (measurement.hpp); measure() fills it and the
//                  child hands it to the parent as measurement_to_json.
//   Row            one configuration and one repetition's Measurement: one iteration row
//                  (row.hpp). Aggregate rows (median, mean, stddev, cv) are derived on writing.
//   Repetition     a repetition's figures as summaries use them, from any file (summary.hpp).
//   RowSummary     one configuration over its repetitions, computed once for every view.
//   statistics     median, mean, stddev, cv, median CI (stats.hpp).
//   atomic write   the one way outputs are written (atomic_file.hpp).
//
// Adding a figure: a field in measurement.hpp, its key in keys.hpp, its lines in document.cpp
// (and in summary.cpp if reports show it), plus the harness code that measures it.
#pragma once

#include "model/atomic_file.hpp"
#include "model/document.hpp"
#include "model/keys.hpp"
#include "model/measurement.hpp"
#include "model/row.hpp"
#include "model/stats.hpp"
#include "model/status.hpp"
#include "model/summary.hpp"
