//===- ContractionToLinalg.cpp - MatMul and Softmax to linalg -------------===//
//
// The float contractions left after BitLinear recognition: attention's
// MatMuls, the head, and Softmax. MatMul is one linalg.generic over the
// result dims plus K, with ONNX's batch broadcasting in the maps.
//
//===----------------------------------------------------------------------===//

#include "PopulatePatterns.h"

#include "BitNet/Dialect/ONNX/IR/ONNXOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

#include <limits>

using namespace mlir;
namespace onnx = mlir::bitnet::onnx;

namespace {

constexpr utils::IteratorType kParallel = utils::IteratorType::parallel;
constexpr utils::IteratorType kReduction = utils::IteratorType::reduction;

/// The dynamic sizes of `type` read off `source`, where `sourceDim[i]` says
/// which dim of `source` has result dim i.
SmallVector<Value> dynamicSizes(OpBuilder &b, Location loc,
                                RankedTensorType type,
                                ArrayRef<std::pair<Value, int64_t>> sources) {
  SmallVector<Value> sizes;
  for (int64_t i = 0; i < type.getRank(); ++i)
    if (type.isDynamicDim(i))
      sizes.push_back(tensor::DimOp::create(b, loc, sources[i].first,
                                            sources[i].second));
  return sizes;
}

/// Y[..., m, n] = sum_k A[..., m, k] * B[..., k, n], batch dims broadcast.
struct MatMulToLinalg : OpRewritePattern<onnx::MatMulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(onnx::MatMulOp op,
                                PatternRewriter &rewriter) const override {
    auto aType = dyn_cast<RankedTensorType>(op.getA().getType());
    auto bType = dyn_cast<RankedTensorType>(op.getB().getType());
    auto yType = dyn_cast<RankedTensorType>(op.getType());
    if (!aType || !bType || !yType || aType.getRank() < 2 ||
        bType.getRank() < 2 || !isa<FloatType>(yType.getElementType()) ||
        yType.getRank() != std::max(aType.getRank(), bType.getRank()))
      return rewriter.notifyMatchFailure(op, "needs ranked float matrices");

    MLIRContext *ctx = rewriter.getContext();
    int64_t rank = yType.getRank(), k = rank; // loop dims: result, then k
    auto operandMap = [&](RankedTensorType t, bool isA) {
      SmallVector<AffineExpr> exprs;
      int64_t offset = rank - t.getRank();
      for (int64_t j = 0; j + 2 < t.getRank(); ++j) {
        bool broadcast =
            t.getDimSize(j) == 1 && yType.getDimSize(j + offset) != 1;
        exprs.push_back(broadcast ? getAffineConstantExpr(0, ctx)
                                  : getAffineDimExpr(j + offset, ctx));
      }
      exprs.push_back(getAffineDimExpr(isA ? rank - 2 : k, ctx));
      exprs.push_back(getAffineDimExpr(isA ? k : rank - 1, ctx));
      return AffineMap::get(rank + 1, 0, exprs, ctx);
    };
    SmallVector<AffineExpr> outExprs;
    for (int64_t i = 0; i < rank; ++i)
      outExprs.push_back(getAffineDimExpr(i, ctx));
    SmallVector<AffineMap> maps = {operandMap(aType, true),
                                   operandMap(bType, false),
                                   AffineMap::get(rank + 1, 0, outExprs, ctx)};

    // Result dims: batch from whichever operand has them, M from A, N from B.
    SmallVector<std::pair<Value, int64_t>> sources;
    for (int64_t i = 0; i < rank; ++i) {
      if (i == rank - 2) {
        sources.push_back({op.getA(), aType.getRank() - 2});
      } else if (i == rank - 1) {
        sources.push_back({op.getB(), bType.getRank() - 1});
      } else {
        int64_t ja = i - (rank - aType.getRank());
        bool fromA = ja >= 0 && aType.getDimSize(ja) != 1;
        sources.push_back(fromA ? std::pair(op.getA(), ja)
                                : std::pair(op.getB(),
                                            i - (rank - bType.getRank())));
      }
    }
    Location loc = op.getLoc();
    Type et = yType.getElementType();
    Value zero = arith::ConstantOp::create(rewriter, loc,
                                           rewriter.getFloatAttr(et, 0.0));
    Value init = tensor::EmptyOp::create(
        rewriter, loc, yType.getShape(), et,
        dynamicSizes(rewriter, loc, yType, sources));
    Value acc = linalg::FillOp::create(rewriter, loc, zero, init).getResult(0);
    SmallVector<utils::IteratorType> iterators(rank, kParallel);
    iterators.push_back(kReduction);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, yType, ValueRange{op.getA(), op.getB()},
        ValueRange{acc}, maps, iterators,
        [](OpBuilder &b, Location l, ValueRange args) {
          Value p = arith::MulFOp::create(b, l, args[0], args[1]);
          linalg::YieldOp::create(b, l,
                                  Value(arith::AddFOp::create(b, l, args[2], p)));
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

/// Softmax over the last axis: exp(x - max) / sum(exp(x - max)).
struct SoftmaxToLinalg : OpRewritePattern<onnx::SoftmaxOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(onnx::SoftmaxOp op,
                                PatternRewriter &rewriter) const override {
    auto type = dyn_cast<RankedTensorType>(op.getInput().getType());
    if (!type || type.getRank() < 1 || !isa<FloatType>(type.getElementType()))
      return rewriter.notifyMatchFailure(op, "needs a ranked float input");
    int64_t rank = type.getRank();
    int64_t axis = op.getAxisOrDefault();
    if (axis < 0)
      axis += rank;
    if (axis != rank - 1)
      return rewriter.notifyMatchFailure(op, "only the last axis so far");

    MLIRContext *ctx = rewriter.getContext();
    Location loc = op.getLoc();
    Value x = op.getInput();
    Type et = type.getElementType();
    AffineMap id = AffineMap::getMultiDimIdentityMap(rank, ctx);
    AffineMap rows = id.dropResult(rank - 1);
    SmallVector<int64_t> rowShape(type.getShape().drop_back());
    SmallVector<std::pair<Value, int64_t>> sources;
    for (int64_t i = 0; i < rank; ++i)
      sources.push_back({x, i});
    auto rowType = RankedTensorType::get(rowShape, et);
    SmallVector<Value> rowSizes = dynamicSizes(
        rewriter, loc, rowType, ArrayRef(sources).drop_back());
    SmallVector<utils::IteratorType> reduceIters(rank, kParallel);
    reduceIters.back() = kReduction;
    SmallVector<utils::IteratorType> parallelIters(rank, kParallel);

    auto filled = [&](double v) {
      Value c = arith::ConstantOp::create(rewriter, loc,
                                          rewriter.getFloatAttr(et, v));
      Value e = tensor::EmptyOp::create(rewriter, loc, rowShape, et, rowSizes);
      return linalg::FillOp::create(rewriter, loc, c, e).getResult(0);
    };
    // Reduces the last axis of `input` into one value per row.
    auto reduceRows = [&](Value input, double init, auto combineTag) {
      using CombineOp = decltype(combineTag);
      return linalg::GenericOp::create(
                 rewriter, loc, rowType, ValueRange{input},
                 ValueRange{filled(init)}, ArrayRef<AffineMap>{id, rows},
                 reduceIters,
                 [](OpBuilder &b, Location l, ValueRange a) {
                   linalg::YieldOp::create(
                       b, l, Value(CombineOp::create(b, l, a[0], a[1])));
                 })
          .getResult(0);
    };
    Value max = reduceRows(x, -std::numeric_limits<double>::infinity(),
                           arith::MaximumFOp());
    Value empty = tensor::EmptyOp::create(
        rewriter, loc, type.getShape(), et,
        dynamicSizes(rewriter, loc, type, sources));
    Value exps =
        linalg::GenericOp::create(
            rewriter, loc, type, ValueRange{x, max}, ValueRange{empty},
            ArrayRef<AffineMap>{id, rows, id}, parallelIters,
            [](OpBuilder &b, Location l, ValueRange a) {
              Value d = arith::SubFOp::create(b, l, a[0], a[1]);
              linalg::YieldOp::create(b, l, Value(math::ExpOp::create(b, l, d)));
            })
            .getResult(0);
    Value sum = reduceRows(exps, 0.0, arith::AddFOp());
    auto result = linalg::GenericOp::create(
        rewriter, loc, type, ValueRange{exps, sum}, ValueRange{empty},
        ArrayRef<AffineMap>{id, rows, id}, parallelIters,
        [](OpBuilder &b, Location l, ValueRange a) {
          linalg::YieldOp::create(
              b, l, Value(arith::DivFOp::create(b, l, a[0], a[1])));
        });
    rewriter.replaceOp(op, result.getResults());
    return success();
  }
};

} // namespace

void mlir::bitnet::populateContractionToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<MatMulToLinalg, SoftmaxToLinalg>(patterns.getContext());
}
