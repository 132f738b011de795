/*===- ModelRuntime.c - the generic runtime of a compiled model library --===*
 *
 * Implements the public API of BitNetModel.h on top of the two per-model
 * symbols of ModelABI.h. The graph's signature is checked once, at create:
 * one "input_ids" input, a "logits" output, and optionally KV-cache pairs
 * "past_key_values.<s>" -> "present.<s>". A KV model gets its own presents
 * back as the next call's pasts; a model without a cache is rerun on the whole
 * token history and only the new rows of its logits are returned.
 *
 * A graph compiled with its cache in place (bitnet-kv-cache-in-place) has no
 * presents and an extra "bitnet.past_length" input instead: each past input is
 * a buffer the runtime owns, with room for `kv_capacity` rows, of which the
 * first past_length are filled; the graph appends the new rows itself.
 *
 * Plain C11 and libc, so that it compiles into any model library without a
 * build system: cc -std=c11 -O2 -fPIC -fvisibility=hidden -I include -c.
 *===----------------------------------------------------------------------===*/
#include "BitNet/Runtime/BitNetModel.h"
#include "BitNet/Runtime/ModelABI.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAST_PREFIX "past_key_values."
#define PRESENT_PREFIX "present."
#define PAST_LENGTH_NAME "bitnet.past_length"

/* One past_key_values input and the present output that refills it. */
typedef struct KVSlot {
  int input;
  int output; /* -1 when the cache is updated in place */
  int64_t heads;
  int64_t head_dim;
  BitNetBuffer cache; /* the last present, owned; allocated == NULL when empty */
} KVSlot;

/* Sets the OpenMP thread count of the kernels (OpenMPThreads.c, linked into
 * bitnet-opt's libraries with libomp). Weak and hidden: a library built from
 * this file alone (the runtime tests' fake models) has none, and runs on one
 * thread. */
extern void bitnet_runtime_set_openmp_threads(int threads)
    __attribute__((weak, visibility("hidden")));

/* The compiled code's buffer cache (BufferCache.c, linked into bitnet-opt's
 * libraries): the runtime allocates the caches and frees the graph's
 * outputs through it, so that their blocks serve the next call. Weak and
 * hidden like the thread setter; without it, malloc and free. */
extern void *bitnet_runtime_alloc(size_t size, size_t alignment)
    __attribute__((weak, visibility("hidden")));
extern void bitnet_runtime_free(void *block) __attribute__((weak, visibility("hidden")));
extern void bitnet_runtime_drain_buffers(void) __attribute__((weak, visibility("hidden")));

static void *buffer_alloc(size_t size) {
  return bitnet_runtime_alloc ? bitnet_runtime_alloc(size, 64) : malloc(size);
}

static void buffer_free(void *block) {
  if (bitnet_runtime_free)
    bitnet_runtime_free(block);
  else
    free(block);
}

/* Live instances: the buffer cache is drained when the last one goes. */
static _Atomic int live_instances;

struct BitNetModel {
  const BitNetModelInfo *info;
  int usable; /* the signature passed validate_signature */
  char error[512];
  int tokens_input;
  int logits_output;
  int64_t vocab;
  int64_t fixed_seq; /* input_ids' sequence length if static, else -1 */
  int num_slots;
  KVSlot *slots;
  int64_t length; /* tokens consumed */
  /* The cache in place: the past_length input (-1 without), the value it
   * reads, and the rows each slot's buffer has room for. */
  int length_input;
  int64_t past_length;
  int64_t kv_capacity;
  int threads;    /* OpenMP threads of each run */
  /* Without a KV cache: every token so far, since each run reruns them all. */
  int64_t *history;
  int64_t history_capacity;
  /* Scratch for one invoke, allocated at create so that runs cannot fail
   * half-way for lack of memory. */
  BitNetBuffer *inputs;
  BitNetBuffer *outputs;
  void **drop;
  void **keep;
};

/* A valid address for a tensor with a zero-sized dimension (the empty past of
 * the first call): the compiled code never reads it. */
static float empty_tensor_data[1];

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 2, 3)))
#endif
static int fail(BitNetModel *m, const char *format, ...) {
  va_list args;
  va_start(args, format);
  vsnprintf(m->error, sizeof m->error, format, args);
  va_end(args);
  return 1;
}

/* An unusable model keeps its reason as the error for good. */
static void succeed(BitNetModel *m) {
  if (m->usable)
    m->error[0] = '\0';
}

static const char *after_prefix(const char *name, const char *prefix) {
  size_t n = strlen(prefix);
  return strncmp(name, prefix, n) == 0 ? name + n : NULL;
}

static int find_output(const BitNetModelInfo *info, const char *prefix, const char *suffix) {
  for (int i = 0; i < info->num_outputs; ++i) {
    const char *rest = after_prefix(info->outputs[i].name, prefix);
    if (rest && strcmp(rest, suffix) == 0)
      return i;
  }
  return -1;
}

static int is_batch_dim(int64_t d) { return d == 1 || d == -1; }

/* Names are what the runtime matches on: each must exist and be unique. */
static int check_tensor_infos(BitNetModel *m, const BitNetTensorInfo *t, int count,
                              const char *what) {
  for (int i = 0; i < count; ++i) {
    if (!t[i].name)
      return fail(m, "graph %s %d has no name", what, i);
    if (t[i].rank < 0 || t[i].rank > BITNET_MAX_RANK)
      return fail(m, "graph %s '%s' has rank %d (at most %d supported)", what, t[i].name,
                  (int)t[i].rank, BITNET_MAX_RANK);
    for (int j = 0; j < i; ++j)
      if (strcmp(t[j].name, t[i].name) == 0)
        return fail(m, "graph %s '%s' appears twice", what, t[i].name);
  }
  return 0;
}

/* A past input [1, heads, past_len, head_dim] and its present output. */
static int add_kv_slot(BitNetModel *m, int input) {
  const BitNetModelInfo *info = m->info;
  const BitNetTensorInfo *past = &info->inputs[input];
  const char *suffix = after_prefix(past->name, PAST_PREFIX);
  if (past->element_type != BITNET_F32 || past->rank != 4 || !is_batch_dim(past->dims[0]) ||
      past->dims[1] <= 0 || past->dims[2] != -1 || past->dims[3] <= 0)
    return fail(m, "graph input '%s' must be f32 [1, heads, past, head_dim] with static heads "
                   "and head_dim and a dynamic past", past->name);
  int output = find_output(info, PRESENT_PREFIX, suffix);
  if (m->length_input >= 0) {
    if (output >= 0)
      return fail(m, "graph output '%s' is a present, but the graph updates its cache in "
                     "place", info->outputs[output].name);
    KVSlot *slot = &m->slots[m->num_slots++];
    slot->input = input;
    slot->output = -1;
    slot->heads = past->dims[1];
    slot->head_dim = past->dims[3];
    return 0;
  }
  if (output < 0)
    return fail(m, "graph input '%s' has no matching output '" PRESENT_PREFIX "%s'", past->name,
                suffix);
  const BitNetTensorInfo *present = &info->outputs[output];
  if (present->element_type != BITNET_F32 || present->rank != 4 ||
      (present->dims[1] != -1 && present->dims[1] != past->dims[1]) ||
      (present->dims[3] != -1 && present->dims[3] != past->dims[3]))
    return fail(m, "graph output '%s' must be f32 with the shape of '%s'", present->name,
                past->name);
  KVSlot *slot = &m->slots[m->num_slots++];
  slot->input = input;
  slot->output = output;
  slot->heads = past->dims[1];
  slot->head_dim = past->dims[3];
  return 0;
}

static int validate_inputs(BitNetModel *m) {
  const BitNetModelInfo *info = m->info;
  /* First: whether the pasts come with presents or are updated in place. */
  for (int i = 0; i < info->num_inputs; ++i) {
    const BitNetTensorInfo *t = &info->inputs[i];
    if (strcmp(t->name, PAST_LENGTH_NAME) != 0)
      continue;
    if (t->element_type != BITNET_I64 || t->rank != 0)
      return fail(m, "graph input '" PAST_LENGTH_NAME "' must be a rank-0 i64");
    m->length_input = i;
  }
  for (int i = 0; i < info->num_inputs; ++i) {
    const BitNetTensorInfo *t = &info->inputs[i];
    if (strcmp(t->name, "input_ids") == 0) {
      if (t->element_type != BITNET_I64 || t->rank != 2 || !is_batch_dim(t->dims[0]))
        return fail(m, "graph input 'input_ids' must be i64 [1, seq]");
      m->tokens_input = i;
      m->fixed_seq = t->dims[1] < 0 ? -1 : t->dims[1];
    } else if (after_prefix(t->name, PAST_PREFIX)) {
      if (add_kv_slot(m, i))
        return 1;
    } else if (i != m->length_input) {
      return fail(m, "unexpected graph input '%s' (expected 'input_ids' and "
                     "'" PAST_PREFIX "<layer>.key/value')", t->name);
    }
  }
  if (m->tokens_input < 0)
    return fail(m, "the graph has no 'input_ids' input");
  if (m->length_input >= 0 && m->num_slots == 0)
    return fail(m, "graph input '" PAST_LENGTH_NAME "' comes without any "
                   "'" PAST_PREFIX "<layer>.key/value' input");
  return 0;
}

static int validate_signature(BitNetModel *m) {
  const BitNetModelInfo *info = m->info;
  if (info->abi_version != BITNET_MODEL_ABI_VERSION)
    return fail(m, "the graph was generated for model ABI version %u, this runtime implements %u",
                (unsigned)info->abi_version, (unsigned)BITNET_MODEL_ABI_VERSION);
  if (info->num_inputs < 1 || info->num_outputs < 1 || !info->inputs || !info->outputs)
    return fail(m, "the graph declares no inputs or no outputs");
  if (check_tensor_infos(m, info->inputs, info->num_inputs, "input") ||
      check_tensor_infos(m, info->outputs, info->num_outputs, "output"))
    return 1;
  m->slots = calloc((size_t)info->num_inputs, sizeof *m->slots);
  if (!m->slots)
    return fail(m, "out of memory");
  if (validate_inputs(m))
    return 1;
  m->logits_output = find_output(info, "", "logits");
  if (m->logits_output < 0)
    return fail(m, "the graph has no 'logits' output");
  const BitNetTensorInfo *logits = &info->outputs[m->logits_output];
  if (logits->element_type != BITNET_F32 || logits->rank != 3 || !is_batch_dim(logits->dims[0]) ||
      logits->dims[2] <= 0)
    return fail(m, "graph output 'logits' must be f32 [1, seq, vocab] with a static vocab");
  m->vocab = logits->dims[2];
  return 0;
}

static int allocate_scratch(BitNetModel *m) {
  size_t ins = (size_t)m->info->num_inputs, outs = (size_t)m->info->num_outputs;
  m->inputs = calloc(ins, sizeof *m->inputs);
  m->outputs = calloc(outs, sizeof *m->outputs);
  m->drop = calloc(outs + (size_t)m->num_slots, sizeof *m->drop);
  m->keep = calloc((size_t)m->num_slots + 1, sizeof *m->keep);
  return m->inputs && m->outputs && m->drop && m->keep ? 0 : 1;
}

BitNetModel *bitnet_model_create(void) {
  BitNetModel *m = calloc(1, sizeof *m);
  if (!m)
    return NULL;
  ++live_instances;
  m->info = &bitnet_model_info;
  m->threads = 1;
  m->tokens_input = -1;
  m->logits_output = -1;
  m->length_input = -1;
  if (validate_signature(m) == 0) {
    if (allocate_scratch(m)) {
      bitnet_model_destroy(m);
      return NULL;
    }
    m->usable = 1;
  }
  return m;
}

/* Frees each distinct pointer of `drop` once, except those also in `keep`:
 * the compiled code may return one allocation twice, or hand back one that
 * the model still holds. */
static void free_distinct(void **drop, int num_drop, void *const *keep, int num_keep) {
  for (int i = 0; i < num_drop; ++i) {
    int skip = drop[i] == NULL;
    for (int j = 0; j < i && !skip; ++j)
      skip = drop[j] == drop[i];
    for (int j = 0; j < num_keep && !skip; ++j)
      skip = keep[j] == drop[i];
    if (!skip)
      buffer_free(drop[i]);
  }
}

static void free_caches(BitNetModel *m) {
  for (int s = 0; s < m->num_slots; ++s)
    m->drop[s] = m->slots[s].cache.allocated;
  free_distinct(m->drop, m->num_slots, NULL, 0);
  for (int s = 0; s < m->num_slots; ++s)
    memset(&m->slots[s].cache, 0, sizeof m->slots[s].cache);
  m->kv_capacity = 0;
}

/* Gives every in-place cache room for `rows` rows, keeping the filled ones:
 * all buffers grow or none does. Capacity doubles, up to the model's
 * context, so a sequence costs O(log length) moves of its cache. */
static int reserve_cache(BitNetModel *m, int64_t rows) {
  if (rows <= m->kv_capacity)
    return 0;
  int64_t capacity = m->kv_capacity * 2 > rows ? m->kv_capacity * 2 : rows;
  if (capacity < 64)
    capacity = 64;
  if (bitnet_model_max_context > 0 && capacity > bitnet_model_max_context)
    capacity = bitnet_model_max_context;
  int n = m->num_slots;
  for (int s = 0; s < n; ++s) {
    const KVSlot *slot = &m->slots[s];
    size_t row = (size_t)slot->head_dim * sizeof(float);
    /* heads * capacity * row bytes, checked against overflow */
    if ((uint64_t)capacity > SIZE_MAX / row / (size_t)slot->heads)
      return fail(m, "a KV cache of %lld rows is too large", (long long)capacity);
    m->drop[s] = buffer_alloc((size_t)slot->heads * (size_t)capacity * row);
    if (!m->drop[s]) {
      for (int j = 0; j < s; ++j)
        buffer_free(m->drop[j]);
      return fail(m, "out of memory for a KV cache of %lld rows", (long long)capacity);
    }
  }
  for (int s = 0; s < n; ++s) {
    KVSlot *slot = &m->slots[s];
    size_t row = (size_t)slot->head_dim * sizeof(float);
    char *grown = m->drop[s];
    const char *old = slot->cache.data;
    for (int64_t h = 0; old && h < slot->heads; ++h)
      memcpy(grown + (size_t)h * (size_t)capacity * row,
             old + (size_t)h * (size_t)m->kv_capacity * row, (size_t)m->length * row);
    buffer_free(slot->cache.allocated);
    slot->cache.allocated = slot->cache.data = grown;
  }
  m->kv_capacity = capacity;
  return 0;
}

void bitnet_model_destroy(BitNetModel *m) {
  if (!m)
    return;
  if (m->drop)
    free_caches(m);
  free(m->slots);
  free(m->history);
  free(m->inputs);
  free(m->outputs);
  free(m->drop);
  free(m->keep);
  free(m);
  if (--live_instances == 0 && bitnet_runtime_drain_buffers)
    bitnet_runtime_drain_buffers();
}

/* Frees all outputs of the last invoke except the ones the model keeps (and
 * never the caller's tokens, should the graph hand its input back). */
static void release_outputs(BitNetModel *m, int keep_presents) {
  int num_drop = 0, num_keep = 0;
  m->keep[num_keep++] = m->inputs[m->tokens_input].data;
  for (int i = 0; i < m->info->num_outputs; ++i)
    m->drop[num_drop++] = m->outputs[i].allocated;
  for (int s = 0; s < m->num_slots; ++s) {
    void *cache = m->slots[s].cache.allocated;
    if (m->slots[s].output < 0) {
      m->keep[num_keep++] = cache;
      continue;
    }
    void *present = m->outputs[m->slots[s].output].allocated;
    if (keep_presents) {
      m->keep[num_keep++] = present;
      m->drop[num_drop++] = cache;
    } else {
      m->keep[num_keep++] = cache;
    }
  }
  free_distinct(m->drop, num_drop, m->keep, num_keep);
}

/* Checks an output buffer against the expected sizes; the compiled code is
 * trusted with the data but not with the shape it was asked for. */
static int check_output(BitNetModel *m, int index, int rank, const int64_t *want) {
  const BitNetBuffer *b = &m->outputs[index];
  const char *name = m->info->outputs[index].name;
  if (!b->data)
    return fail(m, "the graph returned no data for output '%s'", name);
  if (b->rank != rank)
    return fail(m, "the graph returned output '%s' of rank %lld, expected %d", name,
                (long long)b->rank, rank);
  for (int d = 0; d < rank; ++d)
    if (b->sizes[d] != want[d])
      return fail(m, "the graph returned output '%s' with size %lld in dimension %d, expected %lld",
                  name, (long long)b->sizes[d], d, (long long)want[d]);
  return 0;
}

/* Runs the graph on `seq` tokens after the cached past; on success the
 * outputs are in m->outputs (owned by the caller of invoke_graph). */
static int invoke_graph(BitNetModel *m, const int64_t *ids, int64_t seq) {
  int64_t past = m->num_slots ? m->length : 0;
  if (m->fixed_seq >= 0 && seq != m->fixed_seq)
    return fail(m, "the graph was compiled for exactly %lld tokens per call, not %lld",
                (long long)m->fixed_seq, (long long)seq);
  memset(m->inputs, 0, (size_t)m->info->num_inputs * sizeof *m->inputs);
  memset(m->outputs, 0, (size_t)m->info->num_outputs * sizeof *m->outputs);
  BitNetBuffer *tokens = &m->inputs[m->tokens_input];
  tokens->data = (void *)(uintptr_t)ids; /* inputs are read only */
  tokens->rank = 2;
  tokens->sizes[0] = 1;
  tokens->sizes[1] = seq;
  for (int s = 0; s < m->num_slots; ++s) {
    const KVSlot *slot = &m->slots[s];
    BitNetBuffer *in = &m->inputs[slot->input];
    int in_place = slot->output < 0;
    in->data = in_place || past ? slot->cache.data : (void *)empty_tensor_data;
    in->rank = 4;
    in->sizes[0] = 1;
    in->sizes[1] = slot->heads;
    in->sizes[2] = in_place ? m->kv_capacity : past;
    in->sizes[3] = slot->head_dim;
  }
  if (m->length_input >= 0) {
    m->past_length = past;
    BitNetBuffer *length = &m->inputs[m->length_input];
    length->data = &m->past_length;
    length->rank = 0;
  }
  /* The thread count is OpenMP's per calling thread: set it for this run. */
  if (bitnet_runtime_set_openmp_threads)
    bitnet_runtime_set_openmp_threads(m->threads);
  int rc = bitnet_model_invoke(m->inputs, m->outputs);
  int64_t logits_sizes[3] = {1, seq, m->vocab};
  if (rc != 0)
    fail(m, "the compiled graph failed (bitnet_model_invoke returned %d)", rc);
  else
    rc = check_output(m, m->logits_output, 3, logits_sizes);
  for (int s = 0; s < m->num_slots && rc == 0; ++s) {
    const KVSlot *slot = &m->slots[s];
    if (slot->output < 0)
      continue;
    int64_t want[4] = {1, slot->heads, past + seq, slot->head_dim};
    rc = check_output(m, slot->output, 4, want);
  }
  if (rc != 0)
    release_outputs(m, 0);
  return rc;
}

static void copy_logits(BitNetModel *m, int64_t first_row, int64_t rows, float *logits) {
  if (!logits)
    return;
  const float *src = (const float *)m->outputs[m->logits_output].data;
  memcpy(logits, src + first_row * m->vocab, (size_t)(rows * m->vocab) * sizeof(float));
}

static int run_cached(BitNetModel *m, const int64_t *tokens, int64_t n, float *logits) {
  if (m->length_input >= 0 && reserve_cache(m, m->length + n))
    return 1;
  if (invoke_graph(m, tokens, n))
    return 1;
  copy_logits(m, 0, n, logits);
  release_outputs(m, 1);
  for (int s = 0; s < m->num_slots; ++s)
    if (m->slots[s].output >= 0)
      m->slots[s].cache = m->outputs[m->slots[s].output];
  m->length += n;
  return 0;
}

static int run_recompute(BitNetModel *m, const int64_t *tokens, int64_t n, float *logits) {
  int64_t total = m->length + n;
  if (total > m->history_capacity) {
    int64_t capacity = total > 2 * m->history_capacity ? total : 2 * m->history_capacity;
    int64_t *grown = realloc(m->history, (size_t)capacity * sizeof *grown);
    if (!grown)
      return fail(m, "out of memory for a history of %lld tokens", (long long)total);
    m->history = grown;
    m->history_capacity = capacity;
  }
  memcpy(m->history + m->length, tokens, (size_t)n * sizeof *tokens);
  if (invoke_graph(m, m->history, total))
    return 1;
  copy_logits(m, m->length, n, logits);
  release_outputs(m, 0);
  m->length = total;
  return 0;
}

int bitnet_model_run(BitNetModel *m, const int64_t *tokens, int64_t n, float *logits) {
  if (!m)
    return 1;
  if (!m->usable)
    return 1;
  if (n < 0)
    return fail(m, "negative token count %lld", (long long)n);
  if (n > 0 && !tokens)
    return fail(m, "no tokens given (NULL) for a count of %lld", (long long)n);
  /* Every size computed below, in elements and in bytes, must fit. The
   * counts are checked before any id is read: a count past what the model
   * can take fails without touching memory the caller may not have. */
  int64_t limit = (int64_t)(SIZE_MAX / 2 / sizeof(float) / (size_t)m->vocab);
  if (limit > INT64_MAX / m->vocab)
    limit = INT64_MAX / m->vocab;
  if (n > limit - m->length)
    return fail(m, "a sequence of %lld + %lld tokens is too long", (long long)m->length,
                (long long)n);
  /* Past the position tables the compiled graph would read out of bounds. */
  if (bitnet_model_max_context > 0 && m->length + n > bitnet_model_max_context)
    return fail(m, "the context is full: %lld + %lld tokens exceed the model's %lld; "
                "reset the model to start again",
                (long long)m->length, (long long)n, (long long)bitnet_model_max_context);
  for (int64_t t = 0; t < n; ++t)
    if (tokens[t] < 0 || tokens[t] >= m->vocab)
      return fail(m, "token id %lld (position %lld) is outside the vocabulary [0, %lld)",
                  (long long)tokens[t], (long long)t, (long long)m->vocab);
  int rc = 0;
  if (n > 0)
    rc = m->num_slots ? run_cached(m, tokens, n, logits) : run_recompute(m, tokens, n, logits);
  if (rc == 0)
    succeed(m);
  return rc;
}

void bitnet_model_reset(BitNetModel *m) {
  if (!m)
    return;
  if (m->drop)
    free_caches(m);
  m->length = 0;
  succeed(m);
}

uint32_t bitnet_model_abi_version(void) { return BITNET_MODEL_ABI_VERSION; }

int64_t bitnet_model_max_context_length(const BitNetModel *m) {
  (void)m;
  return bitnet_model_max_context;
}

int64_t bitnet_model_vocab_size(const BitNetModel *m) { return m && m->usable ? m->vocab : -1; }

int bitnet_model_has_kv_cache(const BitNetModel *m) { return m && m->usable && m->num_slots > 0; }

int64_t bitnet_model_context_length(const BitNetModel *m) { return m ? m->length : 0; }

const char *bitnet_model_last_error(const BitNetModel *m) {
  return m ? m->error : "no model (NULL)";
}

int bitnet_model_set_threads(BitNetModel *m, int threads) {
  if (!m || !m->usable)
    return 1;
  if (threads < 1)
    return fail(m, "the thread count must be at least 1, not %d", threads);
  if (threads > 1 && !bitnet_runtime_set_openmp_threads)
    return fail(m, "this model library was linked without OpenMP; %d threads are not available",
                threads);
  m->threads = threads;
  succeed(m);
  return 0;
}

int bitnet_model_num_inputs(const BitNetModel *m) { return m ? m->info->num_inputs : 0; }

int bitnet_model_num_outputs(const BitNetModel *m) { return m ? m->info->num_outputs : 0; }

const char *bitnet_model_input_name(const BitNetModel *m, int index) {
  if (!m || !m->info->inputs || index < 0 || index >= m->info->num_inputs)
    return NULL;
  return m->info->inputs[index].name;
}

const char *bitnet_model_output_name(const BitNetModel *m, int index) {
  if (!m || !m->info->outputs || index < 0 || index >= m->info->num_outputs)
    return NULL;
  return m->info->outputs[index].name;
}
