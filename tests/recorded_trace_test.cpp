// Recorded traces: the reader on hand-built files (good, truncated, malformed) and the
// conversion of recorded calls into replay ops (hand-offs, realloc, unknown frees, leaks).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <fstream>

#include "harness/measure.hpp"
#include "workloads/recorded_trace.hpp"

namespace alloclab {
namespace {

namespace tf = trace_format;
using tf::Call;

struct Rec {
  std::uint64_t time;
  Call call;
  std::uint64_t ptr;
  std::uint64_t size = 0;
  std::uint64_t old_ptr = 0;
  unsigned align_log2 = 0;
};

struct Chunk {
  std::uint32_t thread;
  std::vector<Rec> recs;
};

std::string encode(const std::vector<Chunk>& chunks) {
  const tf::FileHeader h = tf::make_header(42, 0, 0);
  std::string out(reinterpret_cast<const char*>(&h), sizeof h);
  for (const Chunk& c : chunks) {
    const tf::ChunkHeader ch{tf::kChunkTag, c.thread, 1000 + c.thread,
                             static_cast<std::uint32_t>(c.recs.size())};
    out.append(reinterpret_cast<const char*>(&ch), sizeof ch);
    for (const Rec& r : c.recs) {
      const tf::Record rec{r.time, r.ptr, r.old_ptr, tf::pack_word(r.call, r.size, r.align_log2)};
      out.append(reinterpret_cast<const char*>(&rec), sizeof rec);
    }
  }
  return out;
}

class RecordedTraceTest : public ::testing::Test {
 protected:
  std::string path_ = "/tmp/alloclab-recorded-test-" + std::to_string(::getpid()) + ".trace";
  void TearDown() override { std::remove(path_.c_str()); }

  const std::string& write(const std::string& bytes) {
    std::ofstream(path_, std::ios::binary) << bytes;
    return path_;
  }
  // The error text for a file that must not read.
  std::string error_of(const std::string& bytes) {
    try {
      read_recorded_trace(write(bytes));
    } catch (const TraceFileError& e) {
      EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << "one line";
      return e.what();
    }
    ADD_FAILURE() << "read without error";
    return {};
  }
  Trace convert(const std::vector<Chunk>& chunks, ConversionStats* stats = nullptr) {
    return to_replay_trace(read_recorded_trace(write(encode(chunks))), path_, stats);
  }
};

// Two threads, chunks interleaved in the file out of time order.
const std::vector<Chunk> kTwoThreads = {
    {0, {{10, Call::kMalloc, 0x1000, 24}, {30, Call::kFree, 0x1000}}},
    {1, {{20, Call::kCalloc, 0x2000, 100}, {40, Call::kRealloc, 0x3000, 200, 0x2000}}},
    {0, {{50, Call::kPosixMemalign, 0x4000, 64, 0, 6}}},
};

TEST_F(RecordedTraceTest, ReadsCallsInTimeOrder) {
  const RecordedTrace t = read_recorded_trace(write(encode(kTwoThreads)));
  EXPECT_EQ(t.header.pid, 42u);
  EXPECT_EQ(t.threads, 2u);
  ASSERT_EQ(t.calls.size(), 5u);
  const std::uint64_t times[] = {10, 20, 30, 40, 50};
  for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(t.calls[i].time, times[i]);
  EXPECT_EQ(t.calls[1].call, Call::kCalloc);
  EXPECT_EQ(t.calls[1].thread, 1u);
  EXPECT_EQ(t.calls[1].size, 100u);
  EXPECT_EQ(t.calls[3].old_ptr, 0x2000u);
  EXPECT_EQ(t.calls[4].align_log2, 6u);

  const RecordedSummary s = summarize(t);
  EXPECT_EQ(s.calls, 5u);
  EXPECT_EQ(s.allocations, 3u);
  EXPECT_EQ(s.frees, 1u);
  EXPECT_EQ(s.reallocs, 1u);
  EXPECT_EQ(s.bytes, 24u + 100u + 200u + 64u);
}

TEST_F(RecordedTraceTest, KeepsAThreadsOwnOrderWhenItsClockStepsBack) {
  const RecordedTrace t = read_recorded_trace(
      write(encode({{0, {{100, Call::kMalloc, 0x10, 8}, {5, Call::kFree, 0x10}}}})));
  ASSERT_EQ(t.calls.size(), 2u);
  EXPECT_EQ(t.calls[0].call, Call::kMalloc);
}

TEST_F(RecordedTraceTest, MalformedFilesAreOneLineErrors) {
  const std::string good = encode(kTwoThreads);
  EXPECT_NE(error_of("").find("empty file"), std::string::npos);
  EXPECT_NE(error_of(good.substr(0, 40)).find("truncated: the file ends inside the file header"),
            std::string::npos);
  EXPECT_NE(error_of(good.substr(0, good.size() - 7)).find("truncated"), std::string::npos);
  EXPECT_NE(error_of(good.substr(0, 64 + 8)).find("ends inside a chunk header"), std::string::npos);
  EXPECT_NE(error_of(std::string(200, 'x')).find("bad magic"), std::string::npos);

  std::string bad = good;
  bad[8] = 7;  // version
  EXPECT_NE(error_of(bad).find("format version 7 is not supported"), std::string::npos);
  bad = good;
  bad[14] = 40;  // record size
  EXPECT_NE(error_of(bad).find("unexpected layout"), std::string::npos);
  bad = good;
  bad[64] = 'Z';  // chunk tag
  EXPECT_NE(error_of(bad).find("bad tag"), std::string::npos);
  bad = good;
  bad[64 + 16 + 31] = 77;  // the first record's call kind
  EXPECT_NE(error_of(bad).find("unknown call kind 77"), std::string::npos);
  bad = good;
  std::memset(&bad[64 + 12], 0xff, 4);  // chunk count
  EXPECT_NE(error_of(bad).find("corrupt chunk header"), std::string::npos);
}

// A file cut right after a chunk header is an error at that offset, not the previous chunk's
// records read again as a phantom thread.
TEST_F(RecordedTraceTest, FileEndingAfterAChunkHeaderIsTruncated) {
  std::string cut = encode(kTwoThreads);
  const tf::ChunkHeader ch{tf::kChunkTag, 2, 1002, 1};
  cut.append(reinterpret_cast<const char*>(&ch), sizeof ch);
  EXPECT_EQ(error_of(cut), "trace '" + path_ + "': truncated: the file ends inside a chunk's records (byte " +
                               std::to_string(cut.size()) + ")");
}

// What `alloclab record` keeps of a trace whose program was killed mid-chunk: the whole chunks.
TEST_F(RecordedTraceTest, WholeChunksLengthEndsAtTheLastWholeChunk) {
  const std::string good = encode(kTwoThreads);
  EXPECT_EQ(whole_chunks_length(write(good)), good.size());
  EXPECT_EQ(whole_chunks_length(write(good.substr(0, good.size() - 7))), good.size() - 16 - 32);
  EXPECT_EQ(whole_chunks_length(write(good.substr(0, 64 + 8))), 64u);
  EXPECT_THROW(whole_chunks_length(write(std::string(200, 'x'))), TraceFileError);
}

TEST_F(RecordedTraceTest, MissingFileNamesIt) {
  try {
    read_recorded_trace("/nonexistent/x.trace");
    FAIL();
  } catch (const TraceFileError& e) {
    EXPECT_STREQ(e.what(), "trace '/nonexistent/x.trace': cannot open it: No such file or directory");
  }
}

TEST_F(RecordedTraceTest, ConvertsSameThreadCalls) {
  ConversionStats st;
  const Trace t = convert({{7,
                            {{1, Call::kMalloc, 0xa0, 32},
                             {2, Call::kCalloc, 0xb0, 48},
                             {3, Call::kRealloc, 0xc0, 96, 0xa0},
                             {4, Call::kFree, 0xb0},
                             {5, Call::kFree, 0xdead},  // unknown
                             {6, Call::kFree, 0},       // free(NULL)
                             {7, Call::kMalloc, 0, 16},  // failed
                             {8, Call::kMalloc, 0xd0, 8}}}},  // reuses 0xb0's slot
                          &st);
  ASSERT_EQ(t.threads.size(), 1u);
  const std::vector<Op>& ops = t.threads[0];
  const OpKind kinds[] = {OpKind::kAlloc, OpKind::kAlloc, OpKind::kRealloc, OpKind::kFree,
                          OpKind::kAlloc, OpKind::kFree,  OpKind::kFree};
  ASSERT_EQ(ops.size(), std::size(kinds));
  for (std::size_t i = 0; i < ops.size(); ++i) EXPECT_EQ(ops[i].kind(), kinds[i]) << i;
  EXPECT_EQ(ops[2].slot(), ops[0].slot());
  EXPECT_EQ(ops[2].arg, 96u);
  EXPECT_EQ(ops[4].slot(), ops[1].slot());  // freed slot reused
  // Left live at the end and freed then, oldest first: the realloc'ed block, then 0xd0.
  EXPECT_EQ(ops[5].slot(), ops[0].slot());
  EXPECT_EQ(ops[6].slot(), ops[4].slot());
  EXPECT_EQ(t.slots, 2u);
  EXPECT_EQ(t.allocations, 4u);
  EXPECT_EQ(t.max_request, 96u);
  EXPECT_EQ(t.peak_live_bytes, 32u + 48u + 64u);
  EXPECT_EQ(t.needs_caps, std::uint32_t{kFree | kRealloc});
  EXPECT_EQ(t.align, 0u);
  EXPECT_EQ(st.unknown_frees, 1u);
  EXPECT_EQ(st.failed_calls, 1u);
  EXPECT_EQ(st.freed_at_end, 2u);
  EXPECT_EQ(st.cross_thread_frees, 0u);
}

TEST_F(RecordedTraceTest, CrossThreadFreeBecomesAHandOff) {
  ConversionStats st;
  const Trace t = convert({{3, {{1, Call::kMalloc, 0x100, 40}, {2, Call::kMalloc, 0x200, 8},
                                {5, Call::kMalloc, 0x300, 16}, {6, Call::kFree, 0x200}}},
                           {9, {{3, Call::kFree, 0x100}, {7, Call::kFree, 0x300}}}},
                          &st);
  ASSERT_EQ(t.threads.size(), 2u);
  const auto& a = t.threads[0];  // recorded thread 3: first to call
  const auto& b = t.threads[1];
  ASSERT_EQ(a.size(), 4u);
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(a[0].kind(), OpKind::kAllocPublish);
  EXPECT_EQ(a[0].arg, 40u);
  EXPECT_EQ(b[0].kind(), OpKind::kFreeAwait);
  EXPECT_EQ(b[0].slot(), a[0].slot());
  // 0x300 was allocated after 0x100's free: the same publisher reuses the hand-off slot.
  EXPECT_EQ(a[2].kind(), OpKind::kAllocPublish);
  EXPECT_EQ(a[2].slot(), a[0].slot());
  EXPECT_EQ(b[1].slot(), a[0].slot());
  EXPECT_EQ(a[1].kind(), OpKind::kAlloc);
  EXPECT_NE(a[1].slot(), a[0].slot());
  EXPECT_EQ(a[3].kind(), OpKind::kFree);
  EXPECT_EQ(st.cross_thread_frees, 2u);
  EXPECT_TRUE(has_cap(t.needs_caps, kCrossThreadFree));
}

TEST_F(RecordedTraceTest, HandOffSlotNotReusedBeforeItsFree) {
  // 0x200 is allocated before 0x100 is freed: it needs a slot of its own.
  const Trace t = convert({{0, {{1, Call::kMalloc, 0x100, 8}, {2, Call::kMalloc, 0x200, 8}}},
                           {1, {{3, Call::kFree, 0x100}, {4, Call::kFree, 0x200}}}});
  EXPECT_EQ(t.threads[0][0].kind(), OpKind::kAllocPublish);
  EXPECT_EQ(t.threads[0][1].kind(), OpKind::kAllocPublish);
  EXPECT_NE(t.threads[0][0].slot(), t.threads[0][1].slot());
}

TEST_F(RecordedTraceTest, HandOffSlotHasOneConsumer) {
  // Both blocks are freed by other threads, in turn: were they to share a hand-off slot, the
  // second consumer's kFreeAwait could take the first block (a double free when both do).
  const Trace t = convert({{0, {{1, Call::kMalloc, 0x100, 8}, {3, Call::kMalloc, 0x100, 8},
                                {5, Call::kMalloc, 0x100, 8}}},
                           {1, {{2, Call::kFree, 0x100}, {6, Call::kFree, 0x100}}},
                           {2, {{4, Call::kFree, 0x100}}}});
  ASSERT_EQ(t.threads.size(), 3u);
  const auto& a = t.threads[0];
  EXPECT_EQ(a[0].kind(), OpKind::kAllocPublish);
  EXPECT_NE(a[1].slot(), a[0].slot());  // consumer 2 after consumer 1: a slot of its own
  EXPECT_EQ(a[2].slot(), a[0].slot());  // consumer 1 again: its slot is reused
  EXPECT_EQ(t.threads[1][0].slot(), a[0].slot());
  EXPECT_EQ(t.threads[2][0].slot(), a[1].slot());
}

TEST_F(RecordedTraceTest, AlignedCallsSetTheTracesAlignment) {
  ConversionStats st;
  const Trace t = convert({{0, {{1, Call::kAlignedAlloc, 0x1000, 100, 0, 6},
                                {2, Call::kMemalign, 0x2000, 10, 0, 4},  // 16: the default
                                {3, Call::kValloc, 0x3000, 10, 0, 12}}}},
                          &st);
  EXPECT_EQ(t.align, 4096u);
  EXPECT_EQ(st.aligned, 2u);
}

TEST_F(RecordedTraceTest, EmptyTraceIsAnError) {
  try {
    convert({{0, {{1, Call::kFree, 0x10}}}});
    FAIL();
  } catch (const TraceFileError& e) {
    EXPECT_NE(std::string(e.what()).find("holds no allocation to replay"), std::string::npos);
  }
}

// The hand-off ops run on two real threads, verified, against glibc's malloc.
TEST_F(RecordedTraceTest, ThreadedReplayOfHandOffsVerifies) {
  std::vector<Chunk> chunks(4);
  for (std::uint32_t c = 0; c < chunks.size(); ++c) chunks[c].thread = c;
  std::uint64_t time = 1;
  for (std::uint64_t i = 0; i < 20000; ++i) {
    const std::uint64_t p = 0x10000 + 64 * (i % 50);  // addresses are reused, as malloc does
    chunks[0].recs.push_back({time++, Call::kMalloc, p, 8 + i % 100});
    chunks[(i * 7) % 5 % 4].recs.push_back({time++, Call::kFree, p});  // owner or 3 others
  }
  write(encode(chunks));
  MeasureRequest req;
  req.allocator = "glibc";
  req.workload = "replay";
  req.verify = true;
  req.rss_interval_ms = 0;
  req.trace_file = path_;
  const Measurement m = measure(req);
  EXPECT_EQ(m.status, Status::kOk) << m.error;
  EXPECT_EQ(m.allocations, 20000u);
}

// A realloc that shrinks a block, then the sized free of the new size (a python trace's
// pattern): the allocator must not keep the block in a class the size no longer maps to.
TEST_F(RecordedTraceTest, ShrinkingReallocThenSizedFreeReplaysOnEveryRealloc) {
  std::vector<Chunk> chunks(1);
  std::uint64_t time = 1;
  for (std::uint64_t i = 0; i < 3000; ++i) {
    const std::uint64_t p = 0x10000 + 0x1000 * i;
    chunks[0].recs.push_back({time++, Call::kMalloc, p, 1057});
    chunks[0].recs.push_back({time++, Call::kRealloc, p, 803, p});
    chunks[0].recs.push_back({time++, Call::kFree, p});
  }
  write(encode(chunks));
  for (const char* name : {"glibc", "mempool"}) {
    MeasureRequest req;
    req.allocator = name;
    req.workload = "replay";
    req.verify = true;
    req.rss_interval_ms = 0;
    req.trace_file = path_;
    const Measurement m = measure(req);
    EXPECT_EQ(m.status, Status::kOk) << name << ": " << m.error;
  }
}

}  // namespace
}  // namespace alloclab
