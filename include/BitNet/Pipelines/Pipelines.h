//===- Pipelines.h - bitnet-mlir pass pipelines -----------------*- C++ -*-===//
//
// Named pipelines, registered in bitnet-opt so that each step a driver runs
// can also be run, and inspected, on its own.
//
//===----------------------------------------------------------------------===//

#ifndef BITNET_PIPELINES_PIPELINES_H
#define BITNET_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"

namespace mlir::bitnet {

class TargetBackend;
struct CodegenOptions;

/// Imported onnx IR to ternary ops plus linalg/tensor/arith on tensors:
/// STE elimination, weight folding and BitLinear recognition, shape
/// inference (with the batch dim bound to `batchSize` unless 0), the
/// lowering of the remaining float ops, and the export of the model entry
/// (its C interface and recorded signature).
void buildONNXToTensorPipeline(OpPassManager &pm, int64_t batchSize);

/// The whole compiler for a module whose target `backend` compiles: the
/// shared pipeline, then the back end's codegen pipeline.
void buildCompilePipeline(OpPassManager &pm, const TargetBackend &backend,
                          int64_t batchSize, const CodegenOptions &options);

/// Registers `--bitnet-onnx-to-tensor`, `--bitnet-cpu-pipeline` (the
/// llvm-cpu back end's codegen pipeline) and `--bitnet-compile-cpu` (the
/// host target, then the two in sequence).
void registerBitNetPipelines();

} // namespace mlir::bitnet

#endif // BITNET_PIPELINES_PIPELINES_H
