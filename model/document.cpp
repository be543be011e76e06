#include "model/document.hpp"

#include <fmt/format.h>

#include <map>

#include "model/keys.hpp"
#include "model/stats.hpp"

namespace alloclab::model {
namespace {

using nlohmann::json;
namespace k = key;

json common_fields(const Row& r) {
  return json{{k::kRunName, r.name},   {k::kRepetitions, r.repetitions},
              {k::kThreads, r.threads}, {k::kIterations, r.m.allocations},
              {k::kTimeUnit, k::kNs},   {k::kAllocator, r.allocator},
              {k::kWorkload, r.workload}, {k::kParams, params_json(r)},
              {k::kDispatch, r.dispatch}};
}

json iteration_row(const Row& r) {
  json j = common_fields(r);
  j[k::kName] = r.name;
  j[k::kRunType] = k::kIteration;
  j[k::kRepetitionIndex] = r.repetition_index;
  if (r.m.status == Status::kOk) {
    j[k::kRealTime] = r.ns_per_op();
    j[k::kCpuTime] = r.cpu_ns_per_op();
    j[k::kItemsPerSecond] = r.ns_per_op() > 0 ? 1e9 / r.ns_per_op() : 0.0;
    if (r.harness_ns_per_op > 0) j[k::kHarnessNsPerOp] = r.harness_ns_per_op;
  }
  j.update(measurement_to_json(r.m));
  return j;
}

// Google Benchmark's aggregate rows over the ok repetitions of one name.
void append_aggregates(json& out, const std::vector<const Row*>& group) {
  std::vector<double> real, cpu;
  for (const Row* r : group)
    if (r->m.status == Status::kOk) {
      real.push_back(r->ns_per_op());
      cpu.push_back(r->cpu_ns_per_op());
    }
  if (real.empty()) return;
  const std::pair<std::string_view, double> stats[][2] = {
      {{k::kMedian, median(real)}, {k::kMedian, median(cpu)}},
      {{k::kMean, mean(real)}, {k::kMean, mean(cpu)}},
      {{k::kStddev, stddev(real)}, {k::kStddev, stddev(cpu)}},
      {{k::kCv, cv(real)}, {k::kCv, cv(cpu)}},
  };
  for (const auto& s : stats) {
    json j = common_fields(*group.front());
    const std::string_view agg = s[0].first;
    j[k::kName] = fmt::format("{}_{}", group.front()->name, agg);
    j[k::kRunType] = k::kAggregate;
    j[k::kAggregateName] = agg;
    j[k::kAggregateUnit] = agg == k::kCv ? k::kPercentage : k::kTime;
    j[k::kRealTime] = s[0].second;
    j[k::kCpuTime] = s[1].second;
    if (agg == k::kMedian || agg == k::kMean) j[k::kItemsPerSecond] = 1e9 / s[0].second;
    j[k::kStatus] = status_name(Status::kOk);
    out.push_back(std::move(j));
  }
}

constexpr std::string_view kLatencyOps[] = {k::kOpAlloc, k::kOpFree, k::kOpRealloc};

// nlohmann's what() starts with "[json.exception.type_error.302] ": keep the sentence only.
std::string json_reason(const json::exception& e) {
  std::string what = e.what();
  if (auto pos = what.find("] "); pos != std::string::npos) what.erase(0, pos + 2);
  return what;
}

Row row_from_json(const json& j) {
  Row r;
  r.name = j.at(k::kRunName).get<std::string>();
  r.allocator = j.at(k::kAllocator).get<std::string>();
  r.workload = j.at(k::kWorkload).get<std::string>();
  for (const auto& [name, value] : j.at(k::kParams).items()) {
    if (name == k::kTouch) r.touch = value.get<std::string>();
    else if (name == k::kTrace) r.trace_file = value.get<std::string>();
    else if (name == k::kSizeHistogram) r.size_histogram = value.get<std::string>();
    else r.params[name] = value.get<std::uint64_t>();
  }
  r.threads = j.at(k::kThreads).get<unsigned>();
  r.repetition_index = j.at(k::kRepetitionIndex).get<unsigned>();
  r.repetitions = j.at(k::kRepetitions).get<unsigned>();
  r.dispatch = j.at(k::kDispatch).get<std::string>();
  r.harness_ns_per_op = j.value(k::kHarnessNsPerOp, 0.0);
  r.m = measurement_from_json(j);
  return r;
}

}  // namespace

json params_json(const Row& r) {
  json p = json::object();
  for (const auto& [name, v] : r.params) p[name] = v;
  p[k::kTouch] = r.touch;
  if (!r.trace_file.empty()) p[k::kTrace] = r.trace_file;
  if (!r.size_histogram.empty()) p[k::kSizeHistogram] = r.size_histogram;
  return p;
}

json measurement_to_json(const Measurement& m) {
  json j{{k::kStatus, status_name(m.status)}, {k::kError, m.error}};
  if (m.status != Status::kOk && m.wall_ns == 0) return j;
  j.update(json{{k::kAllocations, m.allocations},
                {k::kWallNs, m.wall_ns},
                {k::kThreadNs, m.thread_ns},
                {k::kUserS, m.cpu.user_s},
                {k::kSysS, m.cpu.sys_s},
                {k::kMinorFaults, m.cpu.minor_faults},
                {k::kMajorFaults, m.cpu.major_faults},
                {k::kRssBaselineBytes, m.rss_baseline},
                {k::kRssPeakBytes, m.rss_peak},
                {k::kRssEndBytes, m.rss_end},
                {k::kPeakLiveBytes, m.peak_live_bytes}});
  if (m.has_overhead()) j[k::kOverhead] = m.overhead();
  if (m.instructions > 0) {
    j[k::kInstructions] = m.instructions;
    if (m.allocations > 0) j[k::kInstructionsPerOp] = m.instructions_per_op();
  }
  if (m.latency.sample_every > 0) {
    json lat{{k::kSampleEvery, m.latency.sample_every}, {k::kTimerNs, m.latency.timer_ns}};
    for (const LatencyStats& op : m.latency.ops)
      lat[op.op] = {{k::kSamples, op.samples}, {k::kP50, op.p50},   {k::kP90, op.p90},
                    {k::kP99, op.p99},         {k::kP999, op.p999}, {k::kMax, op.max}};
    j[k::kLatency] = std::move(lat);
  }
  if (m.threads_started > 0) {
    j[k::kThreadsStarted] = m.threads_started;
    j[k::kRssGrowthPerThread] = m.rss_growth_per_thread();
  }
  if (!m.trace_stats.empty()) j[k::kTraceStats] = m.trace_stats;
  if (m.too_short) {
    j[k::kTooShort] = true;
    if (m.suggested_iters > 0) j[k::kSuggestedIters] = m.suggested_iters;
  }
  if (m.not_parallel) j[k::kNotParallel] = true;
  if (m.oversubscribed) j[k::kOversubscribed] = true;
  json series = json::array();
  for (const auto& [t, bytes] : m.rss_series) series.push_back(json::array({t, bytes}));
  j[k::kRssSeries] = std::move(series);
  return j;
}

Measurement measurement_from_json(const json& j) {
  try {
    Measurement m;
    const std::string status = j.at(k::kStatus).get<std::string>();
    const auto parsed = parse_status(status);
    if (!parsed) throw FormatError(fmt::format("status: unknown status \"{}\"", status));
    m.status = *parsed;
    m.error = j.value(k::kError, "");
    if (!j.contains(k::kWallNs)) return m;
    m.allocations = j.at(k::kAllocations).get<std::uint64_t>();
    m.wall_ns = j.at(k::kWallNs).get<std::uint64_t>();
    m.thread_ns = j.at(k::kThreadNs).get<std::vector<std::uint64_t>>();
    m.cpu = CpuUsage{j.at(k::kUserS).get<double>(), j.at(k::kSysS).get<double>(),
                     j.at(k::kMinorFaults).get<std::uint64_t>(), j.at(k::kMajorFaults).get<std::uint64_t>()};
    m.rss_baseline = j.at(k::kRssBaselineBytes).get<std::uint64_t>();
    m.rss_peak = j.at(k::kRssPeakBytes).get<std::uint64_t>();
    m.rss_end = j.at(k::kRssEndBytes).get<std::uint64_t>();
    m.peak_live_bytes = j.at(k::kPeakLiveBytes).get<std::uint64_t>();
    m.threads_started = j.value(k::kThreadsStarted, std::uint64_t{0});
    for (const auto& p : j.at(k::kRssSeries))
      m.rss_series.emplace_back(p.at(0).get<double>(), p.at(1).get<std::uint64_t>());
    m.instructions = j.value(k::kInstructions, std::uint64_t{0});
    m.too_short = j.value(k::kTooShort, false);
    m.suggested_iters = j.value(k::kSuggestedIters, std::uint64_t{0});
    m.not_parallel = j.value(k::kNotParallel, false);
    m.oversubscribed = j.value(k::kOversubscribed, false);
    if (j.contains(k::kTraceStats))
      m.trace_stats = j.at(k::kTraceStats).get<std::map<std::string, std::uint64_t>>();
    if (j.contains(k::kLatency)) {
      const json& lat = j.at(k::kLatency);
      m.latency.sample_every = lat.at(k::kSampleEvery).get<std::uint32_t>();
      m.latency.timer_ns = lat.at(k::kTimerNs).get<double>();
      for (std::string_view op : kLatencyOps) {
        if (!lat.contains(op)) continue;
        const json& o = lat.at(op);
        m.latency.ops.push_back(LatencyStats{std::string(op), o.at(k::kSamples).get<std::uint64_t>(),
                                             o.at(k::kP50).get<double>(), o.at(k::kP90).get<double>(),
                                             o.at(k::kP99).get<double>(), o.at(k::kP999).get<double>(),
                                             o.at(k::kMax).get<double>()});
      }
    }
    return m;
  } catch (const json::exception& e) {
    throw FormatError(json_reason(e));
  }
}

json results_document(json context, const std::vector<Row>& rows) {
  context[k::kSchemaVersion] = kSchemaVersion;
  json benchmarks = json::array();
  std::vector<std::string> order;
  std::map<std::string, std::vector<const Row*>> groups;
  for (const Row& r : rows) {
    auto& g = groups[r.name];
    if (g.empty()) order.push_back(r.name);
    g.push_back(&r);
  }
  for (const std::string& name : order) {
    for (const Row* r : groups[name]) benchmarks.push_back(iteration_row(*r));
    append_aggregates(benchmarks, groups[name]);
  }
  return json{{k::kContext, std::move(context)}, {k::kBenchmarks, std::move(benchmarks)}};
}

unsigned schema_version(const json& root) {
  if (!root.is_object()) return 0;
  const auto ctx = root.find(k::kContext);
  if (ctx == root.end() || !ctx->is_object()) return 0;
  const auto v = ctx->find(k::kSchemaVersion);
  if (v == ctx->end()) return 0;
  if (!v->is_number_integer() || v->get<std::int64_t>() < 0)
    throw FormatError(fmt::format("context.{}: expected a positive integer", k::kSchemaVersion));
  const auto version = v->get<std::uint64_t>();
  if (version > kSchemaVersion)
    throw FormatError(fmt::format("written by a newer alloclab (schema version {}; this one reads up to {})",
                                  version, kSchemaVersion));
  return static_cast<unsigned>(version);
}

Document read_results(const json& root) {
  schema_version(root);
  Document doc;
  if (!root.is_object() || !root.contains(k::kBenchmarks) || !root.at(k::kBenchmarks).is_array())
    throw FormatError(fmt::format("no \"{}\" array (not a results file?)", k::kBenchmarks));
  doc.context = root.value(k::kContext, json::object());
  const json& bench = root.at(k::kBenchmarks);
  for (std::size_t i = 0; i < bench.size(); ++i) {
    const json& b = bench[i];
    try {
      if (b.at(k::kRunType).get<std::string>() == k::kAggregate) {
        doc.aggregates.push_back(AggregateRow{b.at(k::kRunName).get<std::string>(),
                                              b.at(k::kAggregateName).get<std::string>(),
                                              b.at(k::kRealTime).get<double>(), b.at(k::kCpuTime).get<double>()});
      } else {
        doc.rows.push_back(row_from_json(b));
      }
    } catch (const json::exception& e) {
      throw FormatError(fmt::format("{}[{}]: {}", k::kBenchmarks, i, json_reason(e)));
    } catch (const FormatError& e) {
      throw FormatError(fmt::format("{}[{}]: {}", k::kBenchmarks, i, e.what()));
    }
  }
  return doc;
}

}  // namespace alloclab::model
