#include "model/summary.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace alloclab::model {
namespace {

// Median of one figure over the ok repetitions that recorded it.
template <class Get>
double median_over_ok(std::span<const Repetition> reps, Get get) {
  std::vector<double> v;
  for (const Repetition& rep : reps)
    if (rep.ok() && present(get(rep))) v.push_back(get(rep));
  return v.empty() ? kMissing : median(v);
}

Latency median_latency(std::span<const Repetition> reps) {
  Latency out;
  const Repetition* shape = nullptr;  // the first ok repetition with latency fixes the layout
  for (const Repetition& rep : reps)
    if (rep.ok() && !rep.latency.empty()) {
      shape = &rep;
      break;
    }
  if (shape == nullptr) return out;
  for (const auto& [op, pcts] : shape->latency) {
    Percentiles merged;
    for (const auto& [name, unused] : pcts) {
      std::vector<double> v;
      for (const Repetition& rep : reps) {
        if (!rep.ok()) continue;
        for (const auto& [op2, pcts2] : rep.latency) {
          if (op2 != op) continue;
          for (const auto& [name2, value] : pcts2)
            if (name2 == name) v.push_back(value);
        }
      }
      merged.emplace_back(name, median(v));
    }
    out.emplace_back(op, std::move(merged));
  }
  return out;
}

int rank_class(const RowSummary& s) { return s.ok() ? 0 : s.measured() ? 1 : 2; }

}  // namespace

Repetition repetition_of(const Measurement& m) {
  Repetition rep;
  rep.status = m.status;
  rep.error = m.error;
  if (m.status == Status::kOk) {
    rep.ns_per_op = m.ns_per_op();
    rep.items_per_second = rep.ns_per_op > 0 ? 1e9 / rep.ns_per_op : 0.0;
  }
  if (m.status != Status::kOk && m.wall_ns == 0) return rep;  // nothing was measured
  rep.rss_baseline_bytes = static_cast<double>(m.rss_baseline);
  rep.rss_peak_bytes = static_cast<double>(m.rss_peak);
  rep.peak_live_bytes = static_cast<double>(m.peak_live_bytes);
  if (m.has_overhead()) rep.overhead = m.overhead();
  if (m.instructions > 0 && m.allocations > 0) rep.instructions_per_op = m.instructions_per_op();
  for (const LatencyStats& op : m.latency.ops)
    rep.latency.emplace_back(op.op, Percentiles{{"p50", op.p50}, {"p90", op.p90}, {"p99", op.p99},
                                                {"p999", op.p999}, {"max", op.max}});
  for (const auto& [t, bytes] : m.rss_series) rep.rss_series.emplace_back(t, static_cast<double>(bytes));
  rep.marks = m.marks;
  rep.too_short = m.too_short;
  rep.suggested_iters = m.suggested_iters;
  rep.not_parallel = m.not_parallel;
  rep.oversubscribed = m.oversubscribed;
  return rep;
}

double RowSummary::percentile(std::string_view op, std::string_view name) const {
  for (const auto& [o, pcts] : latency) {
    if (o != op) continue;
    for (const auto& [n, v] : pcts)
      if (n == name) return v;
  }
  return kMissing;
}

std::string RowSummary::status_text() const {
  return status == Status::kOk ? std::string(status_name(status))
                               : fmt::format("{}: {}", status_name(status), error);
}

std::string RowSummary::marks_text() const {
  std::vector<std::string> marks;
  if (too_short)
    marks.push_back(suggested_iters > 0
                        ? fmt::format("too short (replay < {} ms; --iters {} would reach it)",
                                      kMinTrustedWallNs / 1'000'000, suggested_iters)
                        : fmt::format("too short (replay < {} ms)", kMinTrustedWallNs / 1'000'000));
  if (not_parallel) marks.emplace_back("not parallel (CPU time / wall time under half of min(threads, cores))");
  if (oversubscribed) marks.emplace_back("oversubscribed (threads > cores)");
  std::string out;
  for (const std::string& m : marks) out += (out.empty() ? "" : "; ") + m;
  return out;
}

std::string RowSummary::status_with_marks() const {
  const std::string marks = marks_text();
  return marks.empty() ? status_text() : status_text() + "; " + marks;
}

RowSummary summarize_repetitions(std::span<const Repetition> reps) {
  RowSummary s;
  s.reps = reps.size();
  const Repetition* failed = nullptr;
  bool all_have_rate = true;
  std::vector<double> rates;
  for (const Repetition& rep : reps) {
    if (rep.ok()) {
      s.ns.push_back(rep.ns_per_op);
      all_have_rate = all_have_rate && present(rep.items_per_second);
      rates.push_back(rep.items_per_second);
    } else if (failed == nullptr) {
      failed = &rep;
    }
  }
  if (failed != nullptr) {
    s.status = failed->status == Status::kOk ? Status::kFailed : failed->status;  // ok without a time
    s.error = failed->error.empty() ? "no reason recorded" : failed->error;
    const std::size_t bad = s.reps - s.ns.size();
    if (!s.ns.empty()) s.error += fmt::format(" ({} of {} repetitions)", bad, s.reps);
  }
  if (s.ns.empty()) return s;
  s.median_ns = median(s.ns);
  s.min_ns = *std::min_element(s.ns.begin(), s.ns.end());
  s.max_ns = *std::max_element(s.ns.begin(), s.ns.end());
  s.cv = cv(s.ns);
  s.ci = median_ci(s.ns, kConfidence);
  s.mops = all_have_rate ? median(rates) / 1e6 : 1e3 / s.median_ns;
  s.rss_peak_bytes = median_over_ok(reps, [](const Repetition& r) { return r.rss_peak_bytes; });
  s.rss_baseline_bytes = median_over_ok(reps, [](const Repetition& r) { return r.rss_baseline_bytes; });
  s.peak_live_bytes = median_over_ok(reps, [](const Repetition& r) { return r.peak_live_bytes; });
  s.overhead = median_over_ok(reps, [](const Repetition& r) { return r.overhead; });
  s.instructions_per_op = median_over_ok(reps, [](const Repetition& r) { return r.instructions_per_op; });
  s.counted = std::all_of(reps.begin(), reps.end(),
                          [](const Repetition& r) { return !r.ok() || present(r.instructions_per_op); });
  s.latency = median_latency(reps);
  for (const Repetition& rep : reps) {
    if (!rep.ok()) continue;
    s.too_short = s.too_short || rep.too_short;
    s.suggested_iters = std::max(s.suggested_iters, rep.suggested_iters);
    s.not_parallel = s.not_parallel || rep.not_parallel;
    s.oversubscribed = s.oversubscribed || rep.oversubscribed;
  }
  for (const Repetition& rep : reps)
    if (rep.ok() && !rep.rss_series.empty()) {
      s.rss_series = &rep.rss_series;
      break;
    }
  return s;
}

bool compare_instructions(const RowSummary& a, const RowSummary& b) {
  return a.measured() && b.measured() && a.counted && b.counted;
}

double times_baseline(const RowSummary& baseline, const RowSummary& s) {
  if (!baseline.measured() || !s.measured()) return kMissing;
  return compare_instructions(baseline, s) ? baseline.instructions_per_op / s.instructions_per_op
                                           : baseline.median_ns / s.median_ns;
}

bool ranks_before(const RowSummary& a, std::string_view a_name, const RowSummary& b, std::string_view b_name) {
  if (rank_class(a) != rank_class(b)) return rank_class(a) < rank_class(b);
  const bool instr = compare_instructions(a, b);
  const double fa = instr ? a.instructions_per_op : a.median_ns, fb = instr ? b.instructions_per_op : b.median_ns;
  if (a.measured() && fa != fb) return fa < fb;
  return a_name < b_name;
}

}  // namespace alloclab::model
