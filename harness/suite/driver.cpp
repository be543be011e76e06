#include "driver.hpp"

#include <stdlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <set>

#include "model/exit_codes.hpp"
#include "model/keys.hpp"

namespace alloclab::suite {
namespace {

namespace fs = std::filesystem;

// The scratch folder of one suite run, removed at the end; one subfolder per program.
struct Scratch {
  std::string dir;
  Scratch() {
    std::string tmpl = (fs::temp_directory_path() / "alloclab-suite.XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr)
      throw model::UsageError(fmt::format("suite: mkdtemp failed: {}", std::strerror(errno)));
    dir = tmpl;
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

// The suite's identity on exec's row: the program's name in params and the row name, and no
// scratch path, so the same program compares across runs.
void adopt(model::Row& r, const Program& p) {
  r.program = std::string(p.name);
  r.name = suite_row_name(r.allocator, p.name);
  r.cwd.clear();
}

// `p`'s input written into `dir` and its invocation planned as exec's program (argv[0] resolved,
// the inputs hashed into the rows).
exec::ExecPlan plan_exec(const Program& p, const std::string& dir, const SuitePlan& plan) {
  fs::create_directory(dir);
  Invocation inv = p.prepare(dir, plan.size);
  exec::Program e;
  e.argv = std::move(inv.argv);
  e.label = std::string(p.name);
  e.cwd = dir;
  e.env = std::move(inv.env);
  e.timeout_s = plan.timeout_s;
  if (!inv.metric.empty()) e.metric = exec::parse_metric(inv.metric);
  if (inv.server) e.server = exec::Server{std::move(inv.server->argv), std::move(inv.server->ready)};
  for (const auto& f : fs::directory_iterator(dir)) e.inputs.push_back(f.path().string());
  std::sort(e.inputs.begin(), e.inputs.end());  // directory order is not stable across machines
  return exec::plan_program(std::move(e));
}

}  // namespace

std::string unavailable_reason(const Program& p, const Locate& locate) {
  for (std::string_view b : {p.binary, p.client})
    if (!b.empty() && locate(std::string(b)).empty())
      return fmt::format("{} not found in PATH: install {} (Debian; tools/install-deps.sh --suite)", b,
                         p.package);
  return {};
}

std::string suite_row_name(const std::string& allocator, std::string_view program) {
  return fmt::format("exec/{}/{}:{}", allocator, model::key::kProgram, program);
}

std::vector<PlannedRow> plan_rows(const std::vector<const Program*>& programs,
                                  const std::vector<exec::Contender>& contenders, const Locate& locate,
                                  const Shard& shard) {
  std::vector<PlannedRow> out;
  std::size_t index = 0;
  for (const Program* p : programs) {
    const std::string why = unavailable_reason(*p, locate);
    for (const exec::Contender& c : contenders)
      if (shard.holds(index++)) out.push_back({p, &c, why});
  }
  return out;
}

exec::ExecOutcome run_suite(const SuitePlan& plan, const Locate& locate, const std::function<void(const model::Row&)>& on_row) {
  const std::vector<PlannedRow> rows = plan_rows(plan.programs, plan.contenders, locate, plan.shard);
  const Scratch scratch;
  exec::ExecOutcome out;
  std::vector<exec::ExecPlan> plans;
  std::vector<const Program*> planned;  // plans[i] runs planned[i]
  std::set<std::string> selected;       // exec's row names of this shard's rows
  for (const PlannedRow& r : rows) {
    if (!r.unavailable.empty()) {
      model::Row u;
      u.allocator = r.contender->name;
      u.workload = std::string(model::key::kExec);
      u.touch = "";
      u.dispatch = r.contender->library.empty() ? "none" : "preload";
      u.settings = r.contender->settings;
      u.m.status = model::Status::kUnavailable;
      u.m.error = r.unavailable;
      u.repetitions = 1;
      adopt(u, *r.program);
      out.rows.push_back(std::move(u));
      continue;
    }
    if (std::find(planned.begin(), planned.end(), r.program) == planned.end()) {
      plans.push_back(plan_exec(*r.program, scratch.dir + "/" + std::string(r.program->name), plan));
      planned.push_back(r.program);
    }
    selected.insert(exec::exec_row_name(plans.back(), r.contender->name));  // program-major: its plan is the last
  }
  exec::ExecRunOptions run;
  run.reps = plan.reps;
  run.warmup = plan.warmup;
  run.selected = [&selected](const std::string& name) { return selected.count(name) != 0; };
  run.on_row = [&](const model::Row& r) {
    if (on_row) on_row(r);
  };
  exec::ExecOutcome got = exec::run_exec(plans, plan.contenders, run);
  for (model::Row& r : got.rows) {
    const auto at = std::find_if(plans.begin(), plans.end(),
                                 [&](const exec::ExecPlan& p) { return r.name == exec::exec_row_name(p, r.allocator); });
    adopt(r, *planned[static_cast<std::size_t>(at - plans.begin())]);
    out.rows.push_back(std::move(r));
  }
  out.libraries = std::move(got.libraries);
  out.any_failed = got.any_failed;
  out.interrupted = got.interrupted;
  return out;
}

}  // namespace alloclab::suite
