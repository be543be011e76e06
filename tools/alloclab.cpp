// alloclab: run, list, report and compare allocator measurements.
#include <fmt/format.h>

#include <cstring>

#include "analyze_command.hpp"
#include "build_info.hpp"
#include "check_command.hpp"
#include "cli_common.hpp"
#include "exec_command.hpp"
#include "harness/child.hpp"
#include "list_command.hpp"
#include "output_check.hpp"
#include "record_command.hpp"
#include "reports/commands.hpp"
#include "scaffold/new_allocator.hpp"
#include "suite_command.hpp"

int main(int argc, char** argv) {
  using namespace alloclab::cli;
  if (argc > 1 && std::strcmp(argv[1], alloclab::kChildFlag) == 0)
    return alloclab::child_main(argc, argv);

  CLI::App app{"alloclab: compare memory allocators side by side, with numbers you can trust",
               "alloclab"};
  app.set_version_flag("--version", fmt::format("alloclab {} ({}, {})", ALLOCLAB_VERSION,
                                                ALLOCLAB_GIT_REVISION, ALLOCLAB_BUILD_TYPE));
  app.require_subcommand(1);

  alloclab::RunSpec run_opts;
  CLI::App* run = app.add_subcommand("run", "measure allocators on a workload");
  add_run_options(*run, run_opts, true);
  alloclab::RunSpec sweep_opts;
  CLI::App* sweep = app.add_subcommand(
      "sweep", "run every combination of parameter lists/ranges (--threads 1,2,4 --max-size 64..4096:x4)");
  add_run_options(*sweep, sweep_opts, true);

  bool list_json = false;
  CLI::App* list = app.add_subcommand("list", "allocators and workloads");
  list->add_flag("--json", list_json, "machine-readable output");
  std::vector<std::string> list_plugins;
  add_plugin_option(*list, list_plugins);

  std::function<int()> report_action;  // set when `report` or `compare` is chosen
  alloclab::reports::add_commands(app, report_action);
  std::function<int()> record_action;  // set when `record` is chosen
  add_record_command(app, record_action);
  ExecAction exec_action;  // set when `exec` is chosen
  add_exec_command(app, exec_action);
  ExecAction suite_action;  // set when `suite` is chosen
  add_suite_command(app, suite_action);
  std::function<int()> new_action;  // set when `new-allocator` is chosen
  add_new_allocator_command(app, new_action);

  const std::vector<std::string> command_line(argv, argv + argc);
  std::function<int()> check_action;  // set when `check` is chosen
  add_check_command(app, check_action, command_line);
  std::function<int()> analyze_action;  // set when `analyze` is chosen
  add_analyze_command(app, analyze_action, command_line);

  return with_checked_output("alloclab", [&] {
    if (auto code = parse_or_exit(app, argc, argv)) return *code;
    return guarded("alloclab", [&] {
    if (*list) {
      load_plugins(list_plugins);
      return print_list(list_json);
    }
    if (report_action) return report_action();
    if (record_action) return record_action();
    if (check_action) return check_action();
    if (analyze_action) return analyze_action();
    if (exec_action) return exec_action(command_line);
    if (suite_action) return suite_action(command_line);
    if (new_action) return new_action();
    if (*sweep) return execute_run(sweep_opts, command_line, true);
    return execute_run(run_opts, command_line, false);
    });
  });
}
