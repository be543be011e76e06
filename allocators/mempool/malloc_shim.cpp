// liballoclab_mempool.so: the mempool heap as a drop-in malloc (LD_PRELOAD it).
//
// Exports the C allocation API glibc documents as replaceable, plus the C++ operators
// new/delete (plain, sized, aligned, nothrow, arrays). Everything else of the library is
// hidden (CXX_VISIBILITY_PRESET hidden), so internal calls never go through the PLT.
// Safe before main: the heap is constinit. Across fork: heap.cpp registers pthread_atfork
// handlers with the first thread cache. Re-entry while a thread's cache is being created is
// served by the central cache (see heap.cpp, thread state).
//
// No libstdc++: the library is linked without it (CMakeLists.txt), so a C program (or one with
// a static libstdc++, as cc1plus) does not load libstdc++, libm and libgcc_s with it (2.95 vs
// 0.96 MiB peak RSS for an empty C program). The little of the C++ runtime operator new's
// failure path needs is referenced weakly (below) and is there whenever the program has the
// runtime loaded; without it a failed operator new aborts, since it cannot throw.
#include <errno.h>
#include <malloc.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <new>

#include "heap.hpp"

#define ALLOCLAB_EXPORT __attribute__((visibility("default")))

namespace mp = alloclab::mempool;

namespace {

inline bool is_pow2(std::size_t x) noexcept { return x != 0 && (x & (x - 1)) == 0; }

inline void* set_errno_if_null(void* p) noexcept {
  if (p == nullptr) [[unlikely]] errno = ENOMEM;
  return p;
}

// Out of line: malloc's hit path then saves no register and ends in a tail call.
[[gnu::noinline]] void* malloc_miss(std::size_t n) noexcept { return set_errno_if_null(mp::allocate(n)); }

// A plain cached value (a function-local static would need libstdc++'s guard functions).
std::size_t os_page() noexcept {
  static constinit std::atomic<std::size_t> page{0};
  std::size_t p = page.load(std::memory_order_relaxed);
  if (p == 0) {
    p = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    page.store(p, std::memory_order_relaxed);
  }
  return p;
}

}  // namespace

// The C++ runtime's part in operator new's failure path, weak: null unless the program loaded
// it. `.weak` also covers what `throw std::bad_alloc()` and `catch (...)` reference implicitly
// (typeinfo, vtable, destructor, personality, catch entry points).
asm(".weak _ZSt15get_new_handlerv\n.weak __cxa_allocate_exception\n.weak __cxa_throw\n"
    ".weak _ZTISt9bad_alloc\n.weak _ZTVSt9bad_alloc\n.weak _ZNSt9bad_allocD1Ev\n"
    ".weak __cxa_begin_catch\n.weak __cxa_end_catch\n.weak __gxx_personality_v0");
// The compiler must know these two may be null (it would fold the checks away).
namespace std {
new_handler get_new_handler() noexcept __attribute__((weak));
}
extern "C" [[noreturn]] void __cxa_throw(void*, void*, void (*)(void*)) __attribute__((weak));

namespace {

[[noreturn]] void no_runtime_abort() noexcept {
  static constexpr char kMsg[] = "liballoclab_mempool: operator new out of memory, no C++ runtime to throw\n";
  (void)!::write(2, kMsg, sizeof kMsg - 1);
  std::abort();
}

// operator new's failure path: call the new_handler until it gives up, then throw (or not).
[[gnu::noinline]] void* new_slow(std::size_t n, std::size_t align, bool nothrow) {
  for (;;) {
    void* p = align <= 16 ? mp::allocate(n) : mp::allocate_aligned(n, align);
    if (p != nullptr) return p;
    std::new_handler h = &std::get_new_handler != nullptr ? std::get_new_handler() : nullptr;
    if (h == nullptr) {
      if (nothrow) return nullptr;
      if (&__cxa_throw == nullptr) no_runtime_abort();
      throw std::bad_alloc();
    }
    if (nothrow) {
      try {
        h();
      } catch (...) {
        return nullptr;
      }
    } else {
      h();
    }
  }
}

inline void* new_impl(std::size_t n) {
  void* p = mp::allocate(n);
  return p != nullptr ? p : new_slow(n, 16, false);
}
inline void* new_aligned(std::size_t n, std::align_val_t al) {
  const auto a = static_cast<std::size_t>(al);
  void* p = mp::allocate_aligned(n, a);
  return p != nullptr ? p : new_slow(n, a, false);
}
inline void* new_nothrow(std::size_t n, std::size_t align) noexcept {
  void* p = align <= 16 ? mp::allocate(n) : mp::allocate_aligned(n, align);
  return p != nullptr ? p : new_slow(n, align, true);
}

}  // namespace

extern "C" {

ALLOCLAB_EXPORT void* malloc(std::size_t n) noexcept {
  if (void* p = mp::allocate_cached(n)) [[likely]] return p;
  return malloc_miss(n);
}

ALLOCLAB_EXPORT void free(void* p) noexcept { mp::deallocate(p); }

ALLOCLAB_EXPORT void* calloc(std::size_t count, std::size_t size) noexcept {
  std::size_t n;
  if (__builtin_mul_overflow(count, size, &n)) {
    errno = ENOMEM;
    return nullptr;
  }
  void* p = mp::allocate(n);
  if (p == nullptr) return set_errno_if_null(p);
  // A large block cut from pages never touched or released since reads as zeros already:
  // writing them would fault in every page (a compiler's sparse hash tables never touch most).
  if (n > mp::kMaxSmall) {
    const mp::Span* s = mp::detail::g_pages.span_of(p);
    if (s != nullptr && s->zeroed) return p;
  }
  std::memset(p, 0, n);
  return p;
}

ALLOCLAB_EXPORT void* realloc(void* p, std::size_t n) noexcept {
  if (p != nullptr && n == 0) {  // glibc frees and returns NULL
    mp::deallocate(p);
    return nullptr;
  }
  return set_errno_if_null(mp::reallocate(p, n));
}

ALLOCLAB_EXPORT void* reallocarray(void* p, std::size_t count, std::size_t size) noexcept {
  std::size_t n;
  if (__builtin_mul_overflow(count, size, &n)) {
    errno = ENOMEM;
    return nullptr;
  }
  return realloc(p, n);
}

ALLOCLAB_EXPORT int posix_memalign(void** out, std::size_t align, std::size_t n) noexcept {
  if (!is_pow2(align) || align % sizeof(void*) != 0) return EINVAL;
  void* p = mp::allocate_aligned(n, align);
  if (p == nullptr) return ENOMEM;
  *out = p;
  return 0;
}

ALLOCLAB_EXPORT void* aligned_alloc(std::size_t align, std::size_t n) noexcept {
  if (!is_pow2(align)) {
    errno = EINVAL;
    return nullptr;
  }
  return set_errno_if_null(mp::allocate_aligned(n, align));
}

ALLOCLAB_EXPORT void* memalign(std::size_t align, std::size_t n) noexcept {
  // glibc rounds a non-power-of-two alignment up.
  if (!is_pow2(align)) align = align == 0 ? 1 : std::size_t{1} << (64 - __builtin_clzl(align));
  return set_errno_if_null(mp::allocate_aligned(n, align));
}

ALLOCLAB_EXPORT void* valloc(std::size_t n) noexcept {
  return set_errno_if_null(mp::allocate_aligned(n, os_page()));
}

ALLOCLAB_EXPORT void* pvalloc(std::size_t n) noexcept {
  const std::size_t page = os_page();
  if (n > SIZE_MAX - page) {
    errno = ENOMEM;
    return nullptr;
  }
  return set_errno_if_null(mp::allocate_aligned((n + page - 1) & ~(page - 1), page));
}

ALLOCLAB_EXPORT std::size_t malloc_usable_size(void* p) noexcept { return mp::usable_size(p); }

ALLOCLAB_EXPORT int malloc_trim(std::size_t) noexcept { return mp::release() > 0 ? 1 : 0; }

}  // extern "C"

// --- C++ operators ---
ALLOCLAB_EXPORT void* operator new(std::size_t n) { return new_impl(n); }
ALLOCLAB_EXPORT void* operator new[](std::size_t n) { return new_impl(n); }
ALLOCLAB_EXPORT void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  return new_nothrow(n, 16);
}
ALLOCLAB_EXPORT void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  return new_nothrow(n, 16);
}
ALLOCLAB_EXPORT void* operator new(std::size_t n, std::align_val_t al) { return new_aligned(n, al); }
ALLOCLAB_EXPORT void* operator new[](std::size_t n, std::align_val_t al) {
  return new_aligned(n, al);
}
ALLOCLAB_EXPORT void* operator new(std::size_t n, std::align_val_t al,
                                   const std::nothrow_t&) noexcept {
  return new_nothrow(n, static_cast<std::size_t>(al));
}
ALLOCLAB_EXPORT void* operator new[](std::size_t n, std::align_val_t al,
                                     const std::nothrow_t&) noexcept {
  return new_nothrow(n, static_cast<std::size_t>(al));
}

ALLOCLAB_EXPORT void operator delete(void* p) noexcept { mp::deallocate(p); }
ALLOCLAB_EXPORT void operator delete[](void* p) noexcept { mp::deallocate(p); }
ALLOCLAB_EXPORT void operator delete(void* p, const std::nothrow_t&) noexcept { mp::deallocate(p); }
ALLOCLAB_EXPORT void operator delete[](void* p, const std::nothrow_t&) noexcept {
  mp::deallocate(p);
}
// Sized delete skips the page map (the size names the class).
ALLOCLAB_EXPORT void operator delete(void* p, std::size_t n) noexcept {
  if (p != nullptr) mp::deallocate(p, n, 16);
}
ALLOCLAB_EXPORT void operator delete[](void* p, std::size_t n) noexcept {
  if (p != nullptr) mp::deallocate(p, n, 16);
}
ALLOCLAB_EXPORT void operator delete(void* p, std::align_val_t) noexcept { mp::deallocate(p); }
ALLOCLAB_EXPORT void operator delete[](void* p, std::align_val_t) noexcept { mp::deallocate(p); }
ALLOCLAB_EXPORT void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept {
  mp::deallocate(p);
}
ALLOCLAB_EXPORT void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept {
  mp::deallocate(p);
}
ALLOCLAB_EXPORT void operator delete(void* p, std::size_t n, std::align_val_t al) noexcept {
  if (p != nullptr) mp::deallocate(p, n, static_cast<std::size_t>(al));
}
ALLOCLAB_EXPORT void operator delete[](void* p, std::size_t n, std::align_val_t al) noexcept {
  if (p != nullptr) mp::deallocate(p, n, static_cast<std::size_t>(al));
}
