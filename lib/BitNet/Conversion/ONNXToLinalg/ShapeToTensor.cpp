//===- ShapeToTensor.cpp - shape-computing onnx ops to tensor -------------===//
//
// Ops that compute or apply shapes: Shape, Reshape, Unsqueeze, Squeeze,
// Expand, Range, Identity. Shape arithmetic that onnx-infer-shapes and the
// folders could not make constant is computed at run time on small tensors;
// the sizes it yields feed tensor.reshape and tensor.empty.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "PopulatePatterns.h"

#include "BitNet/Dialect/ONNX/IR/ONNXOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::bitnet;
namespace onnx = mlir::bitnet::onnx;

namespace {

RankedTensorType getRankedResult(Operation *op) {
  return dyn_cast<RankedTensorType>(op->getResult(0).getType());
}

struct ShapeToTensor : OpRewritePattern<onnx::ShapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(onnx::ShapeOp op,
                                PatternRewriter &rewriter) const override {
    auto dataType = dyn_cast<RankedTensorType>(op.getData().getType());
    auto type = getRankedResult(op);
    if (!dataType || !type || !type.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "needs a ranked input");
    int64_t rank = dataType.getRank();
    auto norm = [&](int64_t a) {
      return std::clamp<int64_t>(a < 0 ? a + rank : a, 0, rank);
    };
    int64_t start = norm(op.getStart().value_or(0));
    int64_t end = norm(op.getEnd().value_or(rank));
    Location loc = op.getLoc();
    SmallVector<Value> dims;
    for (int64_t i = start; i < end; ++i)
      dims.push_back(arith::IndexCastOp::create(
          rewriter, loc, rewriter.getI64Type(),
          getDimSize(rewriter, loc, op.getData(), i)));
    rewriter.replaceOpWithNewOp<tensor::FromElementsOp>(op, type, dims);
    return success();
  }
};

/// Reshape: ONNX's 0 (copy the input dim) and -1 (the rest) are resolved at
/// run time for the dims the result type leaves dynamic.
struct ReshapeToTensor : OpRewritePattern<onnx::ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(onnx::ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    auto dataType = dyn_cast<RankedTensorType>(op.getData().getType());
    auto type = getRankedResult(op);
    if (!dataType || !type)
      return rewriter.notifyMatchFailure(op, "needs ranked types");
    Location loc = op.getLoc();
    bool allowZero = op.getAllowzero().value_or(0) != 0;
    int64_t rank = type.getRank();
    SmallVector<Value> raw;
    Value zero = cIndex(rewriter, loc, 0), minusOne = cIndex(rewriter, loc, -1);
    for (int64_t i = 0; i < rank; ++i) {
      Value v = extractIndex(rewriter, loc, op.getShape(), i);
      if (!allowZero && i < dataType.getRank()) {
        Value isZero = arith::CmpIOp::create(rewriter, loc,
                                             arith::CmpIPredicate::eq, v, zero);
        v = arith::SelectOp::create(rewriter, loc, isZero,
                                    getDimSize(rewriter, loc, op.getData(), i),
                                    v);
      }
      raw.push_back(v);
    }
    Value total = cIndex(rewriter, loc, 1);
    for (Value d : getDimSizes(rewriter, loc, op.getData()))
      total = arith::MulIOp::create(rewriter, loc, total, d);
    Value known = cIndex(rewriter, loc, 1);
    SmallVector<Value> isInferred;
    for (Value v : raw) {
      Value inferred = arith::CmpIOp::create(
          rewriter, loc, arith::CmpIPredicate::eq, v, minusOne);
      isInferred.push_back(inferred);
      known = arith::MulIOp::create(
          rewriter, loc, known,
          arith::SelectOp::create(rewriter, loc, inferred,
                                  cIndex(rewriter, loc, 1), v));
    }
    Value rest = arith::DivUIOp::create(rewriter, loc, total, known);
    SmallVector<Value> sizes;
    for (int64_t i = 0; i < rank; ++i)
      sizes.push_back(
          type.isDynamicDim(i)
              ? Value(arith::SelectOp::create(rewriter, loc, isInferred[i],
                                              rest, raw[i]))
              : cIndex(rewriter, loc, type.getDimSize(i)));
    rewriter.replaceOp(op,
                       reshapeTo(rewriter, loc, op.getData(), type, sizes));
    return success();
  }
};

/// Unsqueeze and Squeeze only add or drop dims of size 1: the result sizes
/// are the input's, in order, with 1 wherever the result type says 1 and
/// the input has no dim to give.
template <typename OpTy>
struct UnitDimsToTensor : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    Value data = op->getOperand(0);
    auto dataType = dyn_cast<RankedTensorType>(data.getType());
    auto type = getRankedResult(op);
    if (!dataType || !type)
      return rewriter.notifyMatchFailure(op, "needs ranked types");
    Location loc = op.getLoc();
    SmallVector<Value> sizes;
    bool unsqueeze = std::is_same_v<OpTy, onnx::UnsqueezeOp>;
    std::optional<SmallVector<int64_t>> axes;
    if (op->getNumOperands() > 1) {
      axes = getConstantInts(op->getOperand(1));
      if (!axes)
        return rewriter.notifyMatchFailure(op, "axes must be constant");
    }
    int64_t outRank = type.getRank(), inRank = dataType.getRank();
    auto isAxis = [&](int64_t i, int64_t rank) {
      if (!axes)
        return dataType.getDimSize(i) == 1;
      return llvm::any_of(*axes, [&](int64_t a) {
        return (a < 0 ? a + rank : a) == i;
      });
    };
    // For each result dim, the input dim it takes, or -1 for a new 1.
    SmallVector<int64_t> source;
    if (unsqueeze) {
      for (int64_t i = 0, j = 0; i < outRank; ++i)
        source.push_back(isAxis(i, outRank) ? -1 : j++);
    } else {
      for (int64_t j = 0; j < inRank; ++j)
        if (!isAxis(j, inRank))
          source.push_back(j);
    }
    if ((int64_t)source.size() != outRank ||
        llvm::any_of(source, [&](int64_t j) { return j >= inRank; }))
      return rewriter.notifyMatchFailure(op, "axes disagree with the types");
    for (int64_t j : source)
      sizes.push_back(j < 0 ? cIndex(rewriter, loc, 1)
                            : getDimSize(rewriter, loc, data, j));
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, data, type, sizes));
    return success();
  }
};

/// Expand: bidirectional broadcasting of the input to the shape operand.
struct ExpandToLinalg : OpRewritePattern<onnx::ExpandOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(onnx::ExpandOp op,
                                PatternRewriter &rewriter) const override {
    auto inType = dyn_cast<RankedTensorType>(op.getInput().getType());
    auto shapeType = dyn_cast<RankedTensorType>(op.getShape().getType());
    auto type = getRankedResult(op);
    if (!inType || !type || !shapeType || !shapeType.hasStaticShape() ||
        shapeType.getRank() != 1)
      return rewriter.notifyMatchFailure(op, "needs ranked types");
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    int64_t rank = type.getRank(), inOffset = rank - inType.getRank();
    int64_t shapeOffset = rank - shapeType.getDimSize(0);
    SmallVector<Value> sizes;
    for (int64_t i = 0; i < rank; ++i) {
      if (!type.isDynamicDim(i)) {
        sizes.push_back(cIndex(rewriter, loc, type.getDimSize(i)));
        continue;
      }
      Value a = i >= inOffset
                    ? getDimSize(rewriter, loc, op.getInput(), i - inOffset)
                    : cIndex(rewriter, loc, 1);
      Value s = i >= shapeOffset
                    ? extractIndex(rewriter, loc, op.getShape(), i - shapeOffset)
                    : cIndex(rewriter, loc, 1);
      sizes.push_back(arith::MaxSIOp::create(rewriter, loc, a, s));
    }
    SmallVector<AffineExpr> exprs;
    for (int64_t j = 0; j < inType.getRank(); ++j) {
      bool broadcast =
          inType.getDimSize(j) == 1 && type.getDimSize(j + inOffset) != 1;
      exprs.push_back(broadcast ? getAffineConstantExpr(0, ctx)
                                : getAffineDimExpr(j + inOffset, ctx));
    }
    SmallVector<AffineMap> maps = {AffineMap::get(rank, 0, exprs, ctx),
                                   AffineMap::getMultiDimIdentityMap(rank, ctx)};
    Value init = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                         type.getElementType(),
                                         dynamicSizesOf(type, sizes));
    auto generic = linalg::GenericOp::create(
        rewriter, loc, type, ValueRange{op.getInput()}, ValueRange{init}, maps,
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
        [](OpBuilder &b, Location l, ValueRange args) {
          linalg::YieldOp::create(b, l, args[0]);
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

/// Range: start + i * delta for i < ceil((limit - start) / delta), over
/// integers or floats (RoPE tables of older exporters use float Range).
struct RangeToTensor : OpRewritePattern<onnx::RangeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(onnx::RangeOp op,
                                PatternRewriter &rewriter) const override {
    auto type = getRankedResult(op);
    if (!type || type.getRank() != 1 ||
        !isa<IntegerType, FloatType>(type.getElementType()))
      return rewriter.notifyMatchFailure(op, "1-D integer or float ranges");
    Location loc = op.getLoc();
    Type et = type.getElementType();
    bool isFloat = isa<FloatType>(et);
    auto scalar = [&](Value t) -> Value {
      return tensor::ExtractOp::create(rewriter, loc, t, ValueRange{});
    };
    Value start = scalar(op.getStart()), limit = scalar(op.getLimit()),
          delta = scalar(op.getDelta());
    SmallVector<Value> dynamic;
    if (type.isDynamicDim(0))
      dynamic.push_back(isFloat ? floatCount(rewriter, loc, start, limit, delta)
                                : intCount(rewriter, loc, start, limit, delta));
    rewriter.replaceOpWithNewOp<tensor::GenerateOp>(
        op, type, dynamic, [&](OpBuilder &b, Location l, ValueRange idx) {
          Value v;
          if (isFloat) {
            Value i = arith::UIToFPOp::create(
                b, l, et,
                arith::IndexCastUIOp::create(b, l, b.getI64Type(), idx[0]));
            v = arith::AddFOp::create(b, l, start,
                                      arith::MulFOp::create(b, l, i, delta));
          } else {
            Value i = arith::IndexCastOp::create(b, l, et, idx[0]);
            v = arith::AddIOp::create(b, l, start,
                                      arith::MulIOp::create(b, l, i, delta));
          }
          tensor::YieldOp::create(b, l, v);
        });
    return success();
  }

  static Value intCount(OpBuilder &b, Location loc, Value start, Value limit,
                        Value delta) {
    Value span = arith::SubIOp::create(b, loc, limit, start);
    Value count = arith::CeilDivSIOp::create(b, loc, span, delta);
    Value zero = arith::ConstantOp::create(
        b, loc, b.getIntegerAttr(start.getType(), 0));
    count = arith::MaxSIOp::create(b, loc, count, zero);
    return arith::IndexCastOp::create(b, loc, b.getIndexType(), count);
  }

  static Value floatCount(OpBuilder &b, Location loc, Value start, Value limit,
                          Value delta) {
    Value span = arith::SubFOp::create(b, loc, limit, start);
    Value count = math::CeilOp::create(
        b, loc, arith::DivFOp::create(b, loc, span, delta));
    Value zero = arith::ConstantOp::create(
        b, loc, b.getFloatAttr(start.getType(), 0.0));
    count = arith::MaximumFOp::create(b, loc, count, zero);
    return arith::IndexCastOp::create(
        b, loc, b.getIndexType(),
        arith::FPToSIOp::create(b, loc, b.getI64Type(), count));
  }
};

struct IdentityToNothing : OpRewritePattern<onnx::IdentityOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(onnx::IdentityOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getInput().getType() != op.getType())
      return rewriter.notifyMatchFailure(op, "types differ");
    rewriter.replaceOp(op, op.getInput());
    return success();
  }
};

} // namespace

void mlir::bitnet::populateShapeToTensorPatterns(RewritePatternSet &patterns) {
  patterns.add<ShapeToTensor, ReshapeToTensor,
               UnitDimsToTensor<onnx::UnsqueezeOp>,
               UnitDimsToTensor<onnx::SqueezeOp>, ExpandToLinalg,
               RangeToTensor, IdentityToNothing>(patterns.getContext());
}
