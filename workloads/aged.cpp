// aged: a long-lived server's heap, aged over many phases. Each phase grows a set of
// short-lived blocks (random ones replaced as it grows toward `live`), then a shrink frees most
// of them, as a server between bursts of load. Among them sits a set of long-lived blocks that
// survives every shrink and rotates slowly (the oldest replaced by a new one, `rotate` percent
// per phase), so old blocks pin memory between the short-lived ones. Block sizes drift: they
// are drawn from a window of the [min_size, max_size] range (log scale) that slides from the
// small end to the large end over the run, so freed small blocks rarely fit later requests.
// With `remote`, that share of the allocations is handed to the next thread, which frees it
// soon after (the remote-free path).
//
// Every grow step and every shrink ends with a barrier and a mark (kMark): the replay records
// time and RSS there, and the trace holds the live requested bytes and allocations at each
// mark, known exactly here (every hand-off of a step is freed before its barrier). The figures
// over time (fragmentation = RSS above the baseline / live bytes, RSS after each shrink,
// allocations per second per step) come from these.
//
// Generation is step by step over small per-thread states (AgedThread), streamed in lockstep
// chunks (trace_stream.hpp): every thread's chunk holds the same steps, so a round's barriers,
// hand-offs and marks all fall inside it; a thread's remote hand-offs sit at positions fixed by
// the params alone, so the consumer's side needs nothing of the producer's state. Without iters
// (--duration) the phases go on until the clock time is reached.
#include <fmt/format.h>

#include <cmath>
#include <memory>

#include "generator.hpp"
#include "trace_builder.hpp"
#include "trace_stream.hpp"
#include "workload.hpp"

namespace alloclab {
namespace {

// No trace limit: aged streams (trace_stream.hpp), so iters costs time, not memory.
constexpr std::uint64_t kDefaultIters = 2000000;
constexpr std::uint64_t kMaxIters = std::uint64_t{1} << 40;

constexpr ParamSpec kParams[] = {
    {"threads", "threads", "worker threads, each with its own blocks", 1, 1, 256},
    {"iters", "iters",
     "allocations per thread in the grow steps (the run's length; with --duration, the "
     "allocations of one slide of the size window)",
     kDefaultIters, 1, kMaxIters},
    {"phases", "phases", "grow-then-shrink phases", 8, 1, 100000},
    {"steps", "steps", "grow steps per phase, each ending with a mark", 8, 1, 1000},
    {"live", "live", "short-lived blocks alive per thread at the top of a phase", 50000, 16,
     1u << 20},
    {"shrink", "shrink", "percent of the short-lived blocks a shrink frees", 90, 0, 100},
    {"long_pct", "long", "long-lived blocks per thread, as a percent of live", 20, 0, 100},
    {"rotate", "rotate", "percent of the long-lived blocks replaced per phase", 25, 0, 100},
    {"remote_pct", "remote",
     "percent of allocations handed to the next thread, which frees them (threads > 1)", 0, 0,
     50},
    {"drift", "drift",
     "how far sizes drift, 0..100: the window is (100 - drift * 3/4) percent of the range (log "
     "scale) and slides from its small end to its large end over the run",
     100, 0, 100},
    gen::min_size_param(16),
    gen::max_size_param(4096),
};

// Without iters (--duration) a run is unbounded: the phases go on, and the size window slides
// back and forth, `phases` phases each way, with the grow steps of the default iters.
std::uint64_t iters_of(const Params& p) {
  const auto it = p.find("iters");
  return it != p.end() ? it->second : kDefaultIters;
}

// What every thread's generation derives from the params.
struct AgedPlan {
  bool unbounded;
  std::uint32_t threads, steps, phases;
  std::uint64_t per_step;         // allocations per grow step
  std::uint32_t live, low;        // short-lived blocks at the top / after a shrink
  std::uint32_t long_count;       // long-lived set size
  std::uint64_t rotate_per_phase;  // long-lived replacements per phase
  std::uint32_t remote_per_step;  // hand-offs per grow step
  double drift;                   // 0..1
  double min_size, max_size;

  explicit AgedPlan(const Params& p)
      : unbounded(!p.contains("iters")),
        threads(static_cast<std::uint32_t>(p.at("threads"))),
        steps(static_cast<std::uint32_t>(p.at("steps"))),
        phases(static_cast<std::uint32_t>(p.at("phases"))),
        per_step(std::max<std::uint64_t>(iters_of(p) / (p.at("phases") * p.at("steps")), 1)),
        live(static_cast<std::uint32_t>(p.at("live"))),
        low(static_cast<std::uint32_t>(p.at("live") * (100 - p.at("shrink")) / 100)),
        long_count(static_cast<std::uint32_t>(p.at("live") * p.at("long_pct") / 100)),
        rotate_per_phase(std::uint64_t{long_count} * p.at("rotate") / 100),
        remote_per_step(threads > 1 ? static_cast<std::uint32_t>(per_step * p.at("remote_pct") / 100) : 0),
        drift(static_cast<double>(p.at("drift")) / 100),
        min_size(static_cast<double>(std::max<std::uint64_t>(p.at("min_size"), 1))),
        max_size(static_cast<double>(p.at("max_size"))) {}

  std::uint32_t slots_per_thread() const { return live + long_count + remote_per_step; }
  std::uint64_t marks() const { return std::uint64_t{phases} * (steps + 1); }
  // The short-lived set's target during grow step s of a phase: up from `low` to `live`.
  std::uint32_t target(std::uint32_t s) const {
    return low + static_cast<std::uint32_t>(std::uint64_t{live - low} * (s + 1) / steps);
  }
  // The size window of grow step g of the run (0 .. phases x steps - 1; unbounded: beyond, the
  // window slides back, then forth again).
  std::uniform_int_distribution<std::uint32_t> sizes_at(std::uint64_t g) const {
    const double span = std::log(max_size / min_size), width = 1 - 0.75 * drift;
    const std::uint64_t last = std::uint64_t{phases} * steps - 1;
    if (last > 0 && g > last) {
      g %= 2 * last;
      if (g > last) g = 2 * last - g;
    }
    const double pos = last > 0 ? static_cast<double>(g) / static_cast<double>(last) : 0;
    const double lo = min_size * std::exp(span * (1 - width) * pos);
    const double hi = lo * std::exp(span * width);
    const auto a = static_cast<std::uint32_t>(std::lround(lo));
    return std::uniform_int_distribution<std::uint32_t>(
        a, std::max(a, static_cast<std::uint32_t>(std::min(std::lround(hi), std::lround(max_size)))));
  }
  // Evenly spread event j of n among `per` positions: true at position i when one falls there.
  static bool due(std::uint64_t i, std::uint64_t n, std::uint64_t per) {
    return (i + 1) * n / per > i * n / per;
  }
};

// One thread's generator state: what a chunked generator would keep between chunks.
struct AgedThread {
  std::uint32_t t = 0, base = 0;  // thread index, first slot
  std::mt19937_64 rng;
  struct Block {
    std::uint32_t slot, size;
  };
  std::vector<Block> pool;                  // live short-lived blocks
  std::vector<std::uint32_t> free_slots;    // short-lived slots not in use
  std::vector<std::uint32_t> long_sizes;    // the long-lived ring (0: empty)
  std::uint64_t long_next = 0;              // the ring's next (oldest) entry
  std::uint64_t long_done = 0;              // long-lived allocations so far
  std::vector<std::uint32_t> mailbox;       // size last published in each mailbox slot
  std::uint64_t allocations = 0;
  std::uint64_t live_bytes = 0;

  AgedThread(const AgedPlan& plan, const GenerateRequest& req, std::uint32_t thread)
      : t(thread), base(thread * plan.slots_per_thread()), rng(gen::thread_rng(req, thread)),
        long_sizes(plan.long_count, 0), mailbox(plan.remote_per_step, 0) {
    pool.reserve(plan.live);
    for (std::uint32_t s = plan.live; s-- > 0;) free_slots.push_back(base + s);
  }

  void alloc_short(ThreadTraceBuilder& b, std::uint32_t target, std::uint32_t size) {
    if (pool.size() >= target && !pool.empty()) free_random(b);
    const std::uint32_t slot = free_slots.back();
    free_slots.pop_back();
    pool.push_back(Block{slot, size});
    b.alloc(slot, size);
    live_bytes += size;
  }
  void free_random(ThreadTraceBuilder& b) {
    std::uniform_int_distribution<std::size_t> pick(0, pool.size() - 1);
    const std::size_t i = pick(rng);
    const Block victim = pool[i];
    pool[i] = pool.back();
    pool.pop_back();
    b.free(victim.slot, victim.size);
    free_slots.push_back(victim.slot);
    live_bytes -= victim.size;
  }
  // Replaces the ring's oldest long-lived block (fills it while it is not full).
  void alloc_long(ThreadTraceBuilder& b, const AgedPlan& plan, std::uint32_t size) {
    const auto k = static_cast<std::uint32_t>(long_next++ % plan.long_count);
    const std::uint32_t slot = base + plan.live + k;
    if (long_sizes[k] != 0) {
      b.free(slot, long_sizes[k]);
      live_bytes -= long_sizes[k];
    }
    long_sizes[k] = std::max(size, 1u);  // 0 marks an empty entry
    b.alloc(slot, long_sizes[k]);
    live_bytes += long_sizes[k];
    ++long_done;
  }
};

// Long-lived allocations due by the end of grow step g: the whole set within the first step,
// then `rotate_per_phase` spread over each phase's steps.
std::uint64_t long_due_by(const AgedPlan& plan, std::uint64_t g) {
  if (plan.long_count == 0) return 0;
  return plan.long_count + g * plan.rotate_per_phase / plan.steps;
}

// Grow step `s` of phase `ph` for one thread; the barrier and mark follow.
void grow_step(const AgedPlan& plan, AgedThread& st, ThreadTraceBuilder& b, std::uint64_t ph,
               std::uint32_t s) {
  const std::uint64_t g = ph * plan.steps + s;
  auto size_of = plan.sizes_at(g);
  const std::uint64_t longs = long_due_by(plan, g) - st.long_done;
  const std::uint32_t target = plan.target(s);
  const std::uint32_t mail = st.base + plan.live + plan.long_count;
  const std::uint32_t prev = ((st.t + plan.threads - 1) % plan.threads) * plan.slots_per_thread() +
                             plan.live + plan.long_count;  // the previous thread's mailboxes
  std::uint32_t handed = 0;
  for (std::uint64_t i = 0; i < plan.per_step; ++i) {
    const std::uint32_t size = size_of(st.rng);
    if (plan.remote_per_step > 0 && AgedPlan::due(i, plan.remote_per_step, plan.per_step)) {
      // Publish first, then free the previous thread's block of the same index: a wait chain
      // only ever goes to a lower index, so it ends (no deadlock).
      b.publish(mail + handed, size, st.mailbox[handed]);
      st.mailbox[handed] = size;
      b.free_await(prev + handed);
      ++handed;
    } else if (longs > 0 && AgedPlan::due(i, longs, plan.per_step)) {
      st.alloc_long(b, plan, size);
    } else {
      st.alloc_short(b, target, size);
    }
    ++st.allocations;
  }
}

// Frees short-lived blocks down to `low`.
void shrink_step(const AgedPlan& plan, AgedThread& st, ThreadTraceBuilder& b) {
  while (st.pool.size() > plan.low) st.free_random(b);
}

std::string validate(const Params& p) {
  if (std::string why = gen::check_sizes(p); !why.empty()) return why;
  if (p.at("min_size") == 0) return "min_size must be at least 1 (sizes drift on a log scale)";
  const AgedPlan plan(p);
  if (iters_of(p) < p.at("phases") * p.at("steps"))
    return fmt::format("iters = {} is fewer than phases x steps = {}: every grow step needs allocations",
                       iters_of(p), p.at("phases") * p.at("steps"));
  if (std::uint64_t{plan.slots_per_thread()} * plan.threads >= Op::kMaxSlots)
    return fmt::format("threads x (live + long-lived + hand-offs per step) = {} exceeds {} slots",
                       std::uint64_t{plan.slots_per_thread()} * plan.threads, Op::kMaxSlots);
  return {};
}

// One thread's stream, step by step: each phase's grow steps then its shrink, each ending with
// a barrier and this thread's share of the mark; the closing frees every block still live.
class AgedGenerator final : public ThreadGenerator {
 public:
  AgedGenerator(const AgedPlan& plan, const GenerateRequest& req, std::uint32_t t)
      : plan_(plan), st_(plan_, req, t) {}

 private:
  bool more() const override { return plan_.unbounded || phase_ < plan_.phases; }
  // Every allocation of a grow step is at most two ops (a free and an alloc, or a publish and
  // a free_await); a shrink frees at most `live` blocks; both end with a barrier and a mark.
  std::size_t max_step() const override {
    return static_cast<std::size_t>(std::max<std::uint64_t>(2 * plan_.per_step, plan_.live)) + 2;
  }
  std::size_t max_closing() const override { return std::size_t{plan_.live} + plan_.long_count; }
  std::uint64_t ops_hint() const override {
    return plan_.unbounded ? 0 : 2 * plan_.per_step * plan_.phases * plan_.steps + 2 * plan_.marks() + max_closing();
  }
  bool lockstep() const override { return true; }

  void step() override {
    const bool shrink = step_ == plan_.steps;
    if (shrink) shrink_step(plan_, st_, b_);
    else grow_step(plan_, st_, b_, phase_, step_);
    b_.barrier();
    mark(TraceMark{st_.allocations, st_.live_bytes, shrink});
    if (++step_ > plan_.steps) {
      step_ = 0;
      ++phase_;
    }
  }
  void close() override {  // the server stops: everything is freed
    for (const AgedThread::Block& blk : st_.pool) b_.free(blk.slot, blk.size);
    st_.pool.clear();
    for (std::uint32_t k = 0; k < plan_.long_count; ++k)
      if (st_.long_sizes[k] != 0) b_.free(st_.base + plan_.live + k, st_.long_sizes[k]);
  }

  AgedPlan plan_;
  AgedThread st_;
  std::uint64_t phase_ = 0;  // 64 bits: unbounded runs go past 2^32 phases in principle
  std::uint32_t step_ = 0;   // 0 .. steps - 1 grow, steps: the shrink
};

StreamSetup open(const GenerateRequest& req) {
  const AgedPlan plan(req.params);
  StreamSetup s;
  s.shape.needs_caps = plan.remote_per_step > 0 ? kFree | kCrossThreadFree : kFree;
  s.shape.slots = std::size_t{plan.threads} * plan.slots_per_thread();
  for (std::uint32_t t = 0; t < plan.threads; ++t) s.threads.push_back(std::make_unique<AgedGenerator>(plan, req, t));
  return s;
}

}  // namespace

ALLOCLAB_REGISTER_WORKLOAD((WorkloadInfo{
    "aged",
    "a server's heap aged over phases: growth, shrinks, drifting sizes, slowly rotating "
    "long-lived blocks; figures per mark over time",
    kParams, &validate, &drain_stream<&open>, /*load_file=*/nullptr, /*trace_depends_on_caps=*/false,
    &open, "iters"}));

}  // namespace alloclab
