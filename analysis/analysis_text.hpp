// The analysis as people read it: the terminal's text (`alloclab analyze`) and Markdown.
#pragma once

#include <string>
#include <vector>

#include "heap_analysis.hpp"

namespace alloclab::analysis {

std::string render_text(const HeapAnalysis& a);

// The same as Markdown (`alloclab analyze --md`), each recommendation followed by its measured
// backing where there is one (backings[i] for recommendation i).
std::string render_markdown(const HeapAnalysis& a, const std::vector<std::string>& backings);

// "recommendations, measured:" and each recommendation with its backing, for the terminal.
std::string render_backings(const HeapAnalysis& a, const std::vector<std::string>& backings);

// "1.5 KiB", "3.2 MiB": bytes for people.
std::string size_text(double bytes);

}  // namespace alloclab::analysis
