#include "record_command.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
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
#include "model/same_file.hpp"
#include "harness/exec/program_linkage.hpp"
#include "record_process.hpp"
#include "workloads/recorded_trace.hpp"
#include "workloads/size_histogram.hpp"

namespace alloclab::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* kLibrary = "liballoclab_record.so";
constexpr std::uint64_t kDefaultMaxTraceSize = std::uint64_t{1} << 30;  // 1 GiB: about 33 M calls
constexpr std::uint64_t kChunkBytes = 64 * 1024;  // the most the recorder writes at once

struct RecordOptions {
  std::string output = "alloclab.trace";
  std::string size_histogram;  // also write the requested sizes here
  std::string max_trace_size = std::to_string(kDefaultMaxTraceSize);  // bytes; 0: no limit
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

// The recorder writes the trace inside the program and alloclab reads it back: refuse, before
// the program runs, a path that cannot be created or is not a regular file (a directory,
// /dev/full, a FIFO). "%p" is tried with this process's pid. Empty when fine.
std::string check_trace_output(const std::string& pattern) {
  const std::string path = expand_pid(pattern, ::getpid());
  struct stat st{};
  int fd = -1;
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return fmt::format("cannot write '{}': is a directory", path);
    if (!S_ISREG(st.st_mode))
      return fmt::format("'{}' is not a regular file (the trace is read back after the run)", path);
    fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  } else if (errno == ENOENT) {
    fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd >= 0) ::unlink(path.c_str());  // the recorder creates it
  }
  if (fd < 0) return fmt::format("cannot write '{}': {}", path, std::strerror(errno));
  ::close(fd);
  return {};
}

// Everything checked before the program runs: its side effects never happen for nothing.
void check_before_running(const RecordOptions& o, const std::string& output) {
  if (o.command.empty()) throw UsageError("record: no command given (alloclab record -- COMMAND ARGS...)");
  // '-' is standard output elsewhere; here the recorded program writes there itself.
  for (const auto& [flag, name] : {std::pair{"--output", &o.output}, std::pair{"--size-histogram", &o.size_histogram}})
    if (*name == "-") throw UsageError(fmt::format("{}: '-' (standard output) is the recorded program's; give a file", flag));
  if (std::string err = check_trace_output(output); !err.empty()) throw UsageError("--output: " + err);
  if (!o.size_histogram.empty()) {
    if (model::same_file(o.size_histogram, output))
      throw UsageError(fmt::format("--size-histogram: '{}' is also the --output trace; give another file",
                                   o.size_histogram));
    if (std::string err = check_writable(o.size_histogram); !err.empty())
      throw UsageError("--size-histogram: " + err);
  }
  if (const std::string program = exec::find_program(o.command[0]); !program.empty() && exec::is_static_elf(program))
    throw UsageError(fmt::format("cannot record '{}': it is statically linked, and the recorder "
                                 "reaches only dynamically linked programs (LD_PRELOAD)", program));
}

// Runs the command with the recorder preloaded; returns its wait status.
int run_recorded(const RecordOptions& o, const std::string& library, const std::string& output,
                 std::uint64_t max_bytes, pid_t& child) {
  // The program's own preloads stay, after the recorder. Without %p only the command's own
  // process records: ALLOCLAB_TRACE_PID (the last entry) is filled in by the child, its pid.
  const std::string trace = "ALLOCLAB_TRACE=" + output;
  const std::string limit = fmt::format("ALLOCLAB_TRACE_MAX_BYTES={}", max_bytes);
  const std::string pid = "ALLOCLAB_TRACE_PID=" + std::string(20, ' ');
  const std::string_view set[] = {trace, limit, pid};
  std::vector<std::string> env = preload_environment(PreloadEnv{library, true, set});
  std::vector<char*> envp = environment_pointers(env), argv;
  for (const auto& a : o.command) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  char* const pid_slot = envp[envp.size() - 2] + std::strlen("ALLOCLAB_TRACE_PID=");
  return run_in_own_group(argv.data(), envp.data(), pid_slot, child);
}

// A program killed while its recorder wrote a chunk leaves part of it at the end of the trace:
// dropped (said on stderr), so the whole chunks before it read. Anything larger than one chunk
// is not that, and is left for the reader to report.
void drop_half_written_chunk(const std::string& file) {
  std::error_code ec;
  const std::uint64_t size = fs::file_size(file, ec);
  if (ec) return;
  try {
    const std::uint64_t whole = whole_chunks_length(file);
    if (whole == size || size - whole >= kChunkBytes) return;
    fs::resize_file(file, whole, ec);
    if (!ec)
      fmt::print(stderr, "alloclab record: the program was killed while a chunk was written: its {} "
                         "bytes at the end of the trace were dropped\n", size - whole);
  } catch (const TraceFileError&) {
    // not a trace: the read that follows says so
  }
}

int record(const RecordOptions& o) {
  std::error_code ec;
  const std::string output = fs::absolute(o.output, ec).string();
  check_before_running(o, output);
  const std::uint64_t max_bytes = parse_u64(o.max_trace_size, "--max-trace-size");
  if (max_bytes != 0 && max_bytes < kChunkBytes)
    throw UsageError(fmt::format("--max-trace-size: {} bytes is below one recorder chunk ({} bytes; 0: no limit)",
                                 max_bytes, kChunkBytes));
  const std::string library = find_recorder();
  pid_t child = 0;
  const int status = run_recorded(o, library, output, max_bytes, child);
  const int code = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
  if (WIFEXITED(status) && code == 127 && !fs::exists(expand_pid(output, child), ec))
    return kExitUsage;  // the command could not be started (the child said why)

  const std::string file = expand_pid(output, child);
  if (WIFSIGNALED(status)) drop_half_written_chunk(file);
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
    if ((trace.header.flags & trace_format::kFlagCut) != 0) {
      fmt::print(stderr, "alloclab record: the trace was cut at --max-trace-size {} bytes: the calls after "
                         "its last chunk are not in it (the program's exit status: {})\n", max_bytes, code);
      return kExitTraceCut;
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
  cmd->add_option("--max-trace-size", o->max_trace_size,
                  "bytes the trace may reach; past it recording stops and record exits 3 (0: no limit)")
      ->capture_default_str();
  cmd->add_option("command", o->command, "the program and its arguments (after --)")->required();
  cmd->callback([o, &action] { action = [o] { return record(*o); }; });
}

}  // namespace alloclab::cli
