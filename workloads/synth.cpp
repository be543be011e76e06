// synth: a trace generated from a workload spec (synth_spec.hpp; `alloclab analyze
// --workload-out`), at any length (--iters) and thread count (--threads).
//
// The threads advance in lockstep rounds of one simulated clock: in each round every thread
// first frees the blocks due then, then makes its allocation (a thread with fewer allocations
// than the longest skips rounds evenly). A block's lifetime, drawn for its size, is counted in
// its owner's allocations and becomes the round of its free. A remote block is published by
// its owner and freed (free_await) by the receiving thread in a later round, so every wait
// points backward in simulated time and no cycle of waits can form; a hand-off slot is reused
// only between the same two threads and only after the free of its previous block.
//
// Thread t of the run follows spec thread t mod S (S: the spec's threads); a hand-off to spec
// thread u goes to the run's thread u of t's group of S, wrapped to the run's threads.
#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <map>
#include <queue>
#include <random>

#include "generator.hpp"
#include "synth_spec.hpp"
#include "workload.hpp"

namespace alloclab {
namespace {

using gen::kMaxOps;
constexpr std::uint64_t kNever = ~std::uint64_t{0};

constexpr ParamSpec kParams[] = {
    {"threads", "threads", "threads (0: as many as the spec has)", 0, 0, 1024},
    {"iters", "iters", "allocations per thread (0: each spec thread's own count)", 0, 0, kMaxOps},
};

std::uint64_t allocations_of(const synth::ThreadSpec& t, const Params& p) {
  return p.at("iters") != 0 ? p.at("iters") : t.allocations;
}

// The round in which a thread of `n` allocations over `rounds` rounds makes allocation k.
std::uint64_t round_of(std::uint64_t k, std::uint64_t n, std::uint64_t rounds) {
  return ((k + 1) * rounds + n - 1) / n - 1;
}

struct Pending {
  std::uint64_t round;  // of its free
  std::uint64_t seq;    // allocation order: ties free the oldest first
  std::uint32_t slot, size;
  bool remote;
  bool operator>(const Pending& o) const { return round != o.round ? round > o.round : seq > o.seq; }
};
using PendingHeap = std::priority_queue<Pending, std::vector<Pending>, std::greater<>>;

// One run thread's draws from its spec thread.
class ThreadModel {
 public:
  ThreadModel(const synth::ThreadSpec& s, std::mt19937_64 rng) : spec_(s), rng_(rng) {
    std::vector<double> w;
    for (const synth::Bin& b : s.sizes) w.push_back(b.weight);
    size_bin_ = std::discrete_distribution<std::size_t>(w.begin(), w.end());
    for (const synth::LifetimeClass& c : s.lifetimes) {
      w.clear();
      for (const synth::Bin& b : c.bins) w.push_back(b.weight);
      w.push_back(c.never);
      life_bin_.emplace_back(w.begin(), w.end());
    }
    w.clear();
    for (const auto& h : s.handoff) w.push_back(h.second);
    if (!w.empty()) target_ = std::discrete_distribution<std::size_t>(w.begin(), w.end());
  }

  std::uint32_t size() {
    const synth::Bin& b = spec_.sizes[size_bin_(rng_)];
    return static_cast<std::uint32_t>(std::uniform_int_distribution<std::uint64_t>(b.lo, b.hi)(rng_));
  }
  // In the owner's allocations; kNever for a block never freed.
  std::uint64_t lifetime(std::uint32_t size) {
    std::size_t c = 0;
    while (c + 1 < spec_.lifetimes.size() && !(spec_.lifetimes[c].lo <= size && size <= spec_.lifetimes[c].hi)) ++c;
    const std::size_t bin = life_bin_[c](rng_);
    const auto& bins = spec_.lifetimes[c].bins;
    if (bin == bins.size()) return kNever;
    return std::uniform_int_distribution<std::uint64_t>(bins[bin].lo, bins[bin].hi)(rng_);
  }
  // The spec thread that frees a freed block, or -1: its owner.
  std::int64_t freed_by() {
    if (spec_.remote_free_share <= 0 || !std::bernoulli_distribution(spec_.remote_free_share)(rng_)) return -1;
    return spec_.handoff[target_(rng_)].first;
  }

 private:
  const synth::ThreadSpec& spec_;
  std::mt19937_64 rng_;
  std::discrete_distribution<std::size_t> size_bin_;
  std::vector<std::discrete_distribution<std::size_t>> life_bin_;  // per lifetimes entry; last: never
  std::discrete_distribution<std::size_t> target_;
};

class Synthesizer {
 public:
  Synthesizer(const synth::WorkloadSpec& spec, const GenerateRequest& req)
      : spec_(spec), threads_(static_cast<std::uint32_t>(req.params.at("threads"))) {
    for (std::uint32_t t = 0; t < threads_; ++t) {
      const synth::ThreadSpec& s = spec.threads[t % spec.threads.size()];
      models_.emplace_back(s, gen::thread_rng(req, t));
      n_.push_back(allocations_of(s, req.params));
      rounds_ = std::max(rounds_, n_.back());
    }
    trace_.threads.resize(threads_);
    pending_.resize(threads_);
    local_free_.resize(threads_);
  }

  Trace run() {
    std::vector<std::uint64_t> made(threads_, 0);
    for (std::uint64_t r = 0; r < rounds_; ++r)
      for (std::uint32_t t = 0; t < threads_; ++t) {
        free_due(t, r);
        if (made[t] < n_[t] && round_of(made[t], n_[t], rounds_) == r) allocate(t, r, made[t]++);
      }
    for (std::uint32_t t = 0; t < threads_; ++t) free_due(t, kNever);
    trace_.slots = next_slot_;
    trace_.peak_live_bytes = peak_;
    trace_.needs_caps |= kFree;
    return std::move(trace_);
  }

 private:
  std::uint32_t run_thread_of(std::uint32_t t, std::uint32_t spec_thread) const {
    const auto s = static_cast<std::uint32_t>(spec_.threads.size());
    return ((t / s) * s + spec_thread) % threads_;
  }

  void allocate(std::uint32_t t, std::uint64_t r, std::uint64_t k) {
    ThreadModel& m = models_[t];
    const std::uint32_t size = m.size();
    const std::uint64_t life = m.lifetime(size);
    std::uint32_t freer = t;
    if (life != kNever)
      if (const std::int64_t u = m.freed_by(); u >= 0) freer = run_thread_of(t, static_cast<std::uint32_t>(u));
    const std::uint64_t due = life == kNever || k + life >= n_[t] ? kNever : round_of(k + life, n_[t], rounds_);
    ++trace_.allocations;
    trace_.max_request = std::max<std::size_t>(trace_.max_request, size);
    live_ += size;
    peak_ = std::max(peak_, live_);
    auto& ops = trace_.threads[t];
    if (freer == t) {
      auto& pool = local_free_[t];
      std::uint32_t slot;
      if (pool.empty()) {
        slot = next_slot_++;
      } else {
        slot = pool.back();
        pool.pop_back();
      }
      ops.push_back(Op::make(OpKind::kAlloc, slot, size));
      pending_[t].push(Pending{due, seq_++, slot, size, false});
      return;
    }
    trace_.needs_caps |= kCrossThreadFree;
    auto& pool = handoff_[(std::uint64_t{t} << 32) | freer];
    std::uint32_t slot;
    if (!pool.empty() && pool.front().second < r) {
      slot = pool.front().first;
      pool.pop_front();
    } else {
      slot = next_slot_++;
    }
    ops.push_back(Op::make(OpKind::kAllocPublish, slot, size));
    // Freed by the receiver: at the end of the trace when its lifetime runs past it.
    pending_[freer].push(Pending{due, seq_++, slot, size, true});
    owner_of_[slot] = t;
  }

  void free_due(std::uint32_t t, std::uint64_t r) {
    auto& heap = pending_[t];
    while (!heap.empty() && (heap.top().round <= r || r == kNever)) {
      const Pending p = heap.top();
      heap.pop();
      live_ -= p.size;
      if (!p.remote) {
        trace_.threads[t].push_back(Op::make(OpKind::kFree, p.slot));
        local_free_[t].push_back(p.slot);
        continue;
      }
      trace_.threads[t].push_back(Op::make(OpKind::kFreeAwait, p.slot));
      handoff_[(std::uint64_t{owner_of_[p.slot]} << 32) | t].emplace_back(p.slot, r);
    }
  }

  const synth::WorkloadSpec& spec_;
  std::uint32_t threads_;
  std::vector<ThreadModel> models_;
  std::vector<std::uint64_t> n_;
  std::uint64_t rounds_ = 0;
  Trace trace_;
  std::vector<PendingHeap> pending_;                      // by the thread that frees
  std::vector<std::vector<std::uint32_t>> local_free_;   // free plain slots per thread
  std::map<std::uint64_t, std::deque<std::pair<std::uint32_t, std::uint64_t>>> handoff_;  // (owner, freer) -> (slot, freed in round)
  std::map<std::uint32_t, std::uint32_t> owner_of_;      // hand-off slot -> its publisher
  std::uint32_t next_slot_ = 0;
  std::uint64_t seq_ = 0;
  std::uint64_t live_ = 0, peak_ = 0;
};

// The spec read and checked, with the thread count it implies when --threads is 0.
std::string load_file(const std::string& path, Params& derived) {
  try {
    const synth::WorkloadSpec s = synth::read_spec(path);
    if (derived.at("threads") == 0) derived["threads"] = s.threads.size();
    std::uint64_t allocations = 0;
    for (std::uint64_t t = 0; t < derived.at("threads"); ++t)
      allocations += allocations_of(s.threads[t % s.threads.size()], derived);
    if (allocations > kMaxOps / 2)
      return fmt::format("synth: {} allocations (with their frees) exceed the trace limit of {} ops", allocations, kMaxOps);
    return {};
  } catch (const synth::SpecError& e) {
    return e.what();
  }
}

Trace generate(const GenerateRequest& req) {
  const synth::WorkloadSpec spec = synth::read_spec(req.spec_file);
  return Synthesizer(spec, req).run();
}

}  // namespace

ALLOCLAB_REGISTER_WORKLOAD((WorkloadInfo{
    "synth", "a trace generated from a workload spec (alloclab analyze --workload-out; --spec FILE)",
    kParams, nullptr, &generate, &load_file, /*trace_depends_on_caps=*/false,
    /*open_stream=*/nullptr, /*count_param=*/{}, "--spec"}));

}  // namespace alloclab
