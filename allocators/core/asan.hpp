// AddressSanitizer annotations for allocators that carve blocks out of memory they own: a
// block handed out is unpoisoned, a block given back (or everything, on reset) is poisoned, so
// a use after free or reset, or an overflow into the next item, is reported where it happens
// instead of silently reading pool memory. Without ASan these compile to nothing.
//
// Poisoning works on 8-byte granules: callers keep their blocks 8-aligned. Memory that goes
// back to the OS or to its owner (munmap, operator delete, the caller's buffer) must be
// unpoisoned first, or a later user of the same addresses would see stale poison.
#pragma once

#include <cstddef>

#if defined(__SANITIZE_ADDRESS__)
#define ALLOCLAB_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ALLOCLAB_ASAN 1
#endif
#endif

#if defined(ALLOCLAB_ASAN)
#include <sanitizer/asan_interface.h>
#endif

namespace alloclab::asan {

#if defined(ALLOCLAB_ASAN)
inline constexpr bool kEnabled = true;
inline void poison(const void* p, std::size_t n) noexcept { ASAN_POISON_MEMORY_REGION(p, n); }
inline void unpoison(const void* p, std::size_t n) noexcept { ASAN_UNPOISON_MEMORY_REGION(p, n); }
#else
inline constexpr bool kEnabled = false;
inline void poison(const void*, std::size_t) noexcept {}
inline void unpoison(const void*, std::size_t) noexcept {}
#endif

}  // namespace alloclab::asan
