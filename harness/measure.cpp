#include "measure.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <system_error>
#include <thread>

#include "bindings/registry.hpp"
#include "model/keys.hpp"
#include "series_bound.hpp"

#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define ALLOCLAB_CALLGRIND_TOGGLE() CALLGRIND_TOGGLE_COLLECT
#else
#define ALLOCLAB_CALLGRIND_TOGGLE() ((void)0)
#endif

namespace alloclab {
namespace {

using Clock = std::chrono::steady_clock;

std::uint64_t ns_between(Clock::time_point a, Clock::time_point b) {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(b - a).count());
}

// Allocator instances: one shared when thread-safe, else one per thread.
class Instances {
 public:
  Instances(const PluginEntry& e, const Config& config, unsigned threads) : e_(e) {
    const unsigned n = has_cap(e.traits.caps, kThreadSafe) ? 1 : threads;
    for (unsigned i = 0; i < n; ++i) items_.push_back(e.ops.create(config));
  }
  ~Instances() {
    for (void* p : items_)
      if (p != nullptr) e_.ops.destroy(p);
  }
  Instances(const Instances&) = delete;
  Instances& operator=(const Instances&) = delete;

  bool ok() const { return std::none_of(items_.begin(), items_.end(), [](void* p) { return p == nullptr; }); }
  void* for_thread(unsigned t) const { return items_.size() == 1 ? items_[0] : items_[t]; }

 private:
  const PluginEntry& e_;
  std::vector<void*> items_;
};

// Samples RSS on its own timer while the replay runs, into a bounded series (series_bound.hpp).
class RssSampler {
 public:
  RssSampler(unsigned interval_ms, Clock::time_point origin) {
    if (interval_ms == 0) return;
    thread_ = std::thread([this, interval_ms, origin] {
      while (!stop_.load(std::memory_order_relaxed)) {
        const auto now = Clock::now();
        series_.add(static_cast<double>(ns_between(origin, now)) / 1e6, current_rss_bytes());
        std::this_thread::sleep_for(std::chrono::milliseconds(interval_ms));
      }
    });
  }
  ~RssSampler() { stop(); }
  RssSampler(const RssSampler&) = delete;
  RssSampler& operator=(const RssSampler&) = delete;

  std::vector<std::pair<double, std::uint64_t>> stop() {
    stop_.store(true);
    if (thread_.joinable()) thread_.join();
    return series_.take();
  }

 private:
  std::atomic<bool> stop_{false};
  std::thread thread_;
  RssSeries series_;
};

// RSS read at a mark, between the workload's ops: without fopen, whose buffer would come from
// the allocator being measured.
std::uint64_t rss_at_mark() {
  const int fd = ::open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  char buf[128];
  const ssize_t n = ::read(fd, buf, sizeof buf - 1);
  ::close(fd);
  if (n <= 0) return 0;
  buf[n] = '\0';
  unsigned long long size = 0, resident = 0;
  if (std::sscanf(buf, "%llu %llu", &size, &resident) != 2) return 0;
  static const auto page = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
  return resident * page;
}

// Per mark of a round: the last thread's arrival (all threads passed the barrier before it)
// and the largest RSS read there, with what the generator knows at that mark, into `out`. The
// time is on the replay's clock: `clock_ns` before the round started at `start` (the pauses at
// chunk boundaries left out, so a rate across one is the replay's). False when a thread did not
// get there (the row failed).
bool add_mark_samples(const Trace& trace, const std::vector<std::vector<MarkRecord>>& records,
                      Clock::time_point start, std::uint64_t clock_ns, MarkSeries& out) {
  const auto origin = std::chrono::duration_cast<std::chrono::nanoseconds>(start.time_since_epoch()).count();
  for (std::size_t i = 0; i < trace.marks.size(); ++i) {
    std::int64_t last = 0;
    std::uint64_t rss = 0;
    for (const auto& per_thread : records) {
      if (per_thread[i].steady_ns == 0) return false;
      last = std::max(last, per_thread[i].steady_ns);
      rss = std::max(rss, per_thread[i].rss_bytes);
    }
    const TraceMark& tm = trace.marks[i];
    out.add(model::MarkSample{static_cast<double>(clock_ns + static_cast<std::uint64_t>(std::max<std::int64_t>(last - origin, 0))) / 1e6,
                              tm.allocations, tm.live_bytes, rss, tm.after_shrink});
  }
  return true;
}

// Cycle-counter ticks per nanosecond, measured against the steady clock over ~20 ms, and the
// cost of one timing in ticks (the least of many back-to-back reads).
struct TickCalibration {
  double ticks_per_ns = 1;
  double timer_ticks = 0;
};

TickCalibration calibrate_ticks() {
  TickCalibration c;
  const auto c0 = Clock::now();
  const std::uint64_t t0 = latency_ticks_begin();
  while (Clock::now() - c0 < std::chrono::milliseconds(20)) {
  }
  const std::uint64_t t1 = latency_ticks_end();
  c.ticks_per_ns = static_cast<double>(t1 - t0) / static_cast<double>(ns_between(c0, Clock::now()));
  std::uint64_t best = ~std::uint64_t{0};
  for (int i = 0; i < 1000; ++i) {
    const std::uint64_t a = latency_ticks_begin();
    best = std::min(best, latency_ticks_end() - a);
  }
  c.timer_ticks = static_cast<double>(best);
  return c;
}

LatencySummary summarize_latency(const std::vector<LatencyRecorder>& per_thread,
                                 std::uint32_t every, const TickCalibration& cal) {
  LatencyRecorder all;
  for (const LatencyRecorder& r : per_thread) {
    all.alloc.merge(r.alloc);
    all.free.merge(r.free);
    all.realloc.merge(r.realloc);
  }
  LatencySummary out{every, cal.timer_ticks / cal.ticks_per_ns, {}};
  const std::pair<const char*, const LatencyHistogram*> kinds[] = {
      {"alloc", &all.alloc}, {"free", &all.free}, {"realloc", &all.realloc}};
  for (auto [name, h] : kinds) {
    if (h->total() == 0) continue;
    auto ns = [&](std::uint64_t ticks) { return static_cast<double>(ticks) / cal.ticks_per_ns; };
    out.ops.push_back(LatencyStats{name, h->total(), ns(h->quantile(0.5)), ns(h->quantile(0.9)),
                                   ns(h->quantile(0.99)), ns(h->quantile(0.999)), ns(h->max())});
  }
  return out;
}

// After a kThreadExit the rest of the stream runs on a new thread, joined before the next one
// starts: thread creation and exit (and the allocator's per-thread teardown) are timed.
// Returns the number of threads started. A kThreadExit that ends a chunk leaves job.resume at
// the chunk's end: the next chunk starts on a fresh thread.
std::uint64_t continue_on_fresh_threads(const PluginEntry& e, void* a, ThreadJob& job) {
  std::uint64_t started = 0;
  while (job.resume != nullptr && job.resume != job.end) {
    job.begin = job.resume;
    try {
      std::thread([&] { e.replay(a, job); }).join();
    } catch (const std::system_error& err) {  // out of threads: a failed row, not a crash
      job.error = fmt::format("could not start thread {}: {}", started + 1, err.what());
      job.resume = nullptr;
      if (job.sync != nullptr) job.sync->abort();
      break;
    }
    ++started;
  }
  return started;
}

CpuUsage& operator+=(CpuUsage& a, const CpuUsage& b) {
  a.user_s += b.user_s;
  a.sys_s += b.sys_s;
  a.minor_faults += b.minor_faults;
  a.major_faults += b.major_faults;
  return a;
}

// A later chunk may ask for more than the first chunks did (the allocator was checked and
// configured for those): then the row stops there. Empty when it still fits.
std::string later_chunk_unfit(const TraceSource& src, const Traits& traits, const Config& config) {
  const std::size_t most = src.largest_request_made();
  if (most > traits.max_size)
    return fmt::format("requests up to {} bytes (in a later chunk of the trace); {} serves at most {}",
                       most, traits.name, traits.max_size);
  if (has_cap(traits.caps, kFixedSize) && most > config.block_size)
    return fmt::format("requests up to {} bytes (in a later chunk of the trace); {} was made for {}-byte blocks",
                       most, traits.name, config.block_size);
  return {};
}

// The replay, chunk by chunk (workloads/trace_stream.hpp). Each round: every worker replays
// its chunk; once all have, the clock stops, every worker makes its own next chunk (in
// parallel, outside the clock), and the clock restarts for all at once. What a boundary costs:
// four barrier crossings and the generation, outside the clock; on the clock, a thread that
// ends its chunk early waits for the others (as every thread waits for the last at the end of
// a run): the skew, wall time minus the busiest thread's (with each restart's wake-up, tens of
// microseconds), reported in trace_stats. Threads so
// never drift more than a chunk apart. The replay loop is untouched: a chunk ends at its
// `end` pointer, as the whole trace did. A whole trace is one round.
void replay_threads(const PluginEntry& e, TraceSource& src, const Instances& inst,
                    const MeasureRequest& req, const Config& config, Measurement& m) {
  const auto n = static_cast<unsigned>(src.threads());
  std::vector<Slot> slots(std::max<std::size_t>(src.trace().slots, 1), Slot{nullptr, 0, 0});
  std::vector<ThreadJob> jobs(n);
  std::vector<Clock::time_point> starts(n), ends(n);
  std::vector<std::uint64_t> spawned(n, 0);
  std::vector<char> fresh(n, 0);  // the next chunk starts on a fresh thread
  m.thread_ns.assign(n, 0);
  ReplaySync sync(n);
  std::vector<LatencyRecorder> latency(req.latency_every > 0 ? n : 0);
  // Marks (the aged workload): each round's chunks hold their own (TraceSource::gather_marks);
  // the main thread sizes the records before the round and reads them after it.
  std::vector<std::vector<MarkRecord>> marks(n);
  MarkSeries mark_series;
  bool marks_whole = true;  // every mark of every round was reached
  const TickCalibration cal = req.latency_every > 0 ? calibrate_ticks() : TickCalibration{};
  // Written by the main thread between barriers, read by the workers after the next one.
  bool quit = false;  // no more rounds
  bool stop = false;  // --duration reached: the next chunks close the streams
  std::barrier<> bar(static_cast<std::ptrdiff_t>(n) + 1);

  std::vector<std::thread> workers;
  workers.reserve(n);
  for (unsigned t = 0; t < n; ++t) {
    ThreadJob& job = jobs[t];
    job.slots = slots.data();
    job.align = kMinAlign;
    job.touch = req.touch;
    job.verify = req.verify;
    job.sync = &sync;
    if (req.latency_every > 0) {
      job.latency = &latency[t];
      job.sample_every = req.latency_every;
    }
    job.read_rss = &rss_at_mark;
    workers.emplace_back([&, t] {
      void* const a = inst.for_thread(t);
      ThreadJob& mine = jobs[t];
      for (;;) {
        bar.arrive_and_wait();  // the clock starts
        if (quit) return;
        // For the replay's FastPath, whose sized free assumes the default alignment.
        mine.max_request = src.trace().align > kMinAlign ? SIZE_MAX : src.largest_request_made();
        mine.frees = (src.trace().needs_caps & (kFree | kFreeLast | kRealloc)) != 0;  // FreshPath
        starts[t] = Clock::now();
        const std::vector<Op>& ops = src.trace().threads[t];
        mine.begin = ops.data();
        mine.end = mine.begin + ops.size();
        // Callgrind's collection state is per thread: each worker counts its own replay.
        if (req.count_instructions) ALLOCLAB_CALLGRIND_TOGGLE();
        if (fresh[t] != 0) mine.resume = mine.begin;
        else e.replay(a, mine);
        spawned[t] += continue_on_fresh_threads(e, a, mine);
        fresh[t] = mine.resume != nullptr;
        if (req.count_instructions) ALLOCLAB_CALLGRIND_TOGGLE();
        ends[t] = Clock::now();
        bar.arrive_and_wait();  // the chunk is done; the main thread stops the clock
        bar.arrive_and_wait();  // and has decided whether to go on
        if (!quit) src.next(t, stop);
        bar.arrive_and_wait();  // the next chunk is made
      }
    });
  }

  m.rss_baseline = current_rss_bytes();
  const bool exact_peak = reset_peak_rss();
  const auto origin = Clock::now();
  // Counting instructions: no sampler thread, and collection covers the replay only (the
  // child runs under valgrind --tool=callgrind --collect-atstart=no; workers toggle it).
  RssSampler sampler(req.count_instructions ? 0 : req.rss_interval_ms, origin);
  const std::uint64_t duration_ns = req.duration_s * 1'000'000'000ull;
  std::uint64_t chunks = 0, gen_ns = 0;
  for (;;) {
    const std::size_t round_marks = quit ? 0 : src.trace().marks.size();
    for (unsigned t = 0; t < n; ++t) {  // the workers wait at the barrier: theirs to read after it
      marks[t].assign(round_marks, MarkRecord{});
      jobs[t].marks = marks[t].data();
      jobs[t].mark_count = static_cast<std::uint32_t>(round_marks);
    }
    const CpuUsage cpu0 = cpu_usage();
    const auto start = Clock::now();
    bar.arrive_and_wait();
    if (quit) break;
    bar.arrive_and_wait();
    m.cpu += cpu_usage() - cpu0;
    if (round_marks > 0 && marks_whole)
      marks_whole = add_mark_samples(src.trace(), marks, start, m.wall_ns, mark_series);
    m.wall_ns += ns_between(start, *std::max_element(ends.begin(), ends.end()));
    for (unsigned t = 0; t < n; ++t) m.thread_ns[t] += ns_between(starts[t], ends[t]);
    ++chunks;
    const bool failed = std::any_of(jobs.begin(), jobs.end(), [](const ThreadJob& j) { return !j.error.empty(); });
    quit = failed || !src.streaming();
    stop = stop || (duration_ns != 0 && m.wall_ns >= duration_ns);
    const auto g0 = Clock::now();
    bar.arrive_and_wait();
    bar.arrive_and_wait();
    if (!quit && !src.error().empty()) {  // the rows before this one stay as measured
      m.status = Status::kFailed;
      m.error = src.error();
      quit = true;
    }
    if (!quit) {
      src.gather_marks();
      // A recorded trace's rounds may need more slots: the table grows while no worker runs.
      if (src.trace().slots > slots.size()) {
        slots.resize(std::max(src.trace().slots, slots.size() * 2), Slot{nullptr, 0, 0});
        for (ThreadJob& j : jobs) j.slots = slots.data();
      }
    }
    gen_ns += ns_between(g0, Clock::now());
    if (quit) continue;
    if (std::string why = later_chunk_unfit(src, e.traits, config); !why.empty()) {
      m.status = Status::kUnsupported;
      m.error = std::move(why);
      quit = true;
    }
    const auto& ops = src.trace().threads;
    quit = quit || std::all_of(ops.begin(), ops.end(), [](const std::vector<Op>& o) { return o.empty(); });
  }
  for (auto& w : workers) w.join();
  m.rss_series = sampler.stop();

  src.count_made();
  if (src.streaming()) {  // every op made was replayed (or the row failed)
    m.allocations = src.trace().allocations;
    m.peak_live_bytes = src.trace().peak_live_bytes;
    for (const auto& [k, v] : src.trace().stats) m.trace_stats[k] = v;
  }
  if (chunks > 1) {
    m.trace_stats[std::string(model::key::kChunks)] = chunks;
    m.trace_stats[std::string(model::key::kChunkSkewNs)] =
        m.wall_ns - *std::max_element(m.thread_ns.begin(), m.thread_ns.end());
    m.trace_stats[std::string(model::key::kChunkGenNs)] = gen_ns;
  }
  if (req.latency_every > 0) m.latency = summarize_latency(latency, req.latency_every, cal);
  m.rss_end = current_rss_bytes();
  for (std::uint64_t k : spawned) m.threads_started += k;
  m.rss_peak = exact_peak ? peak_rss_bytes() : m.rss_baseline;
  for (const auto& [t, bytes] : m.rss_series) m.rss_peak = std::max(m.rss_peak, bytes);
  if (marks_whole) m.marks = mark_series.take();
  for (const model::MarkSample& s : m.marks) m.rss_peak = std::max(m.rss_peak, s.rss_bytes);
  m.rss_peak = std::max(m.rss_peak, m.rss_end);

  // The first thread's own failure, not the "stopped" of the threads it took down with it.
  for (const ThreadJob& job : jobs) {
    if (job.error.empty()) continue;
    m.status = Status::kFailed;
    if (m.error.empty() || m.error.starts_with("stopped:")) m.error = job.error;
  }
}

// The cores this process may run on (its affinity mask, which taskset and cgroups narrow).
unsigned usable_cores() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof set, &set) != 0) return std::thread::hardware_concurrency();
  return static_cast<unsigned>(CPU_COUNT(&set));
}

}  // namespace

const char* touch_name(Touch t) {
  switch (t) {
    case Touch::kNone: return "none";
    case Touch::kLines: return "lines";
    case Touch::kFull: return "full";
  }
  return "?";
}

bool parse_touch(std::string_view text, Touch& out) {
  for (Touch t : {Touch::kNone, Touch::kLines, Touch::kFull})
    if (text == touch_name(t)) {
      out = t;
      return true;
    }
  return false;
}

Measurement measure(const MeasureRequest& req) {
  Measurement m;
  auto fail = [&m](Status s, std::string why) {
    m.status = s;
    m.error = std::move(why);
    return m;
  };
  const PluginEntry* e = find_plugin(req.allocator);
  if (e == nullptr) return fail(Status::kFailed, fmt::format("unknown allocator '{}'", req.allocator));
  const WorkloadInfo* w = find_workload(req.workload);
  if (w == nullptr) return fail(Status::kFailed, fmt::format("unknown workload '{}'", req.workload));

  // The first chunk of every thread (a whole trace where the workload does not stream).
  TraceSource src(*w, GenerateRequest{req.params, req.seed, e->traits.caps, req.trace_file,
                                      req.size_histogram, req.spec_file});
  const Trace& trace = src.trace();
  // A recorded trace's aligned calls carry their own alignment (kAlign ops); the allocator
  // must honour the largest.
  if (std::string why = check_fits(trace, std::max(kMinAlign, trace.align), e->traits); !why.empty())
    return fail(Status::kUnsupported, std::move(why));
  m.allocations = trace.allocations;
  m.peak_live_bytes = trace.peak_live_bytes;
  m.trace_stats = trace.stats;

  Config config{trace.max_request, static_cast<unsigned>(trace.threads.size())};
  // Per instance: all of it for a shared one, a thread's share for one per thread.
  config.expected_live_bytes = has_cap(e->traits.caps, kThreadSafe)
                                   ? trace.peak_live_bytes
                                   : (trace.peak_live_bytes + config.threads - 1) / std::max(config.threads, 1u);
  // What the instances fault in when they are made (null's prefault) is the heap's, not the
  // harness's: it comes off the baseline, so that the overhead counts it.
  const std::uint64_t rss_before_instances = current_rss_bytes();
  Instances inst(*e, config, config.threads);
  if (!inst.ok()) return fail(Status::kFailed, "the allocator could not be created (out of memory)");
  const std::uint64_t rss_after_instances = current_rss_bytes();
  const std::uint64_t rss_instances =
      rss_after_instances - std::min(rss_after_instances, rss_before_instances);
  replay_threads(*e, src, inst, req, config, m);
  m.rss_baseline -= std::min(m.rss_baseline, rss_instances);
  const auto iters = req.params.find("iters");
  model::mark_untrusted(m, config.threads, usable_cores(), iters != req.params.end() ? iters->second : 0);
  return m;
}

}  // namespace alloclab
