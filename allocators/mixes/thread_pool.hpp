// ThreadPool: size-classed pools for blocks up to 256 B, one set per thread, shared by all the
// threads of one instance (kThreadSafe, kCrossThreadFree). The small part of the thread-safe
// mix `thread_pool+mempool` (mixes.hpp): a multi-threaded program's small blocks.
//
// Glossary
//   heap   - one thread's pools: per class a LIFO free list and the uncarved rest of its current
//            slab, and one atomic list of blocks other threads freed (its remote list). A heap
//            belongs to the instance; a thread holds at most one heap of it at a time.
//   slab   - 64 KiB, 64 KiB-aligned, taken from the mempool heap; a header (its heap, its
//            class) then blocks of one class. A block's slab is its address rounded down.
//   remote free - a free by a thread that does not hold the block's heap: one CAS onto that
//            heap's remote list, drained by the heap's holder when a class list runs empty
//            (mimalloc's free-list sharding). No lock on any free.
//
// Where a block goes on free is decided by its slab header, not by an `owns` over all heaps:
// one masked load, correct from any thread because the header is written before the slab's
// first block is handed out and never changes. Heaps are claimed under the instance's mutex
// (first allocation of a thread) and handed back when the thread exits or moves to another
// instance, so a short-lived thread's blocks are reused by the next thread, not stranded.
// Slabs go back to the mempool when the instance is destroyed; until then freed blocks stay in
// their heap's lists (a pool's reuse, as object_pool_sc's).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <new>
#include <vector>

#include "allocators/core/traits.hpp"
#include "allocators/mempool/heap.hpp"

namespace alloclab {

namespace thread_pool_detail {
// Which heap (of which instance) the thread holds. Trivial and constant-initialised, so the hot
// path reads it with one thread-pointer-relative load (no guard, no TLS wrapper call).
struct Slot {
  std::uint64_t id;  // the instance's, never reused; 0: none
  void* heap;        // its ThreadPool::Heap
};
inline thread_local constinit Slot t_slot{0, nullptr};
}  // namespace thread_pool_detail

class ThreadPool {
 public:
  static constexpr std::size_t kStep = 16, kMaxBlock = 256, kClasses = kMaxBlock / kStep;
  static constexpr std::size_t kSlabBytes = std::size_t{64} << 10;

  static constexpr Traits traits{
      "thread_pool",
      "per-thread size-classed pools up to 256 B over 64 KiB slabs; remote frees go by CAS to "
      "the owning thread's list",
      kFree | kRealloc | kThreadSafe | kCrossThreadFree, kMaxBlock, kMinAlign};

  explicit ThreadPool(const Config&) noexcept : id_(next_id()) {
    Registry& r = registry();
    const std::lock_guard lock(r.mutex);
    r.alive.push_back({id_, this});
  }
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // pre: no thread uses the instance any more.
  ~ThreadPool() {
    {
      Registry& r = registry();
      const std::lock_guard lock(r.mutex);
      std::erase_if(r.alive, [this](const Live& l) { return l.id == id_; });
    }
    if (slot().id == id_) slot() = Slot{0, nullptr};
    for (Heap* h : heaps_) {
      for (Slab* s = h->slabs; s != nullptr;) {
        Slab* next = s->next;
        mempool::deallocate(s);
        s = next;
      }
      delete h;
    }
  }

  static constexpr unsigned class_of(std::size_t n) noexcept {
    return n == 0 ? 0u : static_cast<unsigned>((n - 1) / kStep);
  }
  static constexpr std::size_t class_size(unsigned c) noexcept { return (c + 1) * kStep; }

  // Hot path: the thread's heap (one thread-local compare), then a pop.
  [[nodiscard]] void* allocate(std::size_t n, std::size_t align) noexcept {
    if (n > kMaxBlock || align > kMinAlign) [[unlikely]] return nullptr;
    Heap* h = held();
    if (h == nullptr) [[unlikely]] {
      h = claim();
      if (h == nullptr) return nullptr;
    }
    const unsigned c = class_of(n);
    if (Block* b = h->free[c]) [[likely]] {
      h->free[c] = b->next;
      return b;
    }
    return refill(*h, c);
  }

  // pre: p came from allocate(n, align) of this instance, in any thread.
  void deallocate(void* p, std::size_t, std::size_t) noexcept {
    auto* b = static_cast<Block*>(p);
    const Slab* s = slab_of(p);
    Heap* owner = s->heap;
    if (owner == held()) [[likely]] {
      b->next = owner->free[s->cls];
      owner->free[s->cls] = b;
      return;
    }
    Block* head = owner->remote.load(std::memory_order_relaxed);
    do {
      b->next = head;
    } while (!owner->remote.compare_exchange_weak(head, b, std::memory_order_release, std::memory_order_relaxed));
  }

  // A block stays where it is while its class does; else it moves inside the pool.
  [[nodiscard]] void* reallocate(void* p, std::size_t old_n, std::size_t n, std::size_t align) noexcept {
    if (n > kMaxBlock) return nullptr;
    if (class_of(n) == class_of(old_n)) return p;
    void* q = allocate(n, align);
    if (q == nullptr) return nullptr;
    std::memcpy(q, p, std::min(old_n, n));
    deallocate(p, old_n, align);
    return q;
  }

  // The heaps this instance has made: one per thread that used it at the same time.
  [[nodiscard]] std::size_t heaps() const noexcept {
    const std::lock_guard lock(mutex_);
    return heaps_.size();
  }

 private:
  struct Block {
    Block* next;
  };
  struct Heap;
  struct alignas(64) Slab {
    Heap* heap;
    unsigned cls;
    Slab* next;  // the heap's slabs, for the destructor
  };
  struct Heap {
    Block* free[kClasses] = {};
    char* carve[kClasses] = {};  // the current slab's uncarved rest, per class
    char* limit[kClasses] = {};
    Slab* slabs = nullptr;
    bool held = false;  // guarded by the instance's mutex
    alignas(64) std::atomic<Block*> remote{nullptr};
  };

  using Slot = thread_pool_detail::Slot;
  // Hands the held heap back when the thread exits; touched once per claim (the slow path).
  struct ExitHook {
    ~ExitHook() {
      release(slot().id, static_cast<Heap*>(slot().heap));
      slot() = Slot{0, nullptr};
    }
  };
  struct Live {
    std::uint64_t id;
    ThreadPool* pool;
  };
  struct Registry {
    std::mutex mutex;
    std::vector<Live> alive;
  };

  static Slot& slot() noexcept { return thread_pool_detail::t_slot; }
  // Never destroyed: a thread may exit after static destructors have run.
  static Registry& registry() noexcept {
    static Registry* r = new Registry;
    return *r;
  }
  static std::uint64_t next_id() noexcept {
    static std::atomic<std::uint64_t> n{0};
    return n.fetch_add(1, std::memory_order_relaxed) + 1;
  }

  static const Slab* slab_of(const void* p) noexcept {
    return reinterpret_cast<const Slab*>(reinterpret_cast<std::uintptr_t>(p) & ~(kSlabBytes - 1));
  }

  Heap* held() const noexcept {
    const Slot& s = slot();
    return s.id == id_ ? static_cast<Heap*>(s.heap) : nullptr;
  }

  // Hands a heap back to its instance if that instance still lives (the registry's lock keeps
  // it alive meanwhile).
  static void release(std::uint64_t id, Heap* heap) noexcept {
    if (heap == nullptr) return;
    Registry& r = registry();
    const std::lock_guard lock(r.mutex);
    for (const Live& l : r.alive)
      if (l.id == id) {
        const std::lock_guard inner(l.pool->mutex_);
        heap->held = false;
      }
  }

  // The thread's first allocation from this instance: a heap no thread holds, or a new one.
  Heap* claim() noexcept {
    static thread_local ExitHook hook;
    (void)hook;
    Slot& s = slot();
    release(s.id, static_cast<Heap*>(s.heap));
    s = Slot{0, nullptr};
    const std::lock_guard lock(mutex_);
    Heap* h = nullptr;
    for (Heap* x : heaps_)
      if (!x->held) {
        h = x;
        break;
      }
    if (h == nullptr) {
      h = new (std::nothrow) Heap;
      if (h == nullptr) return nullptr;
      try {
        heaps_.push_back(h);
      } catch (...) {
        delete h;
        return nullptr;
      }
    }
    h->held = true;
    s.id = id_;
    s.heap = h;
    return h;
  }

  // Class c's list is empty: the blocks other threads freed, else the slab's uncarved rest,
  // else a new slab.
  static void* refill(Heap& h, unsigned c) noexcept {
    // A plain load first: most refills find no remote frees, and need no locked exchange.
    if (Block* b = h.remote.load(std::memory_order_relaxed) != nullptr
                       ? h.remote.exchange(nullptr, std::memory_order_acquire)
                       : nullptr) {
      while (b != nullptr) {
        Block* next = b->next;
        const unsigned bc = slab_of(b)->cls;
        b->next = h.free[bc];
        h.free[bc] = b;
        b = next;
      }
      if (Block* got = h.free[c]) {
        h.free[c] = got->next;
        return got;
      }
    }
    const std::size_t size = class_size(c);
    if (h.carve[c] == nullptr || h.carve[c] + size > h.limit[c]) {
      void* mem = mempool::allocate_aligned(kSlabBytes, kSlabBytes);
      if (mem == nullptr) return nullptr;
      Slab* s = new (mem) Slab{&h, c, h.slabs};
      h.slabs = s;
      h.carve[c] = static_cast<char*>(mem) + sizeof(Slab);
      h.limit[c] = static_cast<char*>(mem) + kSlabBytes;
    }
    void* p = h.carve[c];
    h.carve[c] += size;
    return p;
  }

  const std::uint64_t id_;
  mutable std::mutex mutex_;   // heaps_ and each heap's `held`
  std::vector<Heap*> heaps_;
};

}  // namespace alloclab
