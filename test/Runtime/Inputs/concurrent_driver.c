/* Instances of one model library used from several threads at once, each
 * thread its own instance (the supported use: an instance is not shared),
 * while the compiled code's buffer cache is shared by all. Every thread
 * decodes the same sequence and must get the tokens one instance got
 * alone. Built with ThreadSanitizer by concurrent-instances.test. */
#include "BitNet/Runtime/BitNetModel.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *_mlir_memref_to_llvm_alloc(size_t size);
void _mlir_memref_to_llvm_free(void *block);

#define THREADS 4
#define STEPS 48
#define ROUNDS 3

/* Greedy decoding of STEPS tokens after a 3-token prompt; 0 on success. */
static int decode(BitNetModel *m, int64_t *out) {
  int64_t vocab = bitnet_model_vocab_size(m);
  float *logits = malloc((size_t)(3 * vocab) * sizeof(float));
  int64_t prompt[3] = {1, 2, 3};
  int rc = bitnet_model_run(m, prompt, 3, logits);
  const float *row = logits + 2 * vocab;
  for (int s = 0; s < STEPS && rc == 0; ++s) {
    int64_t best = 0;
    for (int64_t v = 1; v < vocab; ++v)
      if (row[v] > row[best])
        best = v;
    out[s] = best;
    rc = bitnet_model_run(m, &best, 1, logits);
    row = logits;
  }
  free(logits);
  return rc;
}

static int64_t expected[STEPS];

static void *worker(void *arg) {
  int id = (int)(size_t)arg;
  for (int r = 0; r < ROUNDS; ++r) {
    BitNetModel *m = bitnet_model_create();
    int64_t got[STEPS];
    if (!m || decode(m, got) != 0 || memcmp(got, expected, sizeof got) != 0) {
      fprintf(stderr, "thread %d round %d: %s\n", id, r,
              m ? bitnet_model_last_error(m) : "create failed");
      exit(1);
    }
    /* The compiled code's allocations, from this thread too. */
    void *block = _mlir_memref_to_llvm_alloc((size_t)(id + 1) << 18);
    _mlir_memref_to_llvm_free(block);
    bitnet_model_destroy(m);
  }
  return NULL;
}

int main(void) {
  BitNetModel *alone = bitnet_model_create();
  if (!alone || decode(alone, expected) != 0)
    return 1;
  pthread_t threads[THREADS];
  for (int t = 0; t < THREADS; ++t)
    pthread_create(&threads[t], NULL, worker, (void *)(size_t)t);
  for (int t = 0; t < THREADS; ++t)
    pthread_join(threads[t], NULL);
  bitnet_model_destroy(alone);
  printf("%d threads x %d rounds agree\n", THREADS, ROUNDS);
  return 0;
}
