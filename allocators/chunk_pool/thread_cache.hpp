// chunk_pool thread cache: each thread bump-allocates into its own current chunk of a pool.
//
// Glossary
//   slot     - one thread's allocation state in one pool: the current chunk, the bump cursor and
//              the `pending` count of allocations not yet folded into the chunk's balance. Slots
//              are owned by the pool (freed with it) and lent to one thread at a time.
//   entry    - the thread-local (pool id, slot) pair; kCacheWays of them per thread, most
//              recently used first, so the hot path is one compare against entry 0.
//   pool id  - a 64-bit number never reused, so an entry left behind by a destroyed pool can
//              never match a new pool that happens to live at the same address.
//   registry - the process-wide list of live pools. A thread that exits (or evicts an entry)
//              gives its slot back through it, and only if the pool is still alive; without this
//              the current chunk of every exited thread would be stranded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>

#include "chunk_layout.hpp"

namespace alloclab::chunk_pool_detail {

struct alignas(64) Slot {  // a line of its own: two threads' slots never share one
  std::uintptr_t bump = 0;  // next free byte of `current` (0 with no current chunk)
  std::uintptr_t end = 0;   // end of `current`'s payload (0 with no current chunk)
  Chunk* current = nullptr;
  // Allocations minus frees by this thread into `current` since the chunk became current;
  // the chunk's live count is balance - kBias + pending.
  std::int64_t pending = 0;
  Slot* next_all = nullptr;   // every slot of the pool (the pool frees them)
  Slot* next_idle = nullptr;  // slots no thread holds, ready for the next thread
};

struct CacheEntry {
  std::uint64_t pool_id = 0;  // 0: empty
  Slot* slot = nullptr;
};

inline constexpr std::size_t kCacheWays = 4;

// Trivially constructible and destructible, so no TLS init wrapper; initial-exec so that even
// position-independent code reaches it with one %fs-relative load instead of __tls_get_addr
// (64 bytes fit the static TLS surplus glibc keeps for dlopen-ed libraries).
[[gnu::tls_model("initial-exec")]] constinit inline thread_local CacheEntry tl_cache[kCacheWays] =
    {};

struct RegistryNode {
  std::uint64_t id = 0;
  RegistryNode* next = nullptr;
  // Gives a slot back to the pool this node belongs to. Called with the registry mutex held.
  void (*give_back)(RegistryNode& self, Slot& slot) noexcept = nullptr;
};

class PoolRegistry {
 public:
  // Never destroyed: it must outlive every pool and every thread's exit hook.
  static PoolRegistry& instance() noexcept {
    static PoolRegistry* const registry = new PoolRegistry;
    return *registry;
  }

  std::uint64_t add(RegistryNode& node) noexcept {
    std::lock_guard lock(mutex_);
    node.id = ++last_id_;
    node.next = head_;
    head_ = &node;
    return node.id;
  }

  void remove(RegistryNode& node) noexcept {
    std::lock_guard lock(mutex_);
    for (RegistryNode** link = &head_; *link != nullptr; link = &(*link)->next) {
      if (*link == &node) {
        *link = node.next;
        return;
      }
    }
  }

  // Hands the entry's slot back to its pool if that pool is still alive; drops it otherwise
  // (a destroyed pool freed its slots itself).
  void give_back(const CacheEntry& entry) noexcept {
    std::lock_guard lock(mutex_);
    for (RegistryNode* n = head_; n != nullptr; n = n->next) {
      if (n->id == entry.pool_id) {
        n->give_back(*n, *entry.slot);
        return;
      }
    }
  }

 private:
  PoolRegistry() = default;
  std::mutex mutex_;
  RegistryNode* head_ = nullptr;
  std::uint64_t last_id_ = 0;
};

// Armed the first time a thread takes a slot (slow path); at thread exit it gives every slot
// back, which retires the thread's current chunks so they are recycled once empty.
struct ThreadExitHook {
  bool armed = false;
  ~ThreadExitHook() {
    for (CacheEntry& e : tl_cache) {
      if (e.pool_id != 0) PoolRegistry::instance().give_back(e);
      e = CacheEntry{};
    }
  }
};
inline thread_local ThreadExitHook tl_exit_hook;

}  // namespace alloclab::chunk_pool_detail
