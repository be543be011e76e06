// above_floor_text: a row minus the floor's, in the unit both rows share.
#include "model/floor.hpp"

#include <gtest/gtest.h>

namespace alloclab::model {
namespace {

RowSummary row(double ns, double instr = kMissing) {
  RowSummary s;
  s.ns = {ns};
  s.median_ns = ns;
  s.instructions_per_op = instr;
  s.counted = present(instr);
  return s;
}

TEST(AboveFloor, TimedRowsInNsCountedRowsInInstructions) {
  const RowSummary floor = row(10.0), timed = row(22.5);
  EXPECT_EQ(above_floor_text(timed, &floor, false), "+12.5 ns");
  const RowSummary cfloor = row(900.0, 61.0), counted = row(2000.0, 155.0);
  EXPECT_EQ(above_floor_text(counted, &cfloor, false), "+94.0 instr");
  EXPECT_EQ(above_floor_text(row(8.0), &floor, false), "-2.0 ns");  // a row under the floor shows it
}

TEST(AboveFloor, NoFloorNoCommonUnitOrTheFloorItself) {
  const RowSummary floor = row(10.0), counted = row(2000.0, 155.0);
  EXPECT_EQ(above_floor_text(row(20.0), nullptr, false), "-");
  EXPECT_EQ(above_floor_text(counted, &floor, false), "-");
  EXPECT_EQ(above_floor_text(RowSummary{}, &floor, false), "-");
  EXPECT_EQ(above_floor_text(floor, &floor, true), "floor");
}

}  // namespace
}  // namespace alloclab::model
