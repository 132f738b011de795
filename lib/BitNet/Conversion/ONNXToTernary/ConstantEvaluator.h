//===- ConstantEvaluator.h - compile-time evaluation of weights -*- C++ -*-===//
//
// Exported BitNet graphs compute their weights: latent weights through the
// absmean quantizer, or packed bytes through shifts and masks. The evaluator
// runs such a subgraph for one consumer, in transient buffers, so only the
// final (ternary) weights become an attribute: intermediate results of a
// multi-gigabyte model never reach the context, which keeps them forever.
//
//===----------------------------------------------------------------------===//

#ifndef BITNET_LIB_CONVERSION_ONNXTOTERNARY_CONSTANTEVALUATOR_H
#define BITNET_LIB_CONVERSION_ONNXTOTERNARY_CONSTANTEVALUATOR_H

#include "mlir/IR/Value.h"
#include "llvm/ADT/DenseMap.h"

#include <memory>
#include <optional>
#include <vector>

namespace mlir::bitnet {

/// A row-major tensor with every element held as a double: exact for the
/// integer types and for f32, whose results are rounded back after each op.
struct EvaluatedTensor {
  SmallVector<int64_t> shape;
  std::vector<double> values;
};

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
