#include "runner.hpp"

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <map>

#include "child.hpp"
#include "deployments.hpp"
#include "preload.hpp"
#include "model/keys.hpp"
#include "model/stats.hpp"
#include "workloads/generator.hpp"

namespace alloclab {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kNull = "null";

struct Candidate {
  Measurable allocator;         // traits under the measured name; the plugin the child runs
  std::string preload_library;  // a deployment's library, found
  std::vector<std::string> environment;  // its variables, then the variant's settings
  std::string settings;          // the variant's, as given
  Measurement verdict;  // kOk when runnable; else unsupported/unavailable with the reason
};

Measurement not_runnable(Status s, std::string why) {
  Measurement m;
  m.status = s;
  m.error = std::move(why);
  return m;
}

// Generates the trace's start as the child will (once per distinct capability set) and checks that
// the allocator can serve it. Only the trace's shape is kept, not its ops.
std::string why_unsupported(const RunSpec& spec, const Measurable& e,
                            std::map<std::uint32_t, Trace>& shapes) {
  const WorkloadInfo& w = *find_workload(spec.workload);
  const std::uint32_t key = w.trace_depends_on_caps ? e.traits.caps : 0;
  auto it = shapes.find(key);
  if (it == shapes.end()) {
    // A streaming workload's first chunks, as the child makes them: the same shape, in bounded memory.
    const TraceSource src(w, GenerateRequest{spec.params, spec.seed, e.traits.caps,
                                             spec.trace_file, spec.size_histogram, spec.spec_file});
    const Trace& t = src.trace();
    Trace shape;
    shape.needs_caps = t.needs_caps;
    shape.max_request = t.max_request;
    shape.align = t.align;
    it = shapes.emplace(key, std::move(shape)).first;
  }
  return check_fits(it->second, std::max(kMinAlign, it->second.align), e.traits);
}

Row make_row(const RunSpec& spec, const Candidate& c, unsigned rep) {
  Row r;
  const WorkloadInfo* w = find_workload(spec.workload);
  r.name = row_name(*w, c.allocator.traits.name, spec.params);
  if (!spec.trace_file.empty())  // replay: the file and what it implies, not declared params
    r.name += fmt::format("/trace:{}/threads:{}", fs::path(spec.trace_file).filename().string(),
                          spec.params.at("threads"));
  if (!spec.spec_file.empty()) r.name += "/spec:" + fs::path(spec.spec_file).filename().string();
  if (gen::uses_histogram(spec.params)) {  // dist:3 is in the name already; say which histogram
    r.size_histogram = spec.size_histogram.source;
    r.name += "/hist:" + fs::path(r.size_histogram).filename().string();
  }
  if (spec.duration_s != 0) {  // in place of the count param plan_run dropped
    r.name += fmt::format("/duration:{}s", spec.duration_s);
  }
  r.name += std::string("/touch:") + touch_name(spec.touch);
  if (spec.count_instructions) r.name += fmt::format("/{}:{}", model::key::kMeasure, model::key::kInstructions);
  r.trace_file = spec.trace_file;
  r.allocator = c.allocator.traits.name;
  r.workload = spec.workload;
  r.params = spec.params;
  if (spec.duration_s != 0) r.params[std::string(model::key::kDurationS)] = spec.duration_s;
  r.touch = touch_name(spec.touch);
  r.threads = static_cast<unsigned>(spec.params.at("threads"));
  r.repetition_index = rep;
  r.repetitions = spec.reps;
  r.dispatch = c.allocator.plugin->indirect ? "indirect" : "static";
  r.settings = c.settings;
  return r;
}

}  // namespace

std::vector<std::string> measured_allocators(const RunSpec& spec,
                                             const std::function<bool(std::size_t)>& selected) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < spec.allocators.size(); ++i)
    if (!selected || selected(i)) names.push_back(spec.allocators[i]);
  if (names.empty()) return names;  // none of this combination is in the shard
  if (std::find(names.begin(), names.end(), kNull) == names.end()) names.emplace_back(kNull);
  return names;
}

RunOutcome run_spec(const RunSpec& spec, const std::function<void(const Row&)>& on_row,
                    const std::function<bool(std::size_t)>& selected) {
  RunOutcome out;
  const std::vector<std::string> names = measured_allocators(spec, selected);
  if (names.empty()) return out;

  // One budget per run: computed once, its cgroup (if any) made once and removed on return.
  RunBudget budget(spec.max_rss);
  out.memory_budget = budget.to_json();
  std::map<std::uint32_t, Trace> shapes;
  std::vector<Candidate> candidates;
  const std::vector<AllocatorSpec> variants = parse_variant_definitions(spec.variants);
  std::vector<AllocatorSpec> specs;  // traits.name of each candidate views its spec's name
  for (const std::string& name : names) specs.push_back(parse_allocator(name, variants));
  for (const AllocatorSpec& a : specs) {
    const std::string& name = a.name;
    Candidate c{*find_measurable(a), {}, {}, a.settings_text(), {}};  // pre: the CLI checked the names
    if (const Deployment* d = c.allocator.deployment) {
      c.preload_library = deployment_library(*d);
      c.environment.assign(d->environment.begin(), d->environment.end());
      out.allocators[name] = {{"library", c.preload_library.empty() ? std::string(d->library) : c.preload_library},
                              {"package", d->package},
                              {"package_version", package_version(d->package)}};
      if (std::string why = deployment_unavailable(*d); !why.empty())
        c.verdict = not_runnable(Status::kUnavailable, std::move(why));
    }
    c.environment.insert(c.environment.end(), a.settings.begin(), a.settings.end());
    if (!c.settings.empty()) out.allocators[name][model::key::kSettings] = c.settings;
    if (c.verdict.status == Status::kOk)
      if (std::string why = why_unsupported(spec, c.allocator, shapes); !why.empty())
        c.verdict = not_runnable(Status::kUnsupported, std::move(why));
    candidates.push_back(std::move(c));
  }

  // Rows that cannot run are reported once, with the reason.
  for (const Candidate& c : candidates) {
    if (c.verdict.status == Status::kOk) continue;
    Row r = make_row(spec, c, 0);
    r.m = c.verdict;
    if (on_row) on_row(r);
    out.rows.push_back(std::move(r));
  }
  for (unsigned rep = 0; rep < spec.reps && interrupted() == 0; ++rep)
    for (const Candidate& c : candidates) {
      if (c.verdict.status != Status::kOk) continue;
      if (interrupted() != 0) break;
      // A deployment's child runs its plugin (glibc's malloc) under LD_PRELOAD.
      Row r = make_row(spec, c, rep);
      const std::vector<std::string_view> environment(c.environment.begin(), c.environment.end());
      r.m = run_in_child(ChildJob{spec, std::string(c.allocator.plugin->traits.name), rep,
                                  c.preload_library, &budget, environment});
      // Stopped by the user, not by the allocator: stored as such, out of statistics and gates.
      if (interrupted() != 0 && r.m.status != Status::kOk) r.m.status = Status::kInterrupted;
      if (r.m.status != Status::kOk && r.m.status != Status::kUnsupported) out.any_failed = true;
      if (on_row) on_row(r);
      out.rows.push_back(std::move(r));
    }

  out.interrupted = interrupted();

  // The null plugin's median is the harness's own cost per op on this configuration.
  std::vector<double> null_ns;
  for (const Row& r : out.rows)
    if (r.allocator == kNull && r.m.status == Status::kOk) null_ns.push_back(r.ns_per_op());
  if (!null_ns.empty()) {
    const double cost = model::median(null_ns);
    for (Row& r : out.rows) r.harness_ns_per_op = cost;
  }
  return out;
}

}  // namespace alloclab
