#include "analysis_json.hpp"

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
