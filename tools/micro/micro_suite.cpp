#include "micro_suite.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "micro_traces.hpp"
#include "workloads/replay.hpp"

namespace alloclab::micro {
namespace {

constexpr std::uint32_t kPairSizes[] = {16, 64, 256, 4096, 65536};
constexpr std::uint32_t kPairsPerPass = 1000;
constexpr std::uint32_t kBatch = 1000;
constexpr std::uint32_t kBatchSize = 64;
constexpr SizeRange kRandomSizes{8, 512};
constexpr std::uint32_t kRandomOps = 1000;
constexpr std::uint32_t kRandomWindow = 64;
constexpr std::uint64_t kSeed = 0x616c6c6f636c6162ull;  // "alloclab"
constexpr int kThreads = 2;

struct Variant {
  std::string name;   // first name component: the workload
  std::string param;  // last name component
  std::string label;  // shown beside the row, for what the name leaves out
  std::shared_ptr<const Trace> trace;
  std::uint32_t largest;    // largest request: checked against max_size, kFixedSize block size
  std::uint32_t needs_any;  // the plugin needs at least one of these capabilities
};

std::vector<Variant> make_variants() {
  std::vector<Variant> v;
  auto add = [&v](std::string name, std::string param, std::string label, Trace t,
                  std::uint32_t largest, std::uint32_t needs_any) {
    v.push_back({std::move(name), std::move(param), std::move(label),
                 std::make_shared<const Trace>(std::move(t)), largest, needs_any});
  };
  // Alloc then free at once: with kFreeLast the freed block is always the newest.
  for (std::uint32_t size : kPairSizes)
    add("pair", std::to_string(size), "", pair_trace(size, kPairsPerPass), size, kFree | kFreeLast);
  const std::string batch_label = "size:" + std::to_string(kBatchSize);
  add("batch_fifo", std::to_string(kBatch), batch_label,
      batch_trace(kBatchSize, kBatch, Release::kFifo), kBatchSize, kFree);
  add("batch_lifo", std::to_string(kBatch), batch_label,
      batch_trace(kBatchSize, kBatch, Release::kLifo), kBatchSize, kFree);
  add("batch_reset", std::to_string(kBatch), batch_label,
      batch_trace(kBatchSize, kBatch, Release::kReset), kBatchSize, kReset);
  const std::string range =
      std::to_string(kRandomSizes.min_size) + "-" + std::to_string(kRandomSizes.max_size);
  add("random", range, "window:" + std::to_string(kRandomWindow),
      random_churn_trace(kRandomSizes, kRandomOps, kRandomWindow, kSeed), kRandomSizes.max_size,
      kFree);
  add("random_reset", range, "", random_reset_trace(kRandomSizes, kRandomOps, kSeed),
      kRandomSizes.max_size, kReset);
  return v;
}

// One allocator instance for a benchmark run. Threaded runs share one: the first thread to
// arrive creates it, the last to leave retires it. A retired instance is destroyed only when
// the next run creates its instance, or by destroy_retired() after the last run: the other
// threads of its run have left run_case but may still be exiting, and an instance with
// per-thread state must outlive them (std::pmr::synchronized_pool_resource keeps each thread's
// pools under a pthread key whose destructor locks the resource at thread exit: destroyed by
// the last leaver, it crashed alloclab-micro about once in 75 runs on a loaded machine).
// Google Benchmark joins every thread of a run before it starts the next.
struct SharedInstance {
  std::mutex mutex;
  void* self = nullptr;
  int users = 0;
};

struct Retired {
  void (*destroy)(void*) = nullptr;
  void* self = nullptr;
};
std::mutex g_retired_mutex;
Retired g_retired;

// Destroys the retired instance, if any, and retires `self` (nullptr: nothing).
void retire(void (*destroy)(void*), void* self) {
  Retired old;
  {
    std::lock_guard lock(g_retired_mutex);
    old = std::exchange(g_retired, Retired{destroy, self});
  }
  if (old.self != nullptr) old.destroy(old.self);
}

struct Case {
  PluginEntry entry;
  std::shared_ptr<const Trace> trace;
  std::uint64_t bytes_per_pass;
  Config config;
  std::size_t align;
  std::shared_ptr<SharedInstance> shared;  // null: one instance per thread
  std::string label;
};

class InstanceLease {
 public:
  explicit InstanceLease(const Case& c) : case_(c) {
    if (!c.shared) {
      self_ = c.entry.ops.create(c.config);
      return;
    }
    std::lock_guard lock(c.shared->mutex);
    if (c.shared->users++ == 0) {
      retire(nullptr, nullptr);  // the previous run's threads are joined by now
      c.shared->self = c.entry.ops.create(c.config);
    }
    self_ = c.shared->self;
  }
  ~InstanceLease() {
    if (!case_.shared) {
      if (self_ != nullptr) case_.entry.ops.destroy(self_);
      return;
    }
    std::lock_guard lock(case_.shared->mutex);
    if (--case_.shared->users == 0 && case_.shared->self != nullptr) {
      retire(case_.entry.ops.destroy, case_.shared->self);
      case_.shared->self = nullptr;
    }
  }
  InstanceLease(const InstanceLease&) = delete;
  InstanceLease& operator=(const InstanceLease&) = delete;

  void* get() const { return self_; }

 private:
  const Case& case_;
  void* self_ = nullptr;
};

void run_case(benchmark::State& state, const Case& c) {
  InstanceLease lease(c);
  if (lease.get() == nullptr) {
    state.SkipWithError("create() failed: the allocator could not be constructed");
    return;
  }
  // Each thread replays the same op stream into its own slot table.
  std::vector<Slot> slots(c.trace->slots, Slot{nullptr, 0, 0});
  const std::vector<Op>& ops = c.trace->threads.front();
  ThreadJob job;
  job.begin = ops.data();
  job.end = ops.data() + ops.size();
  job.slots = slots.data();
  job.align = c.align;
  job.touch = Touch::kNone;
  job.verify = false;

  // Hot loop: one indirect call per pass of ~1000 allocations, the rest is inlined replay.
  for (auto _ : state) {
    c.entry.replay(lease.get(), job);
    benchmark::DoNotOptimize(slots.data());
    benchmark::ClobberMemory();
    if (!job.error.empty()) [[unlikely]] {
      state.SkipWithError(job.error.c_str());
      break;
    }
  }
  if (state.error_occurred() || state.iterations() == 0) return;
  if (!c.label.empty()) state.SetLabel(c.label);

  const auto passes = static_cast<std::int64_t>(state.iterations());
  const auto allocations = passes * static_cast<std::int64_t>(c.trace->allocations);
  state.SetItemsProcessed(allocations);
  state.SetBytesProcessed(passes * static_cast<std::int64_t>(c.bytes_per_pass));
  // Rate of (allocations * 1e-9) per second, inverted: nanoseconds per allocation.
  state.counters["ns_per_op"] =
      benchmark::Counter(static_cast<double>(allocations) * 1e-9,
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

bool fits(const Variant& v, const Traits& t) {
  return (t.caps & v.needs_any) != 0 && v.largest <= t.max_size;
}

// A shared instance may serve several threads only when each thread's frees are its own blocks
// (kFree) and no thread resets what another still uses.
bool threadable(const Variant& v, const Traits& t) {
  return has_cap(t.caps, kThreadSafe) && has_cap(t.caps, kFree) &&
         !has_cap(v.trace->needs_caps, kReset);
}

void register_case(const Variant& v, const Subject& s, bool threaded) {
  const Traits& t = s.entry->traits;
  Config config;
  if (has_cap(t.caps, kFixedSize)) config.block_size = v.largest;
  config.threads = threaded ? kThreads : 1;
  Case c{*s.entry,
         v.trace,
         bytes_per_pass(*v.trace),
         config,
         std::min(kMinAlign, t.max_align),
         threaded ? std::make_shared<SharedInstance>() : nullptr,
         v.label};
  const std::string name = v.name + "/" + s.shown_name + "/" + v.param;
  auto* b = benchmark::RegisterBenchmark(
      name.c_str(), [bench = std::move(c)](benchmark::State& state) { run_case(state, bench); });
  if (threaded) b->Threads(kThreads)->UseRealTime();
}

}  // namespace

void destroy_retired() { retire(nullptr, nullptr); }

std::size_t register_benchmarks(std::span<const Subject> subjects) {
  static const std::vector<Variant> variants = make_variants();
  std::size_t count = 0;
  for (bool threaded : {false, true}) {
    for (const Variant& v : variants) {
      for (const Subject& s : subjects) {
        if (!fits(v, s.entry->traits)) continue;
        if (threaded && !threadable(v, s.entry->traits)) continue;
        register_case(v, s, threaded);
        ++count;
      }
    }
  }
  return count;
}

}  // namespace alloclab::micro
