//===- Passes.h - onnx dialect transformations ------------------*- C++ -*-===//

#ifndef BITNET_DIALECT_ONNX_TRANSFORMS_PASSES_H
#define BITNET_DIALECT_ONNX_TRANSFORMS_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/Pass.h"

namespace mlir::bitnet::onnx {

#define GEN_PASS_DECL
#include "BitNet/Dialect/ONNX/Transforms/Passes.h.inc"

/// x + (f(x) - x) -> f(x), for drivers that run it with other patterns.
void populateEliminateSTEPatterns(RewritePatternSet &patterns);

#define GEN_PASS_REGISTRATION
#include "BitNet/Dialect/ONNX/Transforms/Passes.h.inc"

} // namespace mlir::bitnet::onnx

#endif // BITNET_DIALECT_ONNX_TRANSFORMS_PASSES_H
