// Workloads: generators of op traces. Each declares its parameters (with bounds, so the CLI
// can validate and `alloclab list` can show them) and builds the trace every allocator replays.
//
// Glossary
//   param  - a named unsigned integer (threads, iters, min_size, ...); ParamSpec bounds it.
//   trace  - per-thread op streams over a shared slot table (trace.hpp), made before the clock
//            (streaming workloads: chunk by chunk, each before its stretch of the clock).
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>

#include "allocators/core/traits.hpp"
#include "size_histogram.hpp"
#include "trace.hpp"
#include "trace_stream.hpp"

namespace alloclab {

struct ParamSpec {
  std::string_view name;   // key in JSON `params` and in --param=value (e.g. "min_size")
  std::string_view label;  // short form in row names (e.g. "min")
  std::string_view help;
  std::uint64_t def;
  std::uint64_t min;
  std::uint64_t max;
  // Left out of row names while at its default, so adding an option (dist) to a workload
  // keeps the names of its existing rows.
  bool optional = false;
};

using Params = std::map<std::string, std::uint64_t, std::less<>>;

struct GenerateRequest {
  Params params;
  std::uint64_t seed = 0;  // 0: the workload's own default seeding (churn: the seed tb's)
  std::uint32_t caps = 0;  // the allocator's capabilities (a workload may adapt, e.g. frame)
  std::string trace_file = {};  // --trace: the recorded trace the `replay` workload reads
  SizeHistogram size_histogram = {};  // --size-histogram: the sizes dist 3 draws
  std::string spec_file = {};  // --spec: the workload spec the `synth` workload reads
};

struct WorkloadInfo {
  std::string_view name;
  std::string_view summary;
  std::span<const ParamSpec> params;  // always includes "threads"
  // Cross-parameter checks (min_size <= max_size ...): an error message, or empty.
  std::string (*validate)(const Params&) = nullptr;
  Trace (*generate)(const GenerateRequest&) = nullptr;
  // Workloads that replay a file (--trace; replay): checks it and sets the params it implies
  // (threads). An error message, or empty. Null: the workload takes no file.
  std::string (*load_file)(const std::string& path, Params& derived) = nullptr;
  // False when generate() ignores GenerateRequest::caps: the runner then builds the trace once
  // for its up-front checks instead of once per capability set (a large recorded trace).
  bool trace_depends_on_caps = true;
  // Streaming workloads (trace_stream.hpp): the per-thread generators `generate` drains, so a
  // run replays them chunk by chunk in bounded memory. Null: `generate` is the only way (its
  // threads hand blocks to each other, or it reads a file), and the trace limit holds.
  StreamSetup (*open_stream)(const GenerateRequest&) = nullptr;
  // The count param --duration replaces (churn: "iters"); the stream runs unbounded while it is
  // absent from the params. Empty: no --duration.
  std::string_view count_param = {};
  // The option naming the file load_file reads: "--trace" (replay) or "--spec" (synth).
  std::string_view file_option = "--trace";
};

// A streaming workload's `generate`: its stream, drained. pre: the count param is given.
template <StreamSetup (*Open)(const GenerateRequest&)>
Trace drain_stream(const GenerateRequest& req) {
  return drain(Open(req));
}

inline std::string_view registry_name(const WorkloadInfo& w) { return w.name; }

// Adds a workload (registry.hpp); a duplicate name aborts at start-up.
void register_workload(const WorkloadInfo& w);
std::span<const WorkloadInfo> registered_workloads();
const WorkloadInfo* find_workload(std::string_view name);

// Fills unspecified params with defaults. Returns an error for unknown names or values out of
// range, naming the bad value; empty on success.
std::string complete_params(const WorkloadInfo& w, Params& params);

// "churn/glibc/threads:2/iters:300000/min:8/max:256/keep:75" (params in declaration order).
std::string row_name(const WorkloadInfo& w, std::string_view allocator, const Params& params);

// Checks shared by every workload: sizes and alignment the allocator can serve, and the
// capabilities the trace needs. Empty when the allocator can run the trace.
std::string check_fits(const Trace& trace, std::size_t align, const Traits& traits);

#define ALLOCLAB_REGISTER_WORKLOAD(info)                                             \
  static const bool ALLOCLAB_WL_CONCAT(alloclab_workload_, __LINE__) = [] {          \
    ::alloclab::register_workload(info);                                             \
    return true;                                                                      \
  }()
#define ALLOCLAB_WL_CONCAT_INNER(a, b) a##b
#define ALLOCLAB_WL_CONCAT(a, b) ALLOCLAB_WL_CONCAT_INNER(a, b)

}  // namespace alloclab
