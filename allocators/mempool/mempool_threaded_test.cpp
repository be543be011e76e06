// The heap under several threads (these run under ThreadSanitizer: names contain Threaded).
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "heap.hpp"
#include "mempool_test_util.hpp"

namespace alloclab::mempool {
namespace {

TEST(MempoolThreaded, ShortLivedThreadsKeepRssFlatAndCachesReturn) {
  // Seed bug: a thread's cache was stranded when the thread exited.
  flush_thread_cache();
  release();
  const std::size_t threads_before = stats().threads;
  auto work = [] {
    std::vector<void*> v;
    for (int i = 0; i < 2000; ++i) {
      const std::size_t n = 16 + static_cast<std::size_t>(i % 64) * 16;
      void* p = allocate(n);
      std::memset(p, 1, n);
      v.push_back(p);
    }
    for (void* p : v) deallocate(p);  // ~1 MiB left in this thread's cache at exit
  };
  auto run_batch = [&](int count) {
    for (int i = 0; i < count; i += 4) {
      std::thread t[4] = {std::thread(work), std::thread(work), std::thread(work),
                          std::thread(work)};
      for (auto& x : t) x.join();
    }
  };
  run_batch(40);  // warm up: the heap reaches its working size
  const std::size_t rss_warm = testing::rss_bytes();
  run_batch(960);
  const std::size_t rss_after = testing::rss_bytes();
  // Stranded caches would keep ~1 MiB per thread: ~960 MiB. Flat allows some drift (thread
  // stacks, a sanitizer's own per-thread state), far below that.
  EXPECT_LT(rss_after, rss_warm + (std::size_t{128} << 20))
      << "warm " << rss_warm << " after " << rss_after;
  const Stats s = stats();
  EXPECT_EQ(s.threads, threads_before);
  EXPECT_EQ(s.thread_caches, 0u);
  EXPECT_STREQ(validate(), nullptr);
}

TEST(MempoolThreaded, FreeFromAThreadThatNeverAllocated) {
  // Seed bug: a free from a thread without a cache crashed.
  std::vector<void*> blocks;
  for (int i = 0; i < 1000; ++i) blocks.push_back(allocate(static_cast<std::size_t>(i % 300)));
  blocks.push_back(allocate(std::size_t{1} << 20));
  std::thread([&] {
    for (std::size_t i = 0; i < blocks.size(); ++i) {
      if (i % 2) deallocate(blocks[i]);
      else deallocate(blocks[i], i < 1000 ? i % 300 : std::size_t{1} << 20, 16);
    }
  }).join();
  EXPECT_STREQ(validate(), nullptr);
}

// Producers allocate and stamp blocks, consumers check the stamp and free them.
void producer_consumer(unsigned pairs, int per_producer) {
  struct Queue {
    std::mutex m;
    std::condition_variable cv;
    std::deque<std::pair<unsigned char*, std::size_t>> items;
    bool done = false;
  };
  std::vector<Queue> queues(pairs);
  std::atomic<int> bad{0};
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < pairs; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937_64 rng(0x12345678ecebdef0ull ^ (0x9e3779b97f4a7c15ull * t));
      std::uniform_int_distribution<std::size_t> size(0, 600);
      for (int i = 0; i < per_producer; ++i) {
        const std::size_t n = i % 97 == 0 ? (std::size_t{300} << 10) : size(rng);
        auto* p = static_cast<unsigned char*>(allocate(n));
        std::memset(p, static_cast<int>(n & 0xff), n);
        std::lock_guard g(queues[t].m);
        queues[t].items.emplace_back(p, n);
        queues[t].cv.notify_one();
      }
      std::lock_guard g(queues[t].m);
      queues[t].done = true;
      queues[t].cv.notify_one();
    });
    threads.emplace_back([&, t] {
      for (;;) {
        std::unique_lock g(queues[t].m);
        queues[t].cv.wait(g, [&] { return !queues[t].items.empty() || queues[t].done; });
        if (queues[t].items.empty()) return;
        auto [p, n] = queues[t].items.front();
        queues[t].items.pop_front();
        g.unlock();
        for (std::size_t k = 0; k < n; ++k)
          if (p[k] != static_cast<unsigned char>(n & 0xff)) {
            bad.fetch_add(1);
            break;
          }
        if (n % 2) deallocate(p);
        else deallocate(p, n, 16);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(bad.load(), 0);
}

TEST(MempoolThreaded, ProducerConsumerCrossThreadFree) {
  for (unsigned pairs : {1u, 2u, 4u}) producer_consumer(pairs, 20000);
  EXPECT_STREQ(validate(), nullptr);
}

TEST(MempoolThreaded, ChurnOnSharedHeapThenValidate) {
  std::vector<std::thread> threads;
  std::atomic<int> bad{0};
  for (unsigned t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      std::mt19937_64 rng(t);
      std::vector<std::pair<unsigned char*, std::size_t>> live;
      for (int i = 0; i < 30000; ++i) {
        if (!live.empty() && rng() % 4 == 0) {
          const std::size_t k = rng() % live.size();
          auto [p, n] = live[k];
          if (n > 0 && (p[0] != static_cast<unsigned char>(t) || p[n - 1] != static_cast<unsigned char>(t)))
            bad.fetch_add(1);
          deallocate(p, n, 16);
          live[k] = live.back();
          live.pop_back();
        } else {
          const std::size_t n = rng() % 1024;
          auto* p = static_cast<unsigned char*>(allocate(n));
          std::memset(p, static_cast<int>(t), n);
          live.emplace_back(p, n);
        }
      }
      for (auto [p, n] : live) deallocate(p);
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_STREQ(validate(), nullptr);
  release();
  EXPECT_STREQ(validate(), nullptr);
}

}  // namespace
}  // namespace alloclab::mempool
