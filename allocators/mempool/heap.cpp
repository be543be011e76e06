// The process-wide mempool heap: globals, thread-cache lifetime, slow paths, fork support.
#include "heap.hpp"

#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <new>

namespace alloclab::mempool {

namespace detail {

constinit Pages g_pages;
constinit __thread Cache* tls_cache __attribute__((tls_model("initial-exec"))) = nullptr;

namespace {

enum ThreadState : std::uint8_t { kNone = 0, kCreating, kActive, kDead };

constinit __thread std::uint8_t tls_state __attribute__((tls_model("initial-exec"))) = kNone;

constinit Central::SlotObjects g_slot_objects[kNumClasses];  // .bss: see central_cache.hpp
constinit Central g_central{&g_pages, g_slot_objects};

// Registry of live thread caches (for stats and fork); dead ones are recycled.
constinit SpinLock g_registry_lock;
constinit MetaPool<SystemMemory, Cache> g_cache_pool;
constinit Cache* g_caches = nullptr;
constinit std::size_t g_live_caches = 0;

constinit SpinLock g_key_lock;
constinit std::atomic<bool> g_key_ready{false};
constinit pthread_key_t g_key{};
constinit std::atomic<bool> g_atfork_registered{false};

void fork_prepare() noexcept;
void fork_parent() noexcept;
void fork_child() noexcept;

// Runs in the exiting thread (pthread key destructor): nothing of its cache is stranded.
void on_thread_exit(void* arg) noexcept {
  auto* c = static_cast<Cache*>(arg);
  tls_state = kDead;  // calls from later destructors go to the central cache
  tls_cache = nullptr;
  c->flush();
  SpinGuard g(g_registry_lock);
  if (c->prev != nullptr) c->prev->next = c->next;
  else g_caches = c->next;
  if (c->next != nullptr) c->next->prev = c->prev;
  --g_live_caches;
  c->~Cache();
  g_cache_pool.give(c);
}

bool ensure_key() noexcept {
  if (g_key_ready.load(std::memory_order_acquire)) return true;
  SpinGuard g(g_key_lock);
  if (g_key_ready.load(std::memory_order_relaxed)) return true;
  // glibc's pthread_key_create takes no memory from malloc.
  if (::pthread_key_create(&g_key, [](void* p) { on_thread_exit(p); }) != 0) return false;
  g_key_ready.store(true, std::memory_order_release);
  return true;
}

// Creates the calling thread's cache. Re-entrant calls (pthread_setspecific or
// pthread_atfork allocating) see kCreating and use the central cache directly.
Cache* create_cache() noexcept {
  tls_state = kCreating;
  if (!ensure_key()) {
    tls_state = kNone;
    return nullptr;
  }
  Cache* c;
  {
    SpinGuard g(g_registry_lock);
    c = g_cache_pool.take();
    if (c == nullptr) {
      tls_state = kNone;
      return nullptr;
    }
    ::new (c) Cache(&g_central);
    c->prev = nullptr;
    c->next = g_caches;
    if (g_caches != nullptr) g_caches->prev = c;
    g_caches = c;
    ++g_live_caches;
  }
  ::pthread_setspecific(g_key, c);
  tls_cache = c;
  tls_state = kActive;
  if (!g_atfork_registered.exchange(true, std::memory_order_acq_rel))
    ::pthread_atfork(fork_prepare, fork_parent, fork_child);
  return c;
}

// A cache for the calling thread if it may have one.
Cache* cache_or_create() noexcept {
  if (tls_cache != nullptr) return tls_cache;
  if (tls_state != kNone) return nullptr;
  return create_cache();
}

// Each time the page heap grows (takes at least 1 MiB more from the OS), the calling thread's
// idle cache lists and the slots of idle classes go back to their spans, where they may free
// pages for other classes instead of more growth (one relaxed load on the miss path
// otherwise).
[[gnu::noinline]] void return_idle() noexcept {
  if (Cache* c = tls_cache) c->trim_idle();
  g_central.drain_idle();
}

void* central_single(unsigned cls) noexcept {
  return g_central.remove_range(cls, 1).head;
}

void fork_prepare() noexcept {
  g_registry_lock.lock();
  for (unsigned c = 1; c < kNumClasses; ++c) g_central[c].lock();
  g_pages.lock();
}
void fork_parent() noexcept {
  g_pages.unlock();
  for (unsigned c = kNumClasses - 1; c >= 1; --c) g_central[c].unlock();
  g_registry_lock.unlock();
}
void fork_child() noexcept {
  // One thread now: the others' caches stay registered but idle (as in tcmalloc).
  g_pages.reset_lock_after_fork();
  for (unsigned c = 1; c < kNumClasses; ++c) g_central[c].reset_lock_after_fork();
  g_registry_lock.reset_after_fork();
}

}  // namespace

void* allocate_slow(unsigned cls) noexcept {
  if (g_pages.idle_check_due()) [[unlikely]] return_idle();
  if (Cache* c = cache_or_create()) return c->fetch(cls);
  return central_single(cls);
}

void deallocate_slow(void* p, unsigned cls) noexcept {
  if (p == nullptr) return;
  if (cls == 0) {
    Span* s = g_pages.span_of(p);
    // Only the start of a live large span may be freed here; anything else is not ours.
    if (s != nullptr && s->state == SpanState::kLarge && s->base() == p) g_pages.free_span(s);
    return;
  }
  if (Cache* c = cache_or_create()) return c->push(p, cls);
  auto* o = static_cast<FreeObject*>(p);
  g_central.insert_range(cls, ObjectRun{o, o, 1});
}

void* allocate_large(std::size_t n, std::size_t align) noexcept {
  if (n > (std::size_t{1} << 47)) return nullptr;
  const std::size_t pages = (std::max<std::size_t>(n, 1) + kPageSize - 1) >> kPageShift;
  const std::size_t align_pages = align > kPageSize ? align >> kPageShift : 1;
  Span* s = g_pages.allocate_large(pages, align_pages);
  return s == nullptr ? nullptr : s->base();
}

}  // namespace detail

void* allocate_aligned(std::size_t n, std::size_t align) noexcept {
  if (align <= kMinObject) return allocate(n);
  if (const unsigned cls = aligned_class(n, align)) {
    if (Cache* tc = detail::tls_cache)
      if (void* p = tc->pop(cls)) return p;
    return detail::allocate_slow(cls);
  }
  return detail::allocate_large(n, align);
}

std::size_t usable_size(const void* p) noexcept {
  if (p == nullptr) return 0;
  if (const unsigned cls = detail::g_pages.size_class(p)) return class_size(cls);
  const Span* s = detail::g_pages.span_of(p);
  return s != nullptr && s->state == SpanState::kLarge ? s->bytes() : 0;
}

void* reallocate(void* p, std::size_t n) noexcept {
  if (p == nullptr) return allocate(n);
  const std::size_t have = usable_size(p);
  // Keep the block when it fits and would not waste more than half of it.
  if (n <= have && n >= have / 2) return p;
  void* q = allocate(n);
  if (q == nullptr) return nullptr;
  std::memcpy(q, p, std::min(have, n));
  deallocate(p);
  return q;
}

void flush_thread_cache() noexcept {
  if (Cache* c = detail::tls_cache) c->flush();
}

std::size_t release() noexcept {
  flush_thread_cache();
  for (unsigned c = 1; c < kNumClasses; ++c) detail::g_central[c].drain();
  return detail::g_pages.release_all();
}

Stats stats() noexcept {
  using namespace detail;
  Stats s;
  std::size_t out = 0;
  for (unsigned c = 1; c < kNumClasses; ++c) {
    const auto counts = g_central[c].counts();
    out += counts.out * class_size(c);
    s.central += counts.held * class_size(c);
    s.central_released += counts.released_pages * kPageSize;
  }
  {
    SpinGuard g(g_registry_lock);
    for (Cache* c = g_caches; c != nullptr; c = c->next) s.thread_caches += c->bytes();
    s.threads = g_live_caches;
    s.metadata += g_cache_pool.mapped();
  }
  s.parked = g_central.parked_bytes();
  const PageHeapStats p = g_pages.stats();
  s.in_use = (out > s.thread_caches ? out - s.thread_caches : 0) + p.large;
  s.page_heap_free = p.free;
  s.mapped = p.mapped;
  s.released = p.released;
  s.metadata += p.metadata;
  return s;
}

const char* validate() noexcept {
  using namespace detail;
  if (const char* why = g_pages.validate()) return why;
  for (unsigned c = 1; c < kNumClasses; ++c)
    if (const char* why = g_central[c].validate()) return why;
  if (Cache* tc = tls_cache)
    return tc->validate([](void* p, unsigned cls) {
      const Span* s = g_pages.span_of(p);
      return s != nullptr && s->state == SpanState::kSmall && s->size_class == cls &&
             g_pages.size_class(p) == cls;
    });
  return nullptr;
}

}  // namespace alloclab::mempool
