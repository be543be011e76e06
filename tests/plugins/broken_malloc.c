/* A deliberately broken malloc for `alloclab check`'s tests (tests/check_test.sh), preloaded in
 * front of glibc. Exactly three functions misbehave, each the way one check is meant to catch;
 * everything else is glibc's, reached through dlsym(RTLD_NEXT):
 *   aligned_alloc  ignores the alignment (plain malloc: 16-byte aligned at best)
 *   calloc         does not zero for the probe's own calls (it still refuses an overflowing
 *                  product, with ENOMEM); glibc's internal callocs (a new thread's TLS vector)
 *                  are zeroed, or thread creation itself would break and other checks fail too
 *   realloc        loses the last byte of the old contents
 * and, on demand, malloc(N) dies of SIGSEGV (BROKEN_MALLOC_CRASH_SIZE=N) or never returns
 * (BROKEN_MALLOC_HANG_SIZE=N). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern void* __libc_malloc(size_t);

static void* (*real_malloc)(size_t);
static void (*real_free)(void*);
static size_t crash_size, hang_size; /* 0: not asked for */

__attribute__((constructor)) static void init(void) {
  real_malloc = (void* (*)(size_t))dlsym(RTLD_NEXT, "malloc");
  real_free = (void (*)(void*))dlsym(RTLD_NEXT, "free");
  const char* crash = getenv("BROKEN_MALLOC_CRASH_SIZE");
  const char* hang = getenv("BROKEN_MALLOC_HANG_SIZE");
  if (crash != NULL) crash_size = strtoull(crash, NULL, 10);
  if (hang != NULL) hang_size = strtoull(hang, NULL, 10);
}

void* malloc(size_t n) {
  if (n != 0 && n == crash_size) raise(SIGSEGV);
  while (n != 0 && n == hang_size) pause();
  /* Before the constructor (the loader's own early calls): glibc's entry point. */
  return real_malloc != NULL ? real_malloc(n) : __libc_malloc(n);
}

void* aligned_alloc(size_t alignment, size_t n) {
  (void)alignment;
  return malloc(n);
}

void* calloc(size_t count, size_t size) {
  size_t n;
  if (__builtin_mul_overflow(count, size, &n)) {
    errno = ENOMEM;
    return NULL;
  }
  void* p = malloc(n);
  Dl_info caller;
  const int from_probe = dladdr(__builtin_return_address(0), &caller) != 0 && caller.dli_fname != NULL &&
                         strstr(caller.dli_fname, "alloclab-check-probe") != NULL;
  if (p != NULL && !from_probe) memset(p, 0, n);
  return p; /* the probe's blocks: not zeroed */
}

void* realloc(void* p, size_t n) {
  if (p == NULL) return malloc(n);
  if (n == 0) {
    real_free(p);
    return NULL;
  }
  const size_t old = malloc_usable_size(p);
  void* q = malloc(n);
  if (q == NULL) return NULL;
  const size_t keep = old < n ? old : n;
  memcpy(q, p, keep > 0 ? keep - 1 : 0); /* the last byte is lost */
  real_free(p);
  return q;
}
