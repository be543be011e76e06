// Cost above the floor: a row's figures minus those of the harness's `null` row in the same
// group (the replay loop plus the cheapest correct allocator), so ratios between allocators
// can be read without the harness's share diluting them. Instructions for counted rows
// (--measure instructions: their ns/op is callgrind's slowed time), ns otherwise.
#pragma once

#include <string>
#include <string_view>

#include "model/summary.hpp"

namespace alloclab::model {

// The allocator whose row is the floor.
inline constexpr std::string_view kFloorAllocator = "null";

// "+41.0 instr", "+12.3 ns", "floor" for the floor row itself, "-" when either is not measured.
std::string above_floor_text(const RowSummary& row, const RowSummary* floor, bool is_floor);

}  // namespace alloclab::model
