//===- VectorDot.h - dot products along a tensor's last dim -----*- C++ -*-===//
//
// The inner loop every vectorized float product shares (the head's rows,
// attention's scores): FMAs over wide chunks of the last dimension, the
// last partial chunk read with a mask, so no shape needs a scalar tail.
//
//===----------------------------------------------------------------------===//

#ifndef BITNET_LIB_CONVERSION_ONNXTOLINALG_VECTORDOT_H
#define BITNET_LIB_CONVERSION_ONNXTOLINALG_VECTORDOT_H

#include "mlir/IR/Builders.h"

namespace mlir::bitnet {

/// Lanes per chunk: four AVX-512 registers (eight AVX2 or NEON ones), as
/// many independent FMA chains, so a sum is not bound by FMA latency.
constexpr int64_t kDotLanes = 64;

/// `width` elements of `t` from `at` (the last index the first of them) as
/// f32 lanes: f16/bf16 widened, i8 converted; past the end of the last
/// dim (`inBounds` false) the lanes are zero.
Value readF32Lanes(OpBuilder &b, Location loc, Value t, ValueRange at,
                   int64_t width, bool inBounds);

/// sum over i < k of x[xAt..., i] * w[wAt..., i] as f32, where k is the
/// size of both last dims. The lanes are summed as a tree: the order of a
/// dot product's terms is not its point, and an ordered sum would
/// serialize one addition per lane. With `wStream` (flatRowsBuffer of a
/// [N, K] `w`, wAt = {row}), the loop prefetches the rows ahead.
Value buildLaneDot(OpBuilder &b, Location loc, Value x, ValueRange xAt,
                   Value w, ValueRange wAt, int64_t k, Value wStream = {});

} // namespace mlir::bitnet

#endif // BITNET_LIB_CONVERSION_ONNXTOLINALG_VECTORDOT_H
