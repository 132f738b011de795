//===- BlockedDot.cpp - register-blocked products of weight rows ----------===//

#include "BlockedDot.h"
#include "LoweringUtils.h"
#include "VectorDot.h"


#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::bitnet;

DotTile mlir::bitnet::chooseDotTile(Operation *op, int64_t k,
                                    int64_t elementBytes) {
  TargetRegisters target = TargetRegisters::of(op);
  DotTile tile;
  tile.lanes = target.vectorBits / 32;
  // A sum, a row's widened chunk and a token's chunk are one register each:
  // 6 tokens by 2 rows on AVX2, by 4 on AVX-512 and NEON.
  static_cast<RegisterTile &>(tile) =
      chooseRegisterTile(target, 1, 1, 1, k * elementBytes);
  return tile;
}

namespace {

/// The tile's sums: acc[i * tokens + j] for row ns[i] and token ts[j].
SmallVector<Value> tileSums(OpBuilder &b, Location loc, Value x, Value w,
                            ArrayRef<Value> ns, ArrayRef<Value> ts,
                            const DotTile &tile, int64_t k) {
  auto vec = VectorType::get({tile.lanes}, b.getF32Type());
  int64_t chunks = k / tile.lanes;
  auto step = [&](OpBuilder &nb, Location nl, Value offset, ValueRange accs,
                  bool inBounds) {
    SmallVector<Value> ws;
    for (Value n : ns)
      ws.push_back(readF32Lanes(nb, nl, w, {n, offset}, tile.lanes, inBounds));
    SmallVector<Value> next(accs);
    for (auto [j, t] : llvm::enumerate(ts)) {
      Value xs = readF32Lanes(nb, nl, x, {t, offset}, tile.lanes, inBounds);
      for (size_t i = 0; i < ns.size(); ++i) {
        size_t a = i * ts.size() + j;
        next[a] = vector::FMAOp::create(nb, nl, ws[i], xs, next[a]);
      }
    }
    return next;
  };
  Value zero = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(vec, b.getF32FloatAttr(0.0f)));
  SmallVector<Value> accs(ns.size() * ts.size(), zero);
  if (chunks)
    accs = scf::ForOp::create(
               b, loc, cIndex(b, loc, 0), cIndex(b, loc, chunks),
               cIndex(b, loc, 1), accs,
               [&](OpBuilder &nb, Location nl, Value c, ValueRange iter) {
                 Value offset =
                     arith::MulIOp::create(nb, nl, c, cIndex(nb, nl, tile.lanes));
                 scf::YieldOp::create(nb, nl, step(nb, nl, offset, iter, true));
               })
               .getResults();
  if (chunks * tile.lanes != k)
    accs = step(b, loc, cIndex(b, loc, chunks * tile.lanes), accs, false);
  SmallVector<Value> sums;
  for (Value acc : accs)
    sums.push_back(vector::ReductionOp::create(
        b, loc, vector::CombiningKind::ADD, acc, arith::FastMathFlags::reassoc));
  return sums;
}

} // namespace

Value mlir::bitnet::buildBlockedRowDots(OpBuilder &b, Location loc, Value x,
                                        Value w, Value scales, Value init,
                                        const DotTile &tile) {
  int64_t k = cast<RankedTensorType>(x.getType()).getDimSize(1);
  return buildTiledProduct(
      b, loc, init, getDimSize(b, loc, x, 0), tile,
      [&](OpBuilder &nb, Location nl, ArrayRef<Value> ns, ArrayRef<Value> ts) {
        SmallVector<Value> sums = tileSums(nb, nl, x, w, ns, ts, tile, k);
        if (scales)
          for (auto [i, n] : llvm::enumerate(ns)) {
            Value s = tensor::ExtractOp::create(nb, nl, scales, ValueRange{n});
            for (size_t j = 0; j < ts.size(); ++j) {
              Value &sum = sums[i * ts.size() + j];
              sum = arith::MulFOp::create(nb, nl, sum, s);
            }
          }
        return sums;
      });
}
