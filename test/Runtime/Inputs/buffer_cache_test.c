/* Drives the model libraries' buffer cache (lib/BitNet/Runtime/BufferCache.c)
 * through the functions the compiled code calls; prints what it checks. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *_mlir_memref_to_llvm_alloc(size_t size);
void *_mlir_memref_to_llvm_aligned_alloc(size_t alignment, size_t size);
void _mlir_memref_to_llvm_free(void *block);
void bitnet_runtime_drain_buffers(void);

#define MB ((size_t)1 << 20)

static void *churn(void *arg) {
  size_t size = (size_t)(uintptr_t)arg;
  for (int i = 0; i < 2000; ++i) {
    char *a = _mlir_memref_to_llvm_alloc(size + (size_t)(i % 7) * 4096);
    char *b = _mlir_memref_to_llvm_aligned_alloc(64, size);
    a[0] = b[size - 1] = (char)i;
    _mlir_memref_to_llvm_free(a);
    _mlir_memref_to_llvm_free(b);
  }
  return NULL;
}

int main(void) {
  /* A freed block serves the next request of its size. */
  void *a = _mlir_memref_to_llvm_alloc(4 * MB);
  _mlir_memref_to_llvm_free(a);
  void *b = _mlir_memref_to_llvm_alloc(4 * MB);
  printf("reused: %d\n", a == b);
  /* ... and a slightly smaller one, not one far smaller. */
  _mlir_memref_to_llvm_free(b);
  void *c = _mlir_memref_to_llvm_alloc(4 * MB - 100000);
  printf("reused smaller: %d\n", c == a);
  _mlir_memref_to_llvm_free(c);
  void *d = _mlir_memref_to_llvm_alloc(MB);
  printf("reused for a quarter: %d\n", d == a);
  _mlir_memref_to_llvm_free(d);
  /* Alignment is kept. */
  void *e = _mlir_memref_to_llvm_aligned_alloc(4096, 2 * MB);
  printf("aligned: %d\n", (uintptr_t)e % 4096 == 0);
  _mlir_memref_to_llvm_free(e);
  /* Small blocks are malloc's business; NULL is a no-op. */
  void *f = _mlir_memref_to_llvm_alloc(100);
  _mlir_memref_to_llvm_free(f);
  _mlir_memref_to_llvm_free(NULL);
  /* More distinct sizes than the cache holds: the oldest go back. */
  void *blocks[100];
  for (int i = 0; i < 100; ++i)
    blocks[i] = _mlir_memref_to_llvm_alloc((size_t)(i + 1) * 65536 * 3);
  for (int i = 0; i < 100; ++i)
    _mlir_memref_to_llvm_free(blocks[i]);
  /* Threads allocating and freeing at once (kernels on OpenMP threads). */
  pthread_t threads[4];
  for (int t = 0; t < 4; ++t)
    pthread_create(&threads[t], NULL, churn, (void *)(uintptr_t)((size_t)(t + 1) * MB));
  for (int t = 0; t < 4; ++t)
    pthread_join(threads[t], NULL);
  bitnet_runtime_drain_buffers();
  void *g = _mlir_memref_to_llvm_alloc(4 * MB);
  memset(g, 1, 4 * MB);
  _mlir_memref_to_llvm_free(g);
  bitnet_runtime_drain_buffers();
  printf("done\n");
  return 0;
}
