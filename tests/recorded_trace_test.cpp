// Recorded traces: the reader on hand-built files (good, truncated, malformed) and the
// conversion of recorded calls into replay ops (hand-offs, realloc, unknown frees, leaks).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <fstream>

#include "harness/measure.hpp"
#include "model/keys.hpp"
#include "workloads/recorded_trace.hpp"
#include "workloads/trace_stream.hpp"
#include "workloads/workload.hpp"

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
  // The replay of the file written last, verified.
  MeasureRequest verified_replay(const char* allocator) const {
    MeasureRequest req;
    req.allocator = allocator;
    req.workload = "replay";
    req.verify = true;
    req.rss_interval_ms = 0;
    req.trace_file = path_;
    return req;
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
  const Measurement m = measure(verified_replay("glibc"));
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
    const Measurement m = measure(verified_replay(name));
    EXPECT_EQ(m.status, Status::kOk) << name << ": " << m.error;
  }
}

}  // namespace
}  // namespace alloclab

// Recorded traces streamed in rounds (open_recorded_stream): one round is the whole read bit
// for bit; many rounds keep every call and only turn cross-round frees into plain ones; a file
// cut while it replays is a one-line error at the byte where it ends.
namespace alloclab {
namespace {

// Three threads: own frees, cross-thread frees, reallocs, aligned calls, reused addresses;
// each thread's chunks of `per_chunk` records flushed in turn, out of time order.
std::vector<Chunk> mixed_chunks(std::uint64_t calls, std::size_t per_chunk) {
  std::vector<std::vector<Rec>> per_thread(3);
  std::vector<std::pair<std::uint64_t, std::uint32_t>> live;  // (ptr, owner)
  std::uint64_t time = 1, next_ptr = 0x10000, x = 12345;
  auto rnd = [&x] { return (x = x * 6364136223846793005ull + 1442695040888963407ull) >> 33; };
  for (std::uint64_t i = 0; i < calls; ++i) {
    const auto t = static_cast<std::uint32_t>(rnd() % 3);
    const std::uint64_t r = rnd() % 10;
    if (live.size() < 8 || r < 4) {
      const std::uint64_t p = next_ptr += 64;
      per_thread[t].push_back(r == 0 ? Rec{time++, Call::kPosixMemalign, p, 64, 0, 6}
                                     : Rec{time++, Call::kMalloc, p, 8 + rnd() % 500});
      live.emplace_back(p, t);
    } else {
      const std::size_t k = rnd() % live.size();
      const auto [p, owner] = live[k];
      if (r == 4 && owner == t) {
        const std::uint64_t q = next_ptr += 64;
        per_thread[t].push_back({time++, Call::kRealloc, q, 8 + rnd() % 900, p});
        live[k].first = q;
        continue;
      }
      per_thread[r < 8 ? owner : t].push_back({time++, Call::kFree, p});  // a fifth by another thread
      live[k] = live.back();
      live.pop_back();
    }
  }
  std::vector<Chunk> out;
  for (std::size_t at = 0;; at += per_chunk) {
    bool any = false;
    for (std::uint32_t t = 0; t < 3; ++t) {
      if (at >= per_thread[t].size()) continue;
      any = true;
      const auto from = per_thread[t].begin() + static_cast<std::ptrdiff_t>(at);
      out.push_back({t, {from, from + static_cast<std::ptrdiff_t>(std::min(per_chunk, per_thread[t].size() - at))}});
    }
    if (!any) return out;
  }
}

struct Streamed {
  Trace trace;  // the rounds end to end
  std::vector<std::vector<std::vector<Op>>> rounds;
};

Streamed stream_rounds(const std::string& path, std::size_t round_ops) {
  StreamSetup s = open_recorded_stream(path, round_ops);
  Streamed out{std::move(s.shape), {}};
  std::vector<std::vector<Op>> round = out.trace.threads;
  do {
    for (std::size_t t = 0; t < round.size() && !out.rounds.empty(); ++t)
      out.trace.threads[t].insert(out.trace.threads[t].end(), round[t].begin(), round[t].end());
    out.rounds.push_back(round);
  } while (s.rounds->next(round));
  s.rounds->count(out.trace);
  return out;
}

std::vector<std::uint64_t> words(const std::vector<Op>& ops) {
  std::vector<std::uint64_t> w;
  for (const Op& op : ops) w.push_back(std::uint64_t{op.word} << 32 | op.arg);
  return w;
}

// Writes mixed_chunks and returns the whole-file read of it (the replay workload's generate).
Trace write_mixed(const std::string& path) {
  std::ofstream(path, std::ios::binary) << encode(mixed_chunks(20000, 37));
  GenerateRequest req;
  req.trace_file = path;
  return find_workload("replay")->generate(req);
}

TEST_F(RecordedTraceTest, OneRoundIsTheWholeReadBitForBit) {
  const Trace whole = write_mixed(path_);
  const Streamed s = stream_rounds(path_, 0);
  ASSERT_EQ(s.rounds.size(), 1u);
  ASSERT_EQ(s.trace.threads.size(), whole.threads.size());
  for (std::size_t t = 0; t < whole.threads.size(); ++t) EXPECT_EQ(words(s.trace.threads[t]), words(whole.threads[t])) << t;
  EXPECT_EQ(s.trace.slots, whole.slots);
  EXPECT_EQ(s.trace.allocations, whole.allocations);
  EXPECT_EQ(s.trace.peak_live_bytes, whole.peak_live_bytes);
  EXPECT_EQ(s.trace.max_request, whole.max_request);
  EXPECT_EQ(s.trace.needs_caps, whole.needs_caps);
  EXPECT_EQ(s.trace.align, whole.align);
  EXPECT_EQ(s.trace.stats, whole.stats);
  EXPECT_GT(whole.stats.at("cross_thread_frees"), 100u);
}

// Small rounds: each thread allocates the same sizes in the same order, every round is within
// its bound, and a plain free only ever meets a block its thread allocated, or one allocated
// before the round (the barrier orders it).
TEST_F(RecordedTraceTest, SmallRoundsKeepEveryCallAndFreeOnlyAcrossBarriers) {
  const Trace whole = write_mixed(path_);
  const Streamed s = stream_rounds(path_, 64);
  EXPECT_GT(s.rounds.size(), 100u);
  auto sizes = [](const std::vector<Op>& ops) {
    std::vector<std::uint32_t> out;
    for (const Op& op : ops)
      if (op.kind() == OpKind::kAlloc || op.kind() == OpKind::kAllocPublish || op.kind() == OpKind::kRealloc)
        out.push_back(op.arg);
    return out;
  };
  for (std::size_t t = 0; t < whole.threads.size(); ++t) EXPECT_EQ(sizes(s.trace.threads[t]), sizes(whole.threads[t])) << t;
  EXPECT_EQ(s.trace.allocations, whole.allocations);
  EXPECT_EQ(s.trace.needs_caps, std::uint32_t{kFree | kRealloc | kCrossThreadFree});
  struct State {
    bool full = false;
    std::size_t round = 0, thread = 0;
  };
  std::vector<State> slot(s.trace.slots);
  for (std::size_t r = 0; r < s.rounds.size(); ++r)
    for (std::size_t t = 0; t < s.rounds[r].size(); ++t) {
      if (r + 1 < s.rounds.size()) {
        EXPECT_LE(s.rounds[r][t].size(), 64u);  // the last also frees what is left
      }
      for (const Op& op : s.rounds[r][t]) {
        State& st = slot.at(op.slot());
        const bool mine = st.full && (st.thread == t || st.round < r);
        switch (op.kind()) {
          case OpKind::kAlloc:
            EXPECT_FALSE(st.full) << "round " << r << " slot " << op.slot();
            st = {true, r, t};
            break;
          case OpKind::kRealloc:
            EXPECT_TRUE(mine) << "round " << r << " slot " << op.slot();
            st = {true, r, t};
            break;
          case OpKind::kFree:
            EXPECT_TRUE(mine) << "round " << r << " slot " << op.slot();
            st.full = false;
            break;
          default:  // hand-offs (their own slots, within one round) and alignment
            break;
        }
      }
    }
}

// A thread with more ops than a round holds (2^21): 1.2M allocations, a tenth freed by the
// other thread; the file's size.
std::uint64_t write_many_rounds(const std::string& path) {
  std::vector<Chunk> chunks;
  std::uint64_t time = 1;
  for (std::uint64_t i = 0; i < 1'200'000; ++i) {
    if (i % 2000 == 0) chunks.push_back({0, {}}), chunks.push_back({1, {}});
    const std::uint64_t p = 0x10000 + 64 * (i % 5000);
    chunks[chunks.size() - 2].recs.push_back({time++, Call::kMalloc, p, 8 + i % 300});
    chunks[i % 10 == 0 ? chunks.size() - 1 : chunks.size() - 2].recs.push_back({time++, Call::kFree, p});
  }
  const std::string bytes = encode(chunks);
  std::ofstream(path, std::ios::binary) << bytes;
  return bytes.size();
}

// Several rounds on real threads, verified.
TEST_F(RecordedTraceTest, ThreadedReplayOfManyRoundsVerifies) {
  write_many_rounds(path_);
  const Measurement m = measure(verified_replay("glibc"));
  EXPECT_EQ(m.status, Status::kOk) << m.error;
  EXPECT_EQ(m.allocations, 1'200'000u);
  EXPECT_GE(m.trace_stats.at(std::string(model::key::kChunks)), 2u);
  EXPECT_EQ(m.trace_stats.at("cross_thread_frees"), 120'000u);
}

// Cut after its first round was made: the stream ends there with the error, which the row
// reports (harness/measure.cpp), instead of throwing on a worker thread.
TEST_F(RecordedTraceTest, TraceSourceEndsWithTheErrorOfAFileCutWhileReplayed) {
  const std::uint64_t size = write_many_rounds(path_);
  GenerateRequest req;
  req.trace_file = path_;
  TraceSource src(*find_workload("replay"), req);
  ASSERT_TRUE(src.streaming());
  ASSERT_FALSE(src.trace().threads[0].empty());
  const std::uint64_t cut = size - size / 20;  // past what the first round read
  ASSERT_EQ(::truncate(path_.c_str(), static_cast<off_t>(cut)), 0);
  EXPECT_FALSE(src.next(0, false));
  EXPECT_NE(src.error().find("truncated: the file ends inside a chunk's records (byte " + std::to_string(cut)),
            std::string::npos)
      << src.error();
  EXPECT_TRUE(src.trace().threads[0].empty());
}

TEST_F(RecordedTraceTest, CutWhileReplayedIsAnErrorAtTheByteWhereItEnds) {
  std::vector<Chunk> one(1);
  for (std::uint64_t i = 0; i < 10000; ++i) one[0].recs.push_back({i + 1, i % 2 == 0 ? Call::kMalloc : Call::kFree, 0x1000, 16});
  write(encode(one));
  StreamSetup s = open_recorded_stream(path_, 64);
  const std::uint64_t cut = 64 + 16 + 6000 * 32 + 5;  // past the first buffer of 4096 records
  ASSERT_EQ(::truncate(path_.c_str(), static_cast<off_t>(cut)), 0);
  std::vector<std::vector<Op>> round(1);
  try {
    while (s.rounds->next(round)) {
    }
    ADD_FAILURE() << "read past the cut";
  } catch (const TraceFileError& e) {
    EXPECT_EQ(std::string(e.what()), "trace '" + path_ + "': truncated: the file ends inside a chunk's records (byte " +
                                         std::to_string(cut) + "; it was cut while replayed)");
  }
}

}  // namespace
}  // namespace alloclab
