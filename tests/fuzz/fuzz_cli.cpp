// Fuzz target: the `run` option parser (tools/cli_common.cpp: add_run_options, which fills the
// run spec) and planning (harness/plan.hpp: plan_run), the path every alloclab run and tb
// invocation goes through. The input is argv, one argument per line. Every input must give a
// plan, a CLI11 ParseError or a one-line UsageError (from a value or from planning); nothing
// is run. See fuzz_results.cpp for how the corpus doubles as a regression test.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "tools/cli_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace alloclab::cli;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> args;
  for (std::size_t at = 0; at <= text.size() && args.size() < 64;) {
    const std::size_t end = std::min(text.find('\n', at), text.size());
    args.emplace_back(text.substr(at, end - at));
    at = end + 1;
  }
  const auto one_line = [](const UsageError& e) {
    if (std::string_view(e.what()).find('\n') != std::string_view::npos) std::abort();
    return 0;
  };
  CLI::App app{"fuzz", "alloclab"};
  alloclab::RunSpec spec;
  add_run_options(app, spec, true);
  try {
    std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 pops from the back
    app.parse(reversed);
  } catch (const CLI::ParseError&) {
    return 0;
  } catch (const UsageError& e) {
    return one_line(e);
  }
  spec.plugins.clear();  // loading shared objects named by the input is not this target's business
  // Files named by the input are read only when regular: a FIFO or /dev/stdin would block.
  for (std::string* path : {&spec.trace_file, &spec.size_histogram.source})
    if (std::error_code ec; !path->empty() && !std::filesystem::is_regular_file(*path, ec)) path->clear();
  try {
    (void)alloclab::plan_run(std::move(spec), true);
  } catch (const UsageError& e) {
    return one_line(e);
  }
  return 0;
}
