// Dev-only entry point: `alloclab_reports_dev report|compare ...` behaves as `alloclab report|compare`
// will once the lead links alloclab_reports into tools/alloclab.cpp.
#include <CLI/CLI.hpp>
#include <functional>

#include "reports/commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"alloclab reports (development build)"};
  app.require_subcommand(1);
  std::function<int()> action;
  alloclab::reports::add_commands(app, action);
  CLI11_PARSE(app, argc, argv);
  return action ? action() : 2;
}
