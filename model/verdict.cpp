#include "model/verdict.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "model/figure_text.hpp"

namespace alloclab::model {
namespace {

// Exact Mann–Whitney null distribution up to this many pairs; the normal approximation above.
constexpr std::size_t kExactPairs = 2500;

// Counts of the C(n+m, n) arrangements of two samples by U (pairs x > y): the largest value is
// either an x, above all m y's (U grows by m), or a y (U unchanged).
std::vector<double> u_counts(std::size_t n, std::size_t m) {
  std::vector<std::vector<double>> prev(m + 1, std::vector<double>{1.0}), cur(m + 1);
  for (std::size_t i = 1; i <= n; ++i) {
    cur[0] = {1.0};
    for (std::size_t j = 1; j <= m; ++j) {
      cur[j].assign(i * j + 1, 0.0);
      for (std::size_t u = 0; u < prev[j].size(); ++u) cur[j][u + j] += prev[j][u];
      for (std::size_t u = 0; u < cur[j - 1].size(); ++u) cur[j][u] += cur[j - 1][u];
    }
    std::swap(prev, cur);
  }
  return prev[m];
}

// z with P(|Z| > z) = tail, by bisection on erfc.
double normal_quantile(double tail) {
  double lo = 0, hi = 10;
  for (int i = 0; i < 100; ++i) {
    const double mid = (lo + hi) / 2;
    (std::erfc(mid / std::sqrt(2.0)) > tail ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

Figure figure_of(std::span<const double> xs) {
  Figure f;
  if (xs.empty()) return f;
  f.median = median(xs);
  f.ci = median_ci(xs, kConfidence);
  return f;
}

std::string names(const std::vector<Entry>& e, const std::vector<std::size_t>& idx) {
  std::string out;
  for (std::size_t i = 0; i < idx.size(); ++i) {
    if (i > 0) out += i + 1 == idx.size() ? " and " : ", ";
    out += e[idx[i]].name;
  }
  return out;
}

std::string ci_text(const RatioCi& r) {
  if (r.order_statistic)
    return fmt::format("{:.0f}% CI {:.2f}–{:.2f}×", 100 * kConfidence, r.lo, r.hi);
  return fmt::format("{:.0f}% interval {:.2f}–{:.2f}×: too few repetitions for {:.0f}%", 100 * r.coverage, r.lo,
                     r.hi, 100 * kConfidence);
}

// The medians of tied contenders: each one while they are few ("18.0 / 18.1 / 19.0"), beyond
// that their range ("18.0–40.1"), so that a line of thirteen ties stays a line.
constexpr std::size_t kListedFigures = 3;
template <class Median, class Format>
std::string figures(const std::vector<std::size_t>& idx, Median median_of, Format format) {
  if (idx.size() > kListedFigures) {
    double lo = median_of(idx.front()), hi = lo;
    for (std::size_t i : idx) lo = std::min(lo, median_of(i)), hi = std::max(hi, median_of(i));
    return format(lo) + "–" + format(hi);
  }
  std::string out;
  for (std::size_t i : idx) out += (out.empty() ? "" : " / ") + format(median_of(i));
  return out;
}

bool clearly_below(const MedianCi& a, const MedianCi& b) { return a.hi < b.lo; }

// w dominates l: clearly better in one figure, at least tied in the other.
bool dominates(const Entry& w, const Entry& l) {
  if (!w.rss.present() || !l.rss.present()) return false;
  const bool faster = clearly_below(w.time.ci, l.time.ci), time_tie = ci_tie(w.time.ci, l.time.ci);
  const bool smaller = clearly_below(w.rss.ci, l.rss.ci), rss_tie = ci_tie(w.rss.ci, l.rss.ci);
  return (faster || time_tie) && (smaller || rss_tie) && (faster || smaller);
}

// Indices of `among` tied with the first of them in `get`'s figure.
template <class Get>
std::vector<std::size_t> tied_with_first(const std::vector<Entry>& e, const std::vector<std::size_t>& among, Get get) {
  std::vector<std::size_t> out;
  for (std::size_t i : among)
    if (i == among.front() || ci_tie(get(e[among.front()]).ci, get(e[i]).ci)) out.push_back(i);
  return out;
}

std::string time_text(const Verdict& v, const Entry& e) {
  return fmt::format("{} {}", fmt_num(e.time.median), metric_unit(v.metric));
}

std::string fastest_part(const Verdict& v, std::string_view baseline) {
  const Entry& f = v.entries[v.fastest.front()];
  const bool baseline_leads =
      v.baseline >= 0 && std::find(v.fastest.begin(), v.fastest.end(), static_cast<std::size_t>(v.baseline)) != v.fastest.end();
  std::string ratio;
  if (v.baseline < 0) {
    ratio = fmt::format("; no ok {} row to compare with", baseline);
  } else if (!baseline_leads) {
    ratio = fmt::format(", {} {} ({})", fmt_ratio(v.speedup.value), baseline, ci_text(v.speedup));
  }
  if (v.fastest.size() == 1) {
    const std::string who = baseline_leads ? f.name + " (baseline)" : f.name;
    return fmt::format("{} is fastest at {}{}", who, time_text(v, f), ratio);
  }
  const auto median_of = [&](std::size_t i) { return v.entries[i].time.median; };
  return fmt::format("{} tie for fastest at {} {} (the 95% CIs overlap){}",
                     names(v.entries, v.fastest), figures(v.fastest, median_of, fmt_num),
                     metric_unit(v.metric),
                     ratio.empty() || ratio[0] == ';' ? ratio : ", " + f.name + ratio.substr(1));
}

std::string smallest_part(const Verdict& v) {
  if (v.smallest.size() == 1) {
    const Entry& s = v.entries[v.smallest.front()];
    return fmt::format("{} is smallest ({})", s.name, fmt_bytes(s.rss.median));
  }
  const auto median_of = [&](std::size_t i) { return v.entries[i].rss.median; };
  return fmt::format("{} tie for smallest ({}, the 95% CIs overlap)", names(v.entries, v.smallest),
                     figures(v.smallest, median_of, fmt_bytes));
}

std::string domination_text(const Verdict& v, const Domination& d) {
  const Entry &l = v.entries[d.loser], &w = v.entries[d.winner];
  const std::string unit(metric_unit(v.metric));
  const std::string time = fmt::format("{} ({} vs {} {}{})", d.time_tie ? "no faster" : "slower", fmt_num(l.time.median),
                                       fmt_num(w.time.median), unit, d.time_tie ? ", within the CIs" : "");
  const std::string rss = fmt::format("{} ({} vs {}{})", d.rss_tie ? "no smaller" : "larger", fmt_bytes(l.rss.median),
                                      fmt_bytes(w.rss.median), d.rss_tie ? ", within the CIs" : "");
  return fmt::format("{} is {} and {} than {}", l.name, time, rss, w.name);
}

// Each dominated contender with its evidence while they are few; beyond that, grouped by the
// contender that dominates them (the table and the reports carry the per-row evidence).
std::string dominated_part(const Verdict& v) {
  std::string d;
  if (v.dominated.size() <= kListedFigures) {
    for (const Domination& dom : v.dominated)
      d += (d.empty() ? "" : "; ") + domination_text(v, dom);
    return "dominated: " + d;
  }
  std::vector<std::size_t> winners;
  for (const Domination& dom : v.dominated)
    if (std::find(winners.begin(), winners.end(), dom.winner) == winners.end())
      winners.push_back(dom.winner);
  std::sort(winners.begin(), winners.end());
  for (std::size_t w : winners) {
    std::vector<std::size_t> losers;
    for (const Domination& dom : v.dominated)
      if (dom.winner == w) losers.push_back(dom.loser);
    std::sort(losers.begin(), losers.end());
    d += fmt::format("{}by {}: {}", d.empty() ? "" : "; ", v.entries[w].name,
                     names(v.entries, losers));
  }
  return fmt::format("dominated (slower or larger beyond the CIs, and no better in the other), {}",
                     d);
}

void state_budget(Verdict& v, const RssBudget& budget) {
  v.budget_asked = true;
  std::vector<std::size_t> with_rss;
  for (std::size_t i = 0; i < v.entries.size(); ++i)
    if (v.entries[i].rss.present()) with_rss.push_back(i);
  if (with_rss.empty()) {
    v.budget_sentence = fmt::format("RSS budget {}: no memory figures to check it against", budget.text);
    return;
  }
  const std::string limit_text =
      budget.kind == RssBudget::Kind::kFactor
          ? fmt::format("{} the smallest peak RSS, ≤ {}", budget.text, fmt_bytes(v.entries[v.smallest.front()].rss.median * budget.value))
          : fmt::format("≤ {}", budget.text);
  v.budget_bytes = budget.kind == RssBudget::Kind::kFactor ? v.entries[v.smallest.front()].rss.median * budget.value
                                                           : budget.value;
  std::vector<std::size_t> within, over_but_faster;
  for (std::size_t i : with_rss) {
    if (v.entries[i].rss.median <= v.budget_bytes) within.push_back(i);
    else if (within.empty()) over_but_faster.push_back(i);
  }
  if (within.empty()) {
    const Entry& s = v.entries[v.smallest.front()];
    v.budget_sentence = fmt::format("within the RSS budget ({}): no allocator; the smallest is {} at {}", limit_text,
                                    s.name, fmt_bytes(s.rss.median));
    return;
  }
  v.within_budget = tied_with_first(v.entries, within, [](const Entry& e) { return e.time; });
  const Entry& f = v.entries[v.within_budget.front()];
  std::string line = v.within_budget.size() == 1
                         ? fmt::format("within the RSS budget ({}): {} is fastest ({}, {})", limit_text, f.name,
                                       time_text(v, f), fmt_bytes(f.rss.median))
                         : fmt::format("within the RSS budget ({}): {} tie for fastest", limit_text,
                                       names(v.entries, v.within_budget));
  if (!over_but_faster.empty()) {
    std::string over;
    for (std::size_t i : over_but_faster)
      over += fmt::format("{}{} ({})", over.empty() ? "" : ", ", v.entries[i].name, fmt_bytes(v.entries[i].rss.median));
    line += "; faster but over it: " + over;
  }
  v.budget_sentence = line;
}

}  // namespace

Contender contender_of(std::string name, std::span<const Repetition> reps) {
  Contender c;
  c.name = std::move(name);
  for (const Repetition& r : reps) {
    if (!r.ok()) continue;
    c.ns.push_back(r.ns_per_op);
    if (present(r.instructions_per_op)) c.instructions.push_back(r.instructions_per_op);
    if (present(r.rss_peak_bytes) && r.rss_peak_bytes > 0) c.rss.push_back(r.rss_peak_bytes);
  }
  return c;
}

std::string_view metric_unit(Metric m) { return m == Metric::kInstructions ? "instructions/op" : "ns/op"; }

RssBudget parse_rss_budget(std::string_view text) {
  const auto bad = [&] {
    return std::invalid_argument(
        fmt::format("--rss-budget: '{}' is neither a factor like 1.2x nor a size like 256MiB", text));
  };
  double number = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc() || !std::isfinite(number) || number <= 0) throw bad();
  const std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
  RssBudget b;
  b.text = std::string(text);
  if (unit == "x" || unit == "X") {
    if (number < 1)
      throw std::invalid_argument(fmt::format(
          "--rss-budget: {} is below 1x: no allocator can stay under the smallest one's own peak RSS", text));
    b.kind = RssBudget::Kind::kFactor;
    b.value = number;
    return b;
  }
  constexpr std::pair<std::string_view, double> kUnits[] = {
      {"B", 1.0}, {"KiB", 1024.0}, {"MiB", 1024.0 * 1024}, {"GiB", 1024.0 * 1024 * 1024}, {"TiB", 1024.0 * 1024 * 1024 * 1024}};
  for (const auto& [name, scale] : kUnits)
    if (unit == name) {
      b.kind = RssBudget::Kind::kBytes;
      b.value = number * scale;
      if (b.value < 1) throw bad();
      return b;
    }
  throw bad();
}

bool ci_tie(const MedianCi& a, const MedianCi& b) { return a.lo <= b.hi && b.lo <= a.hi; }

RatioCi ratio_ci(std::span<const double> base, std::span<const double> x, double confidence) {
  const std::size_t n = base.size(), m = x.size(), pairs = n * m;
  std::vector<double> d;  // log ratios of every pair: the CI of their shift is the Moses interval
  d.reserve(pairs);
  for (double b : base)
    for (double v : x) d.push_back(std::log(b) - std::log(v));
  std::sort(d.begin(), d.end());
  const double tail = (1 - confidence) / 2;
  std::size_t k = 1;  // the interval is [d(k), d(pairs - k + 1)]
  double coverage = 0;
  if (pairs <= kExactPairs) {
    const std::vector<double> counts = u_counts(n, m);
    double total = 0;
    for (double c : counts) total += c;
    std::vector<double> cdf(counts.size());  // cdf[j] = P(U <= j)
    for (std::size_t j = 0; j < counts.size(); ++j) cdf[j] = (j > 0 ? cdf[j - 1] : 0) + counts[j] / total;
    // The largest k with P(U <= k - 1) <= tail; k = 1 (min–max) when even that is too likely.
    while (k + 1 <= (pairs + 1) / 2 && cdf[k] <= tail) ++k;
    coverage = std::max(0.0, 1 - 2 * cdf[k - 1]);
  } else {
    const double z = normal_quantile(2 * tail);
    const double sd = std::sqrt(static_cast<double>(n * m * (n + m + 1)) / 12.0);
    k = static_cast<std::size_t>(std::max(1.0, std::floor(static_cast<double>(pairs) / 2 - z * sd)));
    coverage = confidence;
  }
  RatioCi r;
  r.value = median(base) / median(x);
  r.lo = std::min(std::exp(d[k - 1]), r.value);
  r.hi = std::max(std::exp(d[pairs - k]), r.value);
  r.coverage = coverage;
  r.order_statistic = coverage >= confidence;
  return r;
}

std::vector<std::string> Verdict::leaders() const {
  std::vector<std::string> out;
  for (std::size_t i : fastest) out.push_back(entries[i].name);
  return out;
}

Verdict decide(const std::vector<Contender>& contenders, std::string_view baseline, const RssBudget& budget) {
  Verdict v;
  bool all_instructions = true;
  for (const Contender& c : contenders)
    if (!c.ns.empty()) all_instructions = all_instructions && c.instructions.size() == c.ns.size();
  v.metric = all_instructions ? Metric::kInstructions : Metric::kTime;
  for (const Contender& c : contenders) {
    if (c.ns.empty()) continue;
    Entry e;
    e.name = c.name;
    e.time_samples = v.metric == Metric::kInstructions ? c.instructions : c.ns;
    e.time = figure_of(e.time_samples);
    e.rss = figure_of(c.rss);
    v.entries.push_back(std::move(e));
  }
  if (v.entries.empty()) {
    v.sentence = v.headline = "no allocator completed this workload";
    return v;
  }
  std::sort(v.entries.begin(), v.entries.end(), [](const Entry& a, const Entry& b) {
    return a.time.median != b.time.median ? a.time.median < b.time.median : a.name < b.name;
  });
  std::vector<std::size_t> all(v.entries.size()), by_rss;
  for (std::size_t i = 0; i < all.size(); ++i) {
    all[i] = i;
    if (v.entries[i].name == baseline) v.baseline = static_cast<std::ptrdiff_t>(i);
    if (v.entries[i].rss.present()) by_rss.push_back(i);
  }
  std::stable_sort(by_rss.begin(), by_rss.end(),
                   [&](std::size_t a, std::size_t b) { return v.entries[a].rss.median < v.entries[b].rss.median; });
  v.fastest = tied_with_first(v.entries, all, [](const Entry& e) { return e.time; });
  if (!by_rss.empty()) v.smallest = tied_with_first(v.entries, by_rss, [](const Entry& e) { return e.rss; });
  std::vector<bool> beaten(v.entries.size(), false);
  for (std::size_t l : by_rss)
    for (std::size_t w : all) beaten[l] = beaten[l] || (w != l && dominates(v.entries[w], v.entries[l]));
  for (std::size_t l : by_rss) {
    if (!beaten[l]) {
      v.frontier.push_back(l);
      continue;
    }
    // The evidence names the fastest dominator on the frontier, else the fastest dominator.
    std::ptrdiff_t pick = -1;
    for (std::size_t w : all) {
      if (w == l || !dominates(v.entries[w], v.entries[l])) continue;
      if (pick < 0 || (beaten[static_cast<std::size_t>(pick)] && !beaten[w])) pick = static_cast<std::ptrdiff_t>(w);
    }
    const std::size_t w = static_cast<std::size_t>(pick);
    const Entry &we = v.entries[w], &le = v.entries[l];
    v.dominated.push_back({l, w, !clearly_below(we.time.ci, le.time.ci), !clearly_below(we.rss.ci, le.rss.ci)});
  }
  if (v.baseline >= 0 && static_cast<std::size_t>(v.baseline) != v.fastest.front())
    v.speedup = ratio_ci(v.entries[static_cast<std::size_t>(v.baseline)].time_samples,
                         v.entries[v.fastest.front()].time_samples);
  if (budget.kind != RssBudget::Kind::kNone) state_budget(v, budget);

  const Entry& first = v.entries.front();
  if (v.entries.size() == 1) {
    v.sentence = fmt::format("only {} completed ({}{}): nothing to compare", first.name, time_text(v, first),
                             first.rss.present() ? ", " + fmt_bytes(first.rss.median) : "");
    v.headline = "only " + first.name;
    return v;
  }
  std::vector<std::string> parts{fastest_part(v, baseline)};
  if (v.smallest.empty()) {
    parts.push_back("no memory figures");
  } else if (v.smallest == v.fastest && v.fastest.size() == 1) {
    parts.front() += fmt::format("; it is also smallest ({})", fmt_bytes(first.rss.median));
  } else {
    parts.push_back(smallest_part(v));
  }
  if (by_rss.size() >= 2) {
    parts.push_back(v.frontier.size() == 1 ? fmt::format("{} alone is on the time–memory frontier",
                                                         v.entries[v.frontier.front()].name)
                                           : "frontier: " + names(v.entries, v.frontier));
  }
  if (!v.dominated.empty()) parts.push_back(dominated_part(v));
  for (const std::string& p : parts) v.sentence += (v.sentence.empty() ? "" : "; ") + p;
  v.headline = "fastest " + names(v.entries, v.fastest) + (v.fastest.size() > 1 ? " (tied" : "");
  if (present(v.speedup.value))
    v.headline += fmt::format("{}{} {}", v.fastest.size() > 1 ? ", " : " (", fmt_ratio(v.speedup.value), baseline);
  if (v.fastest.size() > 1 || present(v.speedup.value)) v.headline += ")";
  if (!v.smallest.empty()) v.headline += ", smallest " + names(v.entries, v.smallest);
  return v;
}

}  // namespace alloclab::model
