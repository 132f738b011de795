//===- FoldUtils.h - helpers shared by the onnx folders ---------*- C++ -*-===//
//
// The policy of every onnx fold lives here: which constants are small
// enough to compute with, and which result types a fold may produce.
//
//===----------------------------------------------------------------------===//

#ifndef BITNET_LIB_DIALECT_ONNX_IR_FOLDUTILS_H
#define BITNET_LIB_DIALECT_ONNX_IR_FOLDUTILS_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Support/LLVM.h"

namespace mlir::bitnet::onnx::detail {

/// Folds compute shapes and small index arithmetic, not weights: a weight
/// subgraph folded here would leave the weights in the module twice.
/// Splats are cheap at any size and always fold.
constexpr int64_t kMaxFoldElements = 4096;

/// `attr` as a dense constant a fold may read: a splat, or at most
/// kMaxFoldElements elements. Null for anything else, including
/// `dense_resource` blobs.
inline DenseElementsAttr getFoldableConstant(Attribute attr) {
  auto dense = dyn_cast_or_null<DenseElementsAttr>(attr);
  if (!dense || (!dense.isSplat() && dense.getNumElements() > kMaxFoldElements))
    return {};
  return dense;
}

/// The type a fold may build a constant of: the result type itself when it
/// is static. A fold never makes a type more precise than the op declared
/// (which would need a cast), so results of dynamic shape do not fold.
inline RankedTensorType getFoldableResultType(Type type) {
  auto ranked = dyn_cast<RankedTensorType>(type);
  if (!ranked || !ranked.hasStaticShape())
    return {};
  return ranked;
}

/// The element count of a static shape; nullopt when it overflows int64
/// (a well-typed module may declare such types; their constants cannot
/// exist, and ShapedType::getNumElements would overflow on them).
inline std::optional<int64_t> getElementCount(ArrayRef<int64_t> shape) {
  int64_t count = 1;
  for (int64_t dim : shape)
    if (dim < 0 || __builtin_mul_overflow(count, dim, &count))
      return std::nullopt;
  return count;
}

/// Whether a constant of `type` with non-splat contents is small enough.
inline bool isSmall(RankedTensorType type) {
  std::optional<int64_t> count = getElementCount(type.getShape());
  return count && *count <= kMaxFoldElements;
}

/// Whether `type` is an integer type whose values compare and extend as
/// unsigned: `uiN`, and `i1` (ONNX BOOL).
inline bool isUnsignedInteger(Type type) {
  auto integer = dyn_cast<IntegerType>(type);
  return integer && (integer.isUnsigned() || integer.getWidth() == 1);
}

/// The values of an integer constant as int64_t (extended by signedness);
/// nullopt for other constants and ones that are too large.
std::optional<SmallVector<int64_t>> getIntValues(Attribute attr);

/// For each element of `resultShape`, the index of the element of an
/// operand of `operandShape` it reads under numpy broadcasting; failure
/// when the shapes do not broadcast.
FailureOr<SmallVector<int64_t>>
getBroadcastIndices(ArrayRef<int64_t> operandShape,
                    ArrayRef<int64_t> resultShape);

/// An i64 constant of `resultType` holding `values`, if the type is static
/// and holds that many elements; null otherwise.
Attribute getI64Constant(Type resultType, ArrayRef<int64_t> values);

} // namespace mlir::bitnet::onnx::detail

#endif // BITNET_LIB_DIALECT_ONNX_IR_FOLDUTILS_H
