/* A scripted driver of a model library, for testing libraries built for
 * another architecture (test_aarch64.py runs it under qemu-user).
 *
 *   model_driver MODEL.so < script > logits.bin
 *
 * Each line of the script is `reset`, or `run ID ID ...`, which appends the
 * tokens to the sequence and writes the rows of logits it returns to stdout
 * as float32. The library is opened with dlopen, as bitnet-run opens it,
 * so one driver serves every model. */
#include "BitNet/Runtime/BitNetModel.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define API(X)                                                                 \
  X(BitNetModel *, bitnet_model_create, (void))                                \
  X(int64_t, bitnet_model_vocab_size, (const BitNetModel *))                   \
  X(int, bitnet_model_run, (BitNetModel *, const int64_t *, int64_t, float *)) \
  X(void, bitnet_model_reset, (BitNetModel *))                                 \
  X(const char *, bitnet_model_last_error, (const BitNetModel *))

#define DECLARE(ret, name, args) static ret(*p_##name) args;
API(DECLARE)

static int die(const char *what, const char *why) {
  fprintf(stderr, "model_driver: %s: %s\n", what, why);
  return 1;
}

int main(int argc, char **argv) {
  if (argc != 2)
    return die("usage", "model_driver MODEL.so < script > logits.bin");
  void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (!lib)
    return die(argv[1], dlerror());
#define RESOLVE(ret, name, args)                                               \
  if (!(*(void **)&p_##name = dlsym(lib, #name)))                              \
    return die(argv[1], "missing " #name);
  API(RESOLVE)
  BitNetModel *model = p_bitnet_model_create();
  if (!model)
    return die(argv[1], "out of memory");
  int64_t vocab = p_bitnet_model_vocab_size(model);
  if (vocab <= 0)
    return die(argv[1], p_bitnet_model_last_error(model));
  static char line[1 << 16];
  static int64_t tokens[4096];
  while (fgets(line, sizeof line, stdin)) {
    if (strncmp(line, "reset", 5) == 0) {
      p_bitnet_model_reset(model);
      continue;
    }
    if (strncmp(line, "run", 3) != 0)
      return die("script", line);
    int64_t n = 0;
    char *p = line + 3, *end;
    for (long long id; n < 4096 && (id = strtoll(p, &end, 10), end != p); p = end)
      tokens[n++] = id;
    float *logits = malloc((size_t)(n ? n : 1) * (size_t)vocab * sizeof(float));
    if (!logits)
      return die("run", "out of memory");
    if (p_bitnet_model_run(model, tokens, n, logits) != 0)
      return die("run", p_bitnet_model_last_error(model));
    fwrite(logits, sizeof(float), (size_t)n * (size_t)vocab, stdout);
    free(logits);
  }
  return fflush(stdout) == 0 ? 0 : die("stdout", "write failed");
}
