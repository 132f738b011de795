//===- RegisterTiles.cpp - products of weight rows by token tiles ---------===//

#include "BitNet/Conversion/RegisterTiles.h"
#include "BitNet/Target/TargetInfo.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"

using namespace mlir;
using namespace mlir::bitnet;

namespace {
Value index(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

/// first + i for i < count, each clamped to `last` when given.
SmallVector<Value> tileIndices(OpBuilder &b, Location loc, Value first,
                               int64_t count, Value last) {
  SmallVector<Value> out;
  for (int64_t i = 0; i < count; ++i) {
    Value v = arith::AddIOp::create(b, loc, first, index(b, loc, i));
    out.push_back(last ? Value(arith::MinUIOp::create(b, loc, v, last)) : v);
  }
  return out;
}
} // namespace

TargetRegisters TargetRegisters::of(Operation *op) {
  TargetRegisters regs;
  auto module = dyn_cast<ModuleOp>(op);
  if (!module)
    module = op->getParentOfType<ModuleOp>();
  if (!module || !module->hasAttr(kTargetAttrName))
    return regs;
  FailureOr<TargetInfo> target = TargetInfo::get(module);
  if (failed(target))
    return regs;
  // A target without SIMD still gets the blocking: LLVM scalarizes the
  // vectors, and the tile's reuse of each weight remains.
  regs.vectorBits = std::max<int64_t>(target->vectorBits, 128);
  if (target->vectorRegisters)
    regs.registers = target->vectorRegisters;
  if (target->l2Bytes)
    regs.l2Bytes = target->l2Bytes;
  return regs;
}

RegisterTile mlir::bitnet::chooseRegisterTile(const TargetRegisters &target,
                                              int64_t accRegisters,
                                              int64_t rowRegisters,
                                              int64_t tokenRegisters,
                                              int64_t rowBytes,
                                              int64_t maxTokens) {
  int64_t free = target.registers - tokenRegisters - 1;
  RegisterTile tile;
  tile.tokens = std::clamp<int64_t>((free - rowRegisters) /
                                        std::max<int64_t>(accRegisters, 1),
                                    1, maxTokens);
  tile.rows = std::max<int64_t>(
      1, free / (tile.tokens * accRegisters + rowRegisters));
  int64_t panel =
      (target.l2Bytes / 2) / std::max<int64_t>(rowBytes, 1) / tile.rows;
  tile.panelRows = std::max<int64_t>(panel, 1) * tile.rows;
  return tile;
}

Value mlir::bitnet::buildTiledProduct(OpBuilder &b, Location loc, Value init,
                                      Value tokens, const RegisterTile &tile,
                                      TileSumsBuilder sums) {
  auto outType = cast<RankedTensorType>(init.getType());
  int64_t n = outType.getDimSize(1);
  assert(!ShapedType::isDynamic(n) && "weight rows are static");
  if (n == 0)
    return init;
  // Panels of equal size: a row tile past the last row would still sum a
  // whole (clamped) tile only for the write to mask it off.
  int64_t rowTiles = (n + tile.rows - 1) / tile.rows;
  int64_t maxTilesPerPanel = std::max<int64_t>(1, tile.panelRows / tile.rows);
  int64_t panels = (rowTiles + maxTilesPerPanel - 1) / maxTilesPerPanel;
  int64_t tilesPerPanel = (rowTiles + panels - 1) / panels;
  Value tokenTiles =
      arith::CeilDivUIOp::create(b, loc, tokens, index(b, loc, tile.tokens));
  SmallVector<OpFoldResult> upper = {b.getIndexAttr(panels), tokenTiles,
                                     b.getIndexAttr(tilesPerPanel)};
  // Row tiles vary fastest: a token tile's activations stay in L1 while it
  // meets every row of the panel, and the panel stays in L2 while every
  // token tile meets it.
  auto forall = scf::ForallOp::create(
      b, loc, upper, ValueRange{init}, std::nullopt,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value p = args[0], tt = args[1], r = args[2], out = args[3];
        Value rowTile = arith::AddIOp::create(
            nb, nl,
            arith::MulIOp::create(nb, nl, p, index(nb, nl, tilesPerPanel)), r);
        // At most panels - 1 row tiles lie past the last row: they write
        // nothing, and their offset stays in range.
        Value first =
            arith::MulIOp::create(nb, nl, rowTile, index(nb, nl, tile.rows));
        Value n0 = arith::MinUIOp::create(nb, nl, first, index(nb, nl, n));
        Value t0 = arith::MulIOp::create(nb, nl, tt, index(nb, nl, tile.tokens));
        Value validRows = arith::MinUIOp::create(
            nb, nl, index(nb, nl, tile.rows),
            arith::SubIOp::create(nb, nl, index(nb, nl, n), n0));
        Value validTokens = arith::MinUIOp::create(
            nb, nl, index(nb, nl, tile.tokens),
            arith::SubIOp::create(nb, nl, tokens, t0));
        // In an edge tile, rows and tokens past the edge are clamped to the
        // last one: their sums repeat it, and are written over it or masked
        // off. Whole tiles skip the clamps, which LLVM would otherwise
        // recompute in the loop once the accumulators take the registers.
        Value lastRow = index(nb, nl, n - 1);
        Value lastToken = arith::SubIOp::create(nb, nl, tokens, index(nb, nl, 1));
        // A whole tile's rows start at `first` itself: LLVM re-materializes
        // the min of n0 inside the loop when registers run short.
        auto sumsFor = [&](OpBuilder &ib, Location il, bool clamp) {
          return sums(ib, il,
                      tileIndices(ib, il, clamp ? n0 : first, tile.rows,
                                  clamp ? lastRow : Value()),
                      tileIndices(ib, il, t0, tile.tokens,
                                  clamp ? lastToken : Value()));
        };
        Value whole = arith::AndIOp::create(
            nb, nl,
            arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::eq, validRows,
                                  index(nb, nl, tile.rows)),
            arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::eq,
                                  validTokens, index(nb, nl, tile.tokens)));
        auto split = scf::IfOp::create(
            nb, nl, whole,
            [&](OpBuilder &ib, Location il) {
              scf::YieldOp::create(ib, il, sumsFor(ib, il, false));
            },
            [&](OpBuilder &ib, Location il) {
              scf::YieldOp::create(ib, il, sumsFor(ib, il, true));
            });

        SmallVector<OpFoldResult> offsets = {t0, n0};
        SmallVector<OpFoldResult> sizes = {validTokens, validRows};
        SmallVector<OpFoldResult> strides(2, nb.getIndexAttr(1));
        Value slice = tensor::ExtractSliceOp::create(nb, nl, out, offsets,
                                                     sizes, strides);
        auto rowVector =
            VectorType::get({tile.rows}, outType.getElementType());
        Value lastValid =
            arith::SubIOp::create(nb, nl, validTokens, index(nb, nl, 1));
        for (int64_t j = 0; j < tile.tokens; ++j) {
          SmallVector<Value> row;
          for (int64_t i = 0; i < tile.rows; ++i)
            row.push_back(split.getResult(i * tile.tokens + j));
          Value v = vector::FromElementsOp::create(nb, nl, rowVector, row);
          // A clamped token repeats the last valid one: written over it.
          // Rows past the edge are masked off by the write.
          Value at = j == 0 ? index(nb, nl, 0)
                            : Value(arith::MinUIOp::create(
                                  nb, nl, index(nb, nl, j), lastValid));
          slice = vector::TransferWriteOp::create(
                      nb, nl, v, slice, ValueRange{at, index(nb, nl, 0)},
                      ArrayRef<bool>{false})
                      .getResult();
        }
        auto inParallel = scf::InParallelOp::create(nb, nl);
        OpBuilder::InsertionGuard guard(nb);
        nb.setInsertionPointToStart(inParallel.getBody());
        tensor::ParallelInsertSliceOp::create(nb, nl, slice, out, offsets,
                                              sizes, strides);
      });
  return forall.getResult(0);
}

Value mlir::bitnet::selectByTokenCount(
    OpBuilder &b, Location loc, Value x, int64_t threshold,
    function_ref<Value(OpBuilder &, Location)> few,
    function_ref<Value(OpBuilder &, Location)> many) {
  int64_t tokens = cast<RankedTensorType>(x.getType()).getDimSize(0);
  if (!ShapedType::isDynamic(tokens))
    return tokens < threshold ? few(b, loc) : many(b, loc);
  Value enough = arith::CmpIOp::create(
      b, loc, arith::CmpIPredicate::uge, tensor::DimOp::create(b, loc, x, 0),
      index(b, loc, threshold));
  return scf::IfOp::create(
             b, loc, enough,
             [&](OpBuilder &nb, Location nl) {
               scf::YieldOp::create(nb, nl, many(nb, nl));
             },
             [&](OpBuilder &nb, Location nl) {
               scf::YieldOp::create(nb, nl, few(nb, nl));
             })
      .getResult(0);
}
