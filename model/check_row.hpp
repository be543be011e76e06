// One row of `alloclab check`: an allocator's malloc put through one conformance check in a
// fresh process. Written in Google Benchmark's layout (an iteration row whose real_time is the
// check's wall time), so the same tools read a check file; readers tell check rows apart by
// their key::kCheck field, and the results reader (document.hpp) passes over them.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/status.hpp"

namespace alloclab::model {

enum class CheckVerdict { kPass, kFail, kNote };

std::string_view verdict_name(CheckVerdict v);  // "pass", "fail", "note"
std::optional<CheckVerdict> parse_verdict(std::string_view name);

struct CheckRow {
  std::string allocator;
  std::string check;
  CheckVerdict verdict = CheckVerdict::kPass;
  bool required = true;  // false: the check only describes (a note, never a fail)
  Status status = Status::kOk;  // how the probe process ended: ok, crashed, timeout, failed
  std::string evidence;
  std::uint64_t wall_ns = 0;
  bool operator==(const CheckRow&) const = default;
};

// A matrix cell: "pass", "FAIL", "note", with the status when the probe did not end well
// ("FAIL (crashed)", "note (timeout)").
std::string check_cell(const CheckRow& r);

// True when `row` (one element of the benchmarks array) is a check row.
bool is_check_row(const nlohmann::json& row);

nlohmann::json check_row_json(const CheckRow& r);
CheckRow check_row_from_json(const nlohmann::json& j);  // throws FormatError

// A results document of check rows; `context` gets the schema version.
nlohmann::json check_document(nlohmann::json context, const std::vector<CheckRow>& rows);
// The check rows of a document, in file order (none for a file of measurements). Throws
// FormatError naming the row.
std::vector<CheckRow> read_check_rows(const nlohmann::json& root);

}  // namespace alloclab::model
