// reports/results.cpp — results file parsing. See results.hpp for the glossary.
#include "reports/results.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>

#include "model/check_row.hpp"
#include "model/document.hpp"
#include "model/keys.hpp"

namespace alloclab::reports {
namespace {

// ordered_json keeps `params` in the producer's order, which is the order people read them in.
using Json = nlohmann::ordered_json;
namespace k = model::key;

// Error messages end up on one line after "alloclab: error: ".
std::string one_line(std::string s) {
  std::replace(s.begin(), s.end(), '\n', ' ');
  std::replace(s.begin(), s.end(), '\r', ' ');
  return s;
}

// Locates a field in messages: "results.json: benchmarks[3].real_time: expected a number".
class Where {
 public:
  Where(const std::string& file, std::size_t index) : file_(file), index_(index) {}
  [[noreturn]] void fail(std::string_view field, std::string_view what) const {
    throw InputError(one_line(fmt::format("{}: benchmarks[{}]{}{}: {}", file_, index_,
                                          field.empty() ? "" : ".", field, what)));
  }

 private:
  const std::string& file_;
  std::size_t index_;
};

double number_or_missing(const Json& obj, std::string_view key, const Where& where) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return kMissing;
  if (!it->is_number()) where.fail(key, "expected a number");
  return it->get<double>();
}

std::string string_or_empty(const Json& obj, std::string_view key, const Where& where) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return {};
  if (!it->is_string()) where.fail(key, "expected a string");
  return it->get<std::string>();
}

std::string scalar_text(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

double ns_per_unit(const std::string& unit, const Where& where) {
  if (unit.empty() || unit == "ns") return 1.0;
  if (unit == "us") return 1e3;
  if (unit == "ms") return 1e6;
  if (unit == "s") return 1e9;
  where.fail(k::kTimeUnit, fmt::format("unknown unit \"{}\"", unit));
}

// One operation cannot take longer than the longest replay `run --timeout` allows: a day.
constexpr double kMaxNsPerOp = 86400e9;

bool possible_amount(double v) { return !present(v) || (std::isfinite(v) && v >= 0); }

// Why a repetition's figures cannot have been measured (negative, non-finite or absurd), or empty.
std::string impossible_figure(const Repetition& rep) {
  if (present(rep.ns_per_op) && !(rep.ns_per_op >= 0 && rep.ns_per_op <= kMaxNsPerOp))
    return fmt::format("{} ns/op is not possible (expected 0 .. {:g}, a day per operation)", rep.ns_per_op, kMaxNsPerOp);
  if (rep.ok() && rep.ns_per_op == 0) return "0 ns/op on a row with status ok: no time was measured";
  const std::pair<std::string_view, double> amounts[] = {{k::kItemsPerSecond, rep.items_per_second},
                                                    {k::kRssBaselineBytes, rep.rss_baseline_bytes},
                                                    {k::kRssPeakBytes, rep.rss_peak_bytes},
                                                    {k::kPeakLiveBytes, rep.peak_live_bytes},
                                                    {k::kInstructionsPerOp, rep.instructions_per_op}};
  for (const auto& [field, v] : amounts)
    if (!possible_amount(v)) return fmt::format("{}: {} is not possible (expected a finite number >= 0)", field, v);
  if (present(rep.overhead) && !std::isfinite(rep.overhead)) return fmt::format("{}: {} is not possible", k::kOverhead, rep.overhead);
  for (const auto& [op, pcts] : rep.latency)
    for (const auto& [name, v] : pcts)
      if (!possible_amount(v)) return fmt::format("{}.{}.{}: {} is not possible", k::kLatency, op, name, v);
  for (const auto& [t, bytes] : rep.rss_series)
    if (!possible_amount(t) || !possible_amount(bytes))
      return fmt::format("{}: [{}, {}] is not possible", k::kRssSeries, t, bytes);
  return {};
}

Percentiles parse_percentiles(const Json& obj, const Where& where) {
  Percentiles out;
  if (!obj.is_object()) where.fail(k::kLatency, "expected an object of percentiles");
  for (const auto& [key, value] : obj.items()) {
    if (!value.is_number()) where.fail(k::kLatency, fmt::format("{}: expected a number", key));
    out.emplace_back(key, value.get<double>());
  }
  return out;
}

Latency parse_latency(const Json& row, const Where& where) {
  Latency out;
  auto it = row.find(k::kLatency);
  if (it == row.end() || it->is_null()) return out;
  if (!it->is_object()) where.fail(k::kLatency, "expected an object");
  for (const auto& [op, pct] : it->items()) out.emplace_back(op, parse_percentiles(pct, where));
  return out;
}

Series parse_series(const Json& row, const Where& where) {
  Series out;
  auto it = row.find(k::kRssSeries);
  if (it == row.end() || it->is_null()) return out;
  if (!it->is_array()) where.fail(k::kRssSeries, "expected an array of [t_ms, bytes]");
  for (const auto& point : *it) {
    if (!point.is_array() || point.size() != 2 || !point[0].is_number() || !point[1].is_number())
      where.fail(k::kRssSeries, "expected an array of [t_ms, bytes]");
    out.emplace_back(point[0].get<double>(), point[1].get<double>());
  }
  return out;
}

Repetition parse_repetition(const Json& row, const Where& where) {
  Repetition rep;
  const std::string status = string_or_empty(row, k::kStatus, where);
  if (!status.empty()) {
    const auto parsed = model::parse_status(status);
    if (!parsed) where.fail(k::kStatus, fmt::format("unknown status \"{}\"", status));
    rep.status = *parsed;
  }
  rep.error = string_or_empty(row, k::kError, where);
  // Google Benchmark marks a failed run with error_occurred + error_message.
  if (auto it = row.find(k::kErrorOccurred); it != row.end() && it->is_boolean() && it->get<bool>()) {
    rep.status = model::Status::kFailed;
    if (rep.error.empty()) rep.error = string_or_empty(row, k::kErrorMessage, where);
  }
  const double real_time = number_or_missing(row, k::kRealTime, where);
  if (present(real_time)) {
    rep.ns_per_op = real_time * ns_per_unit(string_or_empty(row, k::kTimeUnit, where), where);
  } else if (rep.status == model::Status::kOk) {
    where.fail(k::kRealTime, "missing on a row with status ok");
  }
  rep.items_per_second = number_or_missing(row, k::kItemsPerSecond, where);
  rep.rss_baseline_bytes = number_or_missing(row, k::kRssBaselineBytes, where);
  rep.rss_peak_bytes = number_or_missing(row, k::kRssPeakBytes, where);
  rep.peak_live_bytes = number_or_missing(row, k::kPeakLiveBytes, where);
  rep.overhead = number_or_missing(row, k::kOverhead, where);
  if (!present(rep.overhead) && present(rep.rss_peak_bytes) && present(rep.rss_baseline_bytes) &&
      present(rep.peak_live_bytes) && rep.peak_live_bytes > 0) {
    rep.overhead = (rep.rss_peak_bytes - rep.rss_baseline_bytes) / rep.peak_live_bytes;
  }
  rep.instructions_per_op = number_or_missing(row, k::kInstructionsPerOp, where);
  rep.latency = parse_latency(row, where);
  rep.rss_series = parse_series(row, where);
  return rep;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = s.find(sep, start);
    out.push_back(s.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

// Name components Google Benchmark adds for its own options; never an allocator's name.
bool is_benchmark_option(std::string_view c) {
  return c == "real_time" || c == "manual_time" || c == "process_time" ||
         c.find(':') != std::string_view::npos;
}

bool looks_like_allocator(std::string_view c) {
  if (c.empty() || is_benchmark_option(c)) return false;
  if (std::isalpha(static_cast<unsigned char>(c.front())) == 0) return false;
  return std::all_of(c.begin(), c.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) != 0 || ch == '_' || ch == '-' || ch == '.';
  });
}

std::vector<Param> params_from_components(const std::vector<std::string_view>& parts,
                                          std::size_t first) {
  std::vector<Param> out;
  for (std::size_t i = first; i < parts.size(); ++i) {
    const std::string_view c = parts[i];
    if (c.starts_with("repeats:")) continue;  // identical for every repetition; not a parameter
    const std::size_t colon = c.find(':');
    if (colon == std::string_view::npos) {
      out.emplace_back(std::string(), std::string(c));
    } else {
      out.emplace_back(std::string(c.substr(0, colon)), std::string(c.substr(colon + 1)));
    }
  }
  return out;
}

Environment parse_environment(const Json& root, const std::string& file) {
  Environment env;
  env.file = file;
  auto it = root.find(k::kContext);
  if (it == root.end() || !it->is_object()) return env;
  const Json& ctx = *it;
  env.context = nlohmann::json(ctx);
  const Json* ours = nullptr;
  if (auto a = ctx.find(k::kAlloclab); a != ctx.end() && a->is_object()) ours = &*a;
  auto add = [&env](const Json* obj, const char* key, const char* label) {
    if (obj == nullptr) return;
    auto v = obj->find(key);
    if (v == obj->end() || v->is_null() || v->is_object()) return;
    if (v->is_array()) {
      std::string joined;
      for (const auto& e : *v) joined += (joined.empty() ? "" : " ") + scalar_text(e);
      env.facts.emplace_back(label, joined);
    } else {
      env.facts.emplace_back(label, scalar_text(*v));
    }
  };
  add(&ctx, k::kDate.data(), "date");
  add(&ctx, k::kHostName.data(), "host");
  add(ours, k::kCpuModel.data(), "CPU");
  add(&ctx, k::kNumCpus.data(), "CPUs");
  add(&ctx, k::kMhzPerCpu.data(), "MHz per CPU");
  add(&ctx, k::kCpuScalingEnabled.data(), "CPU frequency scaling");
  add(&ctx, k::kLoadAvg.data(), "load average");
  add(ours, k::kCpuGovernor.data(), "CPU governor");
  add(ours, k::kTurbo.data(), "turbo/boost");
  add(ours, k::kSmt.data(), "SMT");
  add(ours, k::kThpEnabled.data(), "THP enabled");
  add(ours, k::kThpDefrag.data(), "THP defrag");
  add(ours, k::kNumaNodes.data(), "NUMA nodes");
  add(ours, k::kHypervisor.data(), "hypervisor");
  add(ours, k::kKernel.data(), "kernel");
  add(ours, k::kLibc.data(), "libc");
  add(ours, k::kCompiler.data(), "compiler");
  add(ours, k::kBuildType.data(), "build type");
  if (ours == nullptr) add(&ctx, k::kLibraryBuildType.data(), "build type");
  add(ours, k::kBuildFlags.data(), "build flags");
  add(ours, k::kAlloclabVersion.data(), "alloclab version");
  add(ours, k::kGitRevision.data(), "git revision");
  add(ours, k::kSeed.data(), "seed");
  if (ours != nullptr) {
    if (auto libs = ours->find(k::kAllocators); libs != ours->end() && libs->is_object()) {
      for (const auto& [name, lib] : libs->items()) {
        if (!lib.is_object()) continue;
        std::string text;
        for (std::string_view field : {k::kPackage, k::kPackageVersion, k::kLibrary}) {
          if (auto v = lib.find(field); v != lib.end() && v->is_string())
            text += (text.empty() ? "" : " ") + v->get<std::string>();
        }
        env.facts.emplace_back("allocator " + name, text);
      }
    }
    if (auto cmd = ours->find("command_line"); cmd != ours->end() && cmd->is_array()) {
      for (const auto& e : *cmd) env.command_line += (env.command_line.empty() ? "" : " ") + scalar_text(e);
    }
  }
  if (env.command_line.empty()) add(&ctx, k::kExecutable.data(), "executable");
  return env;
}

Json parse_json(std::string_view text, const std::string& file) {
  if (std::all_of(text.begin(), text.end(),
                  [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; })) {
    throw InputError(fmt::format("{}: empty file", file));
  }
  try {
    return Json::parse(text);
  } catch (const Json::exception& e) {
    // e.what() is "[json.exception.parse_error.101] parse error at line 3, column 1: ..." (or
    // out_of_range.406 for a number such as 1e664 that overflows a double).
    std::string what = e.what();
    if (auto pos = what.find("] "); pos != std::string::npos) what.erase(0, pos + 2);
    throw InputError(one_line(fmt::format("{}: not valid JSON: {}", file, what)));
  }
}

}  // namespace

std::string Row::measure() const {
  const std::string prefix = fmt::format("{}:", k::kMeasure);
  for (std::string_view c : split(name, '/'))
    if (c.starts_with(prefix)) return std::string(c.substr(prefix.size()));
  return {};
}

std::vector<Param> Row::params_with_measure() const {
  std::vector<Param> out = params;
  const std::string m = measure();
  const bool listed = std::any_of(out.begin(), out.end(), [](const Param& p) { return p.first == k::kMeasure; });
  if (!m.empty() && !listed) out.emplace_back(std::string(k::kMeasure), m);
  return out;
}

std::string Row::group_key() const {
  std::string key = workload;
  for (const auto& [k, v] : params_with_measure()) key += "/" + k + ":" + v;
  return key;
}

std::string Row::family_key() const {
  std::string key = workload;
  for (const auto& [k, v] : params_with_measure())
    if (k != "threads") key += "/" + k + ":" + v;
  return key;
}

double Row::threads() const {
  for (const auto& [k, v] : params) {
    if (k != "threads") continue;
    try {
      return std::stod(v);
    } catch (const std::exception&) {
      return 0;
    }
  }
  return 0;
}

void derive_from_name(std::string_view name, Row& row) {
  const auto parts = split(name, '/');
  if (parts.size() >= 2 && looks_like_allocator(parts[1])) {
    row.workload = std::string(parts[0]);
    row.allocator = std::string(parts[1]);
    row.params = params_from_components(parts, 2);
  } else {
    row.workload = std::string(name);
    row.allocator = std::string(name);
    row.params.clear();
  }
}

namespace {

// Appends one repetition to the row of that name, or starts the row (`make` fills the rest).
// `where` locates the repetition in messages ("f.json: benchmarks[3] (name)").
template <class Make>
void add_repetition(Results& into, const std::string& name, const std::string& file, const std::string& where,
                    Repetition rep, Make make) {
  if (std::string why = impossible_figure(rep); !why.empty()) throw InputError(one_line(where + ": " + why));
  Row row;
  row.name = name;
  row.file = file;
  make(row);
  auto existing = std::find_if(into.rows.begin(), into.rows.end(), [&](const Row& r) { return r.name == name; });
  if (existing == into.rows.end()) {
    row.reps.push_back(std::move(rep));
    into.rows.push_back(std::move(row));
    return;
  }
  // One name, two configurations: merging them would mix two allocators' figures.
  if (existing->allocator != row.allocator || existing->workload != row.workload)
    throw InputError(one_line(fmt::format("{}: allocator '{}' on workload '{}', where {} has '{}' on '{}' under the same name",
                                          where, row.allocator, row.workload, existing->file, existing->allocator,
                                          existing->workload)));
  existing->reps.push_back(std::move(rep));
}

// Refuses a second row of one name with one repetition index in one file: it would be counted
// as one more repetition.
class RepetitionIndex {
 public:
  void add(const std::string& name, std::uint64_t index, const std::string& where) {
    if (!seen_.emplace(name, index).second)
      throw InputError(one_line(fmt::format("{}: repetition_index {} of this name appears twice in the file", where, index)));
  }

 private:
  std::set<std::pair<std::string, std::uint64_t>> seen_;
};

// A file this version of the model wrote: read by the model's strict reader.
std::size_t import_ours(std::string_view text, const std::string& file, Results& into) {
  model::Document doc;
  std::vector<model::CheckRow> checks;
  try {
    const nlohmann::json root = nlohmann::json::parse(text);
    doc = model::read_results(root);
    checks = model::read_check_rows(root);
  } catch (const model::FormatError& e) {
    throw InputError(one_line(fmt::format("{}: {}", file, e.what())));
  }
  RepetitionIndex indices;
  for (const model::Row& r : doc.rows) {
    const std::string where = one_line(fmt::format("{}: row {} repetition {}", file, r.name, r.repetition_index));
    indices.add(r.name, r.repetition_index, where);
    add_repetition(into, r.name, file, where, model::repetition_of(r.m), [&r](Row& row) {
      row.workload = r.workload;
      row.allocator = r.allocator;
      const nlohmann::json params = model::params_json(r);  // outlives the loop over its items
      for (const auto& [key, v] : params.items()) row.params.emplace_back(key, scalar_text(v));
    });
  }
  into.checks.insert(into.checks.end(), checks.begin(), checks.end());
  return doc.rows.size() + checks.size();
}

// Older files of ours and Google Benchmark's: every figure optional, names parsed when needed.
std::size_t import_lenient(const Json& bench, const std::string& file, Results& into) {
  std::size_t iterations = 0;
  RepetitionIndex indices;
  for (std::size_t i = 0; i < bench.size(); ++i) {
    const Json& b = bench[i];
    const Where where(file, i);
    if (!b.is_object()) where.fail("", "expected an object");
    const std::string run_type = string_or_empty(b, k::kRunType, where);
    if (run_type == k::kAggregate) continue;  // recomputed from the raw repetitions
    if (!run_type.empty() && run_type != k::kIteration)
      where.fail(k::kRunType, fmt::format("unknown run_type \"{}\"", run_type));
    std::string name = string_or_empty(b, k::kRunName, where);
    if (name.empty()) name = string_or_empty(b, k::kName, where);
    if (name.empty()) where.fail(k::kName, "missing");
    ++iterations;
    const std::string workload = string_or_empty(b, k::kWorkload, where);
    const std::string allocator = string_or_empty(b, k::kAllocator, where);
    const std::string at = one_line(fmt::format("{}: benchmarks[{}] ({})", file, i, name));
    if (auto idx = b.find(k::kRepetitionIndex); idx != b.end() && !idx->is_null()) {
      if (!idx->is_number_unsigned()) where.fail(k::kRepetitionIndex, "expected a non-negative integer");
      indices.add(name, idx->get<std::uint64_t>(), at);
    }
    add_repetition(into, name, file, at, parse_repetition(b, where), [&](Row& row) {
      if (workload.empty() || allocator.empty()) return derive_from_name(name, row);
      row.workload = workload;
      row.allocator = allocator;
      if (auto p = b.find(k::kParams); p != b.end() && p->is_object()) {
        for (const auto& [key, v] : p->items()) row.params.emplace_back(key, scalar_text(v));
      } else {
        // No params object: read them from the name, after workload/allocator.
        Row tmp;
        derive_from_name(name, tmp);
        row.params = tmp.params;
      }
    });
  }
  return iterations;
}

}  // namespace

void parse_results(std::string_view text, const std::string& file, Results& into) {
  const Json root = parse_json(text, file);
  if (!root.is_object()) throw InputError(fmt::format("{}: expected a JSON object at the top", file));
  auto bench = root.find(k::kBenchmarks);
  if (bench == root.end() || !bench->is_array())
    throw InputError(fmt::format("{}: no \"{}\" array (not a results file?)", file, k::kBenchmarks));
  unsigned version = 0;
  try {
    // schema_version reads the context only: converting it alone is cheap.
    version = model::schema_version(nlohmann::json{{k::kContext, nlohmann::json(root.value(k::kContext, Json::object()))}});
  } catch (const model::FormatError& e) {
    throw InputError(one_line(fmt::format("{}: {}", file, e.what())));
  }
  const std::size_t iterations = version > 0 ? import_ours(text, file, into) : import_lenient(*bench, file, into);
  if (iterations == 0) {
    throw InputError(fmt::format(
        "{}: no iteration rows (aggregates alone cannot be re-analysed; rerun without "
        "--benchmark_report_aggregates_only)",
        file));
  }
  into.environments.push_back(parse_environment(root, file));
  into.files.push_back(file);
}

std::string read_results_file(const std::string& file, std::size_t max_bytes) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot open: {}", file, std::strerror(errno)));
  std::string text;
  std::vector<char> chunk(std::size_t{1} << 20);
  for (;;) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    const auto got = static_cast<std::size_t>(in.gcount());
    text.append(chunk.data(), got);
    // A results file is a JSON object: anything else (/dev/zero, a binary) is refused at once.
    const std::size_t start = text.find_first_not_of(" \t\r\n");
    if (start != std::string::npos && text[start] != '{')
      throw InputError(fmt::format("{}: not a results file (a JSON object starts with '{{')", file));
    if (text.size() > max_bytes)
      throw InputError(fmt::format("{}: larger than {} bytes: not a results file this reader takes", file, max_bytes));
    if (got < chunk.size()) break;
  }
  if (in.bad()) throw InputError(fmt::format("{}: read error", file));
  return text;
}

namespace {

// The machine a file was measured on: host name, CPU model, kernel (its context).
struct Host {
  std::string name, cpu, kernel;
  bool operator==(const Host&) const = default;
};

Host host_of(const Environment& e) {
  const auto text = [](const nlohmann::json& obj, std::string_view key) {
    const auto v = obj.is_object() ? obj.find(key) : obj.end();
    return v != obj.end() && v->is_string() ? v->get<std::string>() : std::string();
  };
  const nlohmann::json& ours = e.context.is_object() && e.context.contains(k::kAlloclab) ? e.context[k::kAlloclab] : e.context;
  return {text(e.context, k::kHostName), text(ours, k::kCpuModel), text(ours, k::kKernel)};
}

// One machine as far as both files say: a field one of them lacks (a Google Benchmark file
// has no kernel) does not tell them apart.
bool same_machine(const Host& a, const Host& b) {
  const auto agree = [](const std::string& x, const std::string& y) { return x.empty() || y.empty() || x == y; };
  return agree(a.name, b.name) && agree(a.cpu, b.cpu) && agree(a.kernel, b.kernel);
}

// Files of several machines: every row gets a `host` parameter, so that a group (and every
// ratio in it) holds one machine's rows only; the label is the host name when that tells the
// machines apart, else CPU and kernel. False (nothing tagged) when all are one machine.
bool tag_hosts(std::vector<Results>& per_file) {
  std::vector<Host> hosts;  // one per machine: the first file's
  std::vector<std::size_t> machine_of;
  for (const Results& r : per_file) {
    const Host h = host_of(r.environments.front());
    const auto it = std::find_if(hosts.begin(), hosts.end(), [&](const Host& m) { return same_machine(m, h); });
    machine_of.push_back(static_cast<std::size_t>(it - hosts.begin()));
    if (it == hosts.end()) hosts.push_back(h);
  }
  if (hosts.size() < 2) return false;
  bool names_distinct = true;
  for (std::size_t i = 0; i < hosts.size(); ++i)
    for (std::size_t j = 0; j < i; ++j) names_distinct = names_distinct && hosts[i].name != hosts[j].name;
  for (std::size_t f = 0; f < per_file.size(); ++f) {
    const Host& h = hosts[machine_of[f]];
    const std::string label = names_distinct && !h.name.empty() ? h.name : fmt::format("{}, {}", h.cpu, h.kernel);
    for (Row& row : per_file[f].rows) {
      row.params.emplace_back("host", label);
      row.name += "/host:" + label;
    }
  }
  return true;
}

std::string host_text(const Host& h) {
  std::vector<std::string> facts;
  if (!h.cpu.empty()) facts.push_back(h.cpu);
  if (!h.kernel.empty()) facts.push_back("kernel " + h.kernel);
  const std::string name = h.name.empty() ? std::string("a host") : "host " + h.name;
  return facts.empty() ? name : fmt::format("{} ({})", name, fmt::join(facts, ", "));
}

}  // namespace

std::string machines_differ(const Results& a, const Results& b) {
  if (a.environments.empty() || b.environments.empty()) return {};
  const Host x = host_of(a.environments.front()), y = host_of(b.environments.front());
  return same_machine(x, y) ? std::string() : fmt::format("{} vs {}", host_text(x), host_text(y));
}

Results load_results(const std::vector<std::string>& files) {
  std::vector<Results> per_file;
  std::vector<std::string> kept;  // the files read, in order
  std::vector<std::filesystem::path> seen;
  for (const std::string& file : files) {
    std::error_code ec;
    if (std::filesystem::is_directory(file, ec)) throw InputError(fmt::format("{}: is a directory", file));
    // The same file named twice (e.g. by overlapping globs) would count its repetitions twice.
    const auto canonical = std::filesystem::weakly_canonical(file, ec);
    if (!ec && std::find(seen.begin(), seen.end(), canonical) != seen.end()) continue;
    if (!ec) seen.push_back(canonical);
    parse_results(read_results_file(file), file, per_file.emplace_back());
    kept.push_back(file);
  }
  Results results;
  if (per_file.size() > 1 && !tag_hosts(per_file)) {
    // One machine: read again into one set, so that parse_results checks rows across files.
    for (const std::string& file : kept) parse_results(read_results_file(file), file, results);
    return results;
  }
  if (per_file.size() == 1) return std::move(per_file.front());
  // Several machines: merged as parse_results merges, repetitions of one name appended.
  for (Results& one : per_file) {
    for (Row& row : one.rows) {
      auto existing = std::find_if(results.rows.begin(), results.rows.end(), [&](const Row& r) { return r.name == row.name; });
      if (existing == results.rows.end()) {
        results.rows.push_back(std::move(row));
        continue;
      }
      if (existing->allocator != row.allocator || existing->workload != row.workload)
        throw InputError(one_line(fmt::format("{}: row {}: allocator '{}' on workload '{}', where {} has '{}' on '{}' under the same name",
                                              row.file, row.name, row.allocator, row.workload, existing->file,
                                              existing->allocator, existing->workload)));
      existing->reps.insert(existing->reps.end(), row.reps.begin(), row.reps.end());
    }
    std::move(one.environments.begin(), one.environments.end(), std::back_inserter(results.environments));
    std::move(one.files.begin(), one.files.end(), std::back_inserter(results.files));
    std::move(one.checks.begin(), one.checks.end(), std::back_inserter(results.checks));
  }
  return results;
}

}  // namespace alloclab::reports
