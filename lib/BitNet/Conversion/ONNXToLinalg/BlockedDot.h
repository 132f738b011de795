//===- BlockedDot.h - register-blocked products of weight rows -*- C++ -*-===//
//
// Prefill multiplies many tokens by the same weight rows. A per-(row,
// token) dot reloads and re-widens each weight for every token, and its one
// accumulator chain per sum leaves the FMA units idle; a tile of rows x
// tokens in registers converts each weight once and reuses it across the
// tile's tokens.
//
//===----------------------------------------------------------------------===//

#ifndef BITNET_CONVERSION_ONNXTOLINALG_BLOCKEDDOT_H
#define BITNET_CONVERSION_ONNXTOLINALG_BLOCKEDDOT_H

#include "BitNet/Conversion/RegisterTiles.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"

namespace mlir::bitnet {

/// The register tile of the head's product, and the f32 lanes of a
/// register.
struct DotTile : RegisterTile {
  int64_t lanes = 8;
};

/// The tile for products of K-wide rows of `elementBytes` bytes, from the
/// `bitnet.target` of the module around `op` (AVX2's 8 lanes and 16
/// registers without one).
DotTile chooseDotTile(Operation *op, int64_t k, int64_t elementBytes);

/// y[t, n] = sum over k of x[t, k] * w[n, k] (times scales[n] if given), for
/// x [T, K] f32 and w [N, K] of f32, f16, bf16 or i8, into `init` [T, N],
/// tiled by buildTiledProduct; it pays off for T >= tile.tokens.
Value buildBlockedRowDots(OpBuilder &b, Location loc, Value x, Value w,
                          Value scales, Value init, const DotTile &tile);

} // namespace mlir::bitnet

#endif // BITNET_CONVERSION_ONNXTOLINALG_BLOCKEDDOT_H
