// The verdict on hand-made groups: frontier, dominance with its evidence, ties, the RSS budget,
// and the CI of the × baseline ratio.
#include "model/verdict.hpp"

#include <gtest/gtest.h>

namespace alloclab::model {
namespace {

constexpr double kMiB = 1024.0 * 1024.0;

// Seven repetitions spread evenly over [ns - spread, ns + spread] and the same for RSS (MiB).
Contender make(const char* name, double ns, double rss_mib, double spread = 0.5, double rss_spread = 0.1) {
  Contender c;
  c.name = name;
  for (int i = -3; i <= 3; ++i) {
    c.ns.push_back(ns + spread * i / 3.0);
    c.rss.push_back((rss_mib + rss_spread * i / 3.0) * kMiB);
  }
  return c;
}

std::vector<std::string> names_of(const Verdict& v, const std::vector<std::size_t>& idx) {
  std::vector<std::string> out;
  for (std::size_t i : idx) out.push_back(v.entries[i].name);
  return out;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(VerdictTest, FrontierAndDominanceWithEvidence) {
  const Verdict v = decide({make("glibc", 50, 30), make("tbbmalloc", 48.3, 36.3), make("mempool", 25.7, 34.4),
                            make("jemalloc", 20, 40)},
                           "glibc");
  EXPECT_EQ(names_of(v, v.fastest), std::vector<std::string>{"jemalloc"});
  EXPECT_EQ(names_of(v, v.smallest), std::vector<std::string>{"glibc"});
  EXPECT_EQ(names_of(v, v.frontier), (std::vector<std::string>{"glibc", "mempool", "jemalloc"}));
  ASSERT_EQ(v.dominated.size(), 1u);
  EXPECT_EQ(v.entries[v.dominated[0].loser].name, "tbbmalloc");
  EXPECT_EQ(v.entries[v.dominated[0].winner].name, "mempool");
  EXPECT_TRUE(contains(v.sentence, "tbbmalloc is slower (48.3 vs 25.7 ns/op) and larger (36.3 MiB vs 34.4 MiB) than mempool"))
      << v.sentence;
  EXPECT_TRUE(contains(v.sentence, "jemalloc is fastest at 20.0 ns/op, 2.50× glibc (95% CI ")) << v.sentence;
  EXPECT_TRUE(contains(v.sentence, "glibc is smallest (30.0 MiB)")) << v.sentence;
  EXPECT_TRUE(contains(v.sentence, "frontier: glibc, mempool and jemalloc")) << v.sentence;
  EXPECT_DOUBLE_EQ(v.speedup.value, 2.5);
  EXPECT_LE(v.speedup.lo, 2.5);
  EXPECT_GE(v.speedup.hi, 2.5);
  EXPECT_TRUE(v.speedup.order_statistic);  // 7 × 7 pairs reach 95%
  EXPECT_EQ(v.headline, "fastest jemalloc (2.50× glibc), smallest glibc");
}

TEST(VerdictTest, OneFigureTiedAndTheOtherClearlyWorseIsDominated) {
  // Same memory within the CIs, clearly slower: dominated, and the tie is said.
  const Verdict v = decide({make("a", 10, 30, 0.5, 1.0), make("b", 20, 30.2, 0.5, 1.0)}, "glibc");
  ASSERT_EQ(v.dominated.size(), 1u);
  EXPECT_TRUE(v.dominated[0].rss_tie);
  EXPECT_FALSE(v.dominated[0].time_tie);
  EXPECT_TRUE(contains(v.sentence, "b is slower (20.0 vs 10.0 ns/op) and no smaller (30.2 MiB vs 30.0 MiB, within the CIs) than a"))
      << v.sentence;
  EXPECT_TRUE(contains(v.sentence, "a alone is on the time–memory frontier")) << v.sentence;
  EXPECT_TRUE(contains(v.sentence, "a is fastest at 10.0 ns/op; no ok glibc row to compare with;")) << v.sentence;
  EXPECT_EQ(v.headline, "fastest a, smallest a and b");
}

TEST(VerdictTest, OverlappingCisAreTiesNotWins) {
  const Verdict v = decide({make("glibc", 60, 30), make("a", 30.0, 40, 1.0), make("b", 30.5, 41, 1.0)}, "glibc");
  EXPECT_EQ(names_of(v, v.fastest), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(v.leaders(), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(v.headline, "fastest a and b (tied, 2.00× glibc), smallest glibc");
  EXPECT_TRUE(contains(v.sentence, "a and b tie for fastest at 30.0 / 30.5 ns/op (the 95% CIs overlap), a 2.00× glibc (95% CI "))
      << v.sentence;
  // A tie in time, but b is clearly larger: b is dominated, and the time tie is said.
  ASSERT_EQ(v.dominated.size(), 1u);
  EXPECT_EQ(v.entries[v.dominated[0].loser].name, "b");
  EXPECT_TRUE(v.dominated[0].time_tie);
  EXPECT_TRUE(contains(v.sentence, "b is no faster (30.5 vs 30.0 ns/op, within the CIs) and larger")) << v.sentence;
}

TEST(VerdictTest, ManyTiesGiveARangeAndManyDominatedAreGroupedByWhoBeatsThem) {
  const Verdict v = decide({make("glibc", 60, 30), make("a", 30.0, 40, 1.0),
                            make("b", 30.2, 41, 1.0), make("c", 30.4, 42, 1.0),
                            make("d", 30.6, 43, 1.0), make("e", 30.8, 44, 1.0), make("f", 45, 45)},
                           "glibc");
  EXPECT_EQ(names_of(v, v.fastest), (std::vector<std::string>{"a", "b", "c", "d", "e"}));
  EXPECT_TRUE(contains(
      v.sentence,
      "a, b, c, d and e tie for fastest at 30.0–30.8 ns/op (the 95% CIs overlap), a 2.00× glibc"))
      << v.sentence;
  ASSERT_EQ(v.dominated.size(), 5u);
  EXPECT_TRUE(contains(v.sentence,
                       "; dominated (slower or larger beyond the CIs, and no better in the other), "
                       "by a: b, c, d, e and f"))
      << v.sentence;
  EXPECT_FALSE(contains(v.sentence, "within the CIs"))
      << v.sentence;  // the evidence is the table's
  const Verdict sizes = decide({make("p", 10, 30, 0.5, 1.0), make("q", 11, 30.2, 0.5, 1.0),
                                make("r", 12, 30.4, 0.5, 1.0), make("s", 13, 30.6, 0.5, 1.0)},
                               "p");
  EXPECT_TRUE(contains(sizes.sentence,
                       "p, q, r and s tie for smallest (30.0 MiB–30.6 MiB, the 95% CIs overlap)"))
      << sizes.sentence;
}

TEST(VerdictTest, TiesForSmallestAndTheFastestBeingSmallest) {
  const Verdict tie = decide({make("a", 10, 30, 0.5, 1.0), make("b", 20, 30.5, 0.5, 1.0), make("c", 30, 10)}, "a");
  EXPECT_TRUE(contains(tie.sentence, "a (baseline) is fastest at 10.0 ns/op;")) << tie.sentence;
  EXPECT_TRUE(contains(tie.sentence, "c is smallest (10.0 MiB)")) << tie.sentence;
  const Verdict both = decide({make("a", 10, 10), make("b", 20, 30)}, "b");
  EXPECT_TRUE(contains(both.sentence, "a is fastest at 10.0 ns/op, 2.00× b (95% CI")) << both.sentence;
  EXPECT_TRUE(contains(both.sentence, "; it is also smallest (10.0 MiB)")) << both.sentence;
  const Verdict rss_tie = decide({make("a", 10, 30, 0.5, 1.0), make("b", 10.1, 30.2, 0.5, 1.0)}, "x");
  EXPECT_TRUE(contains(rss_tie.sentence, "a and b tie for smallest (30.0 MiB / 30.2 MiB, the 95% CIs overlap)"))
      << rss_tie.sentence;
  EXPECT_TRUE(rss_tie.dominated.empty());
}

TEST(VerdictTest, FewOrNoContendersAndNoMemory) {
  EXPECT_EQ(decide({}, "glibc").sentence, "no allocator completed this workload");
  Contender none;
  none.name = "broken";  // no ok repetition
  EXPECT_EQ(decide({none}, "glibc").sentence, "no allocator completed this workload");
  EXPECT_EQ(decide({make("a", 10, 30)}, "glibc").sentence, "only a completed (10.0 ns/op, 30.0 MiB): nothing to compare");
  Contender x = make("x", 10, 1), y = make("y", 20, 1);
  x.rss.clear();
  y.rss.clear();
  const Verdict v = decide({x, y}, "y");
  EXPECT_TRUE(v.frontier.empty());
  EXPECT_TRUE(contains(v.sentence, "; no memory figures")) << v.sentence;
}

TEST(VerdictTest, InstructionRowsAreJudgedByInstructions) {
  Contender a = make("a", 10, 30), b = make("b", 5, 30);
  a.instructions.assign(7, 100.0);  // more ns but fewer instructions: callgrind time is not the figure
  b.instructions.assign(7, 300.0);
  const Verdict v = decide({a, b}, "b");
  EXPECT_EQ(v.metric, Metric::kInstructions);
  EXPECT_TRUE(contains(v.sentence, "a is fastest at 100 instructions/op, 3.00× b")) << v.sentence;
  b.instructions.pop_back();  // one repetition without the count: back to time
  EXPECT_EQ(decide({a, b}, "b").metric, Metric::kTime);
}

TEST(VerdictTest, RssBudgetMetAndUnmet) {
  const std::vector<Contender> group = {make("glibc", 50, 30), make("mempool", 25.7, 34.4), make("jemalloc", 20, 40)};
  const Verdict met = decide(group, "glibc", parse_rss_budget("1.2x"));
  EXPECT_EQ(names_of(met, met.within_budget), std::vector<std::string>{"mempool"});
  EXPECT_DOUBLE_EQ(met.budget_bytes, 36 * kMiB);
  EXPECT_EQ(met.budget_sentence,
            "within the RSS budget (1.2x the smallest peak RSS, ≤ 36.0 MiB): mempool is fastest (25.7 ns/op, 34.4 MiB); "
            "faster but over it: jemalloc (40.0 MiB)");
  const Verdict loose = decide(group, "glibc", parse_rss_budget("1GiB"));
  EXPECT_EQ(names_of(loose, loose.within_budget), std::vector<std::string>{"jemalloc"});
  const Verdict unmet = decide(group, "glibc", parse_rss_budget("16MiB"));
  EXPECT_TRUE(unmet.within_budget.empty());
  EXPECT_EQ(unmet.budget_sentence, "within the RSS budget (≤ 16MiB): no allocator; the smallest is glibc at 30.0 MiB");
  EXPECT_TRUE(decide(group, "glibc").budget_sentence.empty());
}

TEST(VerdictTest, RssBudgetParsesFactorsAndSizesAndRejectsTheRest) {
  EXPECT_EQ(parse_rss_budget("1.2x").kind, RssBudget::Kind::kFactor);
  EXPECT_DOUBLE_EQ(parse_rss_budget("1.2x").value, 1.2);
  EXPECT_DOUBLE_EQ(parse_rss_budget("256MiB").value, 256 * kMiB);
  EXPECT_DOUBLE_EQ(parse_rss_budget("512KiB").value, 512 * 1024.0);
  EXPECT_DOUBLE_EQ(parse_rss_budget("1000B").value, 1000);
  for (const char* bad : {"", "x", "1.2", "-1MiB", "0MiB", "12 MiB", "1.2xx", "nanx", "infx", "256MB", "MiB", "0.5B"}) {
    try {
      parse_rss_budget(bad);
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const std::invalid_argument& e) {
      EXPECT_EQ(std::string(e.what()).rfind("--rss-budget: ", 0), 0u) << e.what();
      EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
    }
  }
  EXPECT_THROW(parse_rss_budget("0.9x"), std::invalid_argument);  // below the smallest itself
}

TEST(VerdictTest, RatioCiIsTheMosesIntervalWithItsCoverage) {
  const std::vector<double> base5 = {10, 11, 12, 13, 14}, x5 = {5, 5.5, 6, 6.5, 7};
  const RatioCi r = ratio_ci(base5, x5);
  EXPECT_DOUBLE_EQ(r.value, 2.0);
  // 25 pairs: P(U <= 2) = 4/252, so k = 3 and the coverage is 1 - 8/252.
  EXPECT_NEAR(r.coverage, 1 - 8.0 / 252, 1e-12);
  EXPECT_TRUE(r.order_statistic);
  EXPECT_LT(r.lo, 2.0);
  EXPECT_GT(r.hi, 2.0);
  // Three against three: even the min–max of the 9 ratios covers only 1 - 2/20.
  const std::vector<double> b3 = {10, 11, 12}, x3 = {5, 6, 7};
  const RatioCi few = ratio_ci(b3, x3);
  EXPECT_FALSE(few.order_statistic);
  EXPECT_NEAR(few.coverage, 0.9, 1e-12);
  EXPECT_DOUBLE_EQ(few.lo, 10.0 / 7);
  EXPECT_DOUBLE_EQ(few.hi, 12.0 / 5);
  // Large samples take the normal approximation and still bracket the ratio.
  std::vector<double> big_b, big_x;
  for (int i = 0; i < 60; ++i) {
    big_b.push_back(30 + i * 0.01);
    big_x.push_back(10 + i * 0.01);
  }
  const RatioCi big = ratio_ci(big_b, big_x);
  EXPECT_TRUE(big.order_statistic);
  EXPECT_LT(big.lo, big.value);
  EXPECT_GT(big.hi, big.value);
}

}  // namespace
}  // namespace alloclab::model
