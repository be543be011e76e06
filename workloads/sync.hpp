// What replaying threads share: the slot table's entries, used as mailboxes by hand-off ops
// (producer/consumer), a barrier for round-based workloads (larson), and an abort flag so a
// thread that fails never leaves the others waiting for it.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <thread>

namespace alloclab {

// A live block: what its free must pass back (sized free, and the alignment it was asked with).
struct Slot {
  void* p;
  std::uint32_t size;
  std::uint32_t align;
};

class ReplaySync {
 public:
  explicit ReplaySync(unsigned threads) : threads_(threads) {}
  ReplaySync(const ReplaySync&) = delete;
  ReplaySync& operator=(const ReplaySync&) = delete;

  // Each wait returns false when another thread aborted the replay.
  bool await_empty(Slot& s) noexcept { return spin_until(s, false); }
  bool await_full(Slot& s) noexcept { return spin_until(s, true); }

  // pre: s is empty and owned by the caller. Size and alignment are written before the release
  // store.
  void publish(Slot& s, const Slot& fresh) noexcept {
    s.size = fresh.size;
    s.align = fresh.align;
    std::atomic_ref<void*>(s.p).store(fresh.p, std::memory_order_release);
  }
  void empty(Slot& s) noexcept {
    std::atomic_ref<void*>(s.p).store(nullptr, std::memory_order_release);
  }

  bool barrier() noexcept {
    const unsigned gen = generation_.load(std::memory_order_acquire);
    if (arrived_.fetch_add(1, std::memory_order_acq_rel) + 1 == threads_) {
      arrived_.store(0, std::memory_order_relaxed);
      generation_.fetch_add(1, std::memory_order_release);
      generation_.notify_all();
      return !aborted();
    }
    while (generation_.load(std::memory_order_acquire) == gen) generation_.wait(gen);
    return !aborted();
  }

  void abort() noexcept {
    aborted_.store(true, std::memory_order_release);
    generation_.fetch_add(1, std::memory_order_release);
    generation_.notify_all();
  }
  bool aborted() const noexcept { return aborted_.load(std::memory_order_acquire); }

 private:
  // Spins briefly, then yields, then sleeps: with more threads than cores (common here, and
  // under a loaded CI machine) a waiter must give its core to the thread it waits for, or each
  // hand-off costs a scheduler time slice.
  bool spin_until(Slot& s, bool full) noexcept {
    std::atomic_ref<void*> p(s.p);
    for (unsigned spins = 0; (p.load(std::memory_order_acquire) != nullptr) != full; ++spins) {
      if (aborted()) return false;
      if (spins > 1024)
        std::this_thread::sleep_for(std::chrono::microseconds(50));
      else if (spins > 64)
        std::this_thread::yield();
    }
    return true;
  }

  const unsigned threads_;
  std::atomic<unsigned> arrived_{0};
  std::atomic<unsigned> generation_{0};
  std::atomic<bool> aborted_{false};
};

}  // namespace alloclab
