// tb: the seed's positional benchmark (threads, iterations per thread, min size, max size,
// keep percent), now comparing every available allocator on the churn workload.
#include <fmt/format.h>

#include <cstring>

#include "build_info.hpp"
#include "cli_common.hpp"
#include "harness/child.hpp"
#include "output_check.hpp"

int main(int argc, char** argv) {
  using namespace alloclab::cli;
  if (argc > 1 && std::strcmp(argv[1], alloclab::kChildFlag) == 0)
    return alloclab::child_main(argc, argv);

  CLI::App app{"tb: the seed's churn benchmark over every available allocator\n"
               "usage: tb [threads iters min_size max_size keep_percent] [options]",
               "tb"};
  app.set_version_flag("--version", fmt::format("tb (alloclab {}, {})", ALLOCLAB_VERSION,
                                                ALLOCLAB_GIT_REVISION));
  // The seed's defaults: 8 threads, 300000 iterations, 8-256 bytes, keep 75%.
  std::string threads = "8", iters = "300000", min_size = "8", max_size = "256", keep = "75";
  app.add_option("threads", threads, "worker threads")->capture_default_str();
  app.add_option("iters", iters, "iterations per thread")->capture_default_str();
  app.add_option("min_size", min_size, "smallest block in bytes")->capture_default_str();
  app.add_option("max_size", max_size, "largest block in bytes")->capture_default_str();
  app.add_option("keep", keep, "percent of blocks kept")->capture_default_str();
  alloclab::RunSpec opts;
  add_run_options(app, opts, false);
  // tb always runs churn: --workload and --trace are refused (and left out of its help), not
  // silently ignored.
  const char* const kNotHere[] = {"--workload", "--trace"};
  for (const char* name : kNotHere) app.get_option(name)->group("");

  return with_checked_output("tb", [&] {
    if (auto code = parse_or_exit(app, argc, argv)) return *code;
    for (const char* name : kNotHere)
      if (app.count(name) > 0) {
        fmt::print(stderr, "tb: error: {}: tb runs the churn workload only (other workloads: alloclab run --workload NAME)\n", name);
        return kExitUsage;
      }
    opts.workload = "churn";
    opts.param_text = {{"threads", threads}, {"iters", iters}, {"min_size", min_size},
                        {"max_size", max_size}, {"keep", keep}};
    const std::vector<std::string> command_line(argv, argv + argc);
    return guarded("tb", [&] { return execute_run(opts, command_line, false); });
  });
}
