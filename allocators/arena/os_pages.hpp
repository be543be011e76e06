// Address space from the OS for the growable arena.
//
// Commit strategy: a block is reserved with one mmap(PROT_READ|PROT_WRITE, MAP_NORESERVE) and
// then simply used; there is no PROT_NONE reservation with an mprotect "commit" step. Linux
// backs anonymous memory lazily, one page on its first touch, so the untouched tail of a block
// already costs address space only. An explicit commit would add a syscall and a VMA split per
// step and buy nothing the kernel does not already give. MAP_NORESERVE keeps the reservation
// out of overcommit accounting under the default heuristic mode (vm.overcommit_memory=0);
// under strict accounting (mode 2) the flag is ignored and the whole block is charged, which is
// why blocks are tens of MiB rather than one giant reservation.
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>

namespace alloclab::os_pages {

inline std::size_t page_size() noexcept {
  static const std::size_t size = [] {
    const long v = ::sysconf(_SC_PAGESIZE);
    return v > 0 ? static_cast<std::size_t>(v) : std::size_t{4096};
  }();
  return size;
}

// `bytes` of zeroed, readable and writable memory, resident only once touched; nullptr when
// the OS refuses. pre: bytes is a multiple of page_size().
inline void* reserve(std::size_t bytes) noexcept {
  void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return p == MAP_FAILED ? nullptr : p;
}

// pre: p and bytes are exactly what reserve() was given and returned.
inline void release(void* p, std::size_t bytes) noexcept { ::munmap(p, bytes); }

}  // namespace alloclab::os_pages
