// Locked<A>: one mutex around an allocator, which makes a single-threaded strategy shareable
// (kThreadSafe, kCrossThreadFree). The lock is the price the capability costs; measuring it
// beside a natively concurrent allocator is the point. Its name is "<A's name>_locked", so
// `alloclab_add_allocator(mine HEADER mine.hpp TYPES alloclab::Mine alloclab::Locked<alloclab::Mine>)`
// registers both.
#pragma once

#include <mutex>

#include "allocator.hpp"
#include "named.hpp"

namespace alloclab {

template <Allocator A>
class Locked {
 public:
  static constexpr Traits traits{suffixed_name<A, "_locked">(),
                                 suffixed_summary<A, ", behind one mutex">(),
                                 A::traits.caps | kThreadSafe | kCrossThreadFree,
                                 A::traits.max_size, A::traits.max_align};

  explicit Locked(const Config& config) : inner_(config) {}
  Locked(const Locked&) = delete;
  Locked& operator=(const Locked&) = delete;

  void* allocate(std::size_t n, std::size_t align) noexcept {
    std::lock_guard lock(mutex_);
    return inner_.allocate(n, align);
  }
  void deallocate(void* p, std::size_t n, std::size_t align) noexcept
    requires Deallocating<A>
  {
    std::lock_guard lock(mutex_);
    inner_.deallocate(p, n, align);
  }
  void* reallocate(void* p, std::size_t o, std::size_t n, std::size_t align) noexcept
    requires Reallocating<A>
  {
    std::lock_guard lock(mutex_);
    return inner_.reallocate(p, o, n, align);
  }
  void reset() noexcept
    requires Resettable<A>
  {
    std::lock_guard lock(mutex_);
    inner_.reset();
  }

  A& inner() noexcept { return inner_; }

 private:
  std::mutex mutex_;
  A inner_;
};

}  // namespace alloclab
