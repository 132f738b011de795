//===- ReductionToLinalg.cpp - Reduce* ops to linalg ----------------------===//
//
// ReduceSum/Mean/Max/Min/Prod over constant axes: one linalg.generic into
// the kept dims (ReduceMean divides by the count afterwards), then a reshape
// that puts back the size-1 dims when keepdims is set. RMSNorm's mean of
// squares is the case that matters.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "PopulatePatterns.h"

#include "BitNet/Dialect/ONNX/IR/ONNXOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

#include <limits>

using namespace mlir;
using namespace mlir::bitnet;
namespace onnx = mlir::bitnet::onnx;

namespace {

enum class Combine { Sum, Max, Min, Prod };

template <typename OpTy, Combine kind, bool mean = false>
struct ReduceToLinalg : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    auto dataType = dyn_cast<RankedTensorType>(op.getData().getType());
    auto type = dyn_cast<RankedTensorType>(op.getType());
    if (!dataType || !type || !isa<FloatType>(type.getElementType()))
      return rewriter.notifyMatchFailure(op, "needs ranked float types");
    int64_t rank = dataType.getRank();
    SmallVector<bool> reduced(rank, true);
    // No axes (absent or empty) with noop_with_empty_axes: the identity.
    std::optional<SmallVector<int64_t>> axes =
        op.getAxes() ? getConstantInts(op.getAxes())
                     : std::optional<SmallVector<int64_t>>(SmallVector<int64_t>());
    if (!axes)
      return rewriter.notifyMatchFailure(op, "axes must be constant");
    if (axes->empty() && op.getNoopWithEmptyAxesOrDefault()) {
      if (op.getData().getType() != op.getType())
        return rewriter.notifyMatchFailure(op, "no-op reduction changes type");
      rewriter.replaceOp(op, op.getData());
      return success();
    }
    if (!axes->empty()) {
      reduced.assign(rank, false);
      for (int64_t a : *axes) {
        if (a < 0)
          a += rank;
        if (a < 0 || a >= rank)
          return rewriter.notifyMatchFailure(op, "axis out of range");
        reduced[a] = true;
      }
    }
    int64_t keptRank = llvm::count(reduced, false);
    if (type.getRank() != (op.getKeepdimsOrDefault() ? rank : keptRank))
      return rewriter.notifyMatchFailure(op, "result rank disagrees with keepdims");
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Type et = type.getElementType();
    SmallVector<int64_t> keptShape;
    SmallVector<Value> keptSizes, allSizes = getDimSizes(rewriter, loc,
                                                         op.getData());
    SmallVector<AffineExpr> keptExprs;
    SmallVector<utils::IteratorType> iterators;
    Value count = arith::ConstantIndexOp::create(rewriter, loc, 1);
    for (int64_t i = 0; i < rank; ++i) {
      if (reduced[i]) {
        iterators.push_back(utils::IteratorType::reduction);
        count = arith::MulIOp::create(rewriter, loc, count, allSizes[i]);
        continue;
      }
      iterators.push_back(utils::IteratorType::parallel);
      keptShape.push_back(dataType.getDimSize(i));
      keptSizes.push_back(allSizes[i]);
      keptExprs.push_back(getAffineDimExpr(i, ctx));
    }
    auto keptType = RankedTensorType::get(keptShape, et);
    double initValue = kind == Combine::Sum    ? 0.0
                       : kind == Combine::Prod ? 1.0
                       : kind == Combine::Max
                           ? -std::numeric_limits<double>::infinity()
                           : std::numeric_limits<double>::infinity();
    Value init = arith::ConstantOp::create(rewriter, loc,
                                           rewriter.getFloatAttr(et, initValue));
    Value empty = tensor::EmptyOp::create(rewriter, loc, keptShape, et,
                                          dynamicSizesOf(keptType, keptSizes));
    Value acc = linalg::FillOp::create(rewriter, loc, init, empty).getResult(0);
    SmallVector<AffineMap> maps = {AffineMap::getMultiDimIdentityMap(rank, ctx),
                                   AffineMap::get(rank, 0, keptExprs, ctx)};
    Value result =
        linalg::GenericOp::create(
            rewriter, loc, keptType, ValueRange{op.getData()},
            ValueRange{acc}, maps, iterators,
            [](OpBuilder &b, Location l, ValueRange a) {
              Value v;
              switch (kind) {
              case Combine::Sum:
                v = arith::AddFOp::create(b, l, a[1], a[0]);
                break;
              case Combine::Prod:
                v = arith::MulFOp::create(b, l, a[1], a[0]);
                break;
              case Combine::Max:
                v = arith::MaximumFOp::create(b, l, a[1], a[0]);
                break;
              case Combine::Min:
                v = arith::MinimumFOp::create(b, l, a[1], a[0]);
                break;
              }
              linalg::YieldOp::create(b, l, v);
            })
            .getResult(0);
    if (mean) {
      Value n = arith::UIToFPOp::create(
          rewriter, loc, et,
          arith::IndexCastUIOp::create(rewriter, loc, rewriter.getI64Type(),
                                       count));
      AffineMap id = AffineMap::getMultiDimIdentityMap(keptType.getRank(), ctx);
      result = linalg::GenericOp::create(
                   rewriter, loc, keptType, ValueRange{result},
                   ValueRange{result}, ArrayRef<AffineMap>{id, id},
                   SmallVector<utils::IteratorType>(
                       keptType.getRank(), utils::IteratorType::parallel),
                   [&](OpBuilder &b, Location l, ValueRange a) {
                     linalg::YieldOp::create(
                         b, l, Value(arith::DivFOp::create(b, l, a[0], n)));
                   })
                   .getResult(0);
    }
    if (op.getKeepdimsOrDefault()) {
      SmallVector<Value> sizes;
      for (int64_t i = 0, j = 0; i < rank; ++i)
        sizes.push_back(reduced[i]
                            ? Value(arith::ConstantIndexOp::create(rewriter,
                                                                   loc, 1))
                            : keptSizes[j++]);
      result = reshapeTo(rewriter, loc, result, type, sizes);
    } else if (keptType != type) {
      result = tensor::CastOp::create(rewriter, loc, type, result);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// CumSum along a constant axis, as a reduction over a second index j of
/// that axis: out[..k..] = sum of x[..j..] over j <= k (j < k when
/// exclusive; j >= k, j > k when reversed). Quadratic in the axis length,
/// which is a sequence length where exporters use it (position ids).
struct CumSumToLinalg : OpRewritePattern<onnx::CumSumOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(onnx::CumSumOp op,
                                PatternRewriter &rewriter) const override {
    auto xType = dyn_cast<RankedTensorType>(op.getX().getType());
    auto type = dyn_cast<RankedTensorType>(op.getType());
    std::optional<SmallVector<int64_t>> axisValue =
        getConstantInts(op.getAxis());
    if (!xType || !type || xType.getRank() == 0 || !axisValue ||
        axisValue->size() != 1 || xType.getElementType().isUnsignedInteger())
      return rewriter.notifyMatchFailure(op, "needs a ranked input and a "
                                             "constant axis");
    int64_t rank = xType.getRank();
    int64_t axis = (*axisValue)[0] < 0 ? (*axisValue)[0] + rank : (*axisValue)[0];
    if (axis < 0 || axis >= rank)
      return rewriter.notifyMatchFailure(op, "axis out of range");
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Type et = type.getElementType();
    SmallVector<Value> sizes = getDimSizes(rewriter, loc, op.getX());
    Value empty = tensor::EmptyOp::create(rewriter, loc, type.getShape(), et,
                                          dynamicSizesOf(type, sizes));
    Value zero = arith::ConstantOp::create(rewriter, loc,
                                           rewriter.getZeroAttr(et));
    Value init =
        linalg::FillOp::create(rewriter, loc, zero, empty).getResult(0);
    SmallVector<AffineExpr> inputExprs;
    for (int64_t d = 0; d < rank; ++d)
      inputExprs.push_back(getAffineDimExpr(d == axis ? rank : d, ctx));
    SmallVector<AffineMap> maps = {
        AffineMap::get(rank + 1, 0, inputExprs, ctx),
        AffineMap::getMultiDimIdentityMap(rank + 1, ctx).getMajorSubMap(rank)};
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    iterators.push_back(utils::IteratorType::reduction);
    bool exclusive = op.getExclusive().value_or(0) != 0;
    bool reverse = op.getReverse().value_or(0) != 0;
    arith::CmpIPredicate included =
        reverse ? (exclusive ? arith::CmpIPredicate::ugt
                             : arith::CmpIPredicate::uge)
                : (exclusive ? arith::CmpIPredicate::ult
                             : arith::CmpIPredicate::ule);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, type, ValueRange{op.getX()}, ValueRange{init}, maps,
        iterators, [&](OpBuilder &b, Location l, ValueRange args) {
          Value j = linalg::IndexOp::create(b, l, rank);
          Value k = linalg::IndexOp::create(b, l, axis);
          Value take = arith::CmpIOp::create(b, l, included, j, k);
          Value sum = isa<FloatType>(et)
                          ? Value(arith::AddFOp::create(b, l, args[1], args[0]))
                          : Value(arith::AddIOp::create(b, l, args[1], args[0]));
          linalg::YieldOp::create(
              b, l, Value(arith::SelectOp::create(b, l, take, sum, args[1])));
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

} // namespace

void mlir::bitnet::populateReductionToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<ReduceToLinalg<onnx::ReduceSumOp, Combine::Sum>,
               ReduceToLinalg<onnx::ReduceMeanOp, Combine::Sum, true>,
               ReduceToLinalg<onnx::ReduceMaxOp, Combine::Max>,
               ReduceToLinalg<onnx::ReduceMinOp, Combine::Min>,
               ReduceToLinalg<onnx::ReduceProdOp, Combine::Prod>,
               CumSumToLinalg>(
      patterns.getContext());
}
