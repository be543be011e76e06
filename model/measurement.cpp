#include "model/measurement.hpp"

#include <algorithm>
#include <cmath>

namespace alloclab::model {
namespace {

double per_op(double total, std::uint64_t ops) { return ops > 0 ? total / static_cast<double>(ops) : 0; }

}  // namespace

double fragmentation(const MarkSample& m, std::uint64_t rss_baseline) {
  if (m.live_bytes == 0) return 0;
  const std::uint64_t heap = m.rss_bytes > rss_baseline ? m.rss_bytes - rss_baseline : 0;
  return static_cast<double>(heap) / static_cast<double>(m.live_bytes);
}

double ProgramRun::cost(std::uint64_t wall_ns) const {
  if (metric_name.empty()) return static_cast<double>(wall_ns);
  if (!metric_higher_is_better) return metric_value;
  return metric_value > 0 ? 1e9 / metric_value : 0;  // exec fails a row whose figure is not > 0
}

double Measurement::ns_per_op() const {
  if (program) return program->cost(wall_ns);
  return per_op(static_cast<double>(wall_ns), allocations);
}

double Measurement::cpu_ns_per_op() const {
  if (program) return (cpu.user_s + cpu.sys_s) * 1e9;
  return per_op((cpu.user_s + cpu.sys_s) * 1e9, allocations);
}

bool Measurement::has_overhead() const { return peak_live_bytes > 0 && rss_peak >= rss_baseline; }

double Measurement::overhead() const {
  return has_overhead() ? static_cast<double>(rss_peak - rss_baseline) / static_cast<double>(peak_live_bytes)
                        : 0;
}

double Measurement::instructions_per_op() const { return per_op(static_cast<double>(instructions), allocations); }

double Measurement::rss_growth_per_thread() const {
  // Memory the allocator keeps per thread that came and went (stranded thread caches).
  return threads_started > 0 ? (static_cast<double>(rss_end) - static_cast<double>(rss_baseline)) /
                                   static_cast<double>(threads_started)
                             : 0;
}

void mark_untrusted(Measurement& m, unsigned threads, unsigned cores, std::uint64_t iters) {
  m.too_short = m.wall_ns < kMinTrustedWallNs;
  m.suggested_iters = 0;
  if (m.too_short && iters > 0) {
    const double scale = static_cast<double>(kMinTrustedWallNs) / static_cast<double>(std::max<std::uint64_t>(m.wall_ns, 1));
    m.suggested_iters = static_cast<std::uint64_t>(std::ceil(static_cast<double>(iters) * scale));
  }
  m.oversubscribed = cores > 0 && threads > cores;
  const double parallel = (m.cpu.user_s + m.cpu.sys_s) * 1e9 / static_cast<double>(std::max<std::uint64_t>(m.wall_ns, 1));
  const unsigned can_run = cores > 0 ? std::min(threads, cores) : threads;
  m.not_parallel = can_run > 1 && parallel < kParallelShare * can_run;
}

}  // namespace alloclab::model
