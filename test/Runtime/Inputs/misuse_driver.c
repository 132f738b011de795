/* The C API misused the ways a careless host would: NULL instances and
 * pointers, negative and huge lengths, ids out of range, out-of-range
 * indices. Each call must fail cleanly (or do nothing) and leave the
 * instance usable; run under ASan + UBSan by runtime-misuse.test. */
#include "BitNet/Runtime/BitNetModel.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int failures;

static void expect(int ok, const char *what) {
  printf("%s: %s\n", ok ? "ok" : "FAILED", what);
  failures += !ok;
}

int main(void) {
  /* NULL instances. */
  bitnet_model_destroy(NULL);
  bitnet_model_reset(NULL);
  expect(bitnet_model_vocab_size(NULL) == -1, "vocab_size(NULL) is -1");
  expect(bitnet_model_has_kv_cache(NULL) == 0, "has_kv_cache(NULL) is 0");
  expect(bitnet_model_context_length(NULL) == 0, "context_length(NULL) is 0");
  expect(bitnet_model_max_context_length(NULL) == 0, "max_context_length(NULL) is 0");
  expect(bitnet_model_last_error(NULL) != NULL, "last_error(NULL) is a string");
  expect(bitnet_model_set_threads(NULL, 1) != 0, "set_threads(NULL) fails");
  expect(bitnet_model_num_inputs(NULL) == 0, "num_inputs(NULL) is 0");
  expect(bitnet_model_num_outputs(NULL) == 0, "num_outputs(NULL) is 0");
  expect(bitnet_model_input_name(NULL, 0) == NULL, "input_name(NULL) is NULL");
  expect(bitnet_model_output_name(NULL, 0) == NULL, "output_name(NULL) is NULL");
  int64_t one = 1;
  float row[8];
  expect(bitnet_model_run(NULL, &one, 1, row) != 0, "run(NULL) fails");

  BitNetModel *m = bitnet_model_create();
  if (!m)
    return 1;
  int64_t vocab = bitnet_model_vocab_size(m);
  expect(vocab == 8, "vocab 8");
  expect(bitnet_model_run(m, NULL, 3, row) != 0, "NULL tokens with a count fail");
  printf("  %s\n", bitnet_model_last_error(m));
  expect(bitnet_model_run(m, NULL, 0, NULL) == 0, "no tokens succeed");
  expect(bitnet_model_run(m, &one, -1, row) != 0, "a negative count fails");
  printf("  %s\n", bitnet_model_last_error(m));
  expect(bitnet_model_run(m, &one, INT64_MAX, row) != 0, "a count of INT64_MAX fails");
  printf("  %s\n", bitnet_model_last_error(m));
  expect(bitnet_model_run(m, &one, INT64_MAX / 4 + 1, row) != 0, "a count whose logits overflow fails");
  int64_t bad[2] = {1, 8};
  expect(bitnet_model_run(m, bad, 2, row) != 0, "id 8 of vocabulary 8 fails");
  printf("  %s\n", bitnet_model_last_error(m));
  int64_t negative[1] = {-1};
  expect(bitnet_model_run(m, negative, 1, row) != 0, "a negative id fails");
  int64_t huge[1] = {INT64_MIN};
  expect(bitnet_model_run(m, huge, 1, row) != 0, "id INT64_MIN fails");
  expect(bitnet_model_context_length(m) == 0, "failed runs leave the sequence empty");
  expect(bitnet_model_input_name(m, -1) == NULL && bitnet_model_input_name(m, 1 << 30) == NULL,
         "input names out of range are NULL");
  expect(bitnet_model_output_name(m, -7) == NULL, "output name -7 is NULL");
  expect(bitnet_model_set_threads(m, 0) != 0 && bitnet_model_set_threads(m, -3) != 0,
         "thread counts below 1 fail");
  /* Still usable, and logits may be skipped. */
  int64_t tokens[3] = {1, 2, 3};
  expect(bitnet_model_run(m, tokens, 3, NULL) == 0, "a run without logits succeeds");
  expect(bitnet_model_run(m, tokens, 1, row) == 0 && bitnet_model_context_length(m) == 4,
         "the instance carries on");
  bitnet_model_destroy(m);
  printf("%d failures\n", failures);
  return failures != 0;
}
