// Pins the churn trace to a straightforward re-statement of the seed's tb loop: real
// "blocks" (ids) in a vector, exactly as tb keeps pointers, compared op by op.
#include <gtest/gtest.h>

#include <random>
#include <set>
#include <vector>

#include "workloads/workload.hpp"

namespace alloclab {
namespace {

struct Event {
  bool alloc;
  std::uint64_t id;  // allocation number within the thread
  std::uint64_t size;
  bool operator==(const Event&) const = default;
};

// The seed's tb for one thread, written the obvious way.
std::vector<Event> reference_tb(unsigned tid, std::uint64_t iters, std::uint64_t min,
                                std::uint64_t max, std::uint64_t keep) {
  std::mt19937_64 rng(0x12345678ecebdef0ull ^ (0x9e3779b97f4a7c15ull * tid));
  std::uniform_int_distribution<std::uint64_t> dist(min, max);
  std::bernoulli_distribution keep_it(static_cast<double>(keep) / 100.0);
  std::vector<Event> out;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> kept;  // (id, size)
  for (std::uint64_t i = 0; i < iters; ++i) {
    const std::uint64_t size = dist(rng);
    out.push_back({true, i, size});
    if (keep_it(rng)) {
      kept.emplace_back(i, size);
      if (kept.size() > 65536)
        for (int k = 0; k < 16384; ++k) {
          out.push_back({false, kept.back().first, kept.back().second});
          kept.pop_back();
        }
    } else {
      out.push_back({false, i, size});
    }
  }
  for (const auto& [id, size] : kept) out.push_back({false, id, size});
  return out;
}

// Maps the trace's slots back to allocation ids.
std::vector<Event> events_of(const std::vector<Op>& ops, std::size_t slots) {
  std::vector<Event> out;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> slot_owner(slots);
  std::uint64_t next = 0;
  for (const Op& op : ops) {
    auto& owner = slot_owner.at(op.slot());
    if (op.kind() == OpKind::kAlloc) {
      owner = {next, op.arg};
      out.push_back({true, next++, op.arg});
    } else {
      out.push_back({false, owner.first, owner.second});
    }
  }
  return out;
}

TEST(ChurnTest, MatchesTheSeedTbOpForOp) {
  const WorkloadInfo* w = find_workload("churn");
  ASSERT_NE(w, nullptr);
  // 200000 iterations at keep 90 pass the 65536 limit, so flushes are exercised.
  Params p{{"threads", 2}, {"iters", 200000}, {"min_size", 8}, {"max_size", 256}, {"keep", 90}};
  ASSERT_EQ(complete_params(*w, p), "");
  const Trace t = w->generate(GenerateRequest{p, 0, kFree});
  ASSERT_EQ(t.threads.size(), 2u);
  for (unsigned tid = 0; tid < 2; ++tid) {
    const auto expected = reference_tb(tid, 200000, 8, 256, 90);
    const auto got = events_of(t.threads[tid], t.slots);
    ASSERT_EQ(got.size(), expected.size()) << "thread " << tid;
    for (std::size_t i = 0; i < got.size(); ++i)
      ASSERT_EQ(got[i], expected[i]) << "thread " << tid << " op " << i;
  }
  EXPECT_EQ(t.allocations, 400000u);
  EXPECT_EQ(t.max_request, 256u);
  EXPECT_EQ(t.needs_caps, std::uint32_t{kFree});
}

TEST(ChurnTest, SizesAreInclusiveAndSeedChangesTheTrace) {
  const WorkloadInfo* w = find_workload("churn");
  Params p{{"iters", 5000}, {"min_size", 3}, {"max_size", 5}};
  ASSERT_EQ(complete_params(*w, p), "");
  const Trace a = w->generate(GenerateRequest{p, 0, kFree});
  std::set<std::uint32_t> sizes;
  for (const Op& op : a.threads[0])
    if (op.kind() == OpKind::kAlloc) sizes.insert(op.arg);
  EXPECT_EQ(sizes, (std::set<std::uint32_t>{3, 4, 5}));
  const Trace b = w->generate(GenerateRequest{p, 42, kFree});
  EXPECT_NE(a.threads[0].size() == b.threads[0].size() &&
                std::equal(a.threads[0].begin(), a.threads[0].end(), b.threads[0].begin(),
                           [](const Op& x, const Op& y) { return x.word == y.word && x.arg == y.arg; }),
            true);
}

TEST(ChurnTest, RejectsContradictoryParameters) {
  const WorkloadInfo* w = find_workload("churn");
  Params p{{"min_size", 300}, {"max_size", 256}};
  EXPECT_NE(complete_params(*w, p).find("min_size 300 is larger than max_size 256"), std::string::npos);
  Params q{{"keep", 101}};
  EXPECT_NE(complete_params(*w, q).find("out of range"), std::string::npos);
  Params r{{"bogus", 1}};
  EXPECT_NE(complete_params(*w, r).find("no parameter 'bogus'"), std::string::npos);
}

}  // namespace
}  // namespace alloclab
