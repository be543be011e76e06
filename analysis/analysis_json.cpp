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

}  // namespace

SavedAnalysis from_json(const json& j) {
  namespace k = model::key;
  SavedAnalysis saved;
  HeapAnalysis& a = saved.analysis;
  Reader r(j, std::string(k::kAnalysis));
  a.calls = r.count(k::kCalls);
  a.allocations = r.count(k::kAllocations);
  a.frees = r.count(k::kFrees);
  a.reallocs = r.count(k::kReallocs);
  a.unknown_frees = r.count(k::kUnknownFrees);
  a.threads = r.count32(k::kThreads);
  a.time_unit = r.text(k::kTimeUnit);
  const json& classes = r.array(k::kSizeClasses);
  for (std::size_t i = 0; i < classes.size(); ++i) {
    Reader c(classes[i], r.path(item(k::kSizeClasses, i)));
    SizeClass s;
    s.lo = c.count(k::kLo);
    s.hi = c.count(k::kHi);
    if (s.hi < s.lo) Reader::fail(c.path(k::kHi), "below lo");
    s.allocations = c.count(k::kAllocations);
    s.bytes = c.count(k::kBytes);
    s.freed = c.count(k::kFreed);
    s.never_freed = c.count(k::kNeverFreed);
    s.remote_frees = c.count(k::kRemoteFrees);
    s.short_lived = c.count(k::kShortLived);
    s.life_allocs_p50 = c.figure(k::kLifetimeAllocsP50);
    s.life_allocs_p90 = c.figure(k::kLifetimeAllocsP90);
    s.life_time_p50 = c.figure(k::kLifetimeTimeP50);
    c.done();
    a.classes.push_back(s);
  }
  a.remote_frees = r.count(k::kRemoteFrees);
  a.remote_free_share = r.share(k::kRemoteFreeShare);
  a.lifo_share = r.share(k::kLifoShare);
  a.small_share = r.share(k::kSmallShare);
  a.small_short_share = r.share(k::kSmallShortShare);
  a.realloc_share = r.share(k::kReallocShare);
  a.growth_median = r.figure(k::kGrowthMedian);
  const json& growth = r.array(k::kGrowthSteps);
  for (std::size_t i = 0; i < growth.size(); ++i) {
    Reader g(growth[i], r.path(item(k::kGrowthSteps, i)));
    a.growth.push_back({g.text(k::kLabel), g.count(k::kCount)});
    g.done();
  }
  a.peak_live_bytes = r.count(k::kPeakLiveBytes);
  a.peak_call = r.count(k::kPeakCall);
  const json& live = r.array(k::kLiveBytes);
  if (live.size() > kLivePoints) Reader::fail(r.path(k::kLiveBytes), fmt::format("more than {} points", kLivePoints));
  for (std::size_t i = 0; i < live.size(); ++i) {
    const std::string where = r.path(item(k::kLiveBytes, i));
    if (!live[i].is_array() || live[i].size() != 3) Reader::fail(where, "expected [call, time, bytes]");
    a.live.push_back({Reader::count_of(live[i][0], where), Reader::count_of(live[i][1], where),
                      Reader::count_of(live[i][2], where)});
  }
  a.frames = r.count(k::kFrames);
  a.frame_share = r.share(k::kFrameShare);
  a.frame_median_allocations = r.figure(k::kFrameMedianAllocs);
  a.released_together = r.share(k::kReleasedTogether);
  const json& threads = r.array(k::kPerThread);
  for (std::size_t i = 0; i < threads.size(); ++i) {
    Reader t(threads[i], r.path(item(k::kPerThread, i)));
    ThreadFigures f;
    f.thread = t.count32(k::kThread);
    f.allocations = t.count(k::kAllocations);
    f.frees = t.count(k::kFrees);
    f.reallocs = t.count(k::kReallocs);
    f.remote_frees = t.count(k::kRemoteFrees);
    f.handed_off = t.count(k::kHandedOff);
    f.peak_live_bytes = t.count(k::kPeakLiveBytes);
    f.frames = t.count(k::kFrames);
    t.done();
    a.per_thread.push_back(f);
  }
  const json& recs = r.array(k::kRecommendations);
  const bool backed = !recs.empty() && recs[0].is_object() && recs[0].contains(k::kBacking);
  for (std::size_t i = 0; i < recs.size(); ++i) {
    Reader rec(recs[i], r.path(item(k::kRecommendations, i)));
    Recommendation x;
    x.kind = rec.text(k::kKind);
    const json& names = rec.array(k::kAllocators);
    for (std::size_t n = 0; n < names.size(); ++n) {
      if (!names[n].is_string()) Reader::fail(rec.path(item(k::kAllocators, n)), "expected a string");
      x.allocators.push_back(names[n].get<std::string>());
    }
    x.reason = rec.text(k::kReason);
    if (rec.has(k::kBacking) != backed)
      Reader::fail(rec.path(k::kBacking), "on some recommendations only");
    if (rec.has(k::kBacking)) saved.backings.push_back(rec.text(k::kBacking));
    rec.done();
    a.recommendations.push_back(std::move(x));
  }
  r.done();
  return saved;
}

}  // namespace alloclab::analysis
