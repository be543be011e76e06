// Figures over time kept to a bounded size, so a row of an hour writes kilobytes of JSON, not
// megabytes: the RSS series and the marks (aged) of harness/measure.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "model/measurement.hpp"

namespace alloclab {

// RSS samples as at most kMaxPoints points. Each point stands for `stride()` samples in a row
// and is the largest of them (its time and bytes), so the peak is never lost. When the points
// are full, neighbours merge in pairs and the stride doubles: the resolution halves, the span
// covered doubles, and the run's length no longer costs memory.
class RssSeries {
 public:
  static constexpr std::size_t kMaxPoints = 512;
  using Point = std::pair<double, std::uint64_t>;  // (ms since start, bytes)

  void add(double t_ms, std::uint64_t bytes);
  std::size_t stride() const { return stride_; }
  // The points, with the last part-filled one.
  std::vector<Point> take();

 private:
  std::vector<Point> points_;
  Point pending_{0, 0};
  std::size_t pending_count_ = 0;
  std::size_t stride_ = 1;
};

// Mark samples (aged) as whole phases (the marks up to and including an after-shrink one), at
// most about kMaxMarks of them: every `stride()`-th phase is kept, from the first. When the kept
// marks pass kMaxMarks at the end of a phase, every other kept phase is dropped and the stride
// doubles. A kept phase keeps each of its steps (throughput per step, RSS after its shrink); the
// rate from the last mark of one kept phase to the first of the next is still the true average
// over the phases between. A phase of kMaxPhaseMarks marks without a shrink ends there (marks
// of a workload without shrinks). Bound: kMaxMarks + kMaxPhaseMarks marks.
class MarkSeries {
 public:
  static constexpr std::size_t kMaxMarks = 1024;
  static constexpr std::size_t kMaxPhaseMarks = 512;

  void add(const model::MarkSample& s);
  std::size_t stride() const { return stride_; }
  std::vector<model::MarkSample> take() { return std::move(marks_); }

 private:
  std::vector<model::MarkSample> marks_;
  std::vector<std::uint64_t> phase_of_;  // by marks_ index
  std::uint64_t phase_ = 0;              // the phase the next mark belongs to
  std::size_t in_phase_ = 0;             // marks of phase_ so far
  std::size_t stride_ = 1;
};

}  // namespace alloclab
