// Streaming traces: each thread's ops come from a resumable generator, one bounded chunk at a
// time, so a run's length no longer costs memory. A chunk is whole steps (an iteration, a
// frame, a buffer) of the same seeded loop the whole-trace generation runs, so the chunks of a
// thread, end to end, are the very ops `generate` returns for the same seed and params.
//
// Who calls what (harness/measure.cpp): every thread's first chunk is made before the clock;
// at a chunk boundary all threads stop, the clock stops, each thread makes its own next chunk
// in parallel, and the clock restarts for all at once (a barrier between threads, outside the
// timed region; see replay_threads there for its cost).
//
// Glossary
//   step     - the unit a generator emits whole: a chunk never splits one.
//   closing  - ops after the last step (churn: free the kept blocks, oldest first).
//   unbounded - the workload's count param (WorkloadInfo::count_param) is absent: the steps
//              go on until stop() (--duration), then the closing ops end the stream.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "trace.hpp"
#include "trace_builder.hpp"

namespace alloclab {

// Chunk memory per thread: at most kChunkOps ops (16 MiB), and at most kChunkOpsTotal (256 MiB)
// over all threads, but never less than one step plus the closing ops of the workload.
inline constexpr std::size_t kChunkOps = std::size_t{1} << 21;
inline constexpr std::size_t kChunkOpsTotal = std::size_t{1} << 25;

class ThreadGenerator {
 public:
  virtual ~ThreadGenerator() = default;
  ThreadGenerator(const ThreadGenerator&) = delete;
  ThreadGenerator& operator=(const ThreadGenerator&) = delete;

  // Replaces chunk() by the next ops: steps while one more and the closing ops fit in
  // `capacity` ops, then the closing ops once the steps are done or stop() was called. pre: capacity >= min_capacity().
  // Returns false (chunk() empty) when the stream had already ended.
  bool next(std::size_t capacity);
  // The next chunk closes the stream (--duration: the clock time is reached).
  void stop() { stopping_ = true; }
  bool ended() const { return ended_; }
  const std::vector<Op>& chunk() const { return ops_; }
  // Trades chunk() for `other` (the reader's copy of it), so a chunk is never copied.
  void swap_chunk(std::vector<Op>& other) noexcept { ops_.swap(other); }
  // The counts of every op made so far (allocations, live and peak bytes, largest request).
  const ThreadTraceBuilder& made() const { return b_; }
  std::size_t min_capacity() const { return max_step() + max_closing(); }

 protected:
  ThreadGenerator() = default;
  virtual bool more() const = 0;             // a step remains (unbounded: always)
  virtual void step() = 0;                   // appends one step through b_
  virtual std::size_t max_step() const = 0;  // the most ops one step appends
  virtual void close() {}                    // appends the closing ops
  virtual std::size_t max_closing() const { return 0; }
  virtual std::uint64_t ops_hint() const { return 0; }  // total ops if known (0: unknown)

  std::vector<Op> ops_;
  ThreadTraceBuilder b_{ops_};

 private:
  bool stopping_ = false;
  bool ended_ = false;
};

// What a streaming workload sets up: the trace's shape (slots, needs_caps; no ops) and one
// generator per thread.
struct StreamSetup {
  Trace shape;
  std::vector<std::unique_ptr<ThreadGenerator>> threads;
};

// Ops per thread per chunk for `threads` threads (the bounds above).
std::size_t chunk_capacity(std::size_t threads, std::size_t min_capacity);

// Every chunk of every thread, end to end: the whole trace (what `generate` returns).
// pre: the streams are bounded (their count param given).
Trace drain(StreamSetup setup);

struct WorkloadInfo;
struct GenerateRequest;

// A run's ops, chunk by chunk: a streaming workload's generators, or a whole trace as one chunk
// (workloads whose threads hand blocks to each other, recorded traces).
class TraceSource {
 public:
  // Makes each thread's first chunk. trace() then holds them, with the shape and the counts so far
  // (allocations, peak live bytes and largest request of the first chunks: exact when it fits in one).
  TraceSource(const WorkloadInfo& w, const GenerateRequest& req);

  const Trace& trace() const { return trace_; }
  std::size_t threads() const { return trace_.threads.size(); }
  bool streaming() const { return !gens_.empty(); }
  // Thread t's next chunk into trace().threads[t]; false (empty) when its stream has ended.
  // Distinct threads may call this at once for their own t.
  bool next(std::size_t t, bool stop);
  // Totals of every op made so far into trace(): allocations, peak live bytes, largest request.
  void count_made();
  std::size_t largest_request_made() const;

 private:
  Trace trace_;
  std::vector<std::unique_ptr<ThreadGenerator>> gens_;
  std::size_t capacity_ = 0;
};

}  // namespace alloclab
