#include "check_command.hpp"

#include <fmt/format.h>

#include <memory>

#include "cli_common.hpp"
#include "harness/check/matrix.hpp"
#include "harness/check/suite.hpp"
#include "harness/environment.hpp"
#include "model/atomic_file.hpp"
#include "model/keys.hpp"

namespace alloclab::cli {
namespace {

struct CheckOptions {
  std::vector<std::string> allocators;  // empty: all (or only --preload-lib when given)
  std::string preload_lib;
  std::vector<std::string> checks;  // empty: every check
  std::string timeout = "60";
  std::string json;
};

nlohmann::json libraries_of(const std::vector<check::Target>& targets) {
  nlohmann::json libs = nlohmann::json::object();
  for (const check::Target& t : targets) {
    if (t.library.empty()) continue;
    libs[t.name] = {{model::key::kLibrary, t.library}, {model::key::kPackageVersion, t.version}};
  }
  return libs;
}

int run_check_command(const CheckOptions& o, const std::vector<std::string>& command_line) {
  const std::uint64_t timeout = parse_u64(o.timeout, "--timeout");
  if (timeout == 0) throw UsageError("--timeout: expected at least 1 second");
  if (!o.json.empty())
    if (std::string err = model::check_writable(o.json); !err.empty()) throw UsageError("--json: " + err);
  std::vector<std::string> names = o.allocators;
  if (names.empty() && o.preload_lib.empty()) names = {"all"};
  check::Targets targets;
  std::string probe;
  std::vector<check::CheckInfo> checks;
  try {
    targets = check::resolve_targets(names, o.preload_lib);
    probe = check::find_probe();
    checks = check::list_checks(probe, o.checks);
  } catch (const check::TargetError& e) {
    throw UsageError(e.what());
  }
  for (const check::Skipped& s : targets.skipped) fmt::print(stderr, "alloclab check: skipped {}: {}\n", s.name, s.reason);
  for (const check::Target& t : targets.targets)
    fmt::print("{}: {}{}\n", t.name, t.library.empty() ? "no LD_PRELOAD" : t.library,
               t.version.empty() ? "" : fmt::format(" ({})", t.version));
  fmt::print("\n");

  std::vector<model::CheckRow> rows;
  for (const check::Target& t : targets.targets)
    for (const check::CheckInfo& c : checks) rows.push_back(check::run_check(probe, t, c, static_cast<double>(timeout)));
  check::print_matrix(stdout, rows);
  if (!o.json.empty()) {
    RunContext rc{command_line, 0, libraries_of(targets.targets)};
    const auto doc = model::check_document(capture_environment(rc), rows);
    if (std::string err = model::write_file_atomically(o.json, doc.dump(2) + "\n"); !err.empty()) {
      fmt::print(stderr, "alloclab: error: --json: {}\n", err);
      return kExitUsage;
    }
  }
  return check::any_required_failure(rows) ? kExitRowFailed : kExitOk;
}

}  // namespace

void add_check_command(CLI::App& app, std::function<int()>& action, const std::vector<std::string>& command_line) {
  auto o = std::make_shared<CheckOptions>();
  CLI::App* cmd = app.add_subcommand(
      "check", "put malloc through a conformance suite: glibc, each LD_PRELOAD allocator, your .so");
  cmd->add_option("-a,--allocator", o->allocators,
                  "allocators to check, comma-separated: glibc and the deployments (default: all of them)")
      ->delimiter(',');
  cmd->add_option("--preload-lib", o->preload_lib, "also check this malloc library (shown under its file name)");
  cmd->add_option("--check", o->checks, "only these checks, comma-separated")->delimiter(',');
  cmd->add_option("--timeout", o->timeout, "seconds one check may take before it counts as a hang")
      ->capture_default_str();
  cmd->add_option("--json", o->json, "write the check rows here (Google Benchmark layout)");
  cmd->callback([o, &action, &command_line] { action = [o, &command_line] { return run_check_command(*o, command_line); }; });
}

}  // namespace alloclab::cli
