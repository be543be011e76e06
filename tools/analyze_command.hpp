// `alloclab analyze TRACE`: what a recorded program does with its heap (analysis/), the
// recommendations it suggests, each backed by replaying the trace against the recommended
// allocators and the production ones (the `replay` workload through the harness's planning
// and runner, children as `alloclab run`), with the verdict; `--workload-out SPEC` writes the
// trace's behaviour as a workload spec for `alloclab run --workload synth --spec SPEC`.
// `alloclab analyze F.json` renders a saved analysis (analyze --json) again, without the trace:
// text, --md, --html.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

namespace alloclab::cli {

// When `analyze` is parsed, `action` runs it and returns the exit code (0; 1 a replay failed;
// 2 bad input: an unreadable, truncated, empty or other-version trace, a malformed saved
// analysis, an unwritable output).
void add_analyze_command(CLI::App& app, std::function<int()>& action, const std::vector<std::string>& command_line);

}  // namespace alloclab::cli
