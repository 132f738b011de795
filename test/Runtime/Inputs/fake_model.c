/*===- fake_model.c - a hand-written stand-in for a generated trampoline -===*
 *
 * Defines bitnet_model_info and bitnet_model_invoke the way bitnet-opt's
 * generated trampoline does, for a tiny model (vocabulary 8), so that the
 * runtime, bitnet-run and the Python loader are tested without the compiler.
 *
 * Row t of the logits depends on the whole history tokens[0..t] (see
 * logits_row), so a runtime that forgets or reorders history gives wrong
 * tokens. Variants, chosen with -D:
 *   (none)             no KV cache: input_ids -> logits, rerun on the history;
 *   FAKE_KV            two layers of past_key_values/present, in scrambled
 *                      orders and with different shapes per layer; the cache
 *                      holds an encoding of each token that invoke checks and
 *                      decodes, so wrong routing or layout fails the call;
 *   FAKE_BAD_LOGITS    returns logits one row short;
 *   FAKE_INVOKE_FAILS  returns 7 from invoke;
 *   FAKE_NO_LOGITS     names its output "scores" (an unusable signature);
 *   FAKE_ABI_VERSION=N declares generator ABI version N;
 *   FAKE_VOCAB=N       another vocabulary (256: a byte-level model).
 *===----------------------------------------------------------------------===*/
#include "BitNet/Runtime/ModelABI.h"

#include <stdlib.h>
#include <string.h>

#ifndef FAKE_VOCAB
#define FAKE_VOCAB 8
#endif
#define VOCAB FAKE_VOCAB

#ifndef FAKE_ABI_VERSION
#define FAKE_ABI_VERSION BITNET_MODEL_ABI_VERSION
#endif

/* The model: S = sum of (i + 1) * tokens[i] over i <= t; the favourite is
 * S % 8 with logit 2, the others get small position-dependent values. When
 * the favourite is 0 every logit is 0.5, a tie the lowest-id rule resolves to
 * 0 (and a highest-id rule to 7). */
static void logits_row(const int64_t *tokens, int64_t t, float *row) {
  int64_t sum = 0;
  for (int64_t i = 0; i <= t; ++i)
    sum += (i + 1) * tokens[i];
  int64_t favourite = sum % VOCAB;
  for (int64_t v = 0; v < VOCAB; ++v)
    row[v] = favourite == 0 ? 0.5f
             : v == favourite ? 2.0f
                              : 0.25f * (float)((v * 3 + t) % 5);
}

/* Outputs are malloc'ed like the compiled code's: `data` is not `allocated`,
 * so freeing the wrong one shows under a sanitizer. */
static void *new_output(BitNetBuffer *b, int64_t rank, const int64_t *sizes) {
  int64_t count = 1;
  b->rank = rank;
  for (int64_t d = 0; d < rank; ++d)
    count *= b->sizes[d] = sizes[d];
  b->allocated = malloc((size_t)count * sizeof(float) + 64);
  b->data = b->allocated ? (char *)b->allocated + 64 : NULL;
  return b->data;
}

#ifndef FAKE_KV

static const BitNetTensorInfo inputs[] = {{"input_ids", BITNET_I64, 2, {1, -1}}};
#ifdef FAKE_NO_LOGITS
static const BitNetTensorInfo outputs[] = {{"scores", BITNET_F32, 3, {1, -1, VOCAB}}};
#else
static const BitNetTensorInfo outputs[] = {{"logits", BITNET_F32, 3, {1, -1, VOCAB}}};
#endif

int bitnet_model_invoke(const BitNetBuffer *in, BitNetBuffer *out) {
  const int64_t *tokens = in[0].data;
  int64_t seq = in[0].sizes[1];
  if (in[0].rank != 2 || in[0].sizes[0] != 1 || seq < 1 || !tokens)
    return 3;
#ifdef FAKE_INVOKE_FAILS
  return 7;
#endif
#ifdef FAKE_BAD_LOGITS
  int64_t sizes[3] = {1, seq - 1, VOCAB};
#else
  int64_t sizes[3] = {1, seq, VOCAB};
#endif
  float *logits = new_output(&out[0], 3, sizes);
  if (!logits)
    return 4;
  for (int64_t t = 0; t < sizes[1]; ++t)
    logits_row(tokens, t, logits + t * VOCAB);
  return 0;
}

#else /* FAKE_KV */

/* Layer 0 has 2 heads of 3, layer 1 one head of 4. */
static const BitNetTensorInfo inputs[] = {
    {"past_key_values.1.value", BITNET_F32, 4, {1, 1, -1, 4}},
    {"input_ids", BITNET_I64, 2, {1, -1}},
    {"past_key_values.0.key", BITNET_F32, 4, {1, 2, -1, 3}},
    {"past_key_values.0.value", BITNET_F32, 4, {1, 2, -1, 3}},
    {"past_key_values.1.key", BITNET_F32, 4, {1, 1, -1, 4}},
};
static const BitNetTensorInfo outputs[] = {
    {"present.0.value", BITNET_F32, 4, {1, 2, -1, 3}},
    {"present.1.key", BITNET_F32, 4, {1, 1, -1, 4}},
    {"logits", BITNET_F32, 3, {1, -1, VOCAB}},
    {"present.1.value", BITNET_F32, 4, {1, 1, -1, 4}},
    {"present.0.key", BITNET_F32, 4, {1, 2, -1, 3}},
};
/* For layer l and kind k (0 key, 1 value): where its past and present are. */
static const int past_index[2][2] = {{2, 3}, {4, 0}};
static const int present_index[2][2] = {{4, 0}, {1, 3}};
static const int64_t heads[2] = {2, 1}, head_dims[2] = {3, 4};

/* What the cache stores for a token; exact in f32. */
static float encode(int l, int k, int64_t h, int64_t d, int64_t token) {
  return (float)(token + 1000 * l + 100 * k + 10 * h) + 0.5f * (float)d;
}

/* Element [0, h, p, d] of a [1, H, len, D] tensor. */
static int64_t at(int64_t h, int64_t p, int64_t d, int64_t len, int64_t dim) {
  return (h * len + p) * dim + d;
}

int bitnet_model_invoke(const BitNetBuffer *in, BitNetBuffer *out) {
  const int64_t *new_tokens = in[1].data;
  int64_t seq = in[1].sizes[1], past = in[past_index[0][0]].sizes[2];
  if (in[1].rank != 2 || in[1].sizes[0] != 1 || seq < 1 || !new_tokens || past < 0)
    return 3;
  int64_t *tokens = malloc((size_t)(past + seq) * sizeof *tokens);
  if (!tokens)
    return 4;
  const float *key0 = in[past_index[0][0]].data;
  for (int64_t p = 0; p < past; ++p)
    tokens[p] = (int64_t)key0[at(0, p, 0, past, 3)];
  memcpy(tokens + past, new_tokens, (size_t)seq * sizeof *tokens);
  int rc = 0;
  for (int l = 0; l < 2; ++l)
    for (int k = 0; k < 2; ++k) {
      const BitNetBuffer *b = &in[past_index[l][k]];
      const float *data = b->data;
      int64_t H = heads[l], D = head_dims[l], want[4] = {1, H, past, D};
      if (b->rank != 4 || memcmp(b->sizes, want, sizeof want) != 0 || !data) {
        rc = 5;
        continue;
      }
      for (int64_t h = 0; h < H; ++h)
        for (int64_t p = 0; p < past; ++p)
          for (int64_t d = 0; d < D; ++d)
            if (data[at(h, p, d, past, D)] != encode(l, k, h, d, tokens[p]))
              rc = 6;
      int64_t sizes[4] = {1, H, past + seq, D};
      float *present = new_output(&out[present_index[l][k]], 4, sizes);
      if (!present) {
        rc = 4;
        continue;
      }
      for (int64_t h = 0; h < H; ++h)
        for (int64_t p = 0; p < past + seq; ++p)
          for (int64_t d = 0; d < D; ++d)
            present[at(h, p, d, past + seq, D)] = encode(l, k, h, d, tokens[p]);
    }
  int64_t sizes[3] = {1, seq, VOCAB};
  float *logits = new_output(&out[2], 3, sizes);
  if (!logits)
    rc = 4;
  for (int64_t t = 0; t < seq && logits; ++t)
    logits_row(tokens, past + t, logits + t * VOCAB);
  free(tokens);
  /* Like compiled code, a failed call does not promise to clean up; the
   * runtime frees whatever was returned. */
  return rc;
}

#endif /* FAKE_KV */

#ifndef FAKE_MAX_CONTEXT
#define FAKE_MAX_CONTEXT 0
#endif
const int64_t bitnet_model_max_context = FAKE_MAX_CONTEXT;

const BitNetModelInfo bitnet_model_info = {
    FAKE_ABI_VERSION, (int32_t)(sizeof inputs / sizeof inputs[0]),
    (int32_t)(sizeof outputs / sizeof outputs[0]), inputs, outputs};
