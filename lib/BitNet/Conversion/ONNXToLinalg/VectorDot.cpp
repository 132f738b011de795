//===- VectorDot.cpp - dot products along a tensor's last dim -------------===//

#include "VectorDot.h"
#include "LoweringUtils.h"

#include "BitNet/Conversion/StreamPrefetch.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::bitnet;

Value mlir::bitnet::readF32Lanes(OpBuilder &b, Location loc, Value t,
                                 ValueRange at, int64_t width, bool inBounds) {
  Type storage = cast<ShapedType>(t.getType()).getElementType();
  Value pad = arith::ConstantOp::create(b, loc, b.getZeroAttr(storage));
  Value lanes = vector::TransferReadOp::create(
      b, loc, VectorType::get({width}, storage), t, at, pad,
      ArrayRef<bool>{inBounds});
  auto f32 = VectorType::get({width}, b.getF32Type());
  if (storage.isF32())
    return lanes;
  if (storage.isInteger(8))
    return arith::SIToFPOp::create(b, loc, f32, lanes);
  return arith::ExtFOp::create(b, loc, f32, lanes);
}

Value mlir::bitnet::buildLaneDot(OpBuilder &b, Location loc, Value x,
                                 ValueRange xAt, Value w, ValueRange wAt,
                                 int64_t k, Value wStream) {
  int64_t elementBytes =
      std::max<unsigned>(1, cast<ShapedType>(w.getType()).getElementTypeBitWidth() / 8);
  auto vec = VectorType::get({kDotLanes}, b.getF32Type());
  int64_t chunks = k / kDotLanes;
  auto fma = [&](OpBuilder &nb, Location nl, Value offset, Value acc,
                 bool inBounds) -> Value {
    auto at = [&](ValueRange prefix) {
      SmallVector<Value> indices(prefix);
      indices.push_back(offset);
      return indices;
    };
    Value xs = readF32Lanes(nb, nl, x, at(xAt), kDotLanes, inBounds);
    Value ws = readF32Lanes(nb, nl, w, at(wAt), kDotLanes, inBounds);
    return vector::FMAOp::create(nb, nl, xs, ws, acc);
  };
  Value acc = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(vec, b.getF32FloatAttr(0.0f)));
  if (chunks)
    acc = scf::ForOp::create(
              b, loc, cIndex(b, loc, 0), cIndex(b, loc, chunks),
              cIndex(b, loc, 1), ValueRange{acc},
              [&](OpBuilder &nb, Location nl, Value c, ValueRange iter) {
                Value offset = arith::MulIOp::create(
                    nb, nl, c, cIndex(nb, nl, kDotLanes));
                if (wStream) {
                  Value row = arith::MulIOp::create(nb, nl, wAt[0],
                                                    cIndex(nb, nl, k));
                  prefetchStream(nb, nl, wStream,
                                 arith::AddIOp::create(nb, nl, row, offset),
                                 kDotLanes * elementBytes);
                }
                scf::YieldOp::create(nb, nl,
                                     fma(nb, nl, offset, iter[0], true));
              })
              .getResult(0);
  if (chunks * kDotLanes != k)
    acc = fma(b, loc, cIndex(b, loc, chunks * kDotLanes), acc, false);
  return vector::ReductionOp::create(b, loc, vector::CombiningKind::ADD, acc,
                                     arith::FastMathFlags::reassoc);
}
