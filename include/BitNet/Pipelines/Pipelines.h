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

/// Imported onnx IR to ternary ops plus linalg/tensor/arith on tensors:
/// STE elimination, weight folding and BitLinear recognition, shape
/// inference (with the batch dim bound to `batchSize` unless 0), the
/// lowering of the remaining float ops, and the export of the model entry
/// (its C interface and recorded signature).
void buildONNXToTensorPipeline(OpPassManager &pm, int64_t batchSize);

/// Ternary and tensor-level IR down to the LLVM dialect for a CPU: lower
/// ternary ops to linalg, bufferize, lower to loops, then to LLVM. Targets
/// (x86-64, AArch64) differ only in what the LLVM back end does afterwards.
void buildCPUPipeline(OpPassManager &pm);

/// Registers `--bitnet-onnx-to-tensor`, `--bitnet-cpu-pipeline` and
/// `--bitnet-compile-cpu` (the two in sequence).
void registerBitNetPipelines();

} // namespace mlir::bitnet

#endif // BITNET_PIPELINES_PIPELINES_H
