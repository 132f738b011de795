//===- ActivationQuant.h - BitNet's per-token int8 activations --*- C++ -*-===//
//
// BitNet b1.58 quantizes each token's activations to int8 by absmax before
// every linear layer. Exporters spell it two ways:
//
//   float form (the paper's reference, transformers' AutoBitLinear):
//     q = clip(round(x * s), -128, 127) / s;   y = q @ W
//   integer form (transformers' packed BitLinear):
//     q = float(int8(clip(round(x * s), -128, 127)));   y = (q @ W) / (s * c)
//
// with s = 127 / clip(max|x|, eps) per token. Both are ternary.bitlinear of
// x; the integer form folds the constant c into the weight scale.
//
//===----------------------------------------------------------------------===//

#ifndef BITNET_LIB_CONVERSION_ONNXTOTERNARY_ACTIVATIONQUANT_H
#define BITNET_LIB_CONVERSION_ONNXTOTERNARY_ACTIVATIONQUANT_H

#include "BitNet/Dialect/ONNX/IR/ONNXOps.h"
#include "ConstantEvaluator.h"

#include <optional>

namespace mlir::bitnet {

struct ActivationQuant {
  /// The unquantized activations.
  Value input;
  double epsilon;
  /// The op whose result the layer computes: the MatMul in the float form,
  /// the rescaling Div in the integer form.
  Operation *output;
  /// What the weight scale is divided by (the integer form's c): one value,
  /// or one per output; empty for the float form.
  std::vector<double> divisor;
};

/// Matches the activation quantization feeding `matmul`, in either form.
std::optional<ActivationQuant>
matchActivationQuant(onnx::MatMulOp matmul, ConstantEvaluator &evaluator);

} // namespace mlir::bitnet

#endif // BITNET_LIB_CONVERSION_ONNXTOTERNARY_ACTIVATIONQUANT_H
