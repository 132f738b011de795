//===- ONNXToTernary.h - BitNet layers out of ONNX graphs -------*- C++ -*-===//

#ifndef BITNET_CONVERSION_ONNXTOTERNARY_ONNXTOTERNARY_H
#define BITNET_CONVERSION_ONNXTOTERNARY_ONNXTOTERNARY_H

#include "BitNet/Dialect/Ternary/IR/TernaryDialect.h"
#include "mlir/Pass/Pass.h"

namespace mlir::bitnet {

#define GEN_PASS_DECL_ONNXELIMINATESTEPASS
#define GEN_PASS_DECL_CONVERTONNXTOTERNARYPASS
#include "BitNet/Conversion/Passes.h.inc"

} // namespace mlir::bitnet

#endif // BITNET_CONVERSION_ONNXTOTERNARY_ONNXTOTERNARY_H
