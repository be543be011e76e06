#include "plan.hpp"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>
#include <tuple>
#include <utility>

#include "deployments.hpp"
#include "results.hpp"
#include "shard.hpp"
#include "model/same_file.hpp"
#include "workloads/generator.hpp"

namespace alloclab {
namespace {

std::vector<std::string> pick_allocators(const std::vector<std::string>& listed,
                                         const std::vector<AllocatorSpec>& variants) {
  std::vector<std::string> names;
  if (listed.size() == 1 && listed[0] == "all") {
    for (const Measurable& e : measurable_allocators()) names.emplace_back(e.traits.name);
    return names;
  }
  if (listed.empty()) throw UsageError("--allocator: empty list");
  for (auto it = listed.begin(); it != listed.end(); ++it)
    if (std::find(listed.begin(), it, *it) != it)
      throw UsageError(fmt::format("--allocator: '{}' is listed twice (for more repetitions: --reps N)", *it));
  for (const std::string& n : listed)
    if (!find_measurable(parse_allocator(n, variants)))
      throw UsageError(fmt::format("--allocator: unknown allocator '{}' (see: alloclab list)", n));
  return listed;
}

// --json must not overwrite the files the run reads (compared by device and inode).
void refuse_output_over_inputs(const RunSpec& s) {
  if (s.json.empty() || s.json == "-") return;
  const std::pair<const char*, const std::string*> inputs[] = {{"--trace", &s.trace_file},
                                                                {"--size-histogram", &s.size_histogram.source},
                                                                {"--spec", &s.spec_file}};
  for (const auto& [flag, input] : inputs)
    if (!input->empty() && model::same_file(s.json, *input))
      throw UsageError(fmt::format("--json: '{}' is the {} file this run reads; give another file", s.json, flag));
}

// --dist takes the distributions' names as well as their numbers: names become numbers.
std::string dist_numbers(const std::string& text) {
  std::string out;
  for (const std::string& item : split_list(text)) {
    const auto d = gen::parse_dist_name(item);
    if (!d && !item.empty() && std::isalpha(static_cast<unsigned char>(item[0])) != 0)
      throw UsageError(fmt::format("--dist: unknown distribution '{}' (uniform, pareto, pow2, histogram, or 0-3)", item));
    out += (out.empty() ? "" : ",") + (d ? std::to_string(static_cast<std::uint64_t>(*d)) : item);
  }
  return out;
}

// Every combination of the parameter values given (a sweep), each completed and validated
// before anything runs. A plain run is the one-combination case.
std::vector<Params> expand_params(const WorkloadInfo& w,
                                  const std::map<std::string, std::string>& typed, bool sweep) {
  std::vector<Params> combos(1);
  for (const auto& [name, text] : typed) {
    const std::vector<std::uint64_t> values = parse_values(name == "dist" ? dist_numbers(text) : text, "--" + flag_of(name));
    if (values.size() > 1 && !sweep)
      throw UsageError(fmt::format("--{}: '{}' lists several values; use alloclab sweep", flag_of(name), text));
    std::vector<Params> next;
    for (const Params& c : combos)
      for (std::uint64_t v : values) {
        next.push_back(c);
        next.back()[name] = v;
      }
    combos = std::move(next);
    if (combos.size() > 100000) throw UsageError("sweep: more than 100000 combinations");
  }
  for (Params& c : combos)
    if (std::string err = complete_params(w, c); !err.empty()) throw UsageError(err);
  return combos;
}

// --size-histogram: reads the file into the spec and returns the typed params with what it
// implies (dist 3, and the histogram's range when neither --min-size nor --max-size is given).
std::map<std::string, std::string> apply_size_histogram(const WorkloadInfo& w, RunSpec& s) {
  std::map<std::string, std::string> typed = s.param_text;
  if (s.size_histogram.source.empty()) return typed;
  if (std::none_of(w.params.begin(), w.params.end(), [](const ParamSpec& p) { return p.name == "dist"; }))
    throw UsageError(fmt::format("--size-histogram: workload '{}' has no size distribution (no --dist)", w.name));
  try {
    s.size_histogram = read_size_histogram(s.size_histogram.source);
  } catch (const SizeHistogramError& e) {
    throw UsageError(e.what());
  }
  typed.try_emplace("dist", std::to_string(static_cast<int>(gen::SizeDist::kHistogram)));
  if (!typed.contains("min_size") && !typed.contains("max_size")) {
    typed["min_size"] = std::to_string(s.size_histogram.min_size());
    typed["max_size"] = std::to_string(s.size_histogram.max_size());
  }
  return typed;
}

// Every run with dist 3 has the histogram, within its size range; a histogram is used by one.
void check_size_histogram(const SizeHistogram& h, const std::vector<Params>& combos) {
  bool used = false;
  for (const Params& c : combos) {
    if (!gen::uses_histogram(c)) continue;
    used = true;
    if (h.empty()) throw UsageError("--dist 3 draws sizes from a histogram: give --size-histogram FILE");
    if (h.min_size() < c.at("min_size") || h.max_size() > c.at("max_size"))
      throw UsageError(fmt::format(
          "--size-histogram: {} holds sizes {}..{}, outside --min-size {} .. --max-size {} "
          "(leave both out to use its range)",
          h.source, h.min_size(), h.max_size(), c.at("min_size"), c.at("max_size")));
  }
  if (!h.empty() && !used)
    throw UsageError("--size-histogram: only --dist 3 draws from it, and no run has --dist 3");
}

// --duration replaces the workload's count param: the combos run without it (unbounded streams).
void apply_duration(const WorkloadInfo& w, const RunSpec& s, std::vector<Params>& combos) {
  if (s.duration_s == 0) return;
  if (w.count_param.empty())
    throw UsageError(fmt::format("--duration: workload '{}' does not stream (whole traces only); give its counts instead", w.name));
  const std::string count(w.count_param);
  if (s.param_text.contains(count))
    throw UsageError(fmt::format("--duration and --{} together: give one of them", flag_of(count)));
  for (Params& c : combos) c.erase(count);
}

}  // namespace

std::uint64_t parse_duration_s(const std::string& text) {
  std::uint64_t n = 0;
  std::size_t i = 0;
  for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) != 0 && i < 12; ++i)
    n = n * 10 + static_cast<std::uint64_t>(text[i] - '0');
  const std::string unit = text.substr(i);
  const std::uint64_t scale = unit == "s" ? 1 : unit == "m" ? 60 : unit == "h" ? 3600 : 0;
  if (i == 0 || scale == 0)
    throw UsageError(fmt::format("--duration: '{}' is not a whole number with a unit s, m or h (e.g. 90s, 10m, 2h)", text));
  if (n == 0) throw UsageError(fmt::format("--duration: '{}' is no time at all", text));
  if (n > kMaxDurationS / scale)
    throw UsageError(fmt::format("--duration: '{}' is beyond the limit of {}h", text, kMaxDurationS / 3600));
  return n * scale;
}

Plan plan_run(RunSpec spec, bool sweep) {
  spec.allocators = pick_allocators(spec.allocators, parse_variant_definitions(spec.variants));
  const WorkloadInfo* w = find_workload(spec.workload);
  if (w == nullptr)
    throw UsageError(fmt::format("--workload: unknown workload '{}' (see: alloclab list)", spec.workload));
  refuse_output_over_inputs(spec);
  // The file the workload reads (--trace for replay, --spec for synth), and no other.
  for (const auto& [flag, file, user] : {std::tuple{"--trace", &spec.trace_file, "replay"},
                                         std::tuple{"--spec", &spec.spec_file, "synth"}}) {
    const bool wanted = w->load_file != nullptr && w->file_option == flag;
    if (wanted != !file->empty())
      throw UsageError(wanted ? fmt::format("--workload {} needs {} FILE", spec.workload, flag)
                              : fmt::format("{}: workload '{}' takes no file (use --workload {})", flag,
                                            spec.workload, user));
  }
  const std::string& input = w->file_option == "--spec" ? spec.spec_file : spec.trace_file;
  std::vector<Params> combos = expand_params(*w, apply_size_histogram(*w, spec), sweep);
  check_size_histogram(spec.size_histogram, combos);
  apply_duration(*w, spec, combos);
  if (w->load_file != nullptr)
    for (Params& params : combos)
      if (std::string err = w->load_file(input, params); !err.empty()) throw UsageError(err);
  if (!find_measurable(spec.baseline) &&
      std::find(spec.allocators.begin(), spec.allocators.end(), spec.baseline) == spec.allocators.end())
    throw UsageError(fmt::format("--baseline: unknown allocator '{}' (see: alloclab list)", spec.baseline));
  if (!spec.shard.empty()) (void)parse_shard(spec.shard);
  if (spec.quiet && spec.json.empty())
    throw UsageError("--quiet without --json: the results would be shown nowhere");
  if (!spec.json.empty() && spec.json != "-")  // '-': standard output
    if (std::string err = check_writable(spec.json); !err.empty()) throw UsageError("--json: " + err);
  return {std::move(spec), std::move(combos)};
}

}  // namespace alloclab
