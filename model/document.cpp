#include "model/document.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <span>

#include "model/check_row.hpp"
#include "model/keys.hpp"
#include "model/stats.hpp"

namespace alloclab::model {
namespace {

using nlohmann::json;
namespace k = key;

json common_fields(const Row& r) {
  json j{{k::kRunName, r.name},   {k::kRepetitions, r.repetitions},
         {k::kThreads, r.threads}, {k::kIterations, r.m.allocations},
         {k::kTimeUnit, k::kNs},   {k::kAllocator, r.allocator},
         {k::kWorkload, r.workload}, {k::kParams, params_json(r)},
         {k::kDispatch, r.dispatch}};
  if (!r.settings.empty()) j[k::kSettings] = r.settings;
  return j;
}

double items_per_second(const Row& r) { return r.ns_per_op() > 0 ? 1e9 / r.ns_per_op() : 0.0; }

// Google Benchmark writes real_time, cpu_time, iterations and time_unit on every row (its tools
// index them unconditionally) and marks a row that did not give a measurement with
// error_occurred: so does every row that is not ok here, with 0 for its times.
json iteration_row(const Row& r) {
  json j = common_fields(r);
  j[k::kName] = r.name;
  j[k::kRunType] = k::kIteration;
  j[k::kRepetitionIndex] = r.repetition_index;
  const bool ok = r.m.status == Status::kOk;
  j[k::kRealTime] = ok ? r.ns_per_op() : 0.0;
  j[k::kCpuTime] = ok ? r.cpu_ns_per_op() : 0.0;
  if (ok) {
    j[k::kItemsPerSecond] = items_per_second(r);
    if (r.harness_ns_per_op > 0) j[k::kHarnessNsPerOp] = r.harness_ns_per_op;
  } else {
    j[k::kErrorOccurred] = true;
    j[k::kErrorMessage] = r.m.error.empty() ? status_name(r.m.status) : r.m.error;
  }
  j.update(measurement_to_json(r.m));
  return j;
}

// Google Benchmark's aggregate rows over the ok repetitions of one name: each statistic of each
// figure an iteration row carries (times and items_per_second), as Google Benchmark aggregates
// its counters.
void append_aggregates(json& out, const std::vector<const Row*>& group) {
  std::vector<double> real, cpu, ips;
  std::uint64_t iterations = 0;
  for (const Row* r : group)
    if (r->m.status == Status::kOk) {
      real.push_back(r->ns_per_op());
      cpu.push_back(r->cpu_ns_per_op());
      ips.push_back(items_per_second(*r));
      iterations = r->m.allocations;
    }
  if (real.empty()) return;
  using Statistic = double (*)(std::span<const double>);
  const std::pair<std::string_view, Statistic> stats[] = {
      {k::kMedian, median}, {k::kMean, mean}, {k::kStddev, stddev}, {k::kCv, cv}};
  for (const auto& [agg, statistic] : stats) {
    json j = common_fields(*group.front());
    j[k::kName] = fmt::format("{}_{}", group.front()->name, agg);
    j[k::kRunType] = k::kAggregate;
    j[k::kAggregateName] = agg;
    j[k::kAggregateUnit] = agg == k::kCv ? k::kPercentage : k::kTime;
    j[k::kIterations] = iterations;  // Google Benchmark: the last repetition's count
    j[k::kRealTime] = statistic(real);
    j[k::kCpuTime] = statistic(cpu);
    j[k::kItemsPerSecond] = statistic(ips);
    j[k::kStatus] = status_name(Status::kOk);
    out.push_back(std::move(j));
  }
}

json program_to_json(const ProgramRun& p, std::uint64_t wall_ns) {
  json j{{k::kWallS, static_cast<double>(wall_ns) / 1e9},
         {k::kExitStatus, p.exit_status},
         {k::kVoluntaryCtxSwitches, p.voluntary_ctx_switches},
         {k::kInvoluntaryCtxSwitches, p.involuntary_ctx_switches},
         {k::kMallocOwner, p.malloc_owner},
         {k::kChildren, p.children},
         {k::kChildrenInherited, p.children_inherited}};
  if (!p.metric_name.empty())
    j[k::kMetric] = {{k::kMetricName, p.metric_name},
                     {k::kMetricValue, p.metric_value},
                     {k::kMetricDirection, p.metric_higher_is_better ? k::kHigher : k::kLower}};
  return j;
}

ProgramRun program_from_json(const json& j) {
  ProgramRun p;
  p.exit_status = j.at(k::kExitStatus).get<int>();
  p.voluntary_ctx_switches = j.at(k::kVoluntaryCtxSwitches).get<std::uint64_t>();
  p.involuntary_ctx_switches = j.at(k::kInvoluntaryCtxSwitches).get<std::uint64_t>();
  p.malloc_owner = j.at(k::kMallocOwner).get<std::string>();
  p.children = j.at(k::kChildren).get<std::uint64_t>();
  p.children_inherited = j.at(k::kChildrenInherited).get<std::uint64_t>();
  if (j.contains(k::kMetric)) {
    const json& m = j.at(k::kMetric);
    p.metric_name = m.at(k::kMetricName).get<std::string>();
    p.metric_value = m.at(k::kMetricValue).get<double>();
    const std::string dir = m.at(k::kMetricDirection).get<std::string>();
    if (dir != k::kHigher && dir != k::kLower)
      throw FormatError(fmt::format("{}.{}.{}: \"{}\" is not {} or {}", k::kExec, k::kMetric,
                                    k::kMetricDirection, dir, k::kHigher, k::kLower));
    p.metric_higher_is_better = dir == k::kHigher;
  }
  return p;
}

constexpr std::string_view kLatencyOps[] = {k::kOpAlloc, k::kOpFree, k::kOpRealloc};

// nlohmann's what() starts with "[json.exception.type_error.302] ": keep the sentence only.
std::string json_reason(const json::exception& e) {
  std::string what = e.what();
  if (auto pos = what.find("] "); pos != std::string::npos) what.erase(0, pos + 2);
  return what;
}

// Counts, sizes and times: non-negative integers only. nlohmann would wrap -1 into 2^64 - 1 and
// turn 1e308 into whatever the conversion gives.
std::uint64_t count_of(const json& v, std::string_view key, std::uint64_t max = UINT64_MAX) {
  if (!v.is_number_unsigned() || v.get<std::uint64_t>() > max)
    throw FormatError(fmt::format("{}: {} is not a possible value (expected an integer in 0..{})", key, v.dump(), max));
  return v.get<std::uint64_t>();
}
std::uint64_t count_at(const json& j, std::string_view key) { return count_of(j.at(key), key); }
unsigned small_count_at(const json& j, std::string_view key) {
  return static_cast<unsigned>(count_of(j.at(key), key, UINT32_MAX));
}
// Seconds, nanoseconds, percentiles: finite and non-negative.
double amount_of(const json& v, std::string_view key) {
  if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() < 0)
    throw FormatError(fmt::format("{}: {} is not a possible value (expected a finite number >= 0)", key, v.dump()));
  return v.get<double>();
}
double amount_at(const json& j, std::string_view key) { return amount_of(j.at(key), key); }

Row row_from_json(const json& j) {
  Row r;
  r.name = j.at(k::kRunName).get<std::string>();
  r.allocator = j.at(k::kAllocator).get<std::string>();
  r.workload = j.at(k::kWorkload).get<std::string>();
  for (const auto& [name, value] : j.at(k::kParams).items()) {
    if (name == k::kTouch) r.touch = value.get<std::string>();
    else if (name == k::kTrace) r.trace_file = value.get<std::string>();
    else if (name == k::kSizeHistogram) r.size_histogram = value.get<std::string>();
    else if (name == k::kCommand) r.command = value.get<std::string>();
    else if (name == k::kCwd) r.cwd = value.get<std::string>();
    else if (name == k::kProgram) r.program = value.get<std::string>();
    else if (name == k::kInputHash) r.input_hash = value.get<std::string>();
    else r.params[name] = count_of(value, name);
  }
  r.threads = small_count_at(j, k::kThreads);
  r.repetition_index = small_count_at(j, k::kRepetitionIndex);
  r.repetitions = small_count_at(j, k::kRepetitions);
  r.dispatch = j.at(k::kDispatch).get<std::string>();
  if (const auto s = j.find(k::kSettings); s != j.end()) r.settings = s->get<std::string>();
  r.harness_ns_per_op = j.contains(k::kHarnessNsPerOp) ? amount_at(j, k::kHarnessNsPerOp) : 0.0;
  r.m = measurement_from_json(j);
  // error_occurred is how Google Benchmark's tools see a row that did not give a measurement:
  // where written (files of this layout before it was added lack it), it must agree with the
  // status, so that no tool counts a figure this reader would not.
  if (const auto e = j.find(k::kErrorOccurred); e != j.end() && e->get<bool>() != (r.m.status != Status::kOk))
    throw FormatError(fmt::format("{}: {} disagrees with status \"{}\"", k::kErrorOccurred, e->get<bool>(),
                                  status_name(r.m.status)));
  return r;
}

// " (name)" when the row has a readable run_name: messages name the row, not only its index.
std::string row_label(const json& b) {
  const auto it = b.is_object() ? b.find(k::kRunName) : b.end();
  return it != b.end() && it->is_string() ? fmt::format(" ({})", it->get<std::string>()) : std::string();
}

}  // namespace

json params_json(const Row& r) {
  json p = json::object();
  for (const auto& [name, v] : r.params) p[name] = v;
  if (!r.touch.empty()) p[k::kTouch] = r.touch;  // not for exec rows
  if (!r.trace_file.empty()) p[k::kTrace] = r.trace_file;
  if (!r.command.empty()) p[k::kCommand] = r.command;
  if (!r.cwd.empty()) p[k::kCwd] = r.cwd;
  if (!r.program.empty()) p[k::kProgram] = r.program;
  if (!r.input_hash.empty()) p[k::kInputHash] = r.input_hash;
  if (!r.size_histogram.empty()) p[k::kSizeHistogram] = r.size_histogram;
  return p;
}

json measurement_to_json(const Measurement& m) {
  json j{{k::kStatus, status_name(m.status)}, {k::kError, m.error}};
  if (m.program) j[k::kExec] = program_to_json(*m.program, m.wall_ns);
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
  if (!m.marks.empty()) {
    json marks = json::array();
    for (const MarkSample& s : m.marks)
      marks.push_back({{k::kMarkTMs, s.t_ms},
                       {k::kAllocations, s.allocations},
                       {k::kMarkLiveBytes, s.live_bytes},
                       {k::kMarkRssBytes, s.rss_bytes},
                       {k::kMarkAfterShrink, s.after_shrink},
                       {k::kMarkFragmentation, fragmentation(s, m.rss_baseline)}});
    j[k::kMarks] = std::move(marks);
  }
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
    if (j.contains(k::kExec)) m.program = program_from_json(j.at(k::kExec));
    if (!j.contains(k::kWallNs)) return m;
    m.allocations = count_at(j, k::kAllocations);
    m.wall_ns = count_at(j, k::kWallNs);
    for (const json& t : j.at(k::kThreadNs)) m.thread_ns.push_back(count_of(t, k::kThreadNs));
    m.cpu = CpuUsage{amount_at(j, k::kUserS), amount_at(j, k::kSysS), count_at(j, k::kMinorFaults),
                     count_at(j, k::kMajorFaults)};
    m.rss_baseline = count_at(j, k::kRssBaselineBytes);
    m.rss_peak = count_at(j, k::kRssPeakBytes);
    m.rss_end = count_at(j, k::kRssEndBytes);
    m.peak_live_bytes = count_at(j, k::kPeakLiveBytes);
    m.threads_started = j.contains(k::kThreadsStarted) ? count_at(j, k::kThreadsStarted) : 0;
    for (const auto& p : j.at(k::kRssSeries))
      m.rss_series.emplace_back(amount_of(p.at(0), k::kRssSeries), count_of(p.at(1), k::kRssSeries));
    if (j.contains(k::kMarks))
      for (const json& s : j.at(k::kMarks))
        m.marks.push_back(MarkSample{amount_at(s, k::kMarkTMs), count_at(s, k::kAllocations),
                                     count_at(s, k::kMarkLiveBytes), count_at(s, k::kMarkRssBytes),
                                     s.at(k::kMarkAfterShrink).get<bool>()});
    m.instructions = j.contains(k::kInstructions) ? count_at(j, k::kInstructions) : 0;
    m.too_short = j.contains(k::kTooShort) && j.at(k::kTooShort).get<bool>();
    m.suggested_iters = j.contains(k::kSuggestedIters) ? count_at(j, k::kSuggestedIters) : 0;
    m.not_parallel = j.contains(k::kNotParallel) && j.at(k::kNotParallel).get<bool>();
    m.oversubscribed = j.contains(k::kOversubscribed) && j.at(k::kOversubscribed).get<bool>();
    if (j.contains(k::kTraceStats))
      for (const auto& [name, v] : j.at(k::kTraceStats).items()) m.trace_stats[name] = count_of(v, name);
    if (j.contains(k::kLatency)) {
      const json& lat = j.at(k::kLatency);
      m.latency.sample_every = static_cast<std::uint32_t>(count_of(lat.at(k::kSampleEvery), k::kSampleEvery, UINT32_MAX));
      m.latency.timer_ns = amount_at(lat, k::kTimerNs);
      for (std::string_view op : kLatencyOps) {
        if (!lat.contains(op)) continue;
        const json& o = lat.at(op);
        m.latency.ops.push_back(LatencyStats{std::string(op), count_at(o, k::kSamples), amount_at(o, k::kP50),
                                             amount_at(o, k::kP90), amount_at(o, k::kP99), amount_at(o, k::kP999),
                                             amount_at(o, k::kMax)});
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
    if (is_check_row(b)) continue;  // read by read_check_rows (check_row.hpp)
    try {
      if (b.at(k::kRunType).get<std::string>() == k::kAggregate) {
        doc.aggregates.push_back(AggregateRow{b.at(k::kRunName).get<std::string>(),
                                              b.at(k::kAggregateName).get<std::string>(),
                                              b.at(k::kRealTime).get<double>(), b.at(k::kCpuTime).get<double>()});
      } else {
        doc.rows.push_back(row_from_json(b));
      }
    } catch (const json::exception& e) {
      throw FormatError(fmt::format("{}[{}]{}: {}", k::kBenchmarks, i, row_label(b), json_reason(e)));
    } catch (const FormatError& e) {
      throw FormatError(fmt::format("{}[{}]{}: {}", k::kBenchmarks, i, row_label(b), e.what()));
    }
  }
  return doc;
}

}  // namespace alloclab::model
