// The strategies' home workloads: fixed (one size) and frame (allocate a frame, release all).
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

#include "workloads/workload.hpp"

namespace alloclab {
namespace {

Trace make(std::string_view name, Params p, std::uint32_t caps) {
  const WorkloadInfo* w = find_workload(name);
  EXPECT_NE(w, nullptr);
  EXPECT_EQ(complete_params(*w, p), "");
  return w->generate(GenerateRequest{p, 0, caps});
}

TEST(FixedWorkloadTest, EveryAllocationHasTheOneSize) {
  const Trace t = make("fixed", {{"iters", 10000}, {"size", 48}, {"keep", 60}}, kFree);
  std::size_t allocs = 0, frees = 0;
  for (const Op& op : t.threads[0]) {
    if (op.kind() == OpKind::kAlloc) {
      ++allocs;
      EXPECT_EQ(op.arg, 48u);
    } else {
      ++frees;
    }
  }
  EXPECT_EQ(allocs, 10000u);
  EXPECT_EQ(frees, 10000u);
  EXPECT_EQ(t.max_request, 48u);
}

TEST(FrameWorkloadTest, ResetsWhereTheAllocatorCan) {
  const Trace t = make("frame", {{"frames", 3}, {"allocs", 10}}, kReset | kFreeLast);
  ASSERT_EQ(t.threads[0].size(), 3u * 11u);
  for (std::size_t f = 0; f < 3; ++f) {
    for (std::size_t i = 0; i < 10; ++i) EXPECT_EQ(t.threads[0][f * 11 + i].kind(), OpKind::kAlloc);
    EXPECT_EQ(t.threads[0][f * 11 + 10].kind(), OpKind::kReset);
  }
  EXPECT_EQ(t.needs_caps, std::uint32_t{kReset});
  EXPECT_EQ(t.allocations, 30u);
}

TEST(FrameWorkloadTest, FreesNewestFirstWithoutReset) {
  const Trace t = make("frame", {{"frames", 2}, {"allocs", 4}, {"min_size", 16}, {"max_size", 16}}, kFree);
  const std::vector<Op>& ops = t.threads[0];
  ASSERT_EQ(ops.size(), 2u * 8u);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(ops[i].kind(), OpKind::kAlloc);
    EXPECT_EQ(ops[4 + i].kind(), OpKind::kFree);
    EXPECT_EQ(ops[4 + i].slot(), ops[3 - i].slot());  // newest first
  }
  EXPECT_EQ(t.needs_caps, std::uint32_t{kFree});
  EXPECT_EQ(t.peak_live_bytes, 64u);
}

TEST(FrameWorkloadTest, UnsupportedWithoutFreeOrReset) {
  const Trace t = make("frame", {{"frames", 1}, {"allocs", 1}}, 0);
  Traits bump{"bump", "", 0, 1 << 20, 16};
  EXPECT_NE(check_fits(t, 16, bump).find("frees blocks one by one"), std::string::npos);
}

}  // namespace
}  // namespace alloclab

// aged: live bytes at each mark, recomputed from the ops alone, must be what the trace says,
// and must rise through each phase's grow steps and fall at its shrink.
namespace alloclab {
namespace {

// Per mark, the live requested bytes the ops leave (a step's hand-offs are all freed by its
// barrier, so free_awaits are counted once every thread reached the mark).
std::vector<std::uint64_t> live_at_marks(const Trace& t) {
  std::vector<std::uint32_t> size(t.slots, 0);
  std::vector<std::size_t> pos(t.threads.size(), 0);
  std::vector<std::uint64_t> out;
  std::int64_t live = 0;
  for (std::size_t m = 0; m < t.marks.size(); ++m) {
    std::vector<std::uint32_t> awaited;
    for (std::size_t th = 0; th < t.threads.size(); ++th) {
      const std::vector<Op>& ops = t.threads[th];
      for (; pos[th] < ops.size(); ++pos[th]) {
        const Op op = ops[pos[th]];
        if (op.kind() == OpKind::kMark) {
          EXPECT_EQ(op.arg, m) << "thread " << th;
          ++pos[th];
          break;
        }
        if (op.kind() == OpKind::kAlloc || op.kind() == OpKind::kAllocPublish) {
          EXPECT_EQ(size[op.slot()], 0u) << "slot " << op.slot() << " allocated twice";
          size[op.slot()] = op.arg;
          live += op.arg;
        } else if (op.kind() == OpKind::kFree) {
          EXPECT_NE(size[op.slot()], 0u) << "slot " << op.slot() << " freed while empty";
          live -= size[op.slot()];
          size[op.slot()] = 0;
        } else if (op.kind() == OpKind::kFreeAwait) {
          awaited.push_back(op.slot());
        }
      }
    }
    for (std::uint32_t s : awaited) {
      EXPECT_NE(size[s], 0u) << "awaited slot " << s << " never published in this step";
      live -= size[s];
      size[s] = 0;
    }
    out.push_back(static_cast<std::uint64_t>(live));
  }
  return out;
}

Params aged_params(std::uint64_t threads, std::uint64_t remote) {
  return {{"threads", threads}, {"iters", 40000}, {"phases", 4}, {"steps", 5}, {"live", 2000},
          {"remote_pct", remote}};
}

TEST(AgedWorkloadTest, LiveBytesAtMarksAreExactAndFollowThePhases) {
  for (std::uint64_t threads : {std::uint64_t{1}, std::uint64_t{3}}) {
    const Trace t = make("aged", aged_params(threads, threads > 1 ? 10 : 0), kFree);
    ASSERT_EQ(t.marks.size(), 4u * 6u);
    const std::vector<std::uint64_t> live = live_at_marks(t);
    for (std::size_t m = 0; m < t.marks.size(); ++m) {
      EXPECT_EQ(t.marks[m].live_bytes, live[m]) << "mark " << m << ", threads " << threads;
      EXPECT_EQ(t.marks[m].after_shrink, m % 6 == 5) << m;
    }
    for (std::size_t ph = 0; ph < 4; ++ph) {
      for (std::size_t s = 1; s < 5; ++s)  // growing toward `live` blocks per thread
        EXPECT_GT(live[ph * 6 + s], live[ph * 6 + s - 1]) << "phase " << ph << " step " << s;
      // A shrink frees 90% of the short-lived blocks; the long-lived 20% of live stay: well
      // under half of the top remains.
      EXPECT_LT(live[ph * 6 + 5] * 2, live[ph * 6 + 4]) << "phase " << ph;
    }
    EXPECT_EQ(t.marks.back().allocations, threads * 40000u);
    EXPECT_EQ(t.allocations, threads * 40000u);
    EXPECT_EQ(t.needs_caps, threads > 1 ? std::uint32_t{kFree | kCrossThreadFree} : std::uint32_t{kFree});
  }
}

TEST(AgedWorkloadTest, SizesDriftUpwardAndTheTraceIsDeterministic) {
  const Trace a = make("aged", aged_params(1, 0), kFree), b = make("aged", aged_params(1, 0), kFree);
  ASSERT_EQ(a.threads[0].size(), b.threads[0].size());
  EXPECT_TRUE(std::equal(a.threads[0].begin(), a.threads[0].end(), b.threads[0].begin(),
                         [](const Op& x, const Op& y) { return x.word == y.word && x.arg == y.arg; }));
  EXPECT_EQ(a.marks, b.marks);
  // Mean allocation size in the first and the last fifth of the allocations.
  std::vector<std::uint32_t> sizes;
  for (const Op& op : a.threads[0])
    if (op.kind() == OpKind::kAlloc) sizes.push_back(op.arg);
  const auto fifth = static_cast<std::ptrdiff_t>(sizes.size() / 5);
  const double first = std::accumulate(sizes.begin(), sizes.begin() + fifth, 0.0) / static_cast<double>(fifth);
  const double last = std::accumulate(sizes.end() - fifth, sizes.end(), 0.0) / static_cast<double>(fifth);
  EXPECT_GT(last, 8 * first);  // 16..4096 bytes, the window a quarter of the log range
  Params still = aged_params(1, 0);
  still["drift"] = 0;
  const Trace c = make("aged", still, kFree);
  EXPECT_LT(c.max_request, 4097u);
  EXPECT_GT(c.max_request, 4000u);  // no drift: the whole range from the start
}

TEST(AgedWorkloadTest, RefusesParamsWithoutRoomForItsSteps) {
  const WorkloadInfo* w = find_workload("aged");
  ASSERT_NE(w, nullptr);
  Params p{{"iters", 10}, {"phases", 4}, {"steps", 5}};
  EXPECT_NE(complete_params(*w, p).find("fewer than phases x steps"), std::string::npos);
  Params q{{"min_size", 0}};
  EXPECT_NE(complete_params(*w, q).find("min_size must be at least 1"), std::string::npos);
}

}  // namespace
}  // namespace alloclab
