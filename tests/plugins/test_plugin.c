/* A C ABI plugin for the tests: a bump allocator (free is a no-op, which the contract allows)
 * that misbehaves on demand, so every failure path of the harness can be tested end to end.
 *
 *   ALLOCLAB_TEST_PLUGIN_MODE   ok (default) | null | misaligned | overlap | crash | hang | rss
 *                               | create-null         (fail while measuring, after AFTER allocations)
 *                               | bad-version | bad-size | bad-caps | bad-align | no-allocate
 *                               | bad-name            (fail validation when loaded)
 *                               | load-crash | load-hang | entry-crash (crash or hang while loaded)
 *   ALLOCLAB_TEST_PLUGIN_AFTER  allocations served correctly before misbehaving (default 1000)
 *   ALLOCLAB_TEST_PLUGIN_NAME   registered name (default "testplug")
 */
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "allocators/core/alloclab_plugin.h"

#define REGION ((size_t)1 << 30) /* address space per instance; RSS grows only as it is used */

typedef struct {
  unsigned char* base;
  size_t used;
  unsigned long count;
} Bump;

static const char* mode(void) {
  const char* m = getenv("ALLOCLAB_TEST_PLUGIN_MODE");
  return m != NULL ? m : "ok";
}
static int is_mode(const char* m) { return strcmp(mode(), m) == 0; }

static unsigned long after(void) {
  const char* a = getenv("ALLOCLAB_TEST_PLUGIN_AFTER");
  return a != NULL ? strtoul(a, NULL, 10) : 1000ul;
}

static void* create(size_t block_size, unsigned threads) {
  (void)block_size;
  (void)threads;
  if (is_mode("create-null")) return NULL;
  Bump* b = calloc(1, sizeof *b);
  if (b == NULL) return NULL;
  void* p = mmap(NULL, REGION, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                 -1, 0);
  if (p == MAP_FAILED) {
    free(b);
    return NULL;
  }
  b->base = p;
  return b;
}

static void destroy(void* ctx) {
  Bump* b = ctx;
  munmap(b->base, REGION);
  free(b);
}

static void* carve(Bump* b, size_t n, size_t align) {
  if (align < 16) align = 16;
  const size_t at = (b->used + align - 1) & ~(align - 1);
  if (at + n + 1 > REGION) return NULL;
  b->used = at + (n == 0 ? 1 : n);
  return b->base + at;
}

static void* allocate(void* ctx, size_t n, size_t align) {
  Bump* b = ctx;
  if (++b->count <= after()) return carve(b, n, align);
  if (is_mode("null")) return NULL;
  if (is_mode("misaligned")) return (unsigned char*)carve(b, n + 64, align) + 8;
  if (is_mode("overlap")) return b->base; /* the first block, again and again */
  if (is_mode("crash")) raise(SIGSEGV);
  if (is_mode("hang"))
    for (;;) pause();
  if (is_mode("rss")) { /* 1 MiB more resident memory per allocation, 1 GiB/s at most */
    usleep(1000);
    unsigned char* pad = carve(b, (size_t)1 << 20, 4096);
    if (pad != NULL) memset(pad, 1, (size_t)1 << 20);
  }
  return carve(b, n, align);
}

static void release(void* ctx, void* p, size_t n, size_t align) {
  (void)ctx, (void)p, (void)n, (void)align;
}

static void* resize(void* ctx, void* p, size_t old_size, size_t new_size, size_t align) {
  void* q = allocate(ctx, new_size, align);
  if (q != NULL) memcpy(q, p, old_size < new_size ? old_size : new_size);
  return q;
}

static void reset(void* ctx) { ((Bump*)ctx)->used = 0; }

static AlloclabPluginV1 table;

/* load-crash: a static constructor that crashes while the library is loaded (dlopen). */
__attribute__((constructor)) static void on_load(void) {
  if (is_mode("load-crash")) raise(SIGSEGV);
  if (is_mode("load-hang"))
    for (;;) pause();
}

ALLOCLAB_PLUGIN_EXPORT const AlloclabPluginV1* alloclab_plugin_v1(void) {
  const char* name = getenv("ALLOCLAB_TEST_PLUGIN_NAME");
  table = (AlloclabPluginV1){ALLOCLAB_PLUGIN_ABI_VERSION,
                             sizeof(AlloclabPluginV1),
                             name != NULL ? name : "testplug",
                             "test plugin: a bump allocator that misbehaves on demand",
                             ALLOCLAB_CAP_FREE | ALLOCLAB_CAP_REALLOC | ALLOCLAB_CAP_RESET,
                             (size_t)1 << 24,
                             4096,
                             create,
                             destroy,
                             allocate,
                             release,
                             resize,
                             reset};
  if (is_mode("bad-version")) table.abi_version = 99;
  if (is_mode("bad-size")) table.struct_size = 8;
  if (is_mode("bad-caps")) table.reset = NULL;
  if (is_mode("bad-align")) table.max_align = 24;
  if (is_mode("no-allocate")) table.allocate = NULL;
  if (is_mode("bad-name")) table.name = "Bad Name";
  if (is_mode("entry-crash")) raise(SIGSEGV);
  return &table;
}
