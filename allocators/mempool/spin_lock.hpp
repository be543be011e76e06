// SpinLock: the mempool's lock. A byte that can sit in constinit globals (usable before main),
// never allocates (safe inside malloc), and can be taken in a pthread_atfork prepare handler
// and simply cleared in the child. Critical sections are short (a batch move, a span split);
// after a few spins the waiter yields, because on a loaded machine the holder may be
// descheduled.
#pragma once

#include <sched.h>

#include <atomic>

namespace alloclab::mempool {

class SpinLock {
 public:
  constexpr SpinLock() = default;
  SpinLock(const SpinLock&) = delete;
  SpinLock& operator=(const SpinLock&) = delete;

  void lock() noexcept {
    if (!held_.exchange(true, std::memory_order_acquire)) [[likely]] return;
    lock_slow();
  }
  // One attempt, no spinning (a caller with somewhere else to put its work).
  bool try_lock() noexcept {
    return !held_.load(std::memory_order_relaxed) &&
           !held_.exchange(true, std::memory_order_acquire);
  }
  void unlock() noexcept { held_.store(false, std::memory_order_release); }
  // After fork the child has one thread; any lock the parent held is the child's to clear.
  void reset_after_fork() noexcept { held_.store(false, std::memory_order_relaxed); }

 private:
  static void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }
  [[gnu::noinline]] void lock_slow() noexcept {
    for (unsigned spins = 0;; ++spins) {
      while (held_.load(std::memory_order_relaxed)) {
        if (++spins > 64) {
          ::sched_yield();
          spins = 0;
        } else {
          cpu_relax();
        }
      }
      if (!held_.exchange(true, std::memory_order_acquire)) return;
    }
  }

  std::atomic<bool> held_{false};
};

class SpinGuard {
 public:
  explicit SpinGuard(SpinLock& l) noexcept : lock_(l) { lock_.lock(); }
  ~SpinGuard() { lock_.unlock(); }
  SpinGuard(const SpinGuard&) = delete;
  SpinGuard& operator=(const SpinGuard&) = delete;

 private:
  SpinLock& lock_;
};

}  // namespace alloclab::mempool
