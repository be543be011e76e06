#include "plan_notice.hpp"

#include <fmt/format.h>

#include "harness/runner.hpp"
#include "model/exit_codes.hpp"
#include "workloads/workload.hpp"

namespace alloclab::cli {
namespace {

std::string duration_text(double s) {
  if (s < 120) return fmt::format("{:.0f} s", s);
  if (s < 7200) return fmt::format("{:.0f} min", s / 60);
  return fmt::format("{:.1f} h", s / 3600);
}

}  // namespace

RunPlanNotice::RunPlanNotice(const RunSpec& planned, const std::vector<Params>& combos,
                             const Selection& select)
    : spec_(planned), combos_(combos) {
  for (std::size_t c = 0; c < combos.size(); ++c) {
    allocators_.push_back(measured_allocators(planned, select(c)));
    rows_ += allocators_.back().size();
    if (!allocators_.back().empty()) ++sets_;
  }
  children_ = rows_ * planned.reps;
}

int RunPlanNotice::list_rows(std::FILE* out) const {
  const WorkloadInfo& w = *find_workload(spec_.workload);
  for (std::size_t c = 0; c < combos_.size(); ++c)
    for (const std::string& a : allocators_[c])
      fmt::print(out, "{}  ×{}\n", row_name(w, a, combos_[c]), spec_.reps);
  fmt::print(out, "{} rows × {} repetitions = {} child processes (dry run: nothing ran)\n", rows_,
             spec_.reps, children_);
  return model::kExitOk;
}

void RunPlanNotice::announce(std::FILE* out) const {
  if (children_ < kLargePlan) return;
  fmt::print(out,
             "alloclab: plan: {} parameter sets, {} rows × {} repetitions = {} child processes "
             "(--dry-run lists them)\n",
             sets_, rows_, spec_.reps, children_);
  std::fflush(out);
}

void RunPlanNotice::estimate(std::FILE* out, std::size_t combo) {
  if (estimated_ || children_ < kLargePlan || sets_ < 2 || allocators_[combo].empty()) return;
  estimated_ = true;
  const double first = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  fmt::print(out, "alloclab: the first of {} parameter sets took {}; the rest may take ~{}\n", sets_,
             duration_text(first), duration_text(first * static_cast<double>(sets_ - 1)));
  std::fflush(out);
}

}  // namespace alloclab::cli
