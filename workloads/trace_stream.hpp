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
//   lockstep  - a generator whose threads meet at barriers (kBarrier, kMark: aged) makes the
//              same number of steps in every chunk of every thread, so each round's chunks hold
//              the same barriers and marks; a kMark's arg indexes the chunk's marks
//              (TraceSource::trace().marks holds the round's), drain() renumbers them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
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
  // This thread's share of each mark in chunk(), by the kMark's arg (summed over threads by
  // TraceSource and drain).
  const std::vector<TraceMark>& chunk_marks() const { return marks_; }
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
  // Every chunk holds (capacity - max_closing()) / max_step() steps (fewer at the end), not as
  // many as the ops allow: the same count on every thread (see lockstep above).
  virtual bool lockstep() const { return false; }

  // Appends a kMark for this thread's share of a mark (its allocations and live bytes there).
  void mark(const TraceMark& share) {
    b_.mark(static_cast<std::uint32_t>(marks_.size()));
    marks_.push_back(share);
  }

  std::vector<Op> ops_;
  ThreadTraceBuilder b_{ops_};
  std::vector<TraceMark> marks_;

 private:
  bool stopping_ = false;
  bool ended_ = false;
};

// A stream whose rounds are made for every thread at once, by one thread (a recorded trace:
// its calls are converted in their global order). Between rounds every thread waits at the
// chunk barrier, so an op of a later round is ordered after every op of an earlier one.
class RoundGenerator {
 public:
  virtual ~RoundGenerator() = default;
  // Replaces threads[t] by thread t's ops of the next round (pre: threads.size() is the shape's
  // thread count); false, all empty, when the stream had ended.
  virtual bool next(std::vector<std::vector<Op>>& threads) = 0;
  // The shape's figures so far into `t`: slots (they may grow from round to round), allocations,
  // peak live bytes, largest request, stats.
  virtual void count(Trace& t) const = 0;
};

// What a streaming workload sets up: the trace's shape (slots, needs_caps; no ops) and one
// generator per thread, or one RoundGenerator (`rounds`) for all of them, whose first round
// shape.threads then holds.
struct StreamSetup {
  Trace shape;
  std::vector<std::unique_ptr<ThreadGenerator>> threads;
  std::unique_ptr<RoundGenerator> rounds;
};

// Ops per thread per chunk for `threads` threads (the bounds above).
std::size_t chunk_capacity(std::size_t threads, std::size_t min_capacity);

// Every chunk of every thread, end to end: the whole trace (what `generate` returns), chunks of
// `capacity` ops (0: chunk_capacity; less than a generator's min_capacity: that).
// pre: the streams are bounded (their count param given).
Trace drain(StreamSetup setup, std::size_t capacity = 0);

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
  bool streaming() const { return !gens_.empty() || rounds_ != nullptr; }
  // Thread t's next chunk into trace().threads[t]; false (empty) when its stream has ended.
  // Distinct threads may call this at once for their own t. A RoundGenerator makes every
  // thread's next chunk in thread 0's call (the others' return false): read them after all
  // calls returned.
  bool next(std::size_t t, bool stop);
  // Why the stream ended early (a RoundGenerator threw: a recorded trace cut while replayed);
  // empty when it did not. The chunks after it are empty.
  const std::string& error() const { return error_; }
  // Totals of every op made so far into trace(): allocations, peak live bytes, largest request.
  void count_made();
  // trace().marks := the marks of the chunks made last, summed over the threads. Call once every
  // thread's next() of a round returned. Throws std::logic_error when the threads' chunks hold
  // different numbers of marks (a generator that is not lockstep).
  void gather_marks();
  std::size_t largest_request_made() const;

 private:
  Trace trace_;
  std::vector<std::unique_ptr<ThreadGenerator>> gens_;
  std::unique_ptr<RoundGenerator> rounds_;
  std::size_t capacity_ = 0;
  std::string error_;
};

}  // namespace alloclab
