#include "harness/check/suite.hpp"

#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <sstream>

#include "harness/deployments.hpp"
#include "harness/preload.hpp"
#include "harness/signal_name.hpp"

namespace alloclab::check {
namespace {

namespace fs = std::filesystem;
using model::CheckRow;
using model::CheckVerdict;
using model::Status;

constexpr std::string_view kGlibc = "glibc";
constexpr std::string_view kDuring = "during: ";

Target glibc_target() {
  return Target{std::string(kGlibc), "", find_library("libc.so.6", LibraryHome::kSystem), {}, package_version("libc6")};
}

Target deployment_target(const Deployment& d) {
  Target t{std::string(d.name), deployment_library(d), deployment_library(d), {}, package_version(d.package)};
  for (std::string_view e : d.environment) t.environment.emplace_back(e);
  return t;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  return lines;
}

// "during: malloc(3000)" and the last other line the probe (or the library) wrote on stderr.
std::string stderr_evidence(const std::string& err) {
  std::string during, said;
  for (const std::string& line : lines_of(err)) {
    if (line.starts_with(kDuring)) during = line;
    else said = line;
  }
  std::string out = during;
  if (!said.empty()) out += fmt::format("{}stderr: \"{}\"", out.empty() ? "" : "; ", said);
  return out;
}

std::string joined(std::string_view head, const std::string& tail) {
  return tail.empty() ? std::string(head) : fmt::format("{} {}", head, tail);
}

}  // namespace

Targets resolve_targets(const std::vector<std::string>& names, const std::string& preload_lib) {
  Targets out;
  const bool all = names.size() == 1 && names[0] == "all";
  if (all) {
    out.targets.push_back(glibc_target());
    for (const Deployment& d : deployments()) {
      if (std::string why = deployment_unavailable(d); !why.empty()) out.skipped.push_back({std::string(d.name), why});
      else out.targets.push_back(deployment_target(d));
    }
  } else {
    for (const std::string& name : names) {
      if (name == kGlibc) {
        out.targets.push_back(glibc_target());
      } else if (const Deployment* d = find_deployment(name)) {
        if (std::string why = deployment_unavailable(*d); !why.empty()) throw TargetError(fmt::format("{}: {}", name, why));
        out.targets.push_back(deployment_target(*d));
      } else if (find_measurable(name)) {
        throw TargetError(fmt::format("{} is an in-process plugin, not a malloc: its conformance suite is "
                                      "alloclab_tests --gtest_filter='*Conformance*/{}'", name, name));
      } else {
        throw TargetError(fmt::format("unknown allocator '{}' (glibc, a deployment of `alloclab list`, or "
                                      "--preload-lib FILE)", name));
      }
    }
  }
  if (!preload_lib.empty()) {
    std::error_code ec;
    if (!fs::is_regular_file(preload_lib, ec))
      throw TargetError(fmt::format("--preload-lib: '{}' is not a file", preload_lib));
    const std::string path = fs::canonical(preload_lib, ec).string();
    out.targets.push_back(Target{fs::path(path).filename().string(), path, path, {}, {}});
  }
  return out;
}

std::string find_probe() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  const fs::path probe = exe.parent_path() / kProbeName;
  if (ec || !fs::is_regular_file(probe, ec))
    throw TargetError(fmt::format("{} not found in {} (it is not built in sanitizer builds)", kProbeName,
                                  exe.parent_path().string()));
  return probe.string();
}

std::vector<CheckInfo> list_checks(const std::string& probe, std::span<const std::string> only) {
  const ProbeRun run = run_probe({probe, "--list"}, preload_environment(PreloadEnv{}), 30);
  if (run.timed_out || !WIFEXITED(run.wait_status) || WEXITSTATUS(run.wait_status) != 0)
    throw std::runtime_error(fmt::format("{} --list failed: {}", probe, run.err));
  std::vector<CheckInfo> checks;
  for (const std::string& line : lines_of(run.out)) {
    const std::size_t sp = line.find(' ');
    checks.push_back({line.substr(0, sp), sp != std::string::npos && line.substr(sp + 1) == "required"});
  }
  if (only.empty()) return checks;
  std::vector<CheckInfo> chosen;
  for (const std::string& name : only) {
    auto it = std::find_if(checks.begin(), checks.end(), [&](const CheckInfo& c) { return c.name == name; });
    if (it == checks.end()) throw TargetError(fmt::format("--check: unknown check '{}'", name));
    chosen.push_back(*it);
  }
  return chosen;
}

CheckRow row_of(const Target& t, const CheckInfo& c, const ProbeRun& run, double timeout_s) {
  CheckRow row{t.name, c.name, CheckVerdict::kFail, c.required, Status::kOk, "", run.wall_ns};
  // What went wrong in the process: a fail where the check is required, else what it does.
  const CheckVerdict bad = c.required ? CheckVerdict::kFail : CheckVerdict::kNote;
  const std::string said = stderr_evidence(run.err);
  if (run.timed_out) {
    row = {t.name, c.name, bad, c.required, Status::kTimeout,
           joined(fmt::format("hangs: no verdict within {} s, killed;", timeout_s), said), run.wall_ns};
  } else if (WIFSIGNALED(run.wait_status)) {
    const int sig = WTERMSIG(run.wait_status);
    row = {t.name, c.name, bad, c.required, Status::kCrashed,
           joined(fmt::format("{}killed by {} ({});", c.required ? "" : "aborts: ", signal_name(sig), strsignal(sig)),
                  said),
           run.wall_ns};
  } else if (WEXITSTATUS(run.wait_status) != 0) {
    row = {t.name, c.name, bad, c.required, Status::kFailed,
           joined(fmt::format("the probe exited {};", WEXITSTATUS(run.wait_status)), said), run.wall_ns};
  } else {
    const std::vector<std::string> lines = lines_of(run.out);
    const std::string last = lines.empty() ? "" : lines.back();
    const std::size_t tab = last.find('\t');
    const auto v = model::parse_verdict(last.substr(0, tab));
    if (tab == std::string::npos || !v) {
      row.status = Status::kFailed;
      row.verdict = bad;
      row.evidence = joined("the probe exited without a verdict;", said);
    } else {
      row.verdict = *v == CheckVerdict::kFail && !c.required ? CheckVerdict::kNote : *v;
      row.evidence = last.substr(tab + 1);
    }
  }
  if (!row.evidence.empty() && row.evidence.back() == ';') row.evidence.pop_back();
  return row;
}

CheckRow run_check(const std::string& probe, const Target& t, const CheckInfo& c, double timeout_s) {
  std::vector<std::string_view> set(t.environment.begin(), t.environment.end());
  std::vector<std::string> env = preload_environment(PreloadEnv{t.library, false, set});
  std::vector<std::string> argv{probe, c.name};
  if (!t.owner.empty()) argv.push_back(t.owner);
  return row_of(t, c, run_probe(argv, std::move(env), timeout_s), timeout_s);
}

bool any_required_failure(std::span<const CheckRow> rows) {
  return std::any_of(rows.begin(), rows.end(),
                     [](const CheckRow& r) { return r.required && r.verdict == CheckVerdict::kFail; });
}

}  // namespace alloclab::check
