/* alloclab C ABI for out-of-tree allocator plugins, loaded from a shared object with
 *   alloclab run --plugin ./libmine.so
 *
 * A plugin exports one symbol, alloclab_plugin_v1(), returning a pointer to a static
 * AlloclabPluginV1 that lives as long as the library is loaded. The harness validates it
 * (abi_version, struct_size, required pointers, capabilities matching the pointers, power-of-two
 * max_align) and then calls through it: one indirect call per operation, recorded in the
 * results as `dispatch: indirect`.
 *
 * Glossary
 *   ctx   - one allocator instance, made by create() and passed back to every call. Without
 *           ALLOCLAB_CAP_THREAD_SAFE the harness creates one ctx per thread.
 *   sized - free and realloc get the size the block was requested with (and the alignment).
 *
 * Contracts (the same as the C++ Allocator concept, allocators/core/allocator.hpp):
 *   allocate(ctx, n, align)       pre: align is a power of two <= max_align. Returns NULL when
 *                                 out of memory or n > max_size; n == 0 gives a unique block.
 *                                 Blocks are aligned to max(align, 16).
 *   free(ctx, p, n, align)        pre: p came from allocate(ctx, n, align). Non-NULL iff
 *                                 ALLOCLAB_CAP_FREE or ALLOCLAB_CAP_FREE_LAST.
 *   realloc(ctx, p, old, n, al)   Non-NULL iff ALLOCLAB_CAP_REALLOC. Keeps min(old, n) bytes;
 *                                 NULL leaves p valid.
 *   reset(ctx)                    Non-NULL iff ALLOCLAB_CAP_RESET. Every block becomes invalid.
 *   create(block_size, threads)   NULL when the instance cannot be made. block_size is the one
 *                                 size served (ALLOCLAB_CAP_FIXED_SIZE), threads the number of
 *                                 threads that will share it (ALLOCLAB_CAP_THREAD_SAFE).
 *
 * Compatibility: fields are only ever appended; struct_size says how many the plugin knows.
 */
#ifndef ALLOCLAB_PLUGIN_H
#define ALLOCLAB_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ALLOCLAB_PLUGIN_ABI_VERSION 1u

/* The same bits as alloclab::Cap (allocators/core/traits.hpp). */
#define ALLOCLAB_CAP_FREE (1u << 0)
#define ALLOCLAB_CAP_FREE_LAST (1u << 1)
#define ALLOCLAB_CAP_RESET (1u << 2)
#define ALLOCLAB_CAP_REALLOC (1u << 3)
#define ALLOCLAB_CAP_THREAD_SAFE (1u << 4)
#define ALLOCLAB_CAP_CROSS_THREAD_FREE (1u << 5)
#define ALLOCLAB_CAP_FIXED_SIZE (1u << 6)

typedef struct AlloclabPluginV1 {
  uint32_t abi_version; /* ALLOCLAB_PLUGIN_ABI_VERSION */
  uint32_t struct_size; /* sizeof(AlloclabPluginV1) */
  const char* name;     /* lowercase identifier, shown in `alloclab list` and results */
  const char* summary;  /* one line */
  uint32_t caps;        /* ALLOCLAB_CAP_* */
  size_t max_size;      /* largest request served */
  size_t max_align;     /* largest alignment honoured; a power of two >= 16 */

  void* (*create)(size_t block_size, unsigned threads);
  void (*destroy)(void* ctx);
  void* (*allocate)(void* ctx, size_t n, size_t align);
  void (*free)(void* ctx, void* p, size_t n, size_t align);
  void* (*realloc)(void* ctx, void* p, size_t old_size, size_t new_size, size_t align);
  void (*reset)(void* ctx);
} AlloclabPluginV1;

/* The entry point the harness looks up with dlsym. */
#define ALLOCLAB_PLUGIN_ENTRY alloclab_plugin_v1
typedef const AlloclabPluginV1* (*AlloclabPluginEntryFn)(void);

#if defined(__GNUC__)
#define ALLOCLAB_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define ALLOCLAB_PLUGIN_EXPORT
#endif

#ifdef __cplusplus
}
#endif

#endif /* ALLOCLAB_PLUGIN_H */
