// Threads: blocks freed by another thread than the one that allocated them; the memory left
// after many short-lived threads; fork while other threads allocate, the child allocating.
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "probe.hpp"

namespace alloclab::probe {
namespace {

struct Sent {
  unsigned char* p;
  std::size_t n;
  unsigned seed;
};

// Blocks handed from producers to consumers.
class Queue {
 public:
  void push(Sent s) {
    {
      std::lock_guard lock(m_);
      q_.push_back(s);
    }
    cv_.notify_one();
  }
  bool pop(Sent& s) {  // false once closed and drained
    std::unique_lock lock(m_);
    cv_.wait(lock, [&] { return !q_.empty() || closed_; });
    if (q_.empty()) return false;
    s = q_.front();
    q_.pop_front();
    return true;
  }
  void close() {
    {
      std::lock_guard lock(m_);
      closed_ = true;
    }
    cv_.notify_all();
  }

 private:
  std::mutex m_;
  std::condition_variable cv_;
  std::deque<Sent> q_;
  bool closed_ = false;
};

// Some allocation work for a thread: a few blocks written and freed.
void churn(Rng& rng, int blocks) {
  void* held[64];
  const int n = blocks < 64 ? blocks : 64;
  for (int i = 0; i < n; ++i) {
    const std::size_t size = 16 + rng.below(2048);
    held[i] = std::malloc(size);
    if (held[i] != nullptr) std::memset(held[i], i, size);
  }
  for (int i = 0; i < n; ++i) std::free(held[i]);
}

}  // namespace

void cross_thread_free(Outcome& o) {
  constexpr int kPairs = 4, kPerProducer = 50000;
  Queue q;
  std::atomic<unsigned> bad{0};
  std::atomic<bool> null_seen{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kPairs; ++t)
    threads.emplace_back([&, t] {
      Rng rng{0x1234567ull + static_cast<unsigned>(t)};
      for (int i = 0; i < kPerProducer; ++i) {
        Sent s{nullptr, 8 + rng.below(1024), static_cast<unsigned>(i)};
        s.p = static_cast<unsigned char*>(std::malloc(s.n));
        if (s.p == nullptr) {
          null_seen = true;
          continue;
        }
        fill(s.p, s.n, s.seed);
        q.push(s);
      }
    });
  std::vector<std::thread> consumers;
  for (int t = 0; t < kPairs; ++t)
    consumers.emplace_back([&] {
      Rng rng;
      for (Sent s; q.pop(s);) {
        if (first_mismatch(s.p, s.n, s.seed) != s.n) ++bad;
        std::free(s.p);
        churn(rng, 1);  // the consumer allocates too, into what it freed
      }
    });
  for (auto& t : threads) t.join();
  q.close();
  for (auto& t : consumers) t.join();
  o.call("malloc after cross-thread frees");
  Rng rng;
  churn(rng, 64);
  if (null_seen) o.fail("malloc returned NULL in a producer thread");
  if (bad > 0) o.fail("%u blocks changed between the allocating thread and the freeing one", bad.load());
  o.info("%d blocks allocated by %d threads, checked and freed by %d others: contents intact",
         kPairs * kPerProducer, kPairs, kPairs);
}

void thread_rss(Outcome& o) {
  constexpr int kWarmup = 64, kThreads = 2000, kWave = 8;
  constexpr std::uint64_t kLimit = 64ull << 20;  // more than this left behind is a leak per thread
  auto waves = [](int count) {
    for (int done = 0; done < count; done += kWave) {
      std::vector<std::thread> wave;
      for (int i = 0; i < kWave; ++i)
        wave.emplace_back([seed = done + i] {
          Rng rng{0xabcdefull + static_cast<unsigned>(seed)};
          churn(rng, 64);
        });
      for (auto& t : wave) t.join();
    }
  };
  o.call("short-lived threads (warm-up)");
  waves(kWarmup);
  const std::uint64_t before = rss_bytes();
  o.call("short-lived threads");
  waves(kThreads);
  const std::uint64_t after = rss_bytes();
  const std::uint64_t growth = after > before ? after - before : 0;
  const double per_thread_kib = static_cast<double>(growth) / kThreads / 1024;
  if (growth > kLimit)
    o.fail("RSS grew %.1f MiB over %d short-lived threads (%.1f KiB per thread), expected under %llu MiB: "
           "thread caches are not given back", static_cast<double>(growth) / (1 << 20), kThreads,
           per_thread_kib, static_cast<unsigned long long>(kLimit >> 20));
  o.info("RSS %.1f -> %.1f MiB over %d short-lived threads, %d at a time (%.2f KiB per thread)",
         static_cast<double>(before) / (1 << 20), static_cast<double>(after) / (1 << 20), kThreads, kWave,
         per_thread_kib);
}

void fork_threads(Outcome& o) {
  constexpr int kForks = 40, kBusy = 4;
  constexpr double kChildSeconds = 10;  // a child that takes longer is deadlocked in malloc
  std::atomic<bool> stop{false};
  std::vector<std::thread> busy;
  for (int t = 0; t < kBusy; ++t)
    busy.emplace_back([&, t] {
      Rng rng{0x777ull + static_cast<unsigned>(t)};
      while (!stop.load(std::memory_order_relaxed)) churn(rng, 32);
    });
  int done = 0;
  for (int f = 0; f < kForks && !o.failed(); ++f) {
    o.call("fork #%d while %d threads allocate", f, kBusy);
    const pid_t pid = ::fork();
    if (pid < 0) {
      o.fail("fork failed: %s", std::strerror(errno));
      break;
    }
    if (pid == 0) {
      Rng rng{static_cast<unsigned>(f) + 1u};
      for (int i = 0; i < 20; ++i) churn(rng, 64);
      void* big = std::malloc(8 << 20);  // a large block too (mmap path)
      if (big == nullptr) ::_exit(3);
      std::memset(big, 1, 8 << 20);
      std::free(big);
      ::_exit(0);
    }
    int status = 0;
    const timespec tick{0, 1000000};
    double waited = 0;
    while (::waitpid(pid, &status, WNOHANG) == 0) {
      if (waited > kChildSeconds) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &status, 0);
        o.fail("the child of fork #%d (while %d threads allocated) hung over %.0f s allocating: a malloc "
               "lock held at fork time was never released", f, kBusy, kChildSeconds);
        break;
      }
      ::nanosleep(&tick, nullptr);
      waited += 0.001;
    }
    if (o.failed()) break;
    if (WIFSIGNALED(status))
      o.fail("the child of fork #%d was killed by signal %d (%s) while allocating", f, WTERMSIG(status),
             strsignal(WTERMSIG(status)));
    else if (WEXITSTATUS(status) != 0)
      o.fail("the child of fork #%d exited %d (malloc(8 MiB) gave NULL)", f, WEXITSTATUS(status));
    ++done;
  }
  stop = true;
  for (auto& t : busy) t.join();
  o.info("%d forks while %d threads allocated: every child allocated, wrote and freed, and exited", done, kBusy);
}

}  // namespace alloclab::probe
