// alloclab-micro: Google Benchmark micro-benchmarks of every registered in-process plugin, and
// of one production allocator at a time with --preload NAME (see preload.hpp).
//
// Our own flags are taken out of argv before benchmark::Initialize sees the rest:
//   --preload NAME | --preload=NAME   measure peer NAME through LD_PRELOAD (re-executes itself)
//   --list-plugins                    print "name<TAB>caps<TAB>preload library or -" per plugin
//   --version                         print the version line
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bindings/registry.hpp"
#include "build_info.hpp"
#include "harness/deployments.hpp"
#include "model/exit_codes.hpp"
#include "micro_suite.hpp"
#include "output_check.hpp"
#include "preload.hpp"

namespace {

using alloclab::Deployment;
using alloclab::Measurable;
using alloclab::PluginEntry;
using alloclab::micro::Subject;

using alloclab::model::kExitOk;
using alloclab::model::kExitUsage;

struct Options {
  std::optional<std::string> preload;
  bool version = false;
  bool list = false;
  std::vector<char*> rest;  // argv without our flags, null-terminated for execv
};

// Returns nullopt (after printing why) when a flag of ours is malformed.
std::optional<Options> take_our_flags(int argc, char** argv) {
  Options o;
  constexpr std::string_view kPreload = "--preload";
  for (int i = 0; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (i > 0 && arg == kPreload) {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "alloclab-micro: --preload needs an allocator name\n");
        return std::nullopt;
      }
      o.preload = argv[++i];
    } else if (i > 0 && arg.starts_with("--preload=")) {
      o.preload = std::string(arg.substr(kPreload.size() + 1));
    } else if (i > 0 && arg == "--version") {
      o.version = true;
    } else if (i > 0 && arg == "--list-plugins") {
      o.list = true;
    } else {
      o.rest.push_back(argv[i]);
    }
  }
  o.rest.push_back(nullptr);
  return o;
}

void print_version() {
  std::printf("alloclab-micro %s (git %s, %s%s%s) with Google Benchmark %s\n", ALLOCLAB_VERSION,
              ALLOCLAB_GIT_REVISION, ALLOCLAB_BUILD_TYPE, *ALLOCLAB_SANITIZER ? ", sanitizer " : "",
              ALLOCLAB_SANITIZER, ALLOCLAB_BENCHMARK_VERSION);
}

void print_help() {
  print_version();
  std::printf(
      "\nMicro-benchmarks of every in-process alloclab plugin; rows are named\n"
      "<workload>/<allocator>/<param>. Options of alloclab-micro:\n"
      "  --preload NAME   measure the production allocator NAME (LD_PRELOAD of its Debian\n"
      "                   library; see --list-plugins) instead of the in-process plugins\n"
      "  --list-plugins   print name, capabilities and preload library of every plugin\n"
      "  --version        print the version line\n\n"
      "Google Benchmark options:\n");
  benchmark::PrintDefaultHelp();
}

void list_plugins() {
  for (const Measurable& e : alloclab::measurable_allocators()) {
    const std::string caps = alloclab::caps_to_string(e.traits.caps);
    const std::string_view library = e.deployment != nullptr ? e.deployment->library : "-";
    std::printf("%.*s\t%s\t%.*s\n", static_cast<int>(e.traits.name.size()), e.traits.name.data(),
                caps.c_str(), static_cast<int>(library.size()), library.data());
  }
}

[[noreturn]] void fail(const std::string& line) {
  std::fprintf(stderr, "alloclab-micro: %s\n", line.c_str());
  std::exit(kExitUsage);
}

const Deployment& preload_peer(std::string_view name) {
  if (const Deployment* d = alloclab::find_deployment(name)) return *d;
  if (alloclab::find_plugin(name) == nullptr)
    fail(std::string(name) + ": no such plugin (see --list-plugins)");
  fail(std::string(name) + ": not a production allocator; it runs in-process without --preload");
}

// What this process measures: a preload child measures glibc's code under the peer's name;
// otherwise every in-process plugin.
std::vector<Subject> pick_subjects() {
  std::vector<Subject> subjects;
  if (const char* as = std::getenv(alloclab::micro::kPreloadedAsEnv); as != nullptr) {
    const Deployment& peer = preload_peer(as);
    if (std::string why = alloclab::micro::check_malloc_owner(peer); !why.empty()) fail(why);
    const PluginEntry* glibc = alloclab::find_plugin(alloclab::kDeployedPlugin);
    if (glibc == nullptr) fail("the glibc plugin is not built in; --preload needs it");
    const char* preloaded = std::getenv("LD_PRELOAD");
    benchmark::AddCustomContext("alloclab_preload", preloaded != nullptr ? preloaded : "");
    subjects.push_back({glibc, as});
    return subjects;
  }
  for (const PluginEntry& e : alloclab::registered_plugins())
    subjects.push_back({&e, std::string(e.traits.name)});
  return subjects;
}

int micro_main(int argc, char** argv) {
  std::optional<Options> opts = take_our_flags(argc, argv);
  if (!opts) return kExitUsage;
  if (opts->version) {
    print_version();
    return kExitOk;
  }
  if (opts->list) {
    list_plugins();
    return kExitOk;
  }
  if (opts->preload)
    fail(alloclab::micro::exec_with_preload(preload_peer(*opts->preload), opts->rest.data()));

  const std::vector<Subject> subjects = pick_subjects();
  alloclab::micro::register_benchmarks(subjects);
  benchmark::AddCustomContext("alloclab_version", ALLOCLAB_VERSION);
  benchmark::AddCustomContext("alloclab_git_revision", ALLOCLAB_GIT_REVISION);
  benchmark::AddCustomContext("alloclab_build_type", ALLOCLAB_BUILD_TYPE);
  benchmark::AddCustomContext("alloclab_build_flags", ALLOCLAB_BUILD_FLAGS);
  benchmark::AddCustomContext("alloclab_sanitizer", ALLOCLAB_SANITIZER);

  int rest_argc = static_cast<int>(opts->rest.size()) - 1;
  benchmark::Initialize(&rest_argc, opts->rest.data(), print_help);
  // An unknown flag is bad usage, as in every alloclab executable.
  if (benchmark::ReportUnrecognizedArguments(rest_argc, opts->rest.data())) return kExitUsage;
  benchmark::RunSpecifiedBenchmarks();
  alloclab::micro::destroy_retired();
  benchmark::Shutdown();
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  return alloclab::cli::with_checked_output("alloclab-micro", [&] { return micro_main(argc, argv); });
}
