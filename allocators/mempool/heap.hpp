// The mempool heap: one process-wide instance of the layers, tcmalloc style.
//
//   allocate / deallocate         (this file: inline hot paths)
//     -> ThreadCache              (thread_cache.hpp: per-thread lists, no locks)
//       -> CentralCache           (central_cache.hpp: per-class lock, batches, spans)
//         -> PageHeap             (page_heap.hpp: spans of 8 KiB pages, coalescing)
//           -> PageMap            (page_map.hpp: page -> span / class, lock-free reads)
//           -> SystemMemory       (system_memory.hpp: mmap, madvise)
//
// Glossary
//   small block   - <= 256 KiB (and alignment a class can honour): served by a size class.
//   large block   - its own span of pages, straight from the page heap.
//   thread state  - none (no cache yet) -> creating (re-entrant calls, e.g. from
//                   pthread_setspecific, go to the central cache) -> active -> dead (after the
//                   thread-exit flush; later calls go to the central cache).
// Everything global is constinit: the heap works before main and inside other constructors.
#pragma once

#include <cstddef>
#include <cstdint>

#include "central_cache.hpp"
#include "page_heap.hpp"
#include "size_classes.hpp"
#include "system_memory.hpp"
#include "thread_cache.hpp"

#if defined(ALLOCLAB_MEMPOOL_SHARED)
#define ALLOCLAB_MEMPOOL_INTERNAL __attribute__((visibility("hidden")))
#else
#define ALLOCLAB_MEMPOOL_INTERNAL
#endif

namespace alloclab::mempool {

using Pages = PageHeap<SystemMemory>;
using Central = CentralCache<Pages>;
using Cache = ThreadCache<Central>;

struct Stats {
  std::size_t in_use = 0;         // bytes the program holds (class sizes + large spans)
  std::size_t thread_caches = 0;  // free objects in every thread's cache
  std::size_t central = 0;        // free objects in central lists (slots, spans, uncarved)
  std::size_t parked = 0;         // part of central: whole batches in transfer slots
  std::size_t central_released = 0;  // part of central: pages of spans in use given back
  std::size_t page_heap_free = 0; // free spans, released or not
  std::size_t mapped = 0;         // span memory taken from the OS
  std::size_t released = 0;       // part of page_heap_free given back to the OS
  std::size_t metadata = 0;       // span records, page-map nodes, thread caches
  std::size_t threads = 0;        // live thread caches
};

namespace detail {
extern Pages g_pages ALLOCLAB_MEMPOOL_INTERNAL;
// initial-exec: one %fs-relative load, no TLS wrapper call, no allocation on first touch.
extern __thread Cache* tls_cache ALLOCLAB_MEMPOOL_INTERNAL
    __attribute__((tls_model("initial-exec")));

ALLOCLAB_MEMPOOL_INTERNAL void* allocate_slow(unsigned cls) noexcept;
ALLOCLAB_MEMPOOL_INTERNAL void deallocate_slow(void* p, unsigned cls) noexcept;
ALLOCLAB_MEMPOOL_INTERNAL void* allocate_large(std::size_t n, std::size_t align) noexcept;
}  // namespace detail

// --- hot paths ---

// A small block: n bytes, 16-byte aligned. pre: n <= kMaxSmall (a caller that knows its
// bound, as the replay's FastPath does, skips allocate()'s large-block test).
[[gnu::always_inline]] inline void* allocate_small(std::size_t n) noexcept {
  const unsigned cls = size_to_class(n);
  if (Cache* tc = detail::tls_cache) [[likely]]
    if (void* p = tc->pop(cls)) [[likely]] return p;
  return detail::allocate_slow(cls);
}

// A block of the calling thread's cache, or nullptr (then allocate() does the rest): for a
// caller whose miss path is a tail call, so its hit path saves no register (malloc).
[[gnu::always_inline]] inline void* allocate_cached(std::size_t n) noexcept {
  if (n > kMaxSmall) [[unlikely]] return nullptr;
  Cache* tc = detail::tls_cache;
  return tc != nullptr ? tc->pop(size_to_class(n)) : nullptr;
}

// n bytes, 16-byte aligned; n == 0 gives a unique block. nullptr when out of memory.
[[gnu::always_inline]] inline void* allocate(std::size_t n) noexcept {
  if (n <= kMaxSmall) [[likely]] return allocate_small(n);
  return detail::allocate_large(n, kMinObject);
}

// Frees any block of this heap, or nullptr. Looks the class up in the page map.
[[gnu::always_inline]] inline void deallocate(void* p) noexcept {
  const unsigned cls = detail::g_pages.size_class(p);
  Cache* tc = detail::tls_cache;
  if (cls != 0 && tc != nullptr) [[likely]] return tc->push(p, cls);
  detail::deallocate_slow(p, cls);
}

// The class that allocate_aligned(n, align) serves from, 0 for a large block.
inline unsigned class_for(std::size_t n, std::size_t align) noexcept {
  if (align <= kMinObject) [[likely]] return n <= kMaxSmall ? size_to_class(n) : 0u;
  return aligned_class(n, align);
}

// Sized free: skips the page map for small blocks.
// pre: p came from allocate(n) or allocate_aligned(n, align) with the same n and align.
[[gnu::always_inline]] inline void deallocate(void* p, std::size_t n, std::size_t align) noexcept {
  const unsigned cls = class_for(n, align);
  Cache* tc = detail::tls_cache;
  if (cls != 0 && tc != nullptr) [[likely]] return tc->push(p, cls);
  detail::deallocate_slow(p, cls);
}

// Sized free of a small block. pre: p came from allocate(n) or allocate_small(n), n <= kMaxSmall.
[[gnu::always_inline]] inline void deallocate_small(void* p, std::size_t n) noexcept {
  const unsigned cls = size_to_class(n);
  if (Cache* tc = detail::tls_cache) [[likely]] return tc->push(p, cls);
  detail::deallocate_slow(p, cls);
}

// Whether p lies in a span of this heap: one page-map lookup, lock-free (a mix routes frees by
// it). A live block of another allocator sits on a page the map never registered.
inline bool owns(const void* p) noexcept { return detail::g_pages.span_of(p) != nullptr; }

// --- everything else (heap.cpp) ---

// pre: align is a power of two. nullptr when out of memory.
void* allocate_aligned(std::size_t n, std::size_t align) noexcept;
// malloc_usable_size: the bytes the block really has; 0 for nullptr.
std::size_t usable_size(const void* p) noexcept;
// realloc semantics (p may be nullptr; n == 0 still returns a block). nullptr leaves p valid.
void* reallocate(void* p, std::size_t n) noexcept;
// The calling thread's cache back to the central cache.
void flush_thread_cache() noexcept;
// Flushes the calling thread's cache, empties central transfer slots and gives every free page
// back to the OS. Returns the bytes released by this call.
std::size_t release() noexcept;
Stats stats() noexcept;
// Debug walk of the page heap, every central list and the calling thread's cache:
// nullptr when consistent, else what is wrong.
const char* validate() noexcept;

}  // namespace alloclab::mempool
