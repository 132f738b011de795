/*===- BitNetModel.h - public C API of a compiled model library --*- C -*-===*
 *
 * A model library (`bitnet-opt model.onnx --emit=lib -o model.so`) exports
 * exactly the functions below; everything else inside it is hidden. C, C++
 * (bitnet-run) and Python (bitnet.runtime, through ctypes) all call this API.
 *
 * A BitNetModel is one decoding sequence: each bitnet_model_run appends tokens
 * and returns their logits. Whether the graph carries a KV cache or recomputes
 * the whole history each call is invisible here except for speed: both give
 * the same logits for the same sequence of calls.
 *
 * Thread-safety: one BitNetModel must not be used from two threads at once.
 * Distinct BitNetModels (of the same library or not) are independent and may
 * run concurrently.
 *
 * Errors: functions that can fail return non-zero (or NULL / -1, as noted)
 * and leave a message in bitnet_model_last_error. A failed run leaves the
 * sequence as it was before the call.
 *===----------------------------------------------------------------------===*/
#ifndef BITNET_RUNTIME_BITNETMODEL_H
#define BITNET_RUNTIME_BITNETMODEL_H

#include <stdint.h>

#if defined(__GNUC__) || defined(__clang__)
#define BITNET_MODEL_EXPORT __attribute__((visibility("default")))
#else
#define BITNET_MODEL_EXPORT
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* The version of this API and of ModelABI.h together (both headers define it
 * identically, so a mismatch is a redefinition diagnostic). Loaders compare
 * bitnet_model_abi_version() with it before calling anything else. */
#define BITNET_MODEL_ABI_VERSION 1u

typedef struct BitNetModel BitNetModel;

/* Returns the ABI version the library was built with (BITNET_MODEL_ABI_VERSION).
 * The presence of this symbol is what marks a shared object as a bitnet-mlir
 * model library. */
BITNET_MODEL_EXPORT uint32_t bitnet_model_abi_version(void);

/* Creates a model instance with an empty sequence. Returns NULL only when
 * memory runs out. If the compiled graph does not have the structure the
 * runtime expects (see docs/Runtime.md), the instance is still created so
 * that the reason can be read: bitnet_model_last_error returns it,
 * bitnet_model_vocab_size returns -1 and every run fails.
 * The caller owns the result and releases it with bitnet_model_destroy. */
BITNET_MODEL_EXPORT BitNetModel *bitnet_model_create(void);

/* Releases the instance and everything it holds (KV cache, history). NULL is
 * a no-op. */
BITNET_MODEL_EXPORT void bitnet_model_destroy(BitNetModel *model);

/* The vocabulary size: the last dimension of the "logits" output. Returns -1
 * if the graph is unusable (see bitnet_model_create). */
BITNET_MODEL_EXPORT int64_t bitnet_model_vocab_size(const BitNetModel *model);

/* 1 if the graph takes past_key_values inputs (each run then processes only
 * the new tokens), 0 if each run recomputes the whole sequence. */
BITNET_MODEL_EXPORT int bitnet_model_has_kv_cache(const BitNetModel *model);

/* The number of tokens consumed since create or the last reset. */
BITNET_MODEL_EXPORT int64_t bitnet_model_context_length(const BitNetModel *model);

/* The most tokens the model handles between resets (the end of its position
 * tables), or 0 when unknown. bitnet_model_run fails rather than go past it. */
BITNET_MODEL_EXPORT int64_t bitnet_model_max_context_length(const BitNetModel *model);

/* Appends `num_tokens` tokens to the sequence and computes their logits.
 * `tokens` is read only during the call; it may be NULL if num_tokens is 0
 * (which does nothing and succeeds). Every id must lie in [0, vocab_size).
 * If `logits` is not NULL it receives num_tokens * vocab_size floats, row t
 * holding the logits that follow tokens[t] (row-major [num_tokens, vocab]).
 * Returns 0 on success; otherwise non-zero, the sequence is unchanged and
 * bitnet_model_last_error says why. */
BITNET_MODEL_EXPORT int bitnet_model_run(BitNetModel *model, const int64_t *tokens,
                                         int64_t num_tokens, float *logits);

/* Empties the sequence (and frees the KV cache); the next run starts anew. */
BITNET_MODEL_EXPORT void bitnet_model_reset(BitNetModel *model);

/* The message of the most recent failure, or "" if the last call that can
 * fail succeeded. For an unusable graph it is always the reason. The string
 * belongs to the instance and stays valid until its next call. */
BITNET_MODEL_EXPORT const char *bitnet_model_last_error(const BitNetModel *model);

/* Sets the number of threads used by this instance's runs (default 1): the
 * ternary products run their outputs (and tokens) on OpenMP threads. Returns
 * 0, or non-zero with an explanation in bitnet_model_last_error for a count
 * below 1, or above 1 in a library linked without OpenMP. */
BITNET_MODEL_EXPORT int bitnet_model_set_threads(BitNetModel *model, int threads);

/* Introspection of the compiled graph's signature. The names are the ONNX
 * value names ("input_ids", "past_key_values.0.key", "logits", ...); they
 * live as long as the library stays loaded. Out-of-range indices give NULL. */
BITNET_MODEL_EXPORT int bitnet_model_num_inputs(const BitNetModel *model);
BITNET_MODEL_EXPORT int bitnet_model_num_outputs(const BitNetModel *model);
BITNET_MODEL_EXPORT const char *bitnet_model_input_name(const BitNetModel *model, int index);
BITNET_MODEL_EXPORT const char *bitnet_model_output_name(const BitNetModel *model, int index);

#ifdef __cplusplus
}
#endif

#endif /* BITNET_RUNTIME_BITNETMODEL_H */
