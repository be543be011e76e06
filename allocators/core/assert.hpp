// ALLOCLAB_ASSERT(cond, "what"): checks a `pre:` contract in debug builds (the debug, asan and
// tsan presets: no NDEBUG) and compiles to nothing in Release, so hot paths pay nothing where
// they are measured. A broken contract prints one line and aborts: a caller's bug found at the
// call, not as a corrupted heap later. Force it on or off with -DALLOCLAB_ASSERTS=1 / =0.
#pragma once

#include <cstdio>
#include <cstdlib>

#ifndef ALLOCLAB_ASSERTS
#ifdef NDEBUG
#define ALLOCLAB_ASSERTS 0
#else
#define ALLOCLAB_ASSERTS 1
#endif
#endif

namespace alloclab::detail {

[[noreturn]] inline void contract_failed(const char* cond, const char* what, const char* file,
                                         int line) noexcept {
  std::fprintf(stderr, "%s:%d: pre: %s violated (%s)\n", file, line, what, cond);
  std::abort();
}

}  // namespace alloclab::detail

#if ALLOCLAB_ASSERTS
#define ALLOCLAB_ASSERT(cond, what)                                                     \
  ((cond) ? static_cast<void>(0)                                                        \
          : ::alloclab::detail::contract_failed(#cond, what, __FILE__, __LINE__))
#else
// The condition stays compiled (names checked) but is never evaluated.
#define ALLOCLAB_ASSERT(cond, what) static_cast<void>(sizeof(!(cond)))
#endif
