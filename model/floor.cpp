#include "model/floor.hpp"

#include <fmt/format.h>

namespace alloclab::model {

std::string above_floor_text(const RowSummary& row, const RowSummary* floor, bool is_floor) {
  if (is_floor) return "floor";
  if (floor == nullptr || !floor->measured() || !row.measured()) return "-";
  if (row.counted && floor->counted)
    return fmt::format("{:+.1f} instr", row.instructions_per_op - floor->instructions_per_op);
  if (row.counted != floor->counted) return "-";  // one counted, one timed: no common unit
  return fmt::format("{:+.1f} ns", row.median_ns - floor->median_ns);
}

}  // namespace alloclab::model
