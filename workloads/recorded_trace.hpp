// Recorded traces: reading the file liballoclab_record.so writes (trace_format.hpp), and
// turning its calls into an op trace every allocator can replay (the `replay` workload).
//
// Glossary
//   call      - one recorded malloc/free/... with its thread, sizes, alignment and pointers.
//   block     - a recorded pointer from the call that returned it to the call that freed it;
//               in the replay it lives in a slot.
//   hand-off  - a block freed by another thread than allocated it: replayed as kAllocPublish
//               on the allocating thread and kFreeAwait on the freeing one, so the free waits
//               for the allocation as it did in the program.
//   unknown   - a free of a pointer the trace never saw allocated (allocated before recording
//               started, or its record was lost): skipped and counted.
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "trace.hpp"
#include "trace_format.hpp"

namespace alloclab {

// A file that cannot be read, is not a trace, or is truncated or malformed. what() is one line
// naming the file.
struct TraceFileError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct RecordedCall {
  std::uint64_t time = 0;
  std::uint64_t ptr = 0;
  std::uint64_t old_ptr = 0;
  std::uint64_t size = 0;
  std::uint32_t thread = 0;  // the recorder's thread number
  trace_format::Call call = trace_format::Call::kMalloc;
  std::uint8_t align_log2 = 0;  // 0: default alignment
};

struct RecordedTrace {
  trace_format::FileHeader header{};
  std::vector<RecordedCall> calls;  // global order: by time, each thread's own order kept
  std::uint32_t threads = 0;        // distinct thread numbers
};

// Reads and checks a whole file. Throws TraceFileError.
RecordedTrace read_recorded_trace(const std::string& path);

// The length of the file up to the end of its last whole chunk: what reads of a trace whose
// program was killed while its recorder wrote a chunk. Throws TraceFileError when the file
// cannot be read or its header is not a trace's.
std::uint64_t whole_chunks_length(const std::string& path);

// What `alloclab record` prints.
struct RecordedSummary {
  std::uint64_t calls = 0;
  std::uint64_t allocations = 0;  // malloc, calloc, aligned kinds, realloc(NULL, n)
  std::uint64_t frees = 0;        // free of a non-null pointer
  std::uint64_t reallocs = 0;
  std::uint64_t bytes = 0;        // requested by allocations and reallocs
  std::uint32_t threads = 0;
};
RecordedSummary summarize(const RecordedTrace& t);

// How often each size was requested (allocations, and reallocs' new sizes): the counts behind
// `alloclab record --size-histogram`.
std::map<std::uint64_t, std::uint64_t> requested_sizes(const RecordedTrace& t);

// What the conversion did with the calls it could not replay as they were.
struct ConversionStats {
  std::uint64_t cross_thread_frees = 0;    // replayed as hand-offs
  std::uint64_t cross_thread_reallocs = 0;  // realloc on another thread: alloc + hand-off free
  std::uint64_t unknown_frees = 0;          // pointer never allocated in the trace: skipped
  std::uint64_t failed_calls = 0;           // allocations that returned NULL: skipped
  std::uint64_t oversized = 0;              // requests over 4 GiB - 1 (an op's size limit)
  std::uint64_t reused_live = 0;            // a pointer handed out again while live in the trace
  std::uint64_t deferred_frees = 0;  // reallocated, then freed by another thread: freed at the end
  std::uint64_t freed_at_end = 0;    // blocks the program never freed (and the deferred ones)
  std::uint64_t aligned = 0;                // allocations asking more than the default alignment
};

// Converts the calls into per-thread op streams (recorded threads -> replay threads 0..N-1 in
// order of their first call). Blocks still live at the end are freed at the end by their
// owner, so the allocator's RSS after the replay is comparable. Trace::align is the largest
// alignment any call asked for, used for every op (see TRACE_FORMAT.md, "Replay").
// Throws TraceFileError when the trace has no allocation or is too large to replay.
Trace to_replay_trace(const RecordedTrace& rec, const std::string& name,
                      ConversionStats* stats = nullptr);

}  // namespace alloclab
