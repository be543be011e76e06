// ChunkPool: a thread-safe chunked block pool for objects of any type and size up to a chunk's
// payload (the idea of the seed `000`, rebuilt). Layout and glossary: chunk_layout.hpp; the
// per-thread side: thread_cache.hpp.
//
// How it works
//   allocate   Each thread bump-allocates into its own current chunk (no atomic, no lock: the
//              hot path is a thread-local compare, an align-up and a bound check). An object that
//              does not fit moves the thread on to another chunk, where the fit is checked again.
//   deallocate Masks the pointer to its chunk. A free by the owning thread into its current
//              chunk is a plain decrement of `pending`; any other free is one atomic decrement
//              of the chunk's balance. The free that empties a chunk recycles it:
//                - the current chunk of the freeing thread is reused in place (cursor reset);
//                - a current chunk emptied by other threads' frees is reused in place the next
//                  time its owner runs out of room in it;
//                - any other chunk goes on the pool's free list, once (see "balance").
//   slow path  Taking a chunk from the free list, mapping a block, recycling a chunk and giving
//              a block back take the pool mutex; that is one lock per chunk's worth of objects.
//   Chosen over a plain mutex per call because churn from several threads would serialise every
//   allocation on one lock and one cache line; here threads share nothing on the hot path.
//
// Block release policy: blocks whose kChunksPerBlock chunks are all free ("empty") are kept
//   cached up to max(1, in-use blocks / kEmptyBlockShare) of them; beyond that they are unmapped
//   at once. A pool whose objects all died shrinks to one cached block; a busy pool keeps a
//   quarter of its size as slack, so a workload that frees and regrows a few blocks at a time
//   (tb's batch frees) does not mmap, munmap and page-fault them in again on every cycle. Tests:
//   EmptyBlocksBeyondTheCacheAreReturnedToTheOs.
//
// Limits: max_size is kPayload (8128 bytes) for alignments up to 64; a larger alignment pads
//   inside the chunk (align 4096 serves up to 4096 bytes). Larger requests return nullptr.
//   Alignments up to kMaxAlign (4096) are honoured; every block is at least 16-aligned.
//   Frees count objects, not bytes: the size passed to deallocate is not needed (a Derived
//   destroyed through a Base* is fine). Destroying the pool unmaps everything, live or not.
#pragma once

#include <sys/mman.h>

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <new>
#include <type_traits>
#include <utility>

#include "allocators/core/assert.hpp"
#include "allocators/core/asan.hpp"
#include "allocators/core/traits.hpp"
#include "chunk_layout.hpp"
#include "thread_cache.hpp"

namespace alloclab {

template <class T>
class PoolAllocator;
class ChunkPool;
struct ChunkPoolInspector;  // test-only window on the internals (chunk_pool_inspect.hpp)

// unique_ptr deleter that destroys the object and gives its memory back to the pool.
template <class T>
struct PoolDeleter {
  ChunkPool* pool = nullptr;
  void operator()(T* p) const noexcept;
};

template <class T>
using PoolUniquePtr = std::unique_ptr<T, PoolDeleter<T>>;

class ChunkPool : private chunk_pool_detail::RegistryNode {
 public:
  static constexpr Traits traits{
      "chunk_pool",
      "8 KiB chunks in 256 KiB blocks; per-thread bump chunk, atomic per-chunk live counts",
      kFree | kThreadSafe | kCrossThreadFree, chunk_pool_detail::kPayload,
      chunk_pool_detail::kMaxAlign};

  ChunkPool() noexcept {
    give_back = &give_back_slot;
    id_ = chunk_pool_detail::PoolRegistry::instance().add(*this);
  }
  explicit ChunkPool(const Config&) noexcept : ChunkPool() {}
  ChunkPool(const ChunkPool&) = delete;  // two owners of the same blocks would unmap them twice
  ChunkPool& operator=(const ChunkPool&) = delete;
  ~ChunkPool();

  // Hot path. pre: align is a power of two.
  void* allocate(std::size_t n, std::size_t align) noexcept {
    ALLOCLAB_ASSERT(is_pow2(align), "align is a power of two");
    using namespace chunk_pool_detail;
    if (align < kMinAlign) align = kMinAlign;
    n += (n == 0);  // a unique block for n == 0
    if (n > kPayload) [[unlikely]]
      return nullptr;
    Slot* s = thread_slot();
    if (s != nullptr) [[likely]] {
      const std::uintptr_t p = align_up(s->bump, align);
      if (p + n <= s->end) [[likely]] {
        s->bump = p + n;
        ++s->pending;
        asan::unpoison(reinterpret_cast<void*>(p), n);
        return reinterpret_cast<void*>(p);
      }
    }
    return allocate_slow(s, n, align);
  }

  // Hot path. pre: p came from this pool (any thread) and was not freed since. n and align are
  // not needed; under ASan the first n bytes are poisoned (0: none, a Base of a Derived: fine).
  void deallocate(void* p, std::size_t n = 0, std::size_t /*align*/ = 0) noexcept {
    using namespace chunk_pool_detail;
    asan::poison(p, n);  // before the balance drops: the chunk may be reused right after
    Chunk* const c = chunk_of(p);
    const CacheEntry& e = tl_cache[0];
    if (e.pool_id == id_ && e.slot->current == c) {
      // Our own current chunk: nobody else touches `pending`, so no atomic is needed. The
      // balance is only read; it can be stale high, never low, so zero is never seen early.
      Slot& s = *e.slot;
      if (--s.pending + c->balance.load(std::memory_order_acquire) == kBias) [[unlikely]]
        reuse_current(s);
      return;
    }
    if (c->balance.fetch_sub(1, std::memory_order_acq_rel) == 1) [[unlikely]]
      recycle(c);
  }

  // Retires the calling thread's current chunk, so it is recycled as soon as it is empty.
  // Threads do this by themselves when they exit; call it when a thread is done with the pool.
  void flush_thread_cache() noexcept;

  // Typed API. make/make_unique/make_shared throw std::bad_alloc when the pool is out of memory
  // (like new); objects larger than a chunk's payload are refused at compile time.
  template <class T, class... Args>
  T* make(Args&&... args) {
    static_assert(chunk_pool_detail::fits_empty_chunk(sizeof(T), alignof(T)),
                  "T does not fit a chunk's payload");
    void* p = allocate(sizeof(T), alignof(T));
    if (p == nullptr) throw std::bad_alloc();
    try {
      return ::new (p) T(std::forward<Args>(args)...);
    } catch (...) {
      deallocate(p, sizeof(T), alignof(T));
      throw;
    }
  }

  template <class T>
  void destroy(T* p) noexcept {
    if (p == nullptr) return;
    p->~T();
    deallocate(const_cast<std::remove_cv_t<T>*>(p), sizeof(T), alignof(T));
  }

  template <class T, class... Args>
  PoolUniquePtr<T> make_unique(Args&&... args) {
    return PoolUniquePtr<T>(make<T>(std::forward<Args>(args)...), PoolDeleter<T>{this});
  }

  // One pool allocation holds both the object and shared_ptr's control block.
  template <class T, class... Args>
  std::shared_ptr<T> make_shared(Args&&... args);

 private:
  friend struct ChunkPoolInspector;
  using Chunk = chunk_pool_detail::Chunk;
  using Slot = chunk_pool_detail::Slot;

  chunk_pool_detail::Slot* thread_slot() noexcept {
    const chunk_pool_detail::CacheEntry& e = chunk_pool_detail::tl_cache[0];
    if (e.pool_id == id_) [[likely]]
      return e.slot;
    return thread_slot_slow();
  }

  // Slow paths, out of line.
  [[gnu::noinline]] inline Slot* thread_slot_slow() noexcept;
  [[gnu::noinline]] inline void* allocate_slow(Slot* s, std::size_t n, std::size_t align) noexcept;
  [[gnu::noinline]] inline void reuse_current(Slot& s) noexcept;
  [[gnu::noinline]] inline void recycle(Chunk* c) noexcept;
  void retire_current(Slot& s) noexcept;
  static void give_back_slot(RegistryNode& self, Slot& s) noexcept;

  // Under mutex_.
  void push_free_locked(Chunk* c) noexcept;
  void trim_empty_locked() noexcept;
  Chunk* take_chunk_locked() noexcept;
  bool map_block_locked() noexcept;
  void unmap_block_locked(Chunk* block) noexcept;
  static void unmap(Chunk* block) noexcept;

  std::uint64_t id_ = 0;
  std::mutex mutex_;  // guards everything below
  chunk_pool_detail::FreeChunkList free_;
  chunk_pool_detail::BlockList blocks_;         // every mapped block (its first chunk)
  chunk_pool_detail::EmptyBlockList empty_;     // blocks with every chunk free (the cache)
  Slot* slots_ = nullptr;         // every slot (next_all)
  Slot* idle_slots_ = nullptr;    // slots no thread holds (next_idle)
};

// ---- std allocator over the pool (containers, allocate_shared) ----

template <class T>
class PoolAllocator {
 public:
  using value_type = T;

  explicit PoolAllocator(ChunkPool& pool) noexcept : pool_(&pool) {}
  template <class U>
  PoolAllocator(const PoolAllocator<U>& other) noexcept : pool_(&other.pool()) {}

  T* allocate(std::size_t count) {
    if (count > chunk_pool_detail::kPayload / sizeof(T)) throw std::bad_array_new_length();
    void* p = pool_->allocate(count * sizeof(T), alignof(T));
    if (p == nullptr) throw std::bad_alloc();
    return static_cast<T*>(p);
  }
  void deallocate(T* p, std::size_t count) noexcept {
    pool_->deallocate(p, count * sizeof(T), alignof(T));
  }

  ChunkPool& pool() const noexcept { return *pool_; }

  template <class U>
  friend bool operator==(const PoolAllocator& a, const PoolAllocator<U>& b) noexcept {
    return &a.pool() == &b.pool();
  }

 private:
  ChunkPool* pool_;
};

template <class T>
void PoolDeleter<T>::operator()(T* p) const noexcept {
  pool->destroy(p);
}

template <class T, class... Args>
std::shared_ptr<T> ChunkPool::make_shared(Args&&... args) {
  return std::allocate_shared<T>(PoolAllocator<T>(*this), std::forward<Args>(args)...);
}

// ---- slow paths ----

inline ChunkPool::~ChunkPool() {
  chunk_pool_detail::PoolRegistry::instance().remove(*this);
  // Entries other threads still hold for this pool carry its id, which is never reused:
  // they can no longer match, and their exit hooks find no live pool to give back to.
  std::lock_guard lock(mutex_);
  while (Chunk* b = blocks_.head) {
    blocks_.erase(b);
    unmap(b);
  }
  while (slots_ != nullptr) {
    Slot* s = slots_;
    slots_ = s->next_all;
    delete s;
  }
}

ChunkPool::Slot* ChunkPool::thread_slot_slow() noexcept {
  using namespace chunk_pool_detail;
  // A later way may hold this pool: move it to the front.
  for (std::size_t i = 1; i < kCacheWays; ++i) {
    if (tl_cache[i].pool_id == id_) {
      std::swap(tl_cache[0], tl_cache[i]);
      return tl_cache[0].slot;
    }
  }
  // Make room: the least recently used way gives its slot back to its pool (if still alive).
  if (tl_cache[kCacheWays - 1].pool_id != 0)
    PoolRegistry::instance().give_back(tl_cache[kCacheWays - 1]);
  for (std::size_t i = kCacheWays - 1; i > 0; --i) tl_cache[i] = tl_cache[i - 1];
  tl_cache[0] = CacheEntry{};

  Slot* s = nullptr;
  {
    std::lock_guard lock(mutex_);
    if (idle_slots_ != nullptr) {
      s = idle_slots_;
      idle_slots_ = s->next_idle;
    } else {
      s = new (std::nothrow) Slot;
      if (s == nullptr) return nullptr;
      s->next_all = slots_;
      slots_ = s;
    }
  }
  tl_exit_hook.armed = true;  // first use in this thread registers its destructor
  tl_cache[0] = CacheEntry{id_, s};
  return s;
}

void* ChunkPool::allocate_slow(Slot* s, std::size_t n, std::size_t align) noexcept {
  using namespace chunk_pool_detail;
  if (s == nullptr || !fits_empty_chunk(n, align)) return nullptr;
  // At most two rounds: if the current chunk turns out empty it is reused in place, otherwise a
  // fresh (empty) chunk is taken; either way the object fits the second time, which the bound
  // check below confirms rather than assumes.
  for (int round = 0; round < 2; ++round) {
    if (Chunk* c = s->current) {
      // Other threads may have emptied it: then it is ours alone and can be reused in place.
      if (c->balance.load(std::memory_order_acquire) - kBias + s->pending == 0)
        reuse_current(*s);
      else
        retire_current(*s);
    }
    if (s->current == nullptr) {
      std::lock_guard lock(mutex_);
      Chunk* c = take_chunk_locked();
      if (c == nullptr) return nullptr;
      s->current = c;
      s->bump = c->payload();
      s->end = c->end();
      s->pending = 0;
    }
    const std::uintptr_t p = align_up(s->bump, align);
    if (p + n <= s->end) {
      s->bump = p + n;
      ++s->pending;
      asan::unpoison(reinterpret_cast<void*>(p), n);
      return reinterpret_cast<void*>(p);
    }
  }
  assert(false && "an empty chunk must fit what fits_empty_chunk admitted");
  return nullptr;
}

// pre: the calling thread owns s, and s.current holds no live object.
void ChunkPool::reuse_current(Slot& s) noexcept {
  s.current->balance.store(chunk_pool_detail::kBias, std::memory_order_relaxed);
  s.pending = 0;
  s.bump = s.current->payload();
}

// pre: the calling thread owns s (or s's thread has exited and the registry mutex is held).
inline void ChunkPool::retire_current(Slot& s) noexcept {
  using namespace chunk_pool_detail;
  Chunk* c = s.current;
  if (c == nullptr) return;
  s.current = nullptr;
  s.bump = s.end = 0;
  const std::int64_t delta = s.pending - kBias;
  s.pending = 0;
  c->state = ChunkState::kRetired;
  // Fold our allocations in and drop the bias: from now on the balance is the live count.
  if (c->balance.fetch_add(delta, std::memory_order_acq_rel) + delta == 0) recycle(c);
}

inline void ChunkPool::flush_thread_cache() noexcept {
  const chunk_pool_detail::CacheEntry& e = chunk_pool_detail::tl_cache[0];
  if (e.pool_id == id_) {
    retire_current(*e.slot);
    return;
  }
  for (const chunk_pool_detail::CacheEntry& way : chunk_pool_detail::tl_cache)
    if (way.pool_id == id_) retire_current(*way.slot);
}

inline void ChunkPool::give_back_slot(RegistryNode& self, Slot& s) noexcept {
  auto& pool = static_cast<ChunkPool&>(self);
  pool.retire_current(s);
  std::lock_guard lock(pool.mutex_);
  s.next_idle = pool.idle_slots_;
  pool.idle_slots_ = &s;
}

// pre: c's balance just reached zero and c is not current: the caller owns it.
void ChunkPool::recycle(Chunk* c) noexcept {
  std::lock_guard lock(mutex_);
  push_free_locked(c);
}

inline void ChunkPool::push_free_locked(Chunk* c) noexcept {
  using namespace chunk_pool_detail;
  assert(c->state != ChunkState::kFree && "a chunk goes on the free list once per emptying");
  c->state = ChunkState::kFree;
  free_.push_front(c);
  Chunk* block = block_of(c);
  if (++block->free_in_block < kChunksPerBlock) return;
  empty_.push_front(block);
  trim_empty_locked();
}

// The release policy (see the top of this file).
inline void ChunkPool::trim_empty_locked() noexcept {
  using namespace chunk_pool_detail;
  for (;;) {
    const std::size_t in_use = blocks_.size - empty_.size;
    const std::size_t keep = in_use / kEmptyBlockShare > 1 ? in_use / kEmptyBlockShare : 1;
    if (empty_.size <= keep) return;
    unmap_block_locked(empty_.head);
  }
}

inline ChunkPool::Chunk* ChunkPool::take_chunk_locked() noexcept {
  using namespace chunk_pool_detail;
  if (free_.head == nullptr && !map_block_locked()) return nullptr;
  Chunk* c = free_.head;
  free_.erase(c);
  Chunk* block = block_of(c);
  if (block->free_in_block-- == kChunksPerBlock) empty_.erase(block);
  c->state = ChunkState::kCurrent;
  c->balance.store(kBias, std::memory_order_relaxed);
  return c;
}

// Maps one block aligned to its own size: over-reserve twice the size, trim both ends.
inline bool ChunkPool::map_block_locked() noexcept {
  using namespace chunk_pool_detail;
  void* raw = ::mmap(nullptr, 2 * kBlockSize, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) return false;
  const auto base = reinterpret_cast<std::uintptr_t>(raw);
  const std::uintptr_t aligned = align_up(base, kBlockSize);
  if (aligned != base) ::munmap(raw, aligned - base);
  const std::size_t tail = base + kBlockSize - aligned;  // bytes left past the block
  if (tail != 0) ::munmap(reinterpret_cast<void*>(aligned + kBlockSize), tail);

  // Last chunk first onto the free list, so that chunk 0 is taken first. Under ASan a payload
  // is addressable only where an object was handed out (the headers always are).
  for (std::size_t i = kChunksPerBlock; i-- > 0;) {
    Chunk* c = ::new (reinterpret_cast<void*>(aligned + i * kChunkSize)) Chunk;
    asan::poison(reinterpret_cast<void*>(c->payload()), c->end() - c->payload());
    free_.push_front(c);
  }
  auto* block = reinterpret_cast<Chunk*>(aligned);
  block->free_in_block = kChunksPerBlock;
  blocks_.push_front(block);
  empty_.push_front(block);
  return true;
}

// pre: every chunk of the block is free.
inline void ChunkPool::unmap_block_locked(Chunk* block) noexcept {
  using namespace chunk_pool_detail;
  const auto base = reinterpret_cast<std::uintptr_t>(block);
  for (std::size_t i = 0; i < kChunksPerBlock; ++i)
    free_.erase(reinterpret_cast<Chunk*>(base + i * kChunkSize));
  empty_.erase(block);
  blocks_.erase(block);
  unmap(block);
}

// The addresses may be mapped again by anyone: they must not keep this pool's poison.
inline void ChunkPool::unmap(Chunk* block) noexcept {
  asan::unpoison(block, chunk_pool_detail::kBlockSize);
  ::munmap(block, chunk_pool_detail::kBlockSize);
}

}  // namespace alloclab
