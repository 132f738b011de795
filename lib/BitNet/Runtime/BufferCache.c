/*===- BufferCache.c - the allocator of a model library's compiled code ---===*
 *
 * The compiled graph allocates its intermediate buffers and outputs with
 * _mlir_memref_to_llvm_alloc and frees them with _mlir_memref_to_llvm_free
 * (finalize-memref-to-llvm with use-generic-functions, for libraries). A
 * call allocates the same buffers as the previous call of its token count,
 * and glibc hands large blocks back to the kernel when they are freed (an
 * munmap, or a trim of the heap), so every prefill page-faulted and cleared
 * its megabytes of buffers again: a third of bitnet-100m's prefill time.
 * Here freed blocks are kept, up to a bound, and handed out again for
 * requests they fit. Every block is malloc's, so free() stays valid on any
 * of them (the runtime frees outputs through bitnet_runtime_free, and a
 * library built without this file frees with free()).
 *
 * Part of the runtime sources that bitnet-opt links into every library
 * (lib/BitNet/Target/CMakeLists.txt). Shared by all instances of the
 * library, so guarded by a lock: kernels on OpenMP threads may allocate.
 *
 *===----------------------------------------------------------------------===*/

/* malloc_usable_size. */
#define _GNU_SOURCE

#include <malloc.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define HIDDEN __attribute__((visibility("hidden")))

/* Below this, malloc's own bins are fast and keep their memory. */
#define CACHE_MIN_BYTES ((size_t)64 * 1024)
#define CACHE_SLOTS 64
#define CACHE_MAX_BYTES ((size_t)1 << 30)

typedef struct {
  void *block;
  size_t bytes; /* malloc_usable_size */
} CachedBlock;

/* Oldest first: when full, the oldest block goes back to malloc. */
static CachedBlock cache[CACHE_SLOTS];
static int cached;
static size_t cached_bytes;
static atomic_flag lock = ATOMIC_FLAG_INIT;

static void acquire(void) {
  while (atomic_flag_test_and_set_explicit(&lock, memory_order_acquire))
    ;
}

static void release(void) { atomic_flag_clear_explicit(&lock, memory_order_release); }

static void remove_at(int i) {
  cached_bytes -= cache[i].bytes;
  memmove(&cache[i], &cache[i + 1], (size_t)(cached - i - 1) * sizeof cache[0]);
  --cached;
}

/* The smallest cached block of `size` to size + size/8 bytes aligned to
 * `alignment`, removed from the cache; NULL if none. */
static void *take(size_t size, size_t alignment) {
  void *found = NULL;
  acquire();
  int best = -1;
  for (int i = 0; i < cached; ++i) {
    size_t bytes = cache[i].bytes;
    if (bytes >= size && bytes - size <= size / 8 &&
        (uintptr_t)cache[i].block % alignment == 0 &&
        (best < 0 || bytes < cache[best].bytes))
      best = i;
  }
  if (best >= 0) {
    found = cache[best].block;
    remove_at(best);
  }
  release();
  return found;
}

HIDDEN void *bitnet_runtime_alloc(size_t size, size_t alignment) {
  if (alignment < sizeof(void *) || (alignment & (alignment - 1)))
    alignment = sizeof(void *) * 2;
  if (size >= CACHE_MIN_BYTES) {
    void *block = take(size, alignment);
    if (block)
      return block;
  }
  if (alignment <= 16)
    return malloc(size ? size : 1);
  /* aligned_alloc wants a multiple of the alignment. */
  size_t rounded = (size + alignment - 1) / alignment * alignment;
  return aligned_alloc(alignment, rounded ? rounded : alignment);
}

HIDDEN void bitnet_runtime_free(void *block) {
  if (!block)
    return;
  size_t bytes = malloc_usable_size(block);
  void *evicted[CACHE_SLOTS + 1];
  int num_evicted = 0;
  if (bytes >= CACHE_MIN_BYTES && bytes <= CACHE_MAX_BYTES) {
    acquire();
    while (cached > 0 && (cached == CACHE_SLOTS || cached_bytes + bytes > CACHE_MAX_BYTES)) {
      evicted[num_evicted++] = cache[0].block;
      remove_at(0);
    }
    cache[cached].block = block;
    cache[cached].bytes = bytes;
    ++cached;
    cached_bytes += bytes;
    block = NULL;
    release();
  }
  free(block);
  for (int i = 0; i < num_evicted; ++i)
    free(evicted[i]);
}

/* Gives every cached block back to malloc: when the last instance goes. */
HIDDEN void bitnet_runtime_drain_buffers(void) {
  void *drained[CACHE_SLOTS];
  acquire();
  int n = cached;
  for (int i = 0; i < n; ++i)
    drained[i] = cache[i].block;
  cached = 0;
  cached_bytes = 0;
  release();
  for (int i = 0; i < n; ++i)
    free(drained[i]);
}

/* What the compiled code calls (MLIR's generic allocation functions). */
HIDDEN void *_mlir_memref_to_llvm_alloc(size_t size) { return bitnet_runtime_alloc(size, 16); }

HIDDEN void *_mlir_memref_to_llvm_aligned_alloc(size_t alignment, size_t size) {
  return bitnet_runtime_alloc(size, alignment);
}

HIDDEN void _mlir_memref_to_llvm_free(void *block) { bitnet_runtime_free(block); }
