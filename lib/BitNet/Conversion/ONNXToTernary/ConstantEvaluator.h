//===- ConstantEvaluator.h - compile-time evaluation of weights -*- C++ -*-===//
//
// Exported BitNet graphs compute their weights: latent weights through the
// absmean quantizer, or packed bytes through shifts and masks. The evaluator
// runs such a subgraph for one consumer, in transient buffers, so only the
// final (ternary) weights become an attribute: intermediate results of a
// multi-gigabyte model never reach the context, which keeps them forever.
//
// Exporters spell the unpacking in many ways (BitShift or Div, BitwiseAnd or
// Mod, ScatterND slice assignment, GatherND, Where over comparisons, Casts
// through every width); the evaluator covers the ONNX ops that occur on
// initializer-only paths, so that what counts as a ternary weight does not
// depend on how the exporter chose to compute it. docs/ONNXOps.md lists them.
//
//===----------------------------------------------------------------------===//

#ifndef BITNET_LIB_CONVERSION_ONNXTOTERNARY_CONSTANTEVALUATOR_H
#define BITNET_LIB_CONVERSION_ONNXTOTERNARY_CONSTANTEVALUATOR_H

#include "EvaluatorKernels.h"

#include "mlir/IR/Value.h"
#include "llvm/ADT/DenseMap.h"

#include <memory>
#include <optional>

namespace mlir::bitnet {

class ConstantEvaluator {
public:
  /// The value of `value` if it depends only on constants through ops the
  /// evaluator knows; nullopt otherwise.
  std::optional<EvaluatedTensor> evaluate(Value value);

private:
  const EvaluatedTensor *eval(Value value, unsigned depth = 0);
  /// Entries are boxed: pointers to them stay valid while the map grows.
  llvm::DenseMap<Value, std::unique_ptr<EvaluatedTensor>> cache;
};

} // namespace mlir::bitnet

#endif // BITNET_LIB_CONVERSION_ONNXTOTERNARY_CONSTANTEVALUATOR_H
