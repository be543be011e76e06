#include "runner.hpp"

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <map>

#include "child.hpp"
#include "deployments.hpp"
#include "preload.hpp"
#include "model/stats.hpp"
#include "workloads/generator.hpp"

namespace alloclab {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kNull = "null";

struct Candidate {
  Measurable allocator;         // traits under the measured name; the plugin the child runs
  std::string preload_library;  // a deployment's library, found
  std::span<const std::string_view> environment;  // and its variables
  Measurement verdict;  // kOk when runnable; else unsupported/unavailable with the reason
};

Measurement not_runnable(Status s, std::string why) {
  Measurement m;
  m.status = s;
  m.error = std::move(why);
  return m;
}

// Generates the trace as the child will (once per distinct capability set) and checks that
// the allocator can serve it. Only the trace's shape is kept, not its ops.
std::string why_unsupported(const RunPlan& plan, const Measurable& e,
                            std::map<std::uint32_t, Trace>& shapes) {
  const WorkloadInfo& w = *find_workload(plan.workload);
  const std::uint32_t key = w.trace_depends_on_caps ? e.traits.caps : 0;
  auto it = shapes.find(key);
  if (it == shapes.end()) {
    const Trace t = w.generate(GenerateRequest{plan.params, plan.seed, e.traits.caps,
                                               plan.trace_file, plan.size_histogram});
    Trace shape;
    shape.needs_caps = t.needs_caps;
    shape.max_request = t.max_request;
    shape.align = t.align;
    it = shapes.emplace(key, std::move(shape)).first;
  }
  return check_fits(it->second, std::max(kMinAlign, it->second.align), e.traits);
}

Row make_row(const RunPlan& plan, const Candidate& c, unsigned rep) {
  Row r;
  const WorkloadInfo* w = find_workload(plan.workload);
  r.name = row_name(*w, c.allocator.traits.name, plan.params);
  if (!plan.trace_file.empty())  // replay: the file and what it implies, not declared params
    r.name += fmt::format("/trace:{}/threads:{}", fs::path(plan.trace_file).filename().string(),
                          plan.params.at("threads"));
  if (gen::uses_histogram(plan.params)) {  // dist:3 is in the name already; say which histogram
    r.size_histogram = plan.size_histogram.source;
    r.name += "/hist:" + fs::path(r.size_histogram).filename().string();
  }
  r.name += std::string("/touch:") + touch_name(plan.touch);
  if (plan.count_instructions) r.name += "/measure:instructions";
  r.trace_file = plan.trace_file;
  r.allocator = c.allocator.traits.name;
  r.workload = plan.workload;
  r.params = plan.params;
  r.touch = touch_name(plan.touch);
  r.threads = static_cast<unsigned>(plan.params.at("threads"));
  r.repetition_index = rep;
  r.repetitions = plan.reps;
  r.dispatch = c.allocator.plugin->indirect ? "indirect" : "static";
  return r;
}

}  // namespace

std::vector<std::string> measured_allocators(const RunPlan& plan) {
  std::vector<std::string> names = plan.allocators;
  if (std::find(names.begin(), names.end(), kNull) == names.end()) names.emplace_back(kNull);
  return names;
}

RunOutcome run_plan(const RunPlan& plan, const std::function<void(const Row&)>& on_row) {
  RunOutcome out;
  const std::vector<std::string> names = measured_allocators(plan);

  // One budget per run: computed once, its cgroup (if any) made once and removed on return.
  RunBudget budget(plan.max_rss);
  out.memory_budget = budget.to_json();
  std::map<std::uint32_t, Trace> shapes;
  std::vector<Candidate> candidates;
  for (const std::string& name : names) {
    Candidate c{*find_measurable(name), {}, {}, {}};  // pre: the CLI checked the names
    if (const Deployment* d = c.allocator.deployment) {
      c.preload_library = deployment_library(*d);
      c.environment = d->environment;
      out.allocators[name] = {{"library", c.preload_library.empty() ? std::string(d->library) : c.preload_library},
                              {"package", d->package},
                              {"package_version", package_version(d->package)}};
      if (std::string why = deployment_unavailable(*d); !why.empty())
        c.verdict = not_runnable(Status::kUnavailable, std::move(why));
    }
    if (c.verdict.status == Status::kOk)
      if (std::string why = why_unsupported(plan, c.allocator, shapes); !why.empty())
        c.verdict = not_runnable(Status::kUnsupported, std::move(why));
    candidates.push_back(std::move(c));
  }

  // Rows that cannot run are reported once, with the reason.
  for (const Candidate& c : candidates) {
    if (c.verdict.status == Status::kOk) continue;
    Row r = make_row(plan, c, 0);
    r.m = c.verdict;
    if (on_row) on_row(r);
    out.rows.push_back(std::move(r));
  }
  for (unsigned rep = 0; rep < plan.reps && interrupted() == 0; ++rep)
    for (const Candidate& c : candidates) {
      if (c.verdict.status != Status::kOk) continue;
      if (interrupted() != 0) break;
      // A deployment's child runs its plugin (glibc's malloc) under LD_PRELOAD.
      MeasureRequest req{std::string(c.allocator.plugin->traits.name), plan.workload, plan.params, plan.touch,
                         plan.verify, plan.seed, kMinAlign, plan.rss_interval_ms,
                         plan.latency_every, plan.count_instructions, plan.trace_file,
                         plan.size_histogram};
      Row r = make_row(plan, c, rep);
      r.m = run_in_child(ChildSpec{std::move(req), c.preload_library, plan.timeout_s,
                                   plan.count_instructions, budget.watchdog_bytes(), &budget,
                                   c.environment});
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
