// Test-only: one row of every kind the writer emits, with every field set that the kind writes.
#pragma once

#include <vector>

#include "model/row.hpp"

namespace alloclab::model::testing {

inline Row base_row(const char* allocator, unsigned rep, std::uint64_t wall_ns) {
  Row r;
  r.allocator = allocator;
  r.name = std::string("churn/") + allocator + "/threads:2/iters:1000/touch:lines";
  r.workload = "churn";
  r.params = {{"threads", 2}, {"iters", 1000}, {"min_size", 8}};
  r.touch = "lines";
  r.threads = 2;
  r.repetition_index = rep;
  r.repetitions = 3;
  r.harness_ns_per_op = 3.25;
  r.m.allocations = 1000;
  r.m.wall_ns = wall_ns;
  r.m.thread_ns = {wall_ns - 10, wall_ns - 20};
  r.m.cpu = {0.001, 0.0005, 10, 1};
  r.m.rss_baseline = 1 << 20;
  r.m.rss_peak = 3 << 20;
  r.m.rss_end = 2 << 20;
  r.m.peak_live_bytes = 1 << 20;
  r.m.rss_series = {{0.0, 1 << 20}, {5.5, 3 << 20}};
  return r;
}

inline Row not_run(const char* allocator, Status s, const char* why) {
  Row r = base_row(allocator, 0, 1);
  r.harness_ns_per_op = 0;  // written for ok rows only
  r.m = Measurement{};
  r.m.status = s;
  r.m.error = why;
  return r;
}

// Three ok repetitions with latency, trace stats, instructions, churned threads, marks of
// untrusted figures and an aged run's marks (MarkSample); one row
// of each other status; a failed row that has figures; a replay row; a size-histogram row; an
// exec row with a metric and a failed exec row.
inline std::vector<Row> every_row_kind() {
  std::vector<Row> rows;
  for (unsigned rep = 0; rep < 3; ++rep) {
    Row r = base_row("glibc", rep, 100000 + 100000 * rep);
    r.m.latency = {16, 9.5, {{"alloc", 100, 20, 30, 90, 400, 900}, {"free", 99, 15, 25, 80, 300, 700.5}}};
    r.m.trace_stats = {{"ops", 2000}, {"max_live", 64}};
    r.m.instructions = 123456;
    r.m.threads_started = 4;
    r.m.too_short = true;  // 0.1-0.3 ms replays
    r.m.suggested_iters = 100000;
    r.m.not_parallel = rep == 0;
    r.m.marks = {{1.5, 400, 200000, (1 << 20) + 300000, false}, {2.25, 800, 50000, (1 << 20) + 150000, true}};
    rows.push_back(r);
  }
  rows.push_back(not_run("tiny", Status::kUnsupported, "needs alignment 64"));
  rows.push_back(not_run("jemalloc", Status::kUnavailable, "libjemalloc.so.2 not found"));
  rows.push_back(not_run("broken", Status::kCrashed, "crashed (SIGSEGV)"));
  rows.push_back(not_run("slow", Status::kTimeout, "timeout after 60 s"));
  Row measured_failure = base_row("mempool", 0, 50000);
  measured_failure.harness_ns_per_op = 0;
  measured_failure.m.status = Status::kFailed;
  measured_failure.m.error = "verification failed";
  rows.push_back(measured_failure);
  Row replay = base_row("glibc", 0, 70000);
  replay.workload = "replay";
  replay.name = "replay/glibc/trace:t.trace/threads:2/touch:lines";
  replay.params = {{"threads", 2}};
  replay.trace_file = "/tmp/t.trace";
  replay.repetitions = 1;
  replay.dispatch = "indirect";
  replay.m.oversubscribed = true;
  rows.push_back(replay);
  Row hist = base_row("glibc", 0, 80000);
  hist.name = "churn/glibc/threads:2/dist:3/hist:h.txt/touch:none";
  hist.params = {{"threads", 2}, {"dist", 3}};
  hist.touch = "none";
  hist.size_histogram = "/tmp/h.txt";
  hist.repetitions = 1;
  rows.push_back(hist);
  for (const auto& [alloc, exit_status] : {std::pair{"mimalloc", 0}, std::pair{"tcmalloc", 3}}) {
    Row exec = base_row(alloc, 0, 2500000000);
    exec.workload = "exec";
    exec.name = std::string("exec/") + alloc + "/cmd:python3";
    exec.params = {};
    exec.touch = "";
    exec.threads = 1;
    exec.repetitions = 1;
    exec.harness_ns_per_op = 0;
    exec.command = "python3 -c 'print(1)'";
    exec.cwd = "/tmp";
    exec.m.allocations = 0;
    exec.m.thread_ns = {};
    exec.m.rss_baseline = 0;
    exec.m.rss_end = 0;
    exec.m.peak_live_bytes = 0;
    exec.m.program = ProgramRun{exit_status, 12, 3, "rps", 1500.5, true, "/usr/lib/libmimalloc.so.2", 2, 1};
    if (exit_status != 0) {
      exec.m.status = Status::kFailed;
      exec.m.error = "exit status 3: boom";
      exec.m.program->metric_name.clear();  // judged on wall time: no metric written
      exec.m.program->metric_value = 0;
      exec.m.program->metric_higher_is_better = false;
    }
    rows.push_back(exec);
  }
  return rows;
}

}  // namespace alloclab::model::testing
