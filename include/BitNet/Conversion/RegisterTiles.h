//===- RegisterTiles.h - products of weight rows by token tiles -*- C++ -*-===//
//
// Prefill multiplies many tokens by the same weight rows. A kernel that
// computes one (row, token) sum at a time reloads and re-decodes each weight
// for every token; a tile of rows x tokens whose sums stay in registers
// decodes each weight once for all the tile's tokens. The float head and
// the ternary products share the tiling here and differ only in what a
// tile sums.
//
//===----------------------------------------------------------------------===//

#ifndef BITNET_CONVERSION_REGISTERTILES_H
#define BITNET_CONVERSION_REGISTERTILES_H

#include "mlir/IR/Builders.h"

namespace mlir::bitnet {

/// What the tiling needs to know of the target: from the `bitnet.target`
/// of the module around an op, or AVX2's figures without one.
struct TargetRegisters {
  int64_t vectorBits = 256, registers = 16, l2Bytes = 512 << 10;
  static TargetRegisters of(Operation *op);
};

/// Rows x tokens of one tile, and the rows of a panel: the rows a token
/// tile meets while they stay in L2.
struct RegisterTile {
  int64_t rows = 1, tokens = 1, panelRows = 1;
};

/// The tile for sums that take `accRegisters` vector registers each, rows
/// whose decoded chunk takes `rowRegisters` and tokens whose chunk takes
/// `tokenRegisters`: up to `maxTokens` tokens, then as many rows as the
/// registers leave (one spare). Rows of `rowBytes` fill half of L2 per
/// panel. Beyond six tokens a decoded weight is reused enough; more would
/// only raise the token count below which decode's per-token kernel runs.
constexpr int64_t kPrefillTileTokens = 6;
RegisterTile chooseRegisterTile(const TargetRegisters &target,
                                int64_t accRegisters, int64_t rowRegisters,
                                int64_t tokenRegisters, int64_t rowBytes,
                                int64_t maxTokens = kPrefillTileTokens);

/// The sums of one tile, sums[i * tile.tokens + j] for row rows[i] and token
/// tokens[j], built at the builder's insertion point.
using TileSumsBuilder = function_ref<SmallVector<Value>(
    OpBuilder &, Location, ArrayRef<Value> rows, ArrayRef<Value> tokens)>;

/// out[t, n] = the sum for (n, t) over `init` ([T, N], T = `tokens`, N
/// static), as an scf.forall over (panel, token tile, row tile), which
/// bitnet-parallelize-kernels runs on threads.
/// Edge tiles sum clamped rows and tokens and write only what is in range,
/// so any T >= 1 and N are correct; whole tiles index without clamps.
Value buildTiledProduct(OpBuilder &b, Location loc, Value init, Value tokens,
                        const RegisterTile &tile, TileSumsBuilder sums);

/// `many` when the token count (dim 0 of `x`) is at least `threshold`, else
/// `few`: decided at compile time for a static count, by an scf.if for a
/// dynamic one (one library serves decode and prefill).
Value selectByTokenCount(OpBuilder &b, Location loc, Value x,
                         int64_t threshold,
                         function_ref<Value(OpBuilder &, Location)> few,
                         function_ref<Value(OpBuilder &, Location)> many);

} // namespace mlir::bitnet

#endif // BITNET_CONVERSION_REGISTERTILES_H
