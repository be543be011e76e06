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

RunPlanNotice::RunPlanNotice(const RunSpec& planned, const std::vector<Params>& combos)
    : spec_(planned),
      combos_(combos),
      allocators_(measured_allocators(planned)),
      children_(combos.size() * allocators_.size() * planned.reps) {}

int RunPlanNotice::list_rows(std::FILE* out) const {
  const WorkloadInfo& w = *find_workload(spec_.workload);
  for (const Params& p : combos_)
    for (const std::string& a : allocators_)
      fmt::print(out, "{}  ×{}\n", row_name(w, a, p), spec_.reps);
  fmt::print(out, "{} rows × {} repetitions = {} child processes (dry run: nothing ran)\n",
             combos_.size() * allocators_.size(), spec_.reps, children_);
  return model::kExitOk;
}

void RunPlanNotice::announce(std::FILE* out) const {
  if (children_ < kLargePlan) return;
  fmt::print(out,
             "alloclab: plan: {} parameter sets × {} allocators × {} repetitions = {} child "
             "processes (--dry-run lists them)\n",
             combos_.size(), allocators_.size(), spec_.reps, children_);
  std::fflush(out);
}

void RunPlanNotice::estimate(std::FILE* out) const {
  if (children_ < kLargePlan || combos_.size() < 2) return;
  const double first = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  fmt::print(out, "alloclab: the first of {} parameter sets took {}; the rest may take ~{}\n",
             combos_.size(), duration_text(first),
             duration_text(first * static_cast<double>(combos_.size() - 1)));
  std::fflush(out);
}

}  // namespace alloclab::cli
