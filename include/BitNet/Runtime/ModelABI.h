/*===- ModelABI.h - contract between compiled code and the runtime -*- C -*-===*
 *
 * A model library built by `bitnet-opt --emit=lib` has three parts:
 *   - the compiled graph (an object file from LLVM), entry `_mlir_ciface_main_graph`;
 *   - a trampoline that bitnet-opt generates per model: it describes the graph's
 *     inputs and outputs (`bitnet_model_info`) and adapts flat buffers to the
 *     memref descriptors of the compiled entry (`bitnet_model_invoke`);
 *   - the generic runtime (lib/BitNet/Runtime/ModelRuntime.c), which implements the
 *     public API of BitNetModel.h on top of the two symbols below.
 * Users never see this header; it only has to agree between bitnet-opt's
 * generator and the runtime, which are always built from the same commit.
 *===----------------------------------------------------------------------===*/
#ifndef BITNET_RUNTIME_MODELABI_H
#define BITNET_RUNTIME_MODELABI_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define BITNET_MAX_RANK 8

typedef enum BitNetElementType {
  BITNET_F32 = 0,
  BITNET_I64 = 1,
} BitNetElementType;

/* One graph input or output as the compiler saw it. Dimensions that are only
 * known at run time (sequence length, past length) are -1. */
typedef struct BitNetTensorInfo {
  const char *name; /* the ONNX value name: "input_ids", "logits", ... */
  int32_t element_type;
  int32_t rank;
  int64_t dims[BITNET_MAX_RANK];
} BitNetTensorInfo;

/* A dense row-major tensor. For inputs `data` is the caller's and `allocated`
 * is ignored. For outputs the compiled code allocates with malloc: `data`
 * points at element 0 and the owner must free(`allocated`). */
typedef struct BitNetBuffer {
  void *allocated;
  void *data;
  int64_t rank;
  int64_t sizes[BITNET_MAX_RANK];
} BitNetBuffer;

typedef struct BitNetModelInfo {
  uint32_t abi_version; /* BITNET_MODEL_ABI_VERSION of the generator */
  int32_t num_inputs;
  int32_t num_outputs;
  const BitNetTensorInfo *inputs;
  const BitNetTensorInfo *outputs;
} BitNetModelInfo;

#define BITNET_MODEL_ABI_VERSION 1u

/* Generated per model, hidden inside the library. */
extern const BitNetModelInfo bitnet_model_info;

/* The longest token sequence the model handles (its position tables end
 * there), or 0 when the compiler did not know. */
extern const int64_t bitnet_model_max_context;

/* Runs the graph once. `inputs` has num_inputs buffers in the order of
 * bitnet_model_info.inputs, each with the declared rank and contiguous
 * row-major data; `outputs` receives num_outputs buffers. Returns 0. */
int bitnet_model_invoke(const BitNetBuffer *inputs, BitNetBuffer *outputs);

#ifdef __cplusplus
}
#endif

#endif /* BITNET_RUNTIME_MODELABI_H */
