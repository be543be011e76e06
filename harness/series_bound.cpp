#include "series_bound.hpp"

namespace alloclab {

void RssSeries::add(double t_ms, std::uint64_t bytes) {
  if (pending_count_ == 0 || bytes > pending_.second) pending_ = Point{t_ms, bytes};
  if (++pending_count_ < stride_) return;
  points_.push_back(pending_);
  pending_count_ = 0;
  if (points_.size() < kMaxPoints) return;
  std::size_t keep = 0;
  for (std::size_t i = 0; i < points_.size(); i += 2) {
    const bool second = i + 1 < points_.size() && points_[i + 1].second > points_[i].second;
    points_[keep++] = points_[second ? i + 1 : i];
  }
  points_.resize(keep);
  stride_ *= 2;
}

std::vector<RssSeries::Point> RssSeries::take() {
  if (pending_count_ > 0) points_.push_back(pending_);
  pending_count_ = 0;
  return std::move(points_);
}

void MarkSeries::add(const model::MarkSample& s) {
  const std::uint64_t phase = phase_;
  const bool ends = s.after_shrink || ++in_phase_ == kMaxPhaseMarks;
  if (ends) {
    ++phase_;
    in_phase_ = 0;
  }
  if (phase % stride_ != 0) return;
  marks_.push_back(s);
  phase_of_.push_back(phase);
  if (!ends || marks_.size() <= kMaxMarks) return;
  stride_ *= 2;
  std::size_t keep = 0;
  for (std::size_t i = 0; i < marks_.size(); ++i) {
    if (phase_of_[i] % stride_ != 0) continue;
    marks_[keep] = marks_[i];
    phase_of_[keep++] = phase_of_[i];
  }
  marks_.resize(keep);
  phase_of_.resize(keep);
}

}  // namespace alloclab
