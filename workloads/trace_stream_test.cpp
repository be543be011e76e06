// Streaming traces: the chunks of a thread, end to end, are the ops the pre-streaming
// generators made. The expected hashes were taken from those generators (commit c325b27,
// before churn, frame, lifo, thread-churn and large streamed), for the same params and seeds.
#include <gtest/gtest.h>

#include "workloads/trace_stream.hpp"
#include "workloads/workload.hpp"

namespace alloclab {
namespace {

// FNV-1a over each thread's ops (and their count), then the trace's counts.
struct Hash {
  std::uint64_t h = 1469598103934665603ull;
  void mix(std::uint64_t v) {
    for (int i = 0; i < 8; ++i) {
      h ^= (v >> (8 * i)) & 0xff;
      h *= 1099511628211ull;
    }
  }
};

std::uint64_t hash_trace(const Trace& t) {
  Hash h;
  for (const auto& ops : t.threads) {
    h.mix(ops.size());
    for (const Op& op : ops) {
      h.mix(op.word);
      h.mix(op.arg);
    }
  }
  for (std::uint64_t v : {std::uint64_t{t.slots}, t.allocations, t.peak_live_bytes,
                          std::uint64_t{t.max_request}, std::uint64_t{t.needs_caps}})
    h.mix(v);
  return h.h;
}

struct Case {
  const char* workload;
  Params params;
  std::uint64_t seed;
  std::uint32_t caps;
  std::uint64_t pregenerated;  // hash_trace of the old whole generation
};

const Case kCases[] = {
    {"churn", {{"threads", 2}, {"iters", 200000}}, 0, kFree, 0x1cf17396308e8781ull},
    {"churn", {{"threads", 1}, {"iters", 150000}, {"keep", 90}, {"dist", 1}, {"max_size", 4096}}, 7, kFree,
     0x38faba205f39f02cull},
    {"fixed", {{"threads", 1}, {"iters", 100000}, {"size", 48}}, 0, kFree, 0xbd3df6ab0395b08eull},
    {"frame", {{"threads", 2}, {"frames", 300}, {"allocs", 1000}}, 0, kFree | kReset, 0x9d30c9f22509f120ull},
    {"frame", {{"threads", 1}, {"frames", 200}, {"allocs", 700}}, 3, kFree, 0x6df9a35b08294a83ull},
    {"lifo", {{"threads", 1}, {"rounds", 400}, {"batch", 500}, {"dist", 2}}, 0, kFree, 0x7be298f684bd330bull},
    {"thread-churn", {{"threads", 2}, {"spawns", 60}, {"allocs", 1000}}, 0, kFree, 0xf3b4628d0df8ef98ull},
    {"large", {{"threads", 2}, {"buffers", 100000}, {"live", 20}}, 0, kFree, 0x78b20c0dc697c1f1ull},
};

GenerateRequest request(const Case& c) {
  const WorkloadInfo* w = find_workload(c.workload);
  Params p = c.params;
  EXPECT_EQ(complete_params(*w, p), "");
  return GenerateRequest{p, c.seed, c.caps};
}

TEST(TraceStreamTest, GenerateIsThePregeneratedTrace) {
  for (const Case& c : kCases) {
    const WorkloadInfo* w = find_workload(c.workload);
    ASSERT_NE(w->open_stream, nullptr) << c.workload;
    EXPECT_EQ(hash_trace(w->generate(request(c))), c.pregenerated) << c.workload;
  }
}

// The smallest chunks a generator allows, concatenated: the same trace, bit for bit.
TEST(TraceStreamTest, SmallestChunksEndToEndAreThePregeneratedTrace) {
  for (const Case& c : kCases) {
    StreamSetup s = find_workload(c.workload)->open_stream(request(c));
    Trace t = std::move(s.shape);
    t.threads.resize(s.threads.size());
    for (std::size_t i = 0; i < s.threads.size(); ++i) {
      ThreadGenerator& g = *s.threads[i];
      const std::size_t cap = g.min_capacity();
      std::size_t chunks = 0;
      while (g.next(cap)) {
        ++chunks;
        EXPECT_LE(g.chunk().size(), cap) << c.workload;
        t.threads[i].insert(t.threads[i].end(), g.chunk().begin(), g.chunk().end());
      }
      EXPECT_GT(chunks, 2u) << c.workload << ": the case must span several chunks";
      g.made().finish(t);
    }
    EXPECT_EQ(hash_trace(t), c.pregenerated) << c.workload;
  }
}

// Without its count a stream goes on until stop(); what it made before is the start of a
// bounded run, and its closing frees every block still live.
TEST(TraceStreamTest, UnboundedStreamStopsWithItsClosingOps) {
  const WorkloadInfo* w = find_workload("churn");
  Params bounded = {{"threads", 1}, {"iters", 1000000}};
  ASSERT_EQ(complete_params(*w, bounded), "");
  Params unbounded = bounded;
  unbounded.erase("iters");
  StreamSetup s = w->open_stream(GenerateRequest{unbounded, 0, kFree});
  ThreadGenerator& g = *s.threads[0];
  const std::size_t cap = g.min_capacity();
  std::vector<Op> ops;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(g.next(cap));
    EXPECT_FALSE(g.ended());
    ops.insert(ops.end(), g.chunk().begin(), g.chunk().end());
  }
  const Trace whole = w->generate(GenerateRequest{bounded, 0, kFree});
  ASSERT_LT(ops.size(), whole.threads[0].size());
  EXPECT_TRUE(std::equal(ops.begin(), ops.end(), whole.threads[0].begin(),
                         [](const Op& a, const Op& b) { return a.word == b.word && a.arg == b.arg; }));
  g.stop();
  ASSERT_TRUE(g.next(cap));
  EXPECT_TRUE(g.ended());
  ops.insert(ops.end(), g.chunk().begin(), g.chunk().end());
  EXPECT_FALSE(g.next(cap));
  std::vector<int> live(s.shape.slots, 0);
  for (const Op& op : ops) live.at(op.slot()) += op.kind() == OpKind::kAlloc ? 1 : -1;
  EXPECT_TRUE(std::all_of(live.begin(), live.end(), [](int n) { return n == 0; }));
  EXPECT_EQ(g.made().allocations() * 2, ops.size());
}

TEST(TraceStreamTest, ChunkMemoryIsBounded) {
  EXPECT_EQ(chunk_capacity(1, 100), kChunkOps);
  EXPECT_EQ(chunk_capacity(256, 100), kChunkOpsTotal / 256);
  EXPECT_EQ(chunk_capacity(256, kChunkOps * 2), kChunkOps * 2);  // one step always fits
}

// A workload whose threads hand blocks to each other keeps its whole trace, as one chunk.
TEST(TraceStreamTest, HandOffWorkloadsAreOneChunk) {
  const WorkloadInfo* w = find_workload("xmalloc");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->open_stream, nullptr);
  EXPECT_TRUE(w->count_param.empty());
  Params p;
  ASSERT_EQ(complete_params(*w, p), "");
  TraceSource src(*w, GenerateRequest{p, 0, kFree | kCrossThreadFree});
  EXPECT_FALSE(src.streaming());
  EXPECT_EQ(hash_trace(src.trace()), hash_trace(w->generate(GenerateRequest{p, 0, kFree | kCrossThreadFree})));
  EXPECT_FALSE(src.next(0, false));
}

}  // namespace
}  // namespace alloclab

// aged streams in lockstep: every chunk of every thread holds the same steps, its marks are
// the chunk's own, and drained end to end they are the pregenerated trace and its marks.
namespace alloclab {
namespace {

std::uint64_t hash_with_marks(const Trace& t) {
  Hash h{hash_trace(t)};
  for (const TraceMark& m : t.marks)
    for (std::uint64_t v : {m.allocations, m.live_bytes, std::uint64_t{m.after_shrink}}) h.mix(v);
  return h.h;
}

const Case kAgedCases[] = {
    // Hashes of the whole-trace aged generator (commit 69fdd58), marks included.
    {"aged", {{"threads", 2}, {"iters", 40000}, {"phases", 4}, {"steps", 5}, {"live", 2000}, {"remote_pct", 10}}, 5,
     kFree | kCrossThreadFree, 0xa5517f41158e56bdull},
    {"aged", {{"threads", 1}, {"iters", 3000000}, {"phases", 3}, {"steps", 4}, {"live", 5000}}, 5,
     kFree | kCrossThreadFree, 0xe475c05d5dc2554dull},
};

TEST(TraceStreamTest, AgedDrainedInAnyChunkSizeIsThePregeneratedTrace) {
  for (const Case& c : kAgedCases) {
    const WorkloadInfo* w = find_workload(c.workload);
    EXPECT_EQ(hash_with_marks(w->generate(request(c))), c.pregenerated);
    EXPECT_EQ(hash_with_marks(drain(w->open_stream(request(c)), 1)), c.pregenerated);  // one step a chunk
  }
}

TEST(TraceStreamTest, AgedRoundsHoldTheSameMarksOnEveryThread) {
  const Case& c = kAgedCases[0];
  TraceSource src(*find_workload(c.workload), request(c));
  ASSERT_TRUE(src.streaming());
  const Trace whole = find_workload(c.workload)->generate(request(c));
  std::vector<TraceMark> marks = src.trace().marks;
  for (bool more = true; more;) {
    more = false;
    for (std::size_t t = 0; t < src.threads(); ++t) more = src.next(t, false) || more;
    src.gather_marks();
    marks.insert(marks.end(), src.trace().marks.begin(), src.trace().marks.end());
  }
  EXPECT_EQ(marks, whole.marks);
}

// With --duration (no iters) aged goes on past its phases, the size window sliding back.
TEST(TraceStreamTest, AgedWithoutItersIsUnbounded) {
  const WorkloadInfo* w = find_workload("aged");
  EXPECT_EQ(w->count_param, "iters");
  Params p{{"threads", 1}, {"phases", 2}, {"steps", 2}, {"iters", 4000}, {"live", 100}};
  ASSERT_EQ(complete_params(*w, p), "");
  p.erase("iters");
  StreamSetup s = w->open_stream(GenerateRequest{p, 0, kFree});
  ThreadGenerator& g = *s.threads[0];
  std::size_t marks = 0;
  for (int i = 0; i < 40; ++i) {
    ASSERT_TRUE(g.next(g.min_capacity()));
    marks += g.chunk_marks().size();
  }
  EXPECT_FALSE(g.ended());
  EXPECT_EQ(marks, 40u);  // one step a chunk, far past 2 phases x 3 marks
  g.stop();
  ASSERT_TRUE(g.next(g.min_capacity()));
  EXPECT_TRUE(g.ended());
  EXPECT_TRUE(g.chunk_marks().empty());
}

}  // namespace
}  // namespace alloclab
