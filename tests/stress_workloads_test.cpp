// The classic stress workloads (larson, xmalloc, lifo, realloc, cache-thrash, cache-scratch,
// thread-churn, large) and the size distributions: each trace is checked by a sequential model of
// the replay (every free finds a live block, hand-offs and barriers never deadlock, nothing
// leaks), then replayed with verification on every in-process plugin that can run it.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cctype>
#include <fmt/format.h>
#include <set>

#include "bindings/registry.hpp"
#include "harness/measure.hpp"
#include "workloads/generator.hpp"
#include "workloads/workload.hpp"

namespace alloclab {
namespace {

Trace make(std::string_view name, Params p, std::uint32_t caps = kFree | kRealloc) {
  const WorkloadInfo* w = find_workload(name);
  EXPECT_NE(w, nullptr) << name;
  if (w == nullptr) return {};
  EXPECT_EQ(complete_params(*w, p), "");
  return w->generate(GenerateRequest{p, 0, caps});
}

// What the model saw: which thread allocated each block that another thread freed.
struct ModelResult {
  std::string error;  // empty: the trace is consistent
  std::uint64_t cross_thread_frees = 0;
  std::uint64_t thread_exits = 0;
  std::uint64_t writes = 0;
};

// Runs every thread's ops in turn, each as far as it can go without waiting (a hand-off on a
// slot not ready, a barrier not reached by all). Blocks are (allocating thread, size) in slots.
ModelResult run_model(const Trace& trace) {
  struct Block {
    bool live = false;
    std::uint32_t owner = 0, size = 0;
  };
  ModelResult r;
  std::vector<Block> slots(trace.slots);
  const std::size_t n = trace.threads.size();
  std::vector<std::size_t> pc(n, 0);
  std::vector<bool> at_barrier(n, false);
  auto fail = [&](std::size_t t, std::string what) {
    r.error = fmt::format("thread {} op {}: {}", t, pc[t], what);
  };
  auto all_at_barrier = [&] {
    return std::all_of(at_barrier.begin(), at_barrier.end(), [](bool b) { return b; });
  };
  for (bool progress = true; progress && r.error.empty();) {
    progress = false;
    for (std::size_t t = 0; t < n && r.error.empty(); ++t) {
      const auto& ops = trace.threads[t];
      for (; !at_barrier[t] && pc[t] < ops.size() && r.error.empty(); ++pc[t], progress = true) {
        const Op op = ops[pc[t]];
        if (op.slot() >= slots.size()) {
          fail(t, "slot out of range");
          return r;
        }
        Block& b = slots[op.slot()];
        const auto me = static_cast<std::uint32_t>(t);
        const OpKind k = op.kind();
        if ((k == OpKind::kAllocPublish && b.live) || (k == OpKind::kFreeAwait && !b.live)) break;
        if (k == OpKind::kBarrier) {
          at_barrier[t] = true;  // pc stays on the barrier until every thread is there
          progress = true;
          break;
        }
        if (k == OpKind::kAlloc || k == OpKind::kAllocPublish) {
          if (b.live) fail(t, "allocates into a live slot");
          b = Block{true, me, op.arg};
        } else if (k == OpKind::kFree || k == OpKind::kFreeAwait) {
          if (!b.live) fail(t, "frees an empty slot");
          r.cross_thread_frees += b.owner != me;
          b.live = false;
        } else if (k == OpKind::kRealloc) {
          if (!b.live || b.owner != me) fail(t, "reallocates a slot it does not hold");
          b.size = op.arg;
        } else if (k == OpKind::kWrite) {
          if (!b.live) fail(t, "writes an empty slot");
          r.writes += op.arg;
        } else if (k == OpKind::kThreadExit) {
          ++r.thread_exits;
        }
      }
    }
    if (all_at_barrier()) {  // threads that ended never arrive: those stay stuck
      for (std::size_t t = 0; t < n; ++t) ++pc[t];
      std::fill(at_barrier.begin(), at_barrier.end(), false);
    }
  }
  if (!r.error.empty()) return r;
  for (std::size_t t = 0; t < n; ++t)
    if (pc[t] != trace.threads[t].size()) r.error = fmt::format("thread {} stuck at op {}", t, pc[t]);
  if (std::any_of(slots.begin(), slots.end(), [](const Block& b) { return b.live; }))
    r.error += " blocks left live at the end";
  return r;
}

std::uint64_t count_kind(const Trace& t, OpKind kind) {
  std::uint64_t n = 0;
  for (const auto& ops : t.threads)
    n += static_cast<std::uint64_t>(std::count_if(ops.begin(), ops.end(), [&](Op op) { return op.kind() == kind; }));
  return n;
}

TEST(LarsonWorkloadTest, ArraysMoveToTheNextThreadEachRound) {
  const Trace t = make("larson", {{"threads", 3}, {"slots", 50}, {"rounds", 4}, {"replace", 40}});
  const ModelResult r = run_model(t);
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(t.allocations, 3u * (50 + 4 * 40));
  EXPECT_EQ(count_kind(t, OpKind::kBarrier), 3u * (4 + 1));
  // Round 0 works on the own array; every later round and the final frees on others'.
  EXPECT_GT(r.cross_thread_frees, 3u * 50u);
  EXPECT_EQ(t.needs_caps, std::uint32_t{kFree | kCrossThreadFree});
  EXPECT_GE(t.max_request, 8u);
  EXPECT_LE(t.max_request, 1000u);
  // Thread 1 in round 1 replaces slots of array 2.
  const std::vector<Op>& ops = t.threads[1];
  const std::size_t round1 = 50 + 1 + 2 * 40 + 1;  // fill, barrier, round 0, barrier
  EXPECT_EQ(ops[round1].slot() / 50, 2u);
}

TEST(LarsonWorkloadTest, OneThreadNeedsNoCrossThreadFree) {
  const Trace t = make("larson", {{"threads", 1}, {"slots", 10}, {"rounds", 2}, {"replace", 5}});
  EXPECT_EQ(run_model(t).error, "");
  EXPECT_EQ(t.needs_caps, std::uint32_t{kFree});
}

TEST(XmallocWorkloadTest, ProducersAllocateConsumersFree) {
  const Trace t = make("xmalloc", {{"threads", 4}, {"items", 1000}, {"in_flight", 16}});
  const ModelResult r = run_model(t);
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.cross_thread_frees, 2u * 1000u);
  EXPECT_EQ(t.allocations, 2000u);
  EXPECT_EQ(t.slots, 2u * 16u);
  for (Op op : t.threads[0]) EXPECT_EQ(op.kind(), OpKind::kAllocPublish);
  for (Op op : t.threads[1]) EXPECT_EQ(op.kind(), OpKind::kFreeAwait);
  EXPECT_LE(t.peak_live_bytes, 2u * 16u * 512u);  // the queues bound what is live
  EXPECT_EQ(t.needs_caps, std::uint32_t{kFree | kCrossThreadFree});
}

TEST(XmallocWorkloadTest, BatchesAreHandedOverWholeWithTwoMailboxOpsEachSide) {
  // 10 batches of 64 and a last one of 8 per pair, at most 3 batches queued.
  const Trace t = make("xmalloc", {{"threads", 4},  {"items", 648}, {"in_flight", 3},
                                   {"batch", 64},   {"min_size", 64}, {"max_size", 64}});
  const ModelResult r = run_model(t);
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.cross_thread_frees, 2u * 648u);
  EXPECT_EQ(t.allocations, 2u * 648u);
  EXPECT_EQ(t.slots, 2u * 3u * 64u);
  const auto count = [](const std::vector<Op>& ops, OpKind k) {
    return std::count_if(ops.begin(), ops.end(), [k](Op op) { return op.kind() == k; });
  };
  for (std::uint32_t thread : {0u, 2u}) {  // producers: A and B of each batch are published
    EXPECT_EQ(count(t.threads[thread], OpKind::kAllocPublish), 2 * 11);
    EXPECT_EQ(count(t.threads[thread], OpKind::kAlloc), 10 * 62 + 6);
    EXPECT_EQ(count(t.threads[thread + 1], OpKind::kFreeAwait), 2 * 11);
    EXPECT_EQ(count(t.threads[thread + 1], OpKind::kFree), 10 * 62 + 6);
  }
  // The consumer waits for the batch's last block before it frees any of it.
  EXPECT_EQ(t.threads[1][0].kind(), OpKind::kFreeAwait);
  EXPECT_EQ(t.threads[1][0].slot(), 63u);
  EXPECT_EQ(t.peak_live_bytes, 2u * 3u * 64u * 64u);  // three full batches per pair at most
}

TEST(XmallocWorkloadTest, BatchOfOneIsTheSingleBlockHandOff) {
  const Params p{{"threads", 2}, {"items", 300}, {"in_flight", 5}};
  Params batched = p;
  batched["batch"] = 1;
  const Trace a = make("xmalloc", p), b = make("xmalloc", batched);
  ASSERT_EQ(a.threads.size(), b.threads.size());
  for (std::size_t i = 0; i < a.threads.size(); ++i) {
    ASSERT_EQ(a.threads[i].size(), b.threads[i].size());
    for (std::size_t j = 0; j < a.threads[i].size(); ++j) {
      EXPECT_EQ(a.threads[i][j].word, b.threads[i][j].word);
      EXPECT_EQ(a.threads[i][j].arg, b.threads[i][j].arg);
    }
  }
  // Rows at the default batch keep the names they had before batches existed.
  const WorkloadInfo& w = *find_workload("xmalloc");
  Params named = batched;
  ASSERT_EQ(complete_params(w, named), "");
  EXPECT_EQ(row_name(w, "x", named), "xmalloc/x/threads:2/items:300/queue:5/min:8/max:512");
  named["batch"] = 64;
  EXPECT_NE(row_name(w, "x", named).find("/queue:5/batch:64/"), std::string::npos);
}

TEST(XmallocWorkloadTest, TooManySlotsAreRejected) {
  Params p{{"threads", 256}, {"in_flight", 1u << 16}, {"batch", 1u << 16}};
  EXPECT_NE(complete_params(*find_workload("xmalloc"), p).find("exceeds"), std::string::npos);
}

TEST(XmallocWorkloadTest, OddThreadCountIsRejected) {
  Params p{{"threads", 3}};
  EXPECT_NE(complete_params(*find_workload("xmalloc"), p).find("must be even"), std::string::npos);
}

TEST(LargeWorkloadTest, EachNewBufferReplacesARandomLiveOneAndIsFilled) {
  const Trace t = make("large", {{"buffers", 200}, {"live", 5}, {"fill", 2}});
  const ModelResult r = run_model(t);
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(t.allocations, 200u);
  EXPECT_EQ(t.slots, 5u);
  EXPECT_EQ(t.needs_caps, std::uint32_t{kFree});
  EXPECT_EQ(r.writes, 200u * 2u);
  std::set<std::uint32_t> victims;
  const std::vector<Op>& ops = t.threads[0];
  for (std::size_t i = 0; i < ops.size(); ++i) {
    const Op op = ops[i];
    if (op.kind() == OpKind::kAlloc) {
      EXPECT_GE(op.arg, 5u << 20);
      EXPECT_LE(op.arg, 25u << 20);
      ASSERT_LT(i + 1, ops.size());
      EXPECT_EQ(ops[i + 1].kind(), OpKind::kWrite);  // filled as soon as it is allocated
    } else if (op.kind() == OpKind::kFree && i + 1 < ops.size() &&
               ops[i + 1].kind() == OpKind::kAlloc) {
      EXPECT_EQ(ops[i + 1].slot(), op.slot());  // the new buffer takes the freed one's place
      victims.insert(op.slot());
    }
  }
  EXPECT_EQ(victims.size(), 5u);  // random victims: every slot is replaced at some point
  EXPECT_LE(t.peak_live_bytes, 5u * (25u << 20));
  EXPECT_GT(t.peak_live_bytes, 4u * (5u << 20));
  EXPECT_EQ(make("large", {{"buffers", 3}, {"fill", 0}}).threads[0].size(), 6u);  // no writes
}

TEST(LifoWorkloadTest, FreesEachBatchNewestFirstEvenWithReset) {
  const Trace t = make("lifo", {{"batch", 5}, {"rounds", 3}}, kFree | kReset);
  ASSERT_EQ(run_model(t).error, "");
  const std::vector<Op>& ops = t.threads[0];
  ASSERT_EQ(ops.size(), 3u * 10u);
  for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(ops[5 + i].slot(), ops[4 - i].slot());
  EXPECT_EQ(count_kind(t, OpKind::kReset), 0u);
  EXPECT_EQ(t.needs_caps, std::uint32_t{kFree});
}

TEST(LifoWorkloadTest, FreeLastIsEnoughForNewestFirst) {
  EXPECT_EQ(make("lifo", {{"batch", 5}, {"rounds", 1}}, kFreeLast | kReset).needs_caps,
            std::uint32_t{kFreeLast});
  // A shared instance interleaves threads' blocks: free-last no longer frees the newest.
  EXPECT_EQ(make("lifo", {{"batch", 5}, {"rounds", 1}}, kFreeLast | kThreadSafe).needs_caps,
            std::uint32_t{kFree});
}

TEST(ReallocWorkloadTest, BuffersGrowToTheFinalSize) {
  const Trace t = make("realloc", {{"buffers", 10}, {"final_size", 4096}, {"step", 512}, {"live", 3}});
  ASSERT_EQ(run_model(t).error, "");
  std::vector<std::uint32_t> size(t.slots, 0);
  std::set<std::uint32_t> doubled, stepped;  // growth seen per reallocate
  std::uint64_t frees_at_final = 0;
  for (Op op : t.threads[0]) {
    if (op.kind() == OpKind::kAlloc) size[op.slot()] = op.arg;
    if (op.kind() == OpKind::kRealloc) {
      EXPECT_GT(op.arg, size[op.slot()]);
      (op.arg == 2 * size[op.slot()] ? doubled : stepped).insert(op.arg);
      size[op.slot()] = op.arg;
    }
    if (op.kind() == OpKind::kFree) frees_at_final += size[op.slot()] == 4096;
  }
  EXPECT_EQ(frees_at_final, 10u);
  EXPECT_FALSE(doubled.empty());
  EXPECT_TRUE(stepped.contains(512u + 512u + 512u));
  EXPECT_EQ(t.needs_caps, std::uint32_t{kFree | kRealloc});
  EXPECT_EQ(t.max_request, 4096u);
}

TEST(CacheThrashWorkloadTest, EachThreadWritesItsOwnObjects) {
  const Trace t = make("cache-thrash", {{"threads", 2}, {"iters", 10}, {"writes", 100}});
  const ModelResult r = run_model(t);
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.writes, 2u * 10u * 100u);
  EXPECT_EQ(r.cross_thread_frees, 0u);
  EXPECT_EQ(t.needs_caps, std::uint32_t{kFree});
}

TEST(CacheScratchWorkloadTest, ThreadZeroHandsOutTheFirstObjects) {
  const Trace t = make("cache-scratch", {{"threads", 3}, {"iters", 10}, {"writes", 100}});
  const ModelResult r = run_model(t);
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.cross_thread_frees, 2u);  // threads 1 and 2 free what thread 0 allocated
  EXPECT_EQ(count_kind(t, OpKind::kAllocPublish), 3u);
  EXPECT_EQ(r.writes, 3u * 10u * 100u);
  EXPECT_EQ(t.needs_caps, std::uint32_t{kFree | kCrossThreadFree});
}

TEST(ThreadChurnWorkloadTest, EveryShortLivedThreadFreesWhatItAllocated) {
  const Trace t = make("thread-churn", {{"threads", 2}, {"spawns", 5}, {"allocs", 20}});
  const ModelResult r = run_model(t);
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.thread_exits, 10u);
  EXPECT_EQ(t.threads[0].front().kind(), OpKind::kThreadExit);
  EXPECT_EQ(t.allocations, 2u * 5u * 20u);
}

TEST(SizeDistTest, ParetoFavoursSmallSizes) {
  gen::SizeSampler draw(gen::SizeDist::kPareto, 8, 1024);
  std::mt19937_64 rng(1);
  std::uint64_t small = 0, top = 0;
  for (int i = 0; i < 10000; ++i) {
    const std::uint32_t s = draw(rng);
    ASSERT_GE(s, 8u);
    ASSERT_LE(s, 1024u);
    small += s < 64;
    top += s > 512;
  }
  EXPECT_GT(small, 7000u);  // uniform would give about 550
  EXPECT_GT(top, 0u);       // still a tail
}

TEST(SizeDistTest, PowersOfTwoWithinRange) {
  gen::SizeSampler draw(gen::SizeDist::kPow2, 10, 300);
  std::mt19937_64 rng(1);
  std::set<std::uint32_t> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(draw(rng));
  EXPECT_EQ(seen, (std::set<std::uint32_t>{16, 32, 64, 128, 256}));
  Params none{{"min_size", 9}, {"max_size", 15}, {"dist", 2}};
  EXPECT_NE(gen::check_sizes(none).find("no power of two"), std::string::npos);
}

TEST(SizeDistTest, DistShowsInRowNamesOnlyWhenNotUniform) {
  const WorkloadInfo& w = *find_workload("churn");
  Params p;
  ASSERT_EQ(complete_params(w, p), "");
  EXPECT_EQ(row_name(w, "glibc", p), "churn/glibc/threads:1/iters:300000/min:8/max:256/keep:75");
  p["dist"] = 1;
  EXPECT_EQ(row_name(w, "glibc", p), "churn/glibc/threads:1/iters:300000/min:8/max:256/keep:75/dist:1");
  Trace t = make("churn", {{"iters", 2000}, {"dist", 2}});
  for (Op op : t.threads[0])
    if (op.kind() == OpKind::kAlloc) {
      EXPECT_TRUE(std::has_single_bit(op.arg)) << op.arg;
    }
}

TEST(SizeDistTest, HistogramDrawsItsSizesByWeight) {
  const SizeHistogram h = parse_size_histogram("# bins\n16 2\n\n24 6   # most\n100-200 2\n999 0\n", "h");
  ASSERT_EQ(h.bins.size(), 3u);  // the zero-weight bin is dropped
  EXPECT_EQ(h.bins[2], (SizeBin{100, 200, 2.0}));
  EXPECT_EQ(h.min_size(), 16u);
  EXPECT_EQ(h.max_size(), 200u);
  gen::SizeSampler draw(gen::SizeDist::kHistogram, 16, 200, h);
  std::mt19937_64 rng(1);
  constexpr int kDraws = 50000;
  int n16 = 0, n24 = 0, in_range = 0;
  std::uint32_t lo = 1000, hi = 0;
  for (int i = 0; i < kDraws; ++i) {
    const std::uint32_t s = draw(rng);
    if (s == 16) {
      ++n16;
    } else if (s == 24) {
      ++n24;
    } else {
      ASSERT_TRUE(s >= 100 && s <= 200) << s;
      ++in_range;
      lo = std::min(lo, s);
      hi = std::max(hi, s);
    }
  }
  // Weights 2 : 6 : 2; with 50000 draws each share is within 1.5 points (> 5 sigma).
  EXPECT_NEAR(n16 / double(kDraws), 0.2, 0.015);
  EXPECT_NEAR(n24 / double(kDraws), 0.6, 0.015);
  EXPECT_NEAR(in_range / double(kDraws), 0.2, 0.015);
  EXPECT_EQ(lo, 100u);  // the range bin is drawn uniformly, ends included
  EXPECT_EQ(hi, 200u);
  // Outside [min, max], or no histogram: a precondition the CLI checks first.
  EXPECT_THROW(gen::SizeSampler(gen::SizeDist::kHistogram, 16, 199, h), std::invalid_argument);
  EXPECT_THROW(gen::SizeSampler(gen::SizeDist::kHistogram, 16, 200), std::invalid_argument);
}

TEST(SizeDistTest, BadHistogramLinesNameFileAndLine) {
  const std::pair<std::string, const char*> kBad[] = {
      {"16", "h:1: '16' is not 'SIZE WEIGHT'"},
      {"16 1\n32 x", "h:2: weight 'x' is not a non-negative number"},
      {"16 -1", "weight '-1' is not"},
      {"16 nan", "weight 'nan' is not"},
      {"16 1 2", "weight '1 2' is not"},
      {"20-10 1", "bin '20-10' runs backwards"},
      {"-5 1", "size '' is not a non-negative integer"},
      {"0x10 1", "size '0x10' is not"},
      {"1073741825 1", "size 1073741825 is above the limit"},
      {"16 0\n# nothing else", "h: no bin with a positive weight"},
      {"16 1e308\n32 1e308", "h:2: the weights add up to more than a double holds"},
      {std::string(100, '7') + " 1", "size '7777777777777777777777777777777777777...' is not"},
      {"", "h: no bin with a positive weight"},
  };
  for (const auto& [text, want] : kBad) {
    try {
      parse_size_histogram(text, "h");
      ADD_FAILURE() << "parsed: " << text;
    } catch (const SizeHistogramError& e) {
      EXPECT_NE(std::string(e.what()).find(want), std::string::npos) << e.what();
      EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
    }
  }
}

TEST(SizeDistTest, HistogramOfCountsFormatsAndReadsBack) {
  const SizeHistogram h = histogram_of_counts({{0, 1}, {16, 3}, {100, 2}, {std::uint64_t{1} << 31, 9}});
  ASSERT_EQ(h.bins.size(), 3u);  // 2 GiB is above the size limit
  const SizeHistogram back = parse_size_histogram(format_size_histogram(h, "test"), "t");
  EXPECT_EQ(back.bins, h.bins);
  EXPECT_EQ(back.bins[1], (SizeBin{16, 16, 3.0}));
  // Past kMaxHistogramBins distinct sizes: log-linear LO-HI bins, weights kept.
  std::map<std::uint64_t, std::uint64_t> many;
  for (std::uint64_t s = 0; s <= kMaxHistogramBins; ++s) many[s] = 1;
  const SizeHistogram coarse = histogram_of_counts(many);
  EXPECT_LT(coarse.bins.size(), 1000u);
  double total = 0;
  for (const SizeBin& b : coarse.bins) total += b.weight;
  EXPECT_EQ(total, double(kMaxHistogramBins + 1));
  EXPECT_EQ(coarse.bins.back().hi, kMaxHistogramBins);
  EXPECT_EQ(coarse.bins.back().lo, kMaxHistogramBins);  // 2^20 opens a bucket of its own
  EXPECT_EQ(coarse.bins[64], (SizeBin{64, 67, 4.0}));    // 64..67: 2^6 in 16 steps of 4
}

TEST(SizeDistTest, EveryDistWorkloadDrawsFromTheHistogram) {
  const SizeHistogram h = parse_size_histogram("48 1\n320-330 1\n", "h");
  for (const char* name : {"churn", "frame", "lifo", "larson", "xmalloc", "thread-churn"}) {
    const WorkloadInfo* w = find_workload(name);
    ASSERT_NE(w, nullptr);
    Params p{{"threads", 2}, {"min_size", 48}, {"max_size", 330}, {"dist", 3}};
    ASSERT_EQ(complete_params(*w, p), "") << name;
    const Trace t = w->generate(GenerateRequest{p, 0, kFree | kCrossThreadFree, {}, h});
    std::uint64_t allocs = 0;
    for (const auto& ops : t.threads)
      for (Op op : ops)
        if (op.kind() == OpKind::kAlloc || op.kind() == OpKind::kAllocPublish) {
          ++allocs;
          ASSERT_TRUE(op.arg == 48 || (op.arg >= 320 && op.arg <= 330)) << name << ": " << op.arg;
        }
    EXPECT_GT(allocs, 0u) << name;
  }
}

// Small versions of every stress workload, replayed with verification.
const std::pair<const char*, Params> kSmall[] = {
    {"larson", {{"threads", 2}, {"slots", 200}, {"rounds", 5}, {"replace", 200}}},
    {"xmalloc", {{"threads", 2}, {"items", 5000}, {"in_flight", 8}}},
    {"xmalloc", {{"threads", 2}, {"items", 5000}, {"in_flight", 3}, {"batch", 64}}},
    {"lifo", {{"batch", 100}, {"rounds", 20}}},
    {"realloc", {{"buffers", 20}, {"final_size", 8192}, {"step", 256}}},
    {"cache-thrash", {{"threads", 2}, {"iters", 50}, {"writes", 50}}},
    {"cache-scratch", {{"threads", 2}, {"iters", 50}, {"writes", 50}}},
    {"thread-churn", {{"threads", 2}, {"spawns", 4}, {"allocs", 100}}},
    {"large", {{"buffers", 30}, {"live", 4}, {"min_size", 200000}, {"max_size", 600000}}},
};

std::vector<std::string> in_process_plugins() {
  std::vector<std::string> names;
  for (const PluginEntry& e : registered_plugins()) names.emplace_back(e.traits.name);
  return names;
}

class StressWorkloads : public ::testing::TestWithParam<std::string> {};

TEST_P(StressWorkloads, ThreadedRunVerifiedOrSayWhyNot) {
  for (const auto& [workload, params] : kSmall) {
    MeasureRequest req;
    req.allocator = GetParam();
    req.workload = workload;
    req.params = params;
    ASSERT_EQ(complete_params(*find_workload(workload), req.params), "");
    req.verify = true;
    req.rss_interval_ms = 0;
    const Measurement m = measure(req);
    if (m.status == Status::kUnsupported) {
      // A missing capability, or blocks larger than the allocator serves (large).
      EXPECT_TRUE(m.error.find("the workload") != std::string::npos ||
                  m.error.find("serves at most") != std::string::npos)
          << workload << ": " << m.error;
      continue;
    }
    EXPECT_EQ(m.status, Status::kOk) << workload << ": " << m.error;
    EXPECT_GT(m.allocations, 0u) << workload;
    if (std::string_view(workload) == "thread-churn") {
      EXPECT_EQ(m.threads_started, 8u);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllPlugins, StressWorkloads, ::testing::ValuesIn(in_process_plugins()),
                         [](const auto& param_info) {
                           std::string s = param_info.param;
                           std::replace_if(s.begin(), s.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
                           return s;
                         });

TEST(StressWorkloadsTest, CapabilityMismatchesAreExplained) {
  const Traits single_thread{"st", "", kFree, 1 << 20, 0};
  EXPECT_NE(check_fits(make("xmalloc", {}), 16, single_thread).find("frees blocks on other threads"),
            std::string::npos);
  EXPECT_NE(check_fits(make("realloc", {}), 16, single_thread).find("reallocates blocks"),
            std::string::npos);
}

}  // namespace
}  // namespace alloclab
