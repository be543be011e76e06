#include "model/check_row.hpp"

#include <fmt/format.h>

#include "model/document.hpp"
#include "model/keys.hpp"

namespace alloclab::model {
namespace {

using nlohmann::json;
namespace k = key;

constexpr CheckVerdict kVerdicts[] = {CheckVerdict::kPass, CheckVerdict::kFail, CheckVerdict::kNote};

std::string run_name(const CheckRow& r) { return fmt::format("{}/{}/{}", k::kCheck, r.allocator, r.check); }

}  // namespace

std::string_view verdict_name(CheckVerdict v) {
  switch (v) {
    case CheckVerdict::kPass: return k::kPass;
    case CheckVerdict::kFail: return k::kFail;
    case CheckVerdict::kNote: return k::kNote;
  }
  return "?";
}

std::optional<CheckVerdict> parse_verdict(std::string_view name) {
  for (CheckVerdict v : kVerdicts)
    if (name == verdict_name(v)) return v;
  return std::nullopt;
}

std::string check_cell(const CheckRow& r) {
  std::string text = r.verdict == CheckVerdict::kFail ? "FAIL" : std::string(verdict_name(r.verdict));
  if (r.status != Status::kOk) text += fmt::format(" ({})", status_name(r.status));
  return text;
}

bool is_check_row(const json& row) { return row.is_object() && row.contains(k::kCheck); }

json check_row_json(const CheckRow& r) {
  const auto ns = static_cast<double>(r.wall_ns);
  json j{{k::kName, run_name(r)},       {k::kRunName, run_name(r)},   {k::kRunType, k::kIteration},
         {k::kRepetitions, 1},          {k::kRepetitionIndex, 0},     {k::kThreads, 1},
         {k::kIterations, 1},           {k::kRealTime, ns},           {k::kCpuTime, ns},
         {k::kTimeUnit, k::kNs},        {k::kAllocator, r.allocator}, {k::kCheck, r.check},
         {k::kVerdict, verdict_name(r.verdict)}, {k::kRequired, r.required},
         {k::kStatus, status_name(r.status)},    {k::kEvidence, r.evidence}};
  // Google Benchmark's mark of a run that did not complete: the probe died or hung.
  if (r.status != Status::kOk) {
    j[k::kErrorOccurred] = true;
    j[k::kErrorMessage] = r.evidence;
  }
  return j;
}

CheckRow check_row_from_json(const json& j) {
  try {
    CheckRow r;
    r.allocator = j.at(k::kAllocator).get<std::string>();
    r.check = j.at(k::kCheck).get<std::string>();
    const std::string verdict = j.at(k::kVerdict).get<std::string>();
    const auto v = parse_verdict(verdict);
    if (!v) throw FormatError(fmt::format("{}: unknown verdict \"{}\"", k::kVerdict, verdict));
    r.verdict = *v;
    r.required = j.at(k::kRequired).get<bool>();
    const std::string status = j.at(k::kStatus).get<std::string>();
    const auto s = parse_status(status);
    if (!s) throw FormatError(fmt::format("{}: unknown status \"{}\"", k::kStatus, status));
    r.status = *s;
    r.evidence = j.at(k::kEvidence).get<std::string>();
    r.wall_ns = static_cast<std::uint64_t>(j.at(k::kRealTime).get<double>());
    return r;
  } catch (const json::exception& e) {
    std::string what = e.what();
    if (auto pos = what.find("] "); pos != std::string::npos) what.erase(0, pos + 2);
    throw FormatError(what);
  }
}

json check_document(json context, const std::vector<CheckRow>& rows) {
  context[k::kSchemaVersion] = kSchemaVersion;
  json benchmarks = json::array();
  for (const CheckRow& r : rows) benchmarks.push_back(check_row_json(r));
  return json{{k::kContext, std::move(context)}, {k::kBenchmarks, std::move(benchmarks)}};
}

std::vector<CheckRow> read_check_rows(const json& root) {
  std::vector<CheckRow> rows;
  if (!root.is_object() || !root.contains(k::kBenchmarks) || !root.at(k::kBenchmarks).is_array()) return rows;
  const json& bench = root.at(k::kBenchmarks);
  for (std::size_t i = 0; i < bench.size(); ++i) {
    if (!is_check_row(bench[i])) continue;
    try {
      rows.push_back(check_row_from_json(bench[i]));
    } catch (const FormatError& e) {
      throw FormatError(fmt::format("{}[{}]: {}", k::kBenchmarks, i, e.what()));
    }
  }
  return rows;
}

}  // namespace alloclab::model
