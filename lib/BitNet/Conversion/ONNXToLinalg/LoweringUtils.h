//===- LoweringUtils.h - shared helpers of onnx-to-linalg -------*- C++ -*-===//
//
// Sizes as index values, read off tensors or out of small i64 shape tensors,
// so that every pattern handles dynamic dims the same way.
//
//===----------------------------------------------------------------------===//

#ifndef BITNET_LIB_CONVERSION_ONNXTOLINALG_LOWERINGUTILS_H
#define BITNET_LIB_CONVERSION_ONNXTOLINALG_LOWERINGUTILS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

namespace mlir::bitnet {

/// An index constant.
Value cIndex(OpBuilder &b, Location loc, int64_t v);

/// Size `dim` of the ranked tensor `v`: a constant when static.
Value getDimSize(OpBuilder &b, Location loc, Value v, int64_t dim);

/// All sizes of the ranked tensor `v`.
SmallVector<Value> getDimSizes(OpBuilder &b, Location loc, Value v);

/// Element `i` of the 1-D (or 0-D) integer tensor `t` as an index: a
/// constant when `t` is constant, an extract otherwise.
Value extractIndex(OpBuilder &b, Location loc, Value t, int64_t i);

/// The constant integer elements of `t`, if it is a constant.
std::optional<SmallVector<int64_t>> getConstantInts(Value t);

/// A gathered integer index as an index into a dim of `size`: ONNX counts
/// negative indices from the end.
Value gatherIndex(OpBuilder &b, Location loc, Value index, Value size);

/// The dynamic sizes among `sizes` for a tensor of `type` (tensor.empty's
/// operands).
SmallVector<Value> dynamicSizesOf(RankedTensorType type, ArrayRef<Value> sizes);

/// `source` with the same elements in row-major order as a tensor of
/// `type`, whose sizes are `sizes`.
Value reshapeTo(OpBuilder &b, Location loc, Value source,
                RankedTensorType type, ArrayRef<Value> sizes);

} // namespace mlir::bitnet

#endif // BITNET_LIB_CONVERSION_ONNXTOLINALG_LOWERINGUTILS_H
