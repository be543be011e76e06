// reports/csv.cpp — the CSV report: one record per row, every parameter and figure a column.
#include <fmt/format.h>

#include <algorithm>

#include "reports/format.hpp"
#include "reports/render.hpp"

namespace alloclab::reports {
namespace {

// Column names of every parameter key seen, in first-appearance order. Positional Google
// Benchmark arguments become arg1, arg2, ...
std::string param_column(const std::string& key, std::size_t position) {
  return key.empty() ? fmt::format("arg{}", position + 1) : key;
}

std::vector<std::string> param_columns(const Report& report) {
  std::vector<std::string> cols;
  for (const Group& g : report.groups)
    for (std::size_t i = 0; i < g.params.size(); ++i) {
      const std::string c = param_column(g.params[i].first, i);
      if (std::find(cols.begin(), cols.end(), c) == cols.end()) cols.push_back(c);
    }
  return cols;
}

// Latency columns: "alloc_p99" etc., in first-appearance order.
std::vector<std::pair<std::string, std::string>> latency_columns(const Report& report) {
  std::vector<std::pair<std::string, std::string>> cols;
  for (const Group& g : report.groups)
    for (const Summary& s : g.rows)
      for (const auto& [op, pcts] : s.latency)
        for (const auto& [name, unused] : pcts) {
          std::pair<std::string, std::string> c(op, name);
          if (std::find(cols.begin(), cols.end(), c) == cols.end()) cols.push_back(c);
        }
  return cols;
}

}  // namespace

std::string render_csv(const Report& report) {
  const auto pcols = param_columns(report);
  const auto lcols = latency_columns(report);
  std::vector<std::string> header = {"file", "name", "workload", "allocator"};
  for (const auto& c : pcols) header.push_back("param_" + c);
  for (const char* c :
       {"status", "error", "marks", "repetitions", "ok_repetitions", "median_ns_per_op", "mops_per_s",
        "ci95_low_ns", "ci95_high_ns", "ci_method", "ci_coverage", "min_ns", "max_ns", "x_baseline",
        "rss_peak_bytes", "rss_baseline_bytes", "peak_live_bytes", "overhead", "instructions_per_op"})
    header.emplace_back(c);
  for (const auto& [op, name] : lcols) header.push_back(fmt::format("latency_{}_{}_ns", op, name));
  header.emplace_back("ns_per_op_repetitions");

  std::string out;
  auto record = [&out](const std::vector<std::string>& fields) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) out += ',';
      out += csv_field(fields[i]);
    }
    out += "\r\n";  // RFC 4180 line ending
  };
  record(header);
  for (const Group& g : report.groups) {
    for (const Summary& s : g.rows) {
      std::vector<std::string> f = {s.row->file, s.row->name, s.row->workload, s.row->allocator};
      for (const auto& c : pcols) {
        std::string value;
        for (std::size_t i = 0; i < g.params.size(); ++i)
          if (param_column(g.params[i].first, i) == c) value = g.params[i].second;
        f.push_back(value);
      }
      const bool m = s.measured();
      std::string reps;
      for (double v : s.ns) {
        if (!reps.empty()) reps += ';';
        reps += fmt_csv(v);
      }
      const auto [lo, hi] = m ? std::minmax_element(s.ns.begin(), s.ns.end())
                              : std::pair{s.ns.end(), s.ns.end()};
      for (std::string v : std::initializer_list<std::string>
           {model::status_name(s.status), s.error, s.marks_text(), fmt::format("{}", s.reps), fmt::format("{}", s.ns.size()),
            fmt_csv(s.median_ns), fmt_csv(s.mops), m ? fmt_csv(s.ci.lo) : "", m ? fmt_csv(s.ci.hi) : "",
            m ? (s.ci.order_statistic ? "order-statistic" : "min-max") : "",
            m ? fmt_csv(s.ci.coverage) : "", m ? fmt_csv(*lo) : "", m ? fmt_csv(*hi) : "",
            fmt_csv(s.x_baseline), fmt_csv(s.rss_peak_bytes), fmt_csv(s.rss_baseline_bytes),
            fmt_csv(s.peak_live_bytes), fmt_csv(s.overhead), fmt_csv(s.instructions_per_op)})
        f.push_back(std::move(v));
      for (const auto& [op, name] : lcols) f.push_back(fmt_csv(s.percentile(op, name)));
      f.push_back(reps);
      record(f);
    }
  }
  return out;
}

}  // namespace alloclab::reports
