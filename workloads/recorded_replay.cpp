// replay: a program's recorded heap calls (alloclab record) as an op trace. The calls are
// walked in their global order; each recorded pointer becomes a block in a slot.
//
// Slot rules (what keeps the replay free of races and deadlocks):
//   - A block allocated and freed by one thread uses a slot from that thread's own pool:
//     plain ops touch it, no other thread ever does.
//   - A block freed by another thread is found out at its free; its allocation op is then
//     rewritten in place to kAllocPublish on a hand-off slot, and the free is kFreeAwait.
//     A hand-off slot is reused only between the same publishing and the same freeing
//     thread: with one publisher "empty" can only mean "the previous block was freed", never
//     "not yet published"; with one consumer a kFreeAwait can only find the block meant for
//     it (two consumers of one slot could both take the same block, or one could take the
//     other's and leave it waiting for a publish that waits on it). And it is reused only for
//     a block allocated after the previous one was freed: every wait points forward in
//     recorded time, so no cycle of waits can form.
//   - Streamed in rounds (open_recorded_stream): a block freed by another thread in a later
//     round is a plain free of its slot there (the chunk barrier orders it after the
//     allocation), and the slot joins the freeing thread's pool: only that thread touches it
//     next, after its free in its own order.
#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <limits>
#include <memory>
#include <unordered_map>
#include <unordered_set>

#include "recorded_trace.hpp"
#include "trace_stream.hpp"
#include "workload.hpp"

namespace alloclab {
namespace {

namespace tf = trace_format;

constexpr std::uint64_t kMaxOps = std::uint64_t{1} << 28;
constexpr std::uint32_t kMaxReplayThreads = 1024;
constexpr std::uint32_t kUnmapped = std::numeric_limits<std::uint32_t>::max();

class Converter {
 public:
  Converter(const std::string& name, ConversionStats& stats) : name_(name), stats_(stats) {}

  void add(const RecordedCall& c, std::uint64_t seq) {
    const std::uint32_t t = replay_thread(c.thread);
    switch (c.call) {
      case tf::Call::kFree:
        if (c.ptr != 0) release(t, c.ptr, seq);
        return;
      case tf::Call::kRealloc:
        if (c.old_ptr == 0) return allocate(t, c, seq);
        if (c.ptr == 0) return release(t, c.old_ptr, seq);  // realloc(p, 0) freed p
        return reallocate(t, c, seq);
      default:
        return allocate(t, c, seq);
    }
  }

  Trace finish() {
    free_what_is_left();
    Trace out;
    for (auto& ops : threads_)
      if (!ops.empty()) out.threads.push_back(std::move(ops));
    if (allocations_ == 0) fail("holds no allocation to replay");
    std::uint64_t total = 0;
    for (const auto& ops : out.threads) total += ops.size();
    if (total > kMaxOps) fail("{} ops exceed the replay limit of {}", total, kMaxOps);
    if (out.threads.size() > kMaxReplayThreads)
      fail("{} threads exceed the replay limit of {}", out.threads.size(), kMaxReplayThreads);
    count_into(out);
    return out;
  }

  // Streaming: replay threads for the recorded ones in this order (their first calls' order).
  void map_threads(const std::vector<std::uint32_t>& order) {
    for (std::uint32_t recorded : order) replay_thread(recorded);
  }
  // Streaming: the ops of the round so far into `out` (one vector per replay thread); the
  // next round starts.
  void take_round(std::vector<std::vector<Op>>& out) {
    for (std::size_t t = 0; t < threads_.size(); ++t) {
      out[t].clear();
      out[t].swap(threads_[t]);
    }
    ++round_;
  }
  std::size_t most_round_ops() const {
    std::size_t most = 0;
    for (const auto& ops : threads_) most = std::max(most, ops.size());
    return most;
  }
  void close() { free_what_is_left(); }
  void count_into(Trace& out) const {
    out.slots = next_slot_;
    out.allocations = allocations_;
    out.peak_live_bytes = peak_;
    out.max_request = std::max(out.max_request, max_request_);
    out.needs_caps |= caps_;
    out.align = std::max(out.align, align_);
  }

 private:
  struct Block {
    std::uint32_t slot;
    std::uint32_t owner;  // replay thread that allocated it
    std::uint32_t size;
    std::size_t alloc_op;  // index of its allocation op in the owner's stream
    std::uint64_t alloc_seq;
    std::uint64_t round;  // streaming: the round of its allocation (alloc_op indexes that round's ops)
    bool reallocated;  // a kRealloc touched its slot: it cannot become a hand-off any more
  };

  template <class... Args>
  [[noreturn]] void fail(fmt::format_string<Args...> f, Args&&... args) const {
    throw TraceFileError(
        fmt::format("trace '{}': {}", name_, fmt::format(f, std::forward<Args>(args)...)));
  }

  std::uint32_t replay_thread(std::uint32_t recorded) {
    if (recorded >= thread_map_.size()) thread_map_.resize(recorded + 1, kUnmapped);
    if (thread_map_[recorded] == kUnmapped) {
      thread_map_[recorded] = static_cast<std::uint32_t>(threads_.size());
      threads_.emplace_back();
      plain_free_.emplace_back();
    }
    return thread_map_[recorded];
  }

  std::uint32_t new_slot() {
    if (next_slot_ == Op::kMaxSlots) fail("more than {} live blocks", Op::kMaxSlots);
    return next_slot_++;
  }
  std::uint32_t take_plain(std::uint32_t t) {
    auto& pool = plain_free_[t];
    if (pool.empty()) return new_slot();
    const std::uint32_t s = pool.back();
    pool.pop_back();
    return s;
  }
  using HandoffPool = std::deque<std::pair<std::uint32_t, std::uint64_t>>;  // (slot, freed at)
  HandoffPool& handoff_pool(std::uint32_t publisher, std::uint32_t consumer) {
    return handoff_free_[(std::uint64_t{publisher} << 32) | consumer];
  }
  // pre: releases were pushed in increasing seq order, so the front is the oldest.
  std::uint32_t take_handoff(HandoffPool& pool, std::uint64_t alloc_seq) {
    if (pool.empty() || pool.front().second >= alloc_seq) return new_slot();
    const std::uint32_t s = pool.front().first;
    pool.pop_front();
    return s;
  }

  void emit(std::uint32_t t, Op op) { threads_[t].push_back(op); }

  void add_live(std::uint64_t add, std::uint64_t remove) {
    live_ = live_ + add - remove;
    peak_ = std::max(peak_, live_);
  }

  void allocate(std::uint32_t t, const RecordedCall& c, std::uint64_t seq) {
    if (c.ptr == 0) {
      ++stats_.failed_calls;
      return;
    }
    if (c.size > std::numeric_limits<std::uint32_t>::max()) {
      ++stats_.oversized;
      oversized_.insert(c.ptr);
      return;
    }
    const std::size_t align = note_alignment(c.align_log2);
    if (auto it = live_blocks_.find(c.ptr); it != live_blocks_.end()) {
      ++stats_.reused_live;  // its free was never seen: keep it live, free it at the end
      left_.push_back(it->second);
      live_blocks_.erase(it);
    }
    const auto size = static_cast<std::uint32_t>(c.size);
    const std::uint32_t slot = take_plain(t);
    // An aligned call gets its own alignment (kAlign around it); every other op keeps 16.
    if (align > kMinAlign) emit(t, Op::make(OpKind::kAlign, 0, static_cast<std::uint32_t>(align)));
    live_blocks_.emplace(c.ptr, Block{slot, t, size, threads_[t].size(), seq, round_, false});
    emit(t, Op::make(OpKind::kAlloc, slot, size));
    if (align > kMinAlign) emit(t, Op::make(OpKind::kAlign, 0, static_cast<std::uint32_t>(kMinAlign)));
    count_allocation(size);
    add_live(size, 0);
  }

  void release(std::uint32_t t, std::uint64_t ptr, std::uint64_t seq) {
    auto it = live_blocks_.find(ptr);
    if (it == live_blocks_.end()) {
      if (oversized_.erase(ptr) == 0) ++stats_.unknown_frees;
      return;
    }
    const Block b = it->second;
    live_blocks_.erase(it);
    add_live(0, b.size);
    caps_ |= kFree;
    if (b.owner == t || b.round != round_) {  // its own, or after a chunk barrier
      if (b.owner != t) {
        ++stats_.cross_thread_frees;
        caps_ |= kCrossThreadFree;
      }
      emit(t, Op::make(OpKind::kFree, b.slot));
      plain_free_[t].push_back(b.slot);
      return;
    }
    if (b.reallocated) {
      ++stats_.deferred_frees;  // no publish op follows a realloc: free it at the end instead
      left_.push_back(b);
      return;
    }
    ++stats_.cross_thread_frees;
    caps_ |= kCrossThreadFree;
    HandoffPool& pool = handoff_pool(b.owner, t);
    const std::uint32_t h = take_handoff(pool, b.alloc_seq);
    threads_[b.owner][b.alloc_op] = Op::make(OpKind::kAllocPublish, h, b.size);
    plain_free_[b.owner].push_back(b.slot);  // never written: the block lives in h instead
    emit(t, Op::make(OpKind::kFreeAwait, h));
    pool.emplace_back(h, seq);
  }

  void reallocate(std::uint32_t t, const RecordedCall& c, std::uint64_t seq) {
    auto it = live_blocks_.find(c.old_ptr);
    if (it == live_blocks_.end() || it->second.owner != t ||
        c.size > std::numeric_limits<std::uint32_t>::max()) {
      // Unknown, another thread's, or too large: the free half, then a fresh allocation.
      if (it != live_blocks_.end() && it->second.owner != t) ++stats_.cross_thread_reallocs;
      release(t, c.old_ptr, seq);
      return allocate(t, c, seq);
    }
    Block b = it->second;
    live_blocks_.erase(it);
    const auto size = static_cast<std::uint32_t>(c.size);
    emit(t, Op::make(OpKind::kRealloc, b.slot, size));
    caps_ |= kRealloc;
    count_allocation(size);
    add_live(size, b.size);
    b.size = size;
    b.reallocated = true;
    b.round = round_;  // the slot's last op is this round's
    if (auto old = live_blocks_.find(c.ptr); old != live_blocks_.end()) {
      ++stats_.reused_live;
      left_.push_back(old->second);
      live_blocks_.erase(old);
    }
    live_blocks_.emplace(c.ptr, b);
  }

  void count_allocation(std::uint32_t size) {
    ++allocations_;
    max_request_ = std::max<std::size_t>(max_request_, size);
  }

  // The alignment to replay the call with (at least kMinAlign), counted when above it.
  std::size_t note_alignment(std::uint8_t align_log2) {
    const std::size_t align = std::size_t{1} << align_log2;
    if (align <= kMinAlign) return kMinAlign;
    ++stats_.aligned;
    align_ = std::max(align_, align);
    return align;
  }

  // Blocks the program never freed (or whose free could not be replayed): each owner frees
  // its own, oldest first, so the RSS after the replay compares allocators fairly.
  void free_what_is_left() {
    for (const auto& [ptr, b] : live_blocks_) left_.push_back(b);
    live_blocks_.clear();
    std::sort(left_.begin(), left_.end(), [](const Block& a, const Block& b) {
      return a.owner != b.owner ? a.owner < b.owner : a.alloc_seq < b.alloc_seq;
    });
    for (const Block& b : left_) {
      emit(b.owner, Op::make(OpKind::kFree, b.slot));
      caps_ |= kFree;
    }
    stats_.freed_at_end += left_.size();
    left_.clear();
  }

  const std::string& name_;
  ConversionStats& stats_;
  std::vector<std::uint32_t> thread_map_;  // recorder's thread number -> replay thread
  std::vector<std::vector<Op>> threads_;
  std::vector<std::vector<std::uint32_t>> plain_free_;  // per thread
  std::unordered_map<std::uint64_t, HandoffPool> handoff_free_;  // by (publisher, consumer)
  std::unordered_map<std::uint64_t, Block> live_blocks_;
  std::unordered_set<std::uint64_t> oversized_;
  std::vector<Block> left_;
  std::uint32_t next_slot_ = 0;
  std::uint64_t round_ = 0;
  std::uint64_t allocations_ = 0;
  std::uint64_t live_ = 0;
  std::uint64_t peak_ = 0;
  std::size_t max_request_ = 0;
  std::size_t align_ = 0;
  std::uint32_t caps_ = 0;
};

std::map<std::string, std::uint64_t> stats_map(const ConversionStats& st) {
  return {{"cross_thread_frees", st.cross_thread_frees},
          {"cross_thread_reallocs", st.cross_thread_reallocs},
          {"unknown_frees", st.unknown_frees},
          {"failed_calls", st.failed_calls},
          {"oversized", st.oversized},
          {"reused_live", st.reused_live},
          {"deferred_frees", st.deferred_frees},
          {"freed_at_end", st.freed_at_end},
          {"aligned", st.aligned}};
}

Trace generate(const GenerateRequest& req) {
  if (req.trace_file.empty()) throw TraceFileError("the replay workload needs --trace FILE");
  ConversionStats st;
  Trace t = to_replay_trace(read_recorded_trace(req.trace_file), req.trace_file, &st);
  t.stats = stats_map(st);
  return t;
}

// Most ops one call adds to a thread's round: a realloc of another thread's block is a free
// and an aligned allocation (kAlign, kAlloc, kAlign).
constexpr std::size_t kMostOpsPerCall = 4;

class RecordedRounds final : public RoundGenerator {
 public:
  RecordedRounds(const std::string& path, std::unique_ptr<RecordedCallStream> calls, std::size_t round_ops)
      : path_(path), calls_(std::move(calls)), conv_(path_, stats_), round_ops_(round_ops) {
    conv_.map_threads(calls_->first_call_order());
  }

  bool next(std::vector<std::vector<Op>>& threads) override {
    if (ended_) {
      for (auto& ops : threads) ops.clear();
      return false;
    }
    RecordedCall c;
    while (conv_.most_round_ops() + kMostOpsPerCall <= round_ops_) {
      if (!calls_->next(c)) {
        conv_.close();
        ended_ = true;
        break;
      }
      conv_.add(c, seq_++);
    }
    conv_.take_round(threads);
    ++rounds_;
    return true;
  }

  void count(Trace& t) const override {
    conv_.count_into(t);
    t.stats = stats_map(stats_);
  }

  // Whether the whole trace was converted in the first round (its shape is then exact).
  bool one_round() const { return ended_ && rounds_ == 1; }

 private:
  std::string path_;
  std::unique_ptr<RecordedCallStream> calls_;
  ConversionStats stats_;
  Converter conv_;
  std::size_t round_ops_;
  std::uint64_t seq_ = 0;
  std::uint64_t rounds_ = 0;
  bool ended_ = false;
};

// The checks to_replay_trace makes at the end, made on the index before any op.
std::unique_ptr<RecordedCallStream> open_calls(const std::string& path) {
  auto calls = std::make_unique<RecordedCallStream>(path);
  if (calls->allocating_calls() == 0) throw TraceFileError(fmt::format("trace '{}': holds no allocation to replay", path));
  if (calls->threads() > kMaxReplayThreads)
    throw TraceFileError(fmt::format("trace '{}': {} threads exceed the replay limit of {}", path, calls->threads(),
                                     kMaxReplayThreads));
  return calls;
}

StreamSetup open(const GenerateRequest& req) {
  if (req.trace_file.empty()) throw TraceFileError("the replay workload needs --trace FILE");
  return open_recorded_stream(req.trace_file);
}

std::string load_file(const std::string& path, Params& derived) {
  try {
    derived["threads"] = open_calls(path)->threads();
    return {};
  } catch (const TraceFileError& e) {
    return e.what();
  }
}

}  // namespace

StreamSetup open_recorded_stream(const std::string& path, std::size_t round_ops) {
  std::unique_ptr<RecordedCallStream> calls = open_calls(path);
  StreamSetup s;
  const std::uint32_t threads = calls->threads();
  s.shape.threads.resize(threads);
  s.shape.max_request = static_cast<std::size_t>(std::min<std::uint64_t>(calls->max_size(), UINT32_MAX));
  s.shape.align = calls->max_align_log2() > 4 ? std::size_t{1} << calls->max_align_log2() : 0;
  s.shape.needs_caps = kFree | (calls->resizes() ? kRealloc : 0u) | (threads > 1 ? kCrossThreadFree : 0u);
  auto rounds = std::make_unique<RecordedRounds>(
      path, std::move(calls), round_ops != 0 ? round_ops : chunk_capacity(threads, kMostOpsPerCall));
  // The first round now: a trace that fits it gets the exact shape, as to_replay_trace's.
  rounds->next(s.shape.threads);
  if (rounds->one_round()) {
    s.shape.needs_caps = 0;
    s.shape.align = 0;
    s.shape.max_request = 0;
  }
  rounds->count(s.shape);
  s.rounds = std::move(rounds);
  return s;
}

Trace to_replay_trace(const RecordedTrace& rec, const std::string& name, ConversionStats* stats) {
  ConversionStats local;
  Converter conv(name, stats != nullptr ? *stats : local);
  for (std::size_t i = 0; i < rec.calls.size(); ++i) conv.add(rec.calls[i], i);
  return conv.finish();
}

ALLOCLAB_REGISTER_WORKLOAD((WorkloadInfo{
    "replay", "a program's heap calls recorded with `alloclab record`, replayed (--trace FILE)",
    {}, nullptr, &generate, &load_file, /*trace_depends_on_caps=*/false, &open}));

}  // namespace alloclab
