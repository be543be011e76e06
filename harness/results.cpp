#include "results.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <map>

#include "sample_stats.hpp"

namespace alloclab {
namespace {

using nlohmann::json;

json params_json(const Row& r) {
  json p = json::object();
  for (const auto& [k, v] : r.params) p[k] = v;
  p["touch"] = r.touch;
  if (!r.trace_file.empty()) p["trace"] = r.trace_file;
  if (!r.size_histogram.empty()) p["size_histogram"] = r.size_histogram;
  return p;
}

json common_fields(const Row& r) {
  return json{{"run_name", r.name},
              {"repetitions", r.repetitions},
              {"threads", r.threads},
              {"iterations", r.m.allocations},
              {"time_unit", "ns"},
              {"allocator", r.allocator},
              {"workload", r.workload},
              {"params", params_json(r)},
              {"dispatch", r.dispatch}};
}

json iteration_row(const Row& r) {
  json j = common_fields(r);
  j["name"] = r.name;
  j["run_type"] = "iteration";
  j["repetition_index"] = r.repetition_index;
  if (r.m.status == Status::kOk) {
    j["real_time"] = r.ns_per_op();
    j["cpu_time"] = r.cpu_ns_per_op();
    j["items_per_second"] = r.ns_per_op() > 0 ? 1e9 / r.ns_per_op() : 0.0;
    if (r.harness_ns_per_op > 0) j["harness_ns_per_op"] = r.harness_ns_per_op;
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
  const std::pair<const char*, double> stats[][2] = {
      {{"median", median_of(real)}, {"median", median_of(cpu)}},
      {{"mean", mean_of(real)}, {"mean", mean_of(cpu)}},
      {{"stddev", stddev_of(real)}, {"stddev", stddev_of(cpu)}},
      {{"cv", stddev_of(real) / mean_of(real)}, {"cv", stddev_of(cpu) / mean_of(cpu)}},
  };
  for (const auto& s : stats) {
    json j = common_fields(*group.front());
    const std::string agg = s[0].first;
    j["name"] = group.front()->name + "_" + agg;
    j["run_type"] = "aggregate";
    j["aggregate_name"] = agg;
    j["aggregate_unit"] = agg == "cv" ? "percentage" : "time";
    j["real_time"] = s[0].second;
    j["cpu_time"] = s[1].second;
    if (agg == "median" || agg == "mean") j["items_per_second"] = 1e9 / s[0].second;
    j["status"] = "ok";
    out.push_back(std::move(j));
  }
}

}  // namespace

double Row::ns_per_op() const {
  return m.allocations > 0 ? static_cast<double>(m.wall_ns) / static_cast<double>(m.allocations) : 0;
}

double Row::cpu_ns_per_op() const {
  return m.allocations > 0
             ? (m.cpu.user_s + m.cpu.sys_s) * 1e9 / static_cast<double>(m.allocations)
             : 0;
}

json measurement_to_json(const Measurement& m) {
  json j{{"status", status_name(m.status)}, {"error", m.error}};
  if (m.status != Status::kOk && m.wall_ns == 0) return j;
  j.update(json{{"allocations", m.allocations},
                {"wall_ns", m.wall_ns},
                {"thread_ns", m.thread_ns},
                {"user_s", m.cpu.user_s},
                {"sys_s", m.cpu.sys_s},
                {"minor_faults", m.cpu.minor_faults},
                {"major_faults", m.cpu.major_faults},
                {"rss_baseline_bytes", m.rss_baseline},
                {"rss_peak_bytes", m.rss_peak},
                {"rss_end_bytes", m.rss_end},
                {"peak_live_bytes", m.peak_live_bytes}});
  if (m.peak_live_bytes > 0 && m.rss_peak >= m.rss_baseline)
    j["overhead"] = static_cast<double>(m.rss_peak - m.rss_baseline) /
                    static_cast<double>(m.peak_live_bytes);
  if (m.instructions > 0) {
    j["instructions"] = m.instructions;
    if (m.allocations > 0)
      j["instructions_per_op"] = static_cast<double>(m.instructions) / static_cast<double>(m.allocations);
  }
  if (m.latency.sample_every > 0) {
    json lat{{"sample_every", m.latency.sample_every}, {"timer_ns", m.latency.timer_ns}};
    for (const LatencyStats& op : m.latency.ops)
      lat[op.op] = {{"samples", op.samples}, {"p50", op.p50}, {"p90", op.p90},
                    {"p99", op.p99},         {"p999", op.p999}, {"max", op.max}};
    j["latency"] = std::move(lat);
  }
  if (m.threads_started > 0) {
    j["threads_started"] = m.threads_started;
    // Memory the allocator keeps per thread that came and went (stranded thread caches).
    j["rss_growth_per_thread"] =
        (static_cast<double>(m.rss_end) - static_cast<double>(m.rss_baseline)) /
        static_cast<double>(m.threads_started);
  }
  if (!m.trace_stats.empty()) j["trace_stats"] = m.trace_stats;
  json series = json::array();
  for (const auto& [t, bytes] : m.rss_series) series.push_back(json::array({t, bytes}));
  j["rss_series"] = std::move(series);
  return j;
}

Measurement measurement_from_json(const json& j) {
  Measurement m;
  const std::string status = j.at("status").get<std::string>();
  for (Status s : {Status::kOk, Status::kUnsupported, Status::kUnavailable, Status::kFailed,
                   Status::kCrashed, Status::kTimeout})
    if (status == status_name(s)) m.status = s;
  m.error = j.value("error", "");
  if (!j.contains("wall_ns")) return m;
  m.allocations = j.at("allocations").get<std::uint64_t>();
  m.wall_ns = j.at("wall_ns").get<std::uint64_t>();
  m.thread_ns = j.at("thread_ns").get<std::vector<std::uint64_t>>();
  m.cpu = CpuUsage{j.at("user_s").get<double>(), j.at("sys_s").get<double>(),
                   j.at("minor_faults").get<std::uint64_t>(),
                   j.at("major_faults").get<std::uint64_t>()};
  m.rss_baseline = j.at("rss_baseline_bytes").get<std::uint64_t>();
  m.rss_peak = j.at("rss_peak_bytes").get<std::uint64_t>();
  m.rss_end = j.at("rss_end_bytes").get<std::uint64_t>();
  m.peak_live_bytes = j.at("peak_live_bytes").get<std::uint64_t>();
  m.threads_started = j.value("threads_started", std::uint64_t{0});
  for (const auto& p : j.at("rss_series"))
    m.rss_series.emplace_back(p.at(0).get<double>(), p.at(1).get<std::uint64_t>());
  m.instructions = j.value("instructions", std::uint64_t{0});
  if (j.contains("trace_stats")) m.trace_stats = j.at("trace_stats").get<std::map<std::string, std::uint64_t>>();
  if (j.contains("latency")) {
    const json& lat = j.at("latency");
    m.latency.sample_every = lat.at("sample_every").get<std::uint32_t>();
    m.latency.timer_ns = lat.at("timer_ns").get<double>();
    for (const char* op : {"alloc", "free", "realloc"}) {
      if (!lat.contains(op)) continue;
      const json& o = lat.at(op);
      m.latency.ops.push_back(LatencyStats{op, o.at("samples").get<std::uint64_t>(),
                                           o.at("p50").get<double>(), o.at("p90").get<double>(),
                                           o.at("p99").get<double>(), o.at("p999").get<double>(),
                                           o.at("max").get<double>()});
    }
  }
  return m;
}

json results_document(const json& context, const std::vector<Row>& rows) {
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
  return json{{"context", context}, {"benchmarks", std::move(benchmarks)}};
}

std::string check_writable(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_directory(path, ec)) return fmt::format("cannot write '{}': is a directory", path);
  const fs::path dir = fs::path(path).parent_path().empty() ? fs::path(".") : fs::path(path).parent_path();
  if (!fs::is_directory(dir, ec))
    return fmt::format("cannot write '{}': directory '{}' does not exist", path, dir.string());
  if (::access(dir.c_str(), W_OK) != 0)
    return fmt::format("cannot write '{}': {}", path, std::strerror(errno));
  if (fs::exists(path, ec) && ::access(path.c_str(), W_OK) != 0)
    return fmt::format("cannot write '{}': {}", path, std::strerror(errno));
  return {};
}

std::string write_file_atomically(const std::string& path, const std::string& text) {
  namespace fs = std::filesystem;
  // A device such as /dev/full or /dev/stdout cannot be replaced by rename: write it in place.
  std::error_code ec;
  const bool special = fs::exists(path, ec) && !fs::is_regular_file(path, ec);
  const std::string tmp = special ? path : path + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | (special ? 0 : O_TRUNC | O_EXCL), 0644);
  if (fd < 0) return fmt::format("cannot write '{}': {}", path, std::strerror(errno));
  std::size_t done = 0;
  int err = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      err = errno;
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  if (err == 0 && !special && ::fsync(fd) != 0) err = errno;
  if (::close(fd) != 0 && err == 0) err = errno;
  if (err == 0 && !special && ::rename(tmp.c_str(), path.c_str()) != 0) err = errno;
  if (err != 0) {
    if (!special) ::unlink(tmp.c_str());
    return fmt::format("cannot write '{}': {}", path, std::strerror(err));
  }
  return {};
}

}  // namespace alloclab
