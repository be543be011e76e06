// reports/check_section.hpp — the conformance checks of `alloclab check` in a report: a
// check × allocator matrix of verdicts and the evidence of every fail and note. Empty when the
// files hold no check rows.
#pragma once

#include <span>
#include <string>

#include "model/check_row.hpp"

namespace alloclab::reports {

std::string check_section_markdown(std::span<const model::CheckRow> rows);
std::string check_section_html(std::span<const model::CheckRow> rows);

}  // namespace alloclab::reports
