#include "heap_analysis.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

#include "strategies.hpp"

namespace alloclab::analysis {
namespace {

namespace tf = trace_format;

// Upper bounds of the size classes (bytes, inclusive); the last is open.
constexpr std::array<std::uint64_t, 13> kClassHi = {16,    32,     64,     128,     256,     512,    1024,
                                                    4096,  16384,  65536,  262144,  1048576, ~std::uint64_t{0}};
constexpr std::size_t class_of(std::uint64_t size) {
  std::size_t c = 0;
  while (size > kClassHi[c]) ++c;
  return c;
}
constexpr std::uint64_t class_lo(std::size_t c) { return c == 0 ? 0 : kClassHi[c - 1] + 1; }

// Lifetime bins of the workload spec: [1,1], [2,3], [4,7], ... (log2).
constexpr unsigned life_bin(std::uint64_t life) { return life <= 1 ? 0 : 64 - static_cast<unsigned>(__builtin_clzll(life)) - 1; }
// Size bins of the spec: four per octave, so sizes inside a bin are drawn uniformly.
constexpr unsigned size_bin(std::uint64_t size) {
  if (size < 8) return static_cast<unsigned>(size);
  const unsigned octave = 63 - static_cast<unsigned>(__builtin_clzll(size));
  return 8 + (octave - 3) * 4 + static_cast<unsigned>((size >> (octave - 2)) & 3);
}

bool allocates(const RecordedCall& c) {
  return c.call != tf::Call::kFree && !(c.call == tf::Call::kRealloc && c.old_ptr != 0);
}

double percentile(std::vector<std::uint64_t>& v, double q) {
  if (v.empty()) return 0;
  const auto k = static_cast<std::size_t>(q * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return static_cast<double>(v[k]);
}
double median_of(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}
double share(std::uint64_t part, std::uint64_t whole) { return whole == 0 ? 0 : static_cast<double>(part) / static_cast<double>(whole); }

// Walks the calls once and keeps every figure analyze() and workload_spec() report.
class Walker {
 public:
  struct Block {
    std::uint64_t seq;        // global allocation index
    std::uint64_t own_index;  // index among its owner's allocations
    std::uint64_t time, size, first_size;
    std::uint32_t owner;      // dense thread index
    std::uint64_t phase;
  };
  struct PhaseState {
    std::uint64_t id = 0, allocations = 0, live = 0, frees = 0, frees_since_alloc = 0;
  };
  struct ThreadState {
    ThreadFigures fig;
    PhaseState phase;
    std::set<std::uint64_t> live;  // seqs of its live blocks: the newest is *rbegin()
    std::uint64_t live_bytes = 0;
    // The spec's inputs: sizes by fine bin (count, min, max), lifetimes by class and bin.
    std::map<unsigned, std::array<std::uint64_t, 3>> sizes;
    std::map<std::size_t, std::map<unsigned, std::array<std::uint64_t, 3>>> lifetimes;
    std::map<std::size_t, std::uint64_t> never;
    std::uint64_t freed = 0, handed_off = 0;
    std::map<std::uint32_t, std::uint64_t> handoff;
  };

  explicit Walker(const RecordedTrace& t) : trace_(t) {
    per_class_.resize(kClassHi.size());
    life_allocs_.resize(kClassHi.size());
    life_time_.resize(kClassHi.size());
    const std::uint64_t n = t.calls.size();
    sample_every_ = std::max<std::uint64_t>(1, (n + kLivePoints - 1) / kLivePoints);
    for (std::uint64_t i = 0; i < n; ++i) step(t.calls[i], i);
    for (const auto& [ptr, b] : live_) {
      ++per_class_[class_of(b.first_size)].never_freed;
      ++threads_[b.owner].never[class_of(b.first_size)];
    }
  }

  void fill(HeapAnalysis& a) {
    a.calls = trace_.calls.size();
    a.allocations = allocations_;
    a.frees = frees_;
    a.reallocs = reallocs_;
    a.unknown_frees = unknown_frees_;
    a.threads = static_cast<std::uint32_t>(threads_.size());
    a.time_unit = (trace_.header.flags & tf::kFlagTimeTsc) != 0 ? "TSC ticks" : "ns";
    for (std::size_t c = 0; c < kClassHi.size(); ++c) {
      SizeClass& k = per_class_[c];
      if (k.allocations == 0) continue;
      k.lo = class_lo(c);
      k.hi = kClassHi[c];
      k.life_allocs_p50 = percentile(life_allocs_[c], 0.5);
      k.life_allocs_p90 = percentile(life_allocs_[c], 0.9);
      k.life_time_p50 = percentile(life_time_[c], 0.5);
      a.classes.push_back(k);
    }
    a.remote_frees = remote_frees_;
    a.remote_free_share = share(remote_frees_, frees_);
    a.lifo_share = share(lifo_frees_, frees_);
    a.small_share = share(small_, allocations_);
    a.small_short_share = share(small_short_, allocations_);
    a.realloc_share = share(reallocs_, allocations_ + reallocs_);
    a.growth_median = median_of(growth_factors_);
    static constexpr const char* kLabels[] = {"shrink", "same", "up to 1.25x", "up to 1.5x", "up to 2x", "over 2x"};
    for (std::size_t i = 0; i < growth_.size(); ++i) a.growth.push_back({kLabels[i], growth_[i]});
    a.peak_live_bytes = peak_;
    a.peak_call = peak_call_;
    a.live = live_points_;
    a.frames = frame_sizes_.size();
    a.frame_share = share(frame_allocations_, allocations_);
    a.frame_median_allocations = median_of(frame_sizes_);
    a.released_together = frame_sizes_.empty() ? 0 : released_sum_ / static_cast<double>(frame_sizes_.size());
    for (const ThreadState& t : threads_) a.per_thread.push_back(t.fig);
  }

  synth::WorkloadSpec spec() const {
    synth::WorkloadSpec s;
    for (const ThreadState& t : threads_) {
      synth::ThreadSpec ts;
      ts.allocations = t.fig.allocations;
      if (ts.allocations == 0) {  // a thread that only freed: one block, so the spec stays valid
        ts.allocations = 1;
        ts.sizes.push_back({16, 16, 1});
        ts.lifetimes.push_back({0, kClassHi[0], {{1, 1, 1}}, 0});
        s.threads.push_back(std::move(ts));
        continue;
      }
      for (const auto& [bin, v] : t.sizes) ts.sizes.push_back({v[1], v[2], static_cast<double>(v[0])});
      std::set<std::size_t> classes;
      for (const auto& [bin, v] : t.sizes) classes.insert(class_of(v[1]));
      for (std::size_t c : classes) {
        synth::LifetimeClass lc{class_lo(c), kClassHi[c], {}, 0};
        if (auto it = t.lifetimes.find(c); it != t.lifetimes.end())
          for (const auto& [bin, v] : it->second) lc.bins.push_back({v[1], v[2], static_cast<double>(v[0])});
        if (auto it = t.never.find(c); it != t.never.end()) lc.never = static_cast<double>(it->second);
        ts.lifetimes.push_back(std::move(lc));
      }
      ts.remote_free_share = share(t.handed_off, t.freed);
      for (const auto& [to, n] : t.handoff) ts.handoff.emplace_back(to, static_cast<double>(n));
      s.threads.push_back(std::move(ts));
    }
    return s;
  }

 private:
  static void note(std::array<std::uint64_t, 3>& v, std::uint64_t x) {
    v[1] = v[0] == 0 ? x : std::min(v[1], x);
    v[2] = v[0] == 0 ? x : std::max(v[2], x);
    ++v[0];
  }

  std::uint32_t dense(std::uint32_t recorded) {
    auto [it, fresh] = dense_.try_emplace(recorded, static_cast<std::uint32_t>(threads_.size()));
    if (fresh) {
      threads_.emplace_back();
      threads_.back().fig.thread = recorded;
    }
    return it->second;
  }

  void step(const RecordedCall& c, std::uint64_t i) {
    if (i == 0) t0_ = c.time;
    call_ = i;
    const std::uint32_t t = dense(c.thread);
    if (c.call == tf::Call::kFree) {
      if (c.ptr != 0) release(t, c, c.ptr);
    } else if (c.call == tf::Call::kRealloc && c.old_ptr != 0) {
      if (c.ptr == 0) release(t, c, c.old_ptr);
      else reallocate(t, c);
    } else if (allocates(c) && c.ptr != 0) {
      allocate(t, c);
    }
    sample(c, i);
  }

  void sample(const RecordedCall& c, std::uint64_t i) {
    bucket_max_ = std::max(bucket_max_, live_bytes_);
    if ((i + 1) % sample_every_ != 0 && i + 1 != trace_.calls.size()) return;
    live_points_.push_back({i, c.time - t0_, bucket_max_});
    bucket_max_ = live_bytes_;
  }

  void add_live(ThreadState& owner, std::int64_t delta, std::uint64_t call) {
    live_bytes_ = static_cast<std::uint64_t>(static_cast<std::int64_t>(live_bytes_) + delta);
    owner.live_bytes = static_cast<std::uint64_t>(static_cast<std::int64_t>(owner.live_bytes) + delta);
    owner.fig.peak_live_bytes = std::max(owner.fig.peak_live_bytes, owner.live_bytes);
    if (live_bytes_ > peak_) {
      peak_ = live_bytes_;
      peak_call_ = call;
    }
  }

  void allocate(std::uint32_t t, const RecordedCall& c) {
    ThreadState& th = threads_[t];
    if (auto old = live_.find(c.ptr); old != live_.end()) forget(old->second);  // its free was not recorded
    const std::size_t cls = class_of(c.size);
    Block b{allocations_, th.fig.allocations, c.time, c.size, c.size, t, th.phase.id};
    ++allocations_;
    ++th.fig.allocations;
    ++per_class_[cls].allocations;
    per_class_[cls].bytes += c.size;
    if (c.size <= kSmallBlock) ++small_;
    note(th.sizes[static_cast<unsigned>(cls) * 256 + size_bin(c.size)], c.size);  // a bin never straddles two classes
    th.live.insert(b.seq);
    ++th.phase.allocations;
    ++th.phase.live;
    th.phase.frees_since_alloc = 0;
    add_live(th, static_cast<std::int64_t>(c.size), call_);
    live_[c.ptr] = b;
  }

  // A block whose pointer came back while it was live: its free is missing; it leaves the
  // figures as if never freed.
  void forget(const Block& b) {
    ThreadState& owner = threads_[b.owner];
    owner.live.erase(b.seq);
    add_live(owner, -static_cast<std::int64_t>(b.size), call_);
    if (b.phase == owner.phase.id) --owner.phase.live;
    ++per_class_[class_of(b.first_size)].never_freed;
    ++owner.never[class_of(b.first_size)];
  }

  void release(std::uint32_t t, const RecordedCall& c, std::uint64_t ptr) {
    auto it = live_.find(ptr);
    if (it == live_.end()) {
      ++unknown_frees_;
      return;
    }
    const Block b = it->second;
    live_.erase(it);
    ThreadState& owner = threads_[b.owner];
    ThreadState& freer = threads_[t];
    const std::size_t cls = class_of(b.first_size);
    SizeClass& k = per_class_[cls];
    ++frees_;
    ++freer.fig.frees;
    ++k.freed;
    const std::uint64_t life = allocations_ - b.seq;
    life_allocs_[cls].push_back(life);
    life_time_[cls].push_back(c.time >= b.time ? c.time - b.time : 0);
    if (life <= kShortLife) {
      ++k.short_lived;
      if (b.first_size <= kSmallBlock) ++small_short_;
    }
    if (!owner.live.empty() && *owner.live.rbegin() == b.seq) ++lifo_frees_;
    owner.live.erase(b.seq);
    ++owner.freed;
    if (b.owner != t) {
      ++remote_frees_;
      ++k.remote_frees;
      ++freer.fig.remote_frees;
      ++owner.fig.handed_off;
      ++owner.handed_off;
      ++owner.handoff[t];
    }
    const std::uint64_t own_life = owner.fig.allocations - b.own_index;
    note(owner.lifetimes[cls][life_bin(own_life)], own_life);
    add_live(owner, -static_cast<std::int64_t>(b.size), call_);
    end_in_phase(owner, b);
  }

  void end_in_phase(ThreadState& owner, const Block& b) {
    PhaseState& p = owner.phase;
    if (b.phase != p.id) return;  // from an earlier phase
    --p.live;
    ++p.frees;
    ++p.frees_since_alloc;
    if (p.live != 0) return;
    if (p.allocations >= kMinFrameAllocations) {
      frame_sizes_.push_back(static_cast<double>(p.allocations));
      frame_allocations_ += p.allocations;
      released_sum_ += share(p.frees_since_alloc, p.frees);
      ++owner.fig.frames;
    }
    p = PhaseState{p.id + 1};
  }

  void reallocate(std::uint32_t t, const RecordedCall& c) {
    ++reallocs_;
    ++threads_[t].fig.reallocs;
    auto it = live_.find(c.old_ptr);
    if (it == live_.end()) {  // allocated before the recording: a fresh block from here on
      ++unknown_frees_;
      return allocate(t, c);
    }
    Block b = it->second;
    live_.erase(it);
    const double f = static_cast<double>(c.size) / static_cast<double>(std::max<std::uint64_t>(b.size, 1));
    growth_[f < 1 ? 0 : f == 1 ? 1 : f <= 1.25 ? 2 : f <= 1.5 ? 3 : f <= 2 ? 4 : 5]++;
    if (f > 1) growth_factors_.push_back(f);
    add_live(threads_[b.owner], static_cast<std::int64_t>(c.size) - static_cast<std::int64_t>(b.size),
             call_);
    b.size = c.size;
    if (auto old = live_.find(c.ptr); old != live_.end()) forget(old->second);
    live_[c.ptr] = b;
  }

  const RecordedTrace& trace_;
  std::unordered_map<std::uint32_t, std::uint32_t> dense_;
  std::vector<ThreadState> threads_;
  std::unordered_map<std::uint64_t, Block> live_;
  std::vector<SizeClass> per_class_;
  std::vector<std::vector<std::uint64_t>> life_allocs_, life_time_;
  std::uint64_t allocations_ = 0, frees_ = 0, reallocs_ = 0, unknown_frees_ = 0;
  std::uint64_t remote_frees_ = 0, lifo_frees_ = 0, small_ = 0, small_short_ = 0;
  std::array<std::uint64_t, 6> growth_{};
  std::vector<double> growth_factors_;
  std::uint64_t call_ = 0, live_bytes_ = 0, peak_ = 0, peak_call_ = 0, bucket_max_ = 0, t0_ = 0, sample_every_ = 1;
  std::vector<LivePoint> live_points_;
  std::vector<double> frame_sizes_;
  std::uint64_t frame_allocations_ = 0;
  double released_sum_ = 0;
};

std::string pct(double share) { return fmt::format("{:.0f} %", share * 100); }

std::vector<Recommendation> recommend(const HeapAnalysis& a) {
  std::vector<Recommendation> out;
  auto strategy = [](const Strategy& s) { return std::vector<std::string>{std::string(s.allocator)}; };
  // A multi-threaded program needs the pools to be thread-safe.
  const Strategy& pool = a.threads > 1 ? kThreadPool : kSmallPool;
  if (a.small_short_share >= 0.5)
    out.push_back({"small_pool", strategy(pool),
                   fmt::format("{} of blocks are <= {} B and die within {} allocations ({} are <= {} B): {} ({})",
                               pct(a.small_short_share), kSmallBlock, kShortLife, pct(a.small_share), kSmallBlock,
                               pool.what, pool.allocator)});
  // Three or more in one thread: one phase alone is often a program (or a thread, from its
  // start to its exit) freeing everything at its end.
  const bool repeats = std::any_of(a.per_thread.begin(), a.per_thread.end(),
                                   [](const ThreadFigures& t) { return t.frames >= 3; });
  if (repeats && a.frame_share >= 0.5)
    out.push_back({"phase_arena", strategy(kPhaseArena),
                   fmt::format("{} phases release everything they allocated ({} of all allocations, a median "
                               "{:.0f} each, {} of their frees after their last allocation): {} ({})",
                               a.frames, pct(a.frame_share), a.frame_median_allocations, pct(a.released_together),
                               kPhaseArena.what, kPhaseArena.allocator)});
  if (a.remote_free_share >= 0.1) {
    Recommendation r{"remote_free", {}, {}};
    for (std::string_view n : kCheapRemoteFree) r.allocators.emplace_back(n);
    r.allocators.emplace_back(kThreadPool.allocator);  // its remote free is mimalloc's: a CAS
    r.reason = fmt::format("{} of frees are remote: prefer an allocator with cheap remote frees ({})",
                           pct(a.remote_free_share), fmt::join(r.allocators, ", "));
    out.push_back(std::move(r));
  }
  if (a.realloc_share >= 0.1)
    out.push_back({"realloc", strategy(kGeneral),
                   fmt::format("{} of allocating calls are reallocs (median growth {:.2f}x): an allocator with "
                               "realloc is needed; pools alone cannot serve this trace",
                               pct(a.realloc_share), a.growth_median)});
  if (out.empty())
    out.push_back({"general", strategy(kGeneral),
                   fmt::format("no pattern dominates ({} small and short-lived, {} in frames, {} remote frees): {} ({})",
                               pct(a.small_short_share), pct(a.frame_share), pct(a.remote_free_share), kGeneral.what,
                               kGeneral.allocator)});
  return out;
}

}  // namespace

HeapAnalysis analyze(const RecordedTrace& trace) {
  HeapAnalysis a;
  Walker(trace).fill(a);
  a.recommendations = recommend(a);
  return a;
}

synth::WorkloadSpec workload_spec(const RecordedTrace& trace) {
  synth::WorkloadSpec s = Walker(trace).spec();
  bool any = false;
  for (const synth::ThreadSpec& t : s.threads) any = any || !t.sizes.empty();
  if (!any) throw synth::SpecError("the trace holds no allocation to describe");
  return s;
}

}  // namespace alloclab::analysis
