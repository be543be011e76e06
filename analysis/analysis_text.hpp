// The analysis as the terminal shows it (`alloclab analyze`).
#pragma once

#include <string>

#include "heap_analysis.hpp"

namespace alloclab::analysis {

std::string render_text(const HeapAnalysis& a);

// "1.5 KiB", "3.2 MiB": bytes for people.
std::string size_text(double bytes);

}  // namespace alloclab::analysis
