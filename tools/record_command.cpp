#include "record_command.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <memory>
#include <string>
#include <vector>

#include "cli_common.hpp"
#include "harness/preload.hpp"
#include "harness/results.hpp"
#include "workloads/recorded_trace.hpp"
#include "workloads/size_histogram.hpp"

namespace alloclab::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* kLibrary = "liballoclab_record.so";

struct RecordOptions {
  std::string output = "alloclab.trace";
  std::string size_histogram;  // also write the requested sizes here
  std::vector<std::string> command;
};

// The recorder sits in ../lib beside this executable's bin/ (the build tree's layout).
std::string find_recorder() {
  std::string lib = find_library(kLibrary, LibraryHome::kAlloclab);
  if (lib.empty()) {
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    throw UsageError(fmt::format("{} not found in {} (it is not built in sanitizer builds)",
                                 kLibrary, (exe.parent_path().parent_path() / "lib").string()));
  }
  return lib;
}

std::string expand_pid(std::string path, pid_t pid) {
  for (std::size_t at; (at = path.find("%p")) != std::string::npos;)
    path.replace(at, 2, std::to_string(pid));
  return path;
}

// Runs the command with the recorder preloaded; returns its wait status.
int run_recorded(const RecordOptions& o, const std::string& library, const std::string& output,
                 pid_t& child) {
  // The program's own preloads stay, after the recorder. Without %p only the command's own
  // process records: ALLOCLAB_TRACE_PID (the last entry) is filled in by the child, its pid.
  const std::string trace = "ALLOCLAB_TRACE=" + output;
  const std::string pid = "ALLOCLAB_TRACE_PID=" + std::string(20, ' ');
  const std::string_view set[] = {trace, pid};
  std::vector<std::string> env = preload_environment(PreloadEnv{library, true, set});
  std::vector<char*> envp = environment_pointers(env), argv;
  for (const auto& a : o.command) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  char* const pid_slot = envp[envp.size() - 2] + std::strlen("ALLOCLAB_TRACE_PID=");

  std::fflush(nullptr);
  child = ::fork();
  if (child < 0) throw UsageError(fmt::format("fork failed: {}", std::strerror(errno)));
  if (child == 0) {
    std::snprintf(pid_slot, 21, "%d", static_cast<int>(::getpid()));
    ::execvpe(argv[0], argv.data(), envp.data());
    std::fprintf(stderr, "alloclab: error: cannot run '%s': %s\n", argv[0], std::strerror(errno));
    _exit(127);
  }
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

int record(const RecordOptions& o) {
  if (o.command.empty()) throw UsageError("record: no command given (alloclab record -- COMMAND ARGS...)");
  if (!o.size_histogram.empty())
    if (std::string err = check_writable(o.size_histogram); !err.empty())
      throw UsageError("--size-histogram: " + err);
  const std::string library = find_recorder();
  std::error_code ec;
  const std::string output = fs::absolute(o.output, ec).string();
  pid_t child = 0;
  const int status = run_recorded(o, library, output, child);
  const int code = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
  if (WIFEXITED(status) && code == 127 && !fs::exists(expand_pid(output, child), ec))
    return kExitUsage;  // the command could not be started (the child said why)

  const std::string file = expand_pid(output, child);
  try {
    const RecordedTrace trace = read_recorded_trace(file);
    const RecordedSummary s = summarize(trace);
    fmt::print(stderr, "alloclab record: {} calls ({} allocations, {} frees, {} reallocs), {} threads, {} bytes requested -> {}\n",
               s.calls, s.allocations, s.frees, s.reallocs, s.threads, s.bytes, file);
    if (!o.size_histogram.empty()) {
      const SizeHistogram h = histogram_of_counts(requested_sizes(trace));
      std::string err = h.empty() ? "the trace holds no allocation" : std::string{};
      if (err.empty())
        err = write_file_atomically(
            o.size_histogram,
            format_size_histogram(h, fmt::format("sizes requested by: {}", fmt::join(o.command, " "))));
      if (!err.empty()) {
        fmt::print(stderr, "alloclab: error: --size-histogram: {}\n", err);
        return code != 0 ? code : kExitUsage;
      }
    }
  } catch (const TraceFileError& e) {
    fmt::print(stderr, "alloclab: error: {}\n", e.what());
    return code != 0 ? code : kExitUsage;
  }
  return code;
}

}  // namespace

void add_record_command(CLI::App& app, std::function<int()>& action) {
  auto o = std::make_shared<RecordOptions>();
  CLI::App* cmd = app.add_subcommand(
      "record", "run a program and record its heap calls, for --workload replay --trace FILE");
  cmd->add_option("--output,-o", o->output, "trace file (%p: the pid)")->capture_default_str();
  cmd->add_option("--size-histogram", o->size_histogram,
                  "also write the requested sizes as a histogram, for run --size-histogram FILE");
  cmd->add_option("command", o->command, "the program and its arguments (after --)")->required();
  cmd->callback([o, &action] { action = [o] { return record(*o); }; });
}

}  // namespace alloclab::cli
