//===- ONNXToLinalg.h - onnx ops on upstream dialects -----------*- C++ -*-===//

#ifndef BITNET_CONVERSION_ONNXTOLINALG_ONNXTOLINALG_H
#define BITNET_CONVERSION_ONNXTOLINALG_ONNXTOLINALG_H

#include "mlir/Pass/Pass.h"

namespace mlir::bitnet {

#define GEN_PASS_DECL_CONVERTONNXTOLINALGPASS
#include "BitNet/Conversion/Passes.h.inc"

} // namespace mlir::bitnet

#endif // BITNET_CONVERSION_ONNXTOLINALG_ONNXTOLINALG_H
