#include "analysis_json.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "model/keys.hpp"

namespace alloclab::analysis {

nlohmann::json to_json(const HeapAnalysis& a) {
  namespace k = model::key;
  using nlohmann::json;
  json classes = json::array();
  for (const SizeClass& c : a.classes)
    classes.push_back({{k::kLo, c.lo}, {k::kHi, c.hi}, {k::kAllocations, c.allocations}, {k::kBytes, c.bytes},
                       {k::kFreed, c.freed}, {k::kNeverFreed, c.never_freed}, {k::kRemoteFrees, c.remote_frees},
                       {k::kShortLived, c.short_lived}, {k::kLifetimeAllocsP50, c.life_allocs_p50},
                       {k::kLifetimeAllocsP90, c.life_allocs_p90}, {k::kLifetimeTimeP50, c.life_time_p50}});
  json growth = json::array();
  for (const GrowthStep& g : a.growth) growth.push_back({{k::kLabel, g.label}, {k::kCount, g.count}});
  json live = json::array();
  for (const LivePoint& p : a.live) live.push_back(json::array({p.call, p.time, p.bytes}));
  json threads = json::array();
  for (const ThreadFigures& t : a.per_thread)
    threads.push_back({{k::kThread, t.thread}, {k::kAllocations, t.allocations}, {k::kFrees, t.frees},
                       {k::kReallocs, t.reallocs}, {k::kRemoteFrees, t.remote_frees}, {k::kHandedOff, t.handed_off},
                       {k::kPeakLiveBytes, t.peak_live_bytes}, {k::kFrames, t.frames}});
  json recs = json::array();
  for (const Recommendation& r : a.recommendations)
    recs.push_back({{k::kKind, r.kind}, {k::kAllocators, r.allocators}, {k::kReason, r.reason}});
  return {{k::kCalls, a.calls}, {k::kAllocations, a.allocations}, {k::kFrees, a.frees}, {k::kReallocs, a.reallocs},
          {k::kUnknownFrees, a.unknown_frees}, {k::kThreads, a.threads}, {k::kTimeUnit, a.time_unit},
          {k::kSizeClasses, classes}, {k::kRemoteFrees, a.remote_frees}, {k::kRemoteFreeShare, a.remote_free_share},
          {k::kLifoShare, a.lifo_share}, {k::kSmallShare, a.small_share}, {k::kSmallShortShare, a.small_short_share},
          {k::kReallocShare, a.realloc_share}, {k::kGrowthMedian, a.growth_median}, {k::kGrowthSteps, growth},
          {k::kPeakLiveBytes, a.peak_live_bytes}, {k::kPeakCall, a.peak_call}, {k::kLiveBytes, live},
          {k::kFrames, a.frames}, {k::kFrameShare, a.frame_share}, {k::kFrameMedianAllocs, a.frame_median_allocations},
          {k::kReleasedTogether, a.released_together}, {k::kPerThread, threads}, {k::kRecommendations, recs}};
}

}  // namespace alloclab::analysis

namespace alloclab::analysis {
namespace {

using nlohmann::json;

// A JSON object read key by key: each read names its path in an error; done() refuses the keys
// no read asked for.
class Reader {
 public:
  Reader(const json& j, std::string where) : j_(j), where_(std::move(where)) {
    if (!j.is_object()) fail(where_, "expected an object");
  }

  [[noreturn]] static void fail(const std::string& where, const std::string& what) {
    throw AnalysisJsonError(fmt::format("{}: {}", where, what));
  }

  const json& at(std::string_view key) {
    const auto it = j_.find(key);
    if (it == j_.end()) fail(where_, fmt::format("missing key '{}'", key));
    seen_.emplace_back(key);
    return *it;
  }
  std::string path(std::string_view key) const { return fmt::format("{}.{}", where_, key); }

  std::uint64_t count(std::string_view key) { return count_of(at(key), path(key)); }
  std::uint32_t count32(std::string_view key) {
    const std::uint64_t v = count(key);
    if (v > ~std::uint32_t{0}) fail(path(key), "out of range");
    return static_cast<std::uint32_t>(v);
  }
  double figure(std::string_view key) {
    const json& v = at(key);
    if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() < 0)
      fail(path(key), "expected a finite non-negative number");
    return v.get<double>();
  }
  double share(std::string_view key) {
    const double v = figure(key);
    if (v > 1) fail(path(key), "expected a share in [0, 1]");
    return v;
  }
  std::string text(std::string_view key) {
    const json& v = at(key);
    if (!v.is_string()) fail(path(key), "expected a string");
    return v.get<std::string>();
  }
  bool has(std::string_view key) const { return j_.contains(key); }
  const json& array(std::string_view key) {
    const json& v = at(key);
    if (!v.is_array()) fail(path(key), "expected an array");
    return v;
  }

  void done() const {
    for (const auto& [key, value] : j_.items())
      if (std::find(seen_.begin(), seen_.end(), key) == seen_.end()) fail(where_, fmt::format("unknown key '{}'", key));
  }

  static std::uint64_t count_of(const json& v, const std::string& where) {
    if (!v.is_number_unsigned()) fail(where, "expected a non-negative integer");
    return v.get<std::uint64_t>();
  }

 private:
  const json& j_;
  std::string where_;
  std::vector<std::string> seen_;
};

std::string item(std::string_view key, std::size_t i) { return fmt::format("{}[{}]", key, i); }

// Each object of the array under `key`, read by `read(reader)`; its unread keys refused.
template <class F>
void each_object(Reader& r, std::string_view key, F&& read) {
  const json& items = r.array(key);
  for (std::size_t i = 0; i < items.size(); ++i) {
    Reader x(items[i], r.path(item(key, i)));
    read(x);
    x.done();
  }
}

// The counts of one kind of object, by key: read from a table, as to_json writes them.
template <class T>
struct CountField {
  std::string_view key;
  std::uint64_t T::*member;
};
template <class T, std::size_t N>
void read_counts(Reader& r, T& into, const CountField<T> (&fields)[N]) {
  for (const CountField<T>& f : fields) into.*(f.member) = r.count(f.key);
}

namespace k = model::key;
constexpr CountField<HeapAnalysis> kAnalysisCounts[] = {
    {k::kCalls, &HeapAnalysis::calls},           {k::kAllocations, &HeapAnalysis::allocations},
    {k::kFrees, &HeapAnalysis::frees},           {k::kReallocs, &HeapAnalysis::reallocs},
    {k::kUnknownFrees, &HeapAnalysis::unknown_frees}, {k::kRemoteFrees, &HeapAnalysis::remote_frees},
    {k::kPeakLiveBytes, &HeapAnalysis::peak_live_bytes}, {k::kPeakCall, &HeapAnalysis::peak_call},
    {k::kFrames, &HeapAnalysis::frames}};
constexpr CountField<SizeClass> kClassCounts[] = {
    {k::kLo, &SizeClass::lo},         {k::kHi, &SizeClass::hi},
    {k::kAllocations, &SizeClass::allocations}, {k::kBytes, &SizeClass::bytes},
    {k::kFreed, &SizeClass::freed},   {k::kNeverFreed, &SizeClass::never_freed},
    {k::kRemoteFrees, &SizeClass::remote_frees}, {k::kShortLived, &SizeClass::short_lived}};
constexpr CountField<ThreadFigures> kThreadCounts[] = {
    {k::kAllocations, &ThreadFigures::allocations}, {k::kFrees, &ThreadFigures::frees},
    {k::kReallocs, &ThreadFigures::reallocs},       {k::kRemoteFrees, &ThreadFigures::remote_frees},
    {k::kHandedOff, &ThreadFigures::handed_off},    {k::kPeakLiveBytes, &ThreadFigures::peak_live_bytes},
    {k::kFrames, &ThreadFigures::frames}};

}  // namespace

SavedAnalysis from_json(const json& j) {
  SavedAnalysis saved;
  HeapAnalysis& a = saved.analysis;
  Reader r(j, std::string(k::kAnalysis));
  read_counts(r, a, kAnalysisCounts);
  a.threads = r.count32(k::kThreads);
  a.time_unit = r.text(k::kTimeUnit);
  each_object(r, k::kSizeClasses, [&a](Reader& c) {
    SizeClass s;
    read_counts(c, s, kClassCounts);
    if (s.hi < s.lo) Reader::fail(c.path(k::kHi), "below lo");
    s.life_allocs_p50 = c.figure(k::kLifetimeAllocsP50);
    s.life_allocs_p90 = c.figure(k::kLifetimeAllocsP90);
    s.life_time_p50 = c.figure(k::kLifetimeTimeP50);
    a.classes.push_back(s);
  });
  a.remote_free_share = r.share(k::kRemoteFreeShare);
  a.lifo_share = r.share(k::kLifoShare);
  a.small_share = r.share(k::kSmallShare);
  a.small_short_share = r.share(k::kSmallShortShare);
  a.realloc_share = r.share(k::kReallocShare);
  a.growth_median = r.figure(k::kGrowthMedian);
  each_object(r, k::kGrowthSteps, [&a](Reader& g) { a.growth.push_back({g.text(k::kLabel), g.count(k::kCount)}); });
  const json& live = r.array(k::kLiveBytes);
  if (live.size() > kLivePoints) Reader::fail(r.path(k::kLiveBytes), fmt::format("more than {} points", kLivePoints));
  for (std::size_t i = 0; i < live.size(); ++i) {
    const std::string where = r.path(item(k::kLiveBytes, i));
    if (!live[i].is_array() || live[i].size() != 3) Reader::fail(where, "expected [call, time, bytes]");
    a.live.push_back({Reader::count_of(live[i][0], where), Reader::count_of(live[i][1], where),
                      Reader::count_of(live[i][2], where)});
  }
  a.frame_share = r.share(k::kFrameShare);
  a.frame_median_allocations = r.figure(k::kFrameMedianAllocs);
  a.released_together = r.share(k::kReleasedTogether);
  each_object(r, k::kPerThread, [&a](Reader& t) {
    ThreadFigures f;
    f.thread = t.count32(k::kThread);
    read_counts(t, f, kThreadCounts);
    a.per_thread.push_back(f);
  });
  const json& recs = r.array(k::kRecommendations);
  const bool backed = !recs.empty() && recs[0].is_object() && recs[0].contains(k::kBacking);
  each_object(r, k::kRecommendations, [&](Reader& rec) {
    Recommendation x;
    x.kind = rec.text(k::kKind);
    const json& names = rec.array(k::kAllocators);
    for (std::size_t n = 0; n < names.size(); ++n) {
      if (!names[n].is_string()) Reader::fail(rec.path(item(k::kAllocators, n)), "expected a string");
      x.allocators.push_back(names[n].get<std::string>());
    }
    x.reason = rec.text(k::kReason);
    if (rec.has(k::kBacking) != backed) Reader::fail(rec.path(k::kBacking), "on some recommendations only");
    if (rec.has(k::kBacking)) saved.backings.push_back(rec.text(k::kBacking));
    a.recommendations.push_back(std::move(x));
  });
  r.done();
  return saved;
}

}  // namespace alloclab::analysis
