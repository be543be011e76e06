// reports/warnings.hpp — conditions in the files' recorded environments that spoil
// measurements: frequency scaling on, a busy machine, THP modes differing between the files
// compared, results of two hosts mixed. One line each, for the terminal and the report's notes.
#pragma once

#include <string>
#include <vector>

#include "reports/results.hpp"

namespace alloclab::reports {

std::vector<std::string> measurement_warnings(const Results& results);

// The warnings as a notes section of the Markdown report and of the HTML page ("" when none).
std::string notes_markdown(const std::vector<std::string>& warnings);
std::string notes_html(const std::vector<std::string>& warnings);

}  // namespace alloclab::reports
