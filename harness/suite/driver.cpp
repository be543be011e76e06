#include "driver.hpp"

#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include "model/exit_codes.hpp"

#include "harness/child.hpp"
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

std::string row_name(const std::string& allocator, std::string_view program) {
  return fmt::format("exec/{}/{}:{}", allocator, model::key::kProgram, program);
}

// The suite's identity on exec's row: the program's name in params, the repetition of the suite
// (exec ran one), and no scratch path (the command's words are relative to it), so the same
// program compares across runs.
void adopt(model::Row& r, const Program& p, unsigned rep, unsigned reps) {
  r.program = std::string(p.name);
  r.name = row_name(r.allocator, p.name);
  r.cwd.clear();
  r.repetition_index = rep;
  r.repetitions = reps;
}

struct Prepared {
  const Program* program;
  std::string unavailable;  // why it cannot run; empty: it runs
  ExecRequest request;
};

}  // namespace

std::string unavailable_reason(const Program& p, const Locate& locate, const std::string& no_server_mode) {
  if (!p.client.empty() && !no_server_mode.empty()) return no_server_mode;
  for (std::string_view b : {p.binary, p.client})
    if (!b.empty() && locate(std::string(b)).empty())
      return fmt::format("{} not found in PATH: install {} (Debian; tools/install-deps.sh --suite)", b,
                         p.package);
  return {};
}

SuiteResult run_suite(const SuitePlan& plan, const ExecRunner& exec, const Locate& locate,
                      const std::function<void(const Program&, unsigned)>& progress) {
  const Scratch scratch;
  std::vector<Prepared> prepared;
  for (const Program* p : plan.programs) {
    Prepared x{p, unavailable_reason(*p, locate, plan.no_server_mode), {}};
    if (x.unavailable.empty()) {
      const std::string dir = scratch.dir + "/" + std::string(p->name);
      fs::create_directory(dir);
      Invocation inv = p->prepare(dir, plan.size);
      x.request = {std::string(p->name), std::move(inv.argv), std::move(inv.server), std::move(inv.metric), std::move(inv.env), dir,
                   plan.allocator_list, 0, plan.timeout_s};
    }
    prepared.push_back(std::move(x));
  }
  SuiteResult out;
  for (const Prepared& x : prepared) {
    if (x.unavailable.empty()) continue;
    for (const std::string& a : plan.allocators) {
      model::Row r;
      r.allocator = a;
      r.workload = std::string(model::key::kExec);
      r.touch = "";
      r.dispatch = a == "glibc" ? "none" : "preload";
      r.m.status = model::Status::kUnavailable;
      r.m.error = x.unavailable;
      adopt(r, *x.program, 0, 1);
      out.rows.push_back(std::move(r));
    }
  }
  // Interleaved (P1 P2 ... P1 P2 ...): a drift of the machine spreads over every program alike.
  for (unsigned rep = 0; rep < plan.reps && out.interrupted == 0; ++rep) {
    for (const Prepared& x : prepared) {
      if (!x.unavailable.empty()) continue;
      if (progress) progress(*x.program, rep);
      ExecRequest req = x.request;
      req.warmup = rep == 0 ? plan.warmup : 0;
      ExecResult got = exec(req);
      for (model::Row& r : got.rows) {
        adopt(r, *x.program, rep, plan.reps);
        out.any_failed = out.any_failed || model::is_fault(r.m.status);
        out.rows.push_back(std::move(r));
      }
      out.interrupted = got.interrupted != 0 ? got.interrupted : interrupted();
      if (out.interrupted != 0) break;
    }
  }
  return out;
}

}  // namespace alloclab::suite
