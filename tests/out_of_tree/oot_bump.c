/* The smallest useful C ABI plugin: an arena over malloc'ed memory, reset between frames.
 * Built against the installed alloclab package by tests/install_test.sh. */
#include <stdint.h>
#include <stdlib.h>

#include "allocators/core/alloclab_plugin.h"

#define CAPACITY ((size_t)64 << 20)

typedef struct {
  unsigned char* base;
  size_t used;
} Arena;

static void* create(size_t block_size, unsigned threads) {
  (void)block_size, (void)threads;
  Arena* a = malloc(sizeof *a);
  if (a == NULL) return NULL;
  a->base = aligned_alloc(4096, CAPACITY);
  a->used = 0;
  if (a->base == NULL) {
    free(a);
    return NULL;
  }
  return a;
}

static void destroy(void* ctx) {
  Arena* a = ctx;
  free(a->base);
  free(a);
}

static void* allocate(void* ctx, size_t n, size_t align) {
  Arena* a = ctx;
  if (align < 16) align = 16;
  const size_t at = (a->used + align - 1) & ~(align - 1);
  const size_t size = n == 0 ? 1 : n;
  if (n > CAPACITY || at > CAPACITY - size) return NULL;
  a->used = at + size;
  return a->base + at;
}

static void reset(void* ctx) { ((Arena*)ctx)->used = 0; }

static const AlloclabPluginV1 kTable = {
    ALLOCLAB_PLUGIN_ABI_VERSION, sizeof(AlloclabPluginV1), "oot_bump",
    "out-of-tree arena (C ABI)", ALLOCLAB_CAP_RESET, (size_t)1 << 20, 4096, create, destroy,
    allocate, NULL, NULL, reset};

ALLOCLAB_PLUGIN_EXPORT const AlloclabPluginV1* alloclab_plugin_v1(void) { return &kTable; }
