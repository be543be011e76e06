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
#include <queue>
#include <stdexcept>
#include <string>
#include <vector>

#include "trace.hpp"
#include "trace_format.hpp"
#include "trace_stream.hpp"

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

// A file's calls one at a time in the global order (by time, ties by thread number, each
// thread's own order kept even if its clock stepped back), without holding them. Opening it
// reads the whole file once and checks it as read_recorded_trace does (a truncated or malformed
// file throws here, naming the byte), keeping an index of its chunks; next() then reads each
// thread's chunks in pieces. Memory: 16 bytes per chunk of the file (about 1/4000 of its size)
// and a buffer of kBufferRecords records (128 KiB) per recorded thread.
class RecordedCallStream {
 public:
  static constexpr std::uint32_t kBufferRecords = 4096;

  explicit RecordedCallStream(const std::string& path);  // throws TraceFileError
  ~RecordedCallStream();
  RecordedCallStream(const RecordedCallStream&) = delete;
  RecordedCallStream& operator=(const RecordedCallStream&) = delete;

  // The next call; false after the last. Throws TraceFileError when the file no longer holds
  // what it held when opened (cut since: the byte where it now ends).
  bool next(RecordedCall& out);

  const trace_format::FileHeader& header() const { return header_; }
  std::uint64_t calls() const { return calls_; }
  std::uint32_t threads() const { return static_cast<std::uint32_t>(order_.size()); }
  // The recorded thread numbers in the order of their first call in the stream.
  const std::vector<std::uint32_t>& first_call_order() const { return order_; }
  // Over every call: the largest size of an allocating call that succeeded, the largest
  // alignment asked for (log2), and whether any realloc resized a block (both pointers set).
  std::uint64_t max_size() const { return max_size_; }
  std::uint64_t allocating_calls() const { return allocating_; }  // that succeeded
  unsigned max_align_log2() const { return max_align_log2_; }
  bool resizes() const { return resizes_; }

 private:
  struct ChunkRef {
    std::uint64_t offset;  // of its first record
    std::uint32_t count;
  };
  struct Cursor {  // one recorded thread's place in its chunks
    std::vector<ChunkRef> chunks;
    std::size_t chunk = 0;      // the chunk the buffer was read from
    std::uint32_t taken = 0;    // records of that chunk read into buffers so far
    std::vector<trace_format::Record> buf;
    std::size_t pos = 0;        // the buffer's next record
  };
  bool fill(std::uint32_t thread);  // pre: the buffer is used up; false at the thread's end

  std::string path_;
  int fd_ = -1;
  trace_format::FileHeader header_{};
  std::vector<Cursor> cursors_;  // by recorded thread number
  std::vector<std::uint32_t> order_;
  using Head = std::pair<std::uint64_t, std::uint32_t>;  // (time, thread): ties by thread
  std::priority_queue<Head, std::vector<Head>, std::greater<>> heads_;
  std::uint64_t calls_ = 0;
  std::uint64_t max_size_ = 0;
  std::uint64_t allocating_ = 0;
  unsigned max_align_log2_ = 0;
  bool resizes_ = false;
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

// The `replay` workload's stream (trace_stream.hpp): the file's calls converted as they are
// read, a round of at most `round_ops` ops per thread at a time (0: chunk_capacity), so a
// recording of any length replays. A round is a run of calls in the global order; a block
// freed by another thread in a later round than it was allocated in is a plain free there (the
// chunk barrier orders it after the allocation), only one freed within its round is a
// hand-off. A trace that fits one round is converted exactly as to_replay_trace does it, bit
// for bit; a longer one differs only in those frees across a boundary, and its shape asks for
// kRealloc when any realloc resizes and kCrossThreadFree when it has two threads or more (the
// rounds after the first are not converted when the allocator is checked). Every recorded
// thread with a call is a replay thread, in the order of first calls (to_replay_trace drops
// one left without ops). Memory: RecordedCallStream's, the conversion's live blocks, and the
// round's ops (the last round also frees the blocks left live). Throws TraceFileError.
StreamSetup open_recorded_stream(const std::string& path, std::size_t round_ops = 0);

// Converts the calls into per-thread op streams (recorded threads -> replay threads 0..N-1 in
// order of their first call). Blocks still live at the end are freed at the end by their
// owner, so the allocator's RSS after the replay is comparable. Trace::align is the largest
// alignment any call asked for, used for every op (see TRACE_FORMAT.md, "Replay").
// Throws TraceFileError when the trace has no allocation or is too large to replay.
Trace to_replay_trace(const RecordedTrace& rec, const std::string& name,
                      ConversionStats* stats = nullptr);

}  // namespace alloclab
