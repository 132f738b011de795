//===- DataMovementToLinalg.cpp - Gather, Slice, Concat, Transpose --------===//
//
// Ops that move elements without computing on them. Gather (the embedding
// lookup, and index picks in shape arithmetic) and GatherND are
// linalg.generics that read the data with tensor.extract at the gathered
// index; Slice and
// Concat are tensor slices; Transpose is linalg.transpose.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "PopulatePatterns.h"

#include "BitNet/Dialect/ONNX/IR/ONNXOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::bitnet;
namespace onnx = mlir::bitnet::onnx;

namespace {

/// out[pre..., idx..., post...] = data[pre..., indices[idx...], post...],
/// with negative indices counted from the end as ONNX allows.
struct GatherToLinalg : OpRewritePattern<onnx::GatherOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(onnx::GatherOp op,
                                PatternRewriter &rewriter) const override {
    auto dataType = dyn_cast<RankedTensorType>(op.getData().getType());
    auto idxType = dyn_cast<RankedTensorType>(op.getIndices().getType());
    auto type = dyn_cast<RankedTensorType>(op.getType());
    if (!dataType || !idxType || !type ||
        dataType.getElementType().isUnsignedInteger())
      return rewriter.notifyMatchFailure(op, "needs ranked signless types");
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    int64_t dataRank = dataType.getRank(), idxRank = idxType.getRank();
    int64_t axis = op.getAxis().value_or(0);
    if (axis < 0)
      axis += dataRank;
    int64_t rank = type.getRank();

    SmallVector<Value> sizes;
    for (int64_t i = 0; i < axis; ++i)
      sizes.push_back(getDimSize(rewriter, loc, op.getData(), i));
    for (int64_t i = 0; i < idxRank; ++i)
      sizes.push_back(getDimSize(rewriter, loc, op.getIndices(), i));
    for (int64_t i = axis + 1; i < dataRank; ++i)
      sizes.push_back(getDimSize(rewriter, loc, op.getData(), i));
    Value init = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                         type.getElementType(),
                                         dynamicSizesOf(type, sizes));
    SmallVector<AffineExpr> idxExprs;
    for (int64_t i = 0; i < idxRank; ++i)
      idxExprs.push_back(getAffineDimExpr(axis + i, ctx));
    SmallVector<AffineMap> maps = {AffineMap::get(rank, 0, idxExprs, ctx),
                                   AffineMap::getMultiDimIdentityMap(rank, ctx)};
    Value data = op.getData();
    Value axisSize = getDimSize(rewriter, loc, data, axis);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, type, ValueRange{op.getIndices()}, ValueRange{init},
        maps,
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value idx = gatherIndex(b, l, args[0], axisSize);
          SmallVector<Value> at;
          for (int64_t i = 0; i < axis; ++i)
            at.push_back(linalg::IndexOp::create(b, l, i));
          at.push_back(idx);
          for (int64_t i = axis + 1; i < dataRank; ++i)
            at.push_back(linalg::IndexOp::create(b, l, i - 1 + idxRank));
          linalg::YieldOp::create(
              b, l, Value(tensor::ExtractOp::create(b, l, data, at)));
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

/// GatherND with batch_dims = 0: out[i..., rest...] =
/// data[indices[i..., 0], ..., indices[i..., m - 1], rest...]. HF's masking
/// utilities emit it on run-time position ids.
struct GatherNDToLinalg : OpRewritePattern<onnx::GatherNDOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(onnx::GatherNDOp op,
                                PatternRewriter &rewriter) const override {
    auto dataType = dyn_cast<RankedTensorType>(op.getData().getType());
    auto idxType = dyn_cast<RankedTensorType>(op.getIndices().getType());
    auto type = dyn_cast<RankedTensorType>(op.getType());
    if (!dataType || !idxType || !type || idxType.getRank() < 1 ||
        idxType.isDynamicDim(idxType.getRank() - 1) ||
        op.getBatchDims().value_or(0) != 0 ||
        dataType.getElementType().isUnsignedInteger())
      return rewriter.notifyMatchFailure(
          op, "needs ranked signless types, a static index depth, batch_dims 0");
    int64_t dataRank = dataType.getRank(), idxRank = idxType.getRank();
    int64_t depth = idxType.getDimSize(idxRank - 1);
    int64_t rank = idxRank - 1 + dataRank - depth;
    if (depth > dataRank || type.getRank() != rank)
      return rewriter.notifyMatchFailure(op, "index depth exceeds data rank");
    Location loc = op.getLoc();
    Value data = op.getData(), indices = op.getIndices();
    SmallVector<Value> sizes;
    for (int64_t i = 0; i + 1 < idxRank; ++i)
      sizes.push_back(getDimSize(rewriter, loc, indices, i));
    for (int64_t i = depth; i < dataRank; ++i)
      sizes.push_back(getDimSize(rewriter, loc, data, i));
    SmallVector<Value> dataSizes = getDimSizes(rewriter, loc, data);
    Value init = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                         type.getElementType(),
                                         dynamicSizesOf(type, sizes));
    auto generic = linalg::GenericOp::create(
        rewriter, loc, type, ValueRange{}, ValueRange{init},
        SmallVector<AffineMap>{
            AffineMap::getMultiDimIdentityMap(rank, rewriter.getContext())},
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location l, ValueRange) {
          SmallVector<Value> tuple;
          for (int64_t i = 0; i + 1 < idxRank; ++i)
            tuple.push_back(linalg::IndexOp::create(b, l, i));
          tuple.push_back(Value());
          SmallVector<Value> at;
          for (int64_t k = 0; k < depth; ++k) {
            tuple.back() = cIndex(b, l, k);
            Value idx = arith::IndexCastOp::create(
                b, l, b.getIndexType(),
                tensor::ExtractOp::create(b, l, indices, tuple));
            Value negative = arith::CmpIOp::create(
                b, l, arith::CmpIPredicate::slt, idx, cIndex(b, l, 0));
            at.push_back(arith::SelectOp::create(
                b, l, negative, arith::AddIOp::create(b, l, idx, dataSizes[k]),
                idx));
          }
          for (int64_t i = depth; i < dataRank; ++i)
            at.push_back(linalg::IndexOp::create(b, l, idxRank - 1 + i - depth));
          linalg::YieldOp::create(
              b, l, Value(tensor::ExtractOp::create(b, l, data, at)));
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

/// Slice with positive constant steps; starts and ends may be run-time
/// values and are clamped as ONNX specifies.
struct SliceToTensor : OpRewritePattern<onnx::SliceOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(onnx::SliceOp op,
                                PatternRewriter &rewriter) const override {
    auto dataType = dyn_cast<RankedTensorType>(op.getData().getType());
    auto type = dyn_cast<RankedTensorType>(op.getType());
    auto startsType = dyn_cast<RankedTensorType>(op.getStarts().getType());
    if (!dataType || !type || !startsType || !startsType.hasStaticShape() ||
        startsType.getRank() != 1)
      return rewriter.notifyMatchFailure(op, "needs ranked types");
    int64_t n = startsType.getDimSize(0), rank = dataType.getRank();
    SmallVector<int64_t> axes, steps(n, 1);
    if (op.getAxes()) {
      std::optional<SmallVector<int64_t>> a = getConstantInts(op.getAxes());
      if (!a)
        return rewriter.notifyMatchFailure(op, "axes must be constant");
      axes = *a;
    } else {
      for (int64_t i = 0; i < n; ++i)
        axes.push_back(i);
    }
    if (op.getSteps()) {
      std::optional<SmallVector<int64_t>> s = getConstantInts(op.getSteps());
      if (!s)
        return rewriter.notifyMatchFailure(op, "steps must be constant");
      steps = *s;
    }
    if ((int64_t)axes.size() != n || (int64_t)steps.size() != n ||
        llvm::any_of(steps, [](int64_t s) { return s <= 0; }))
      return rewriter.notifyMatchFailure(op, "only positive steps");

    Location loc = op.getLoc();
    SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
    SmallVector<OpFoldResult> sizes, strides(rank, rewriter.getIndexAttr(1));
    for (int64_t i = 0; i < rank; ++i)
      sizes.push_back(getDimSize(rewriter, loc, op.getData(), i));
    Value zero = cIndex(rewriter, loc, 0);
    for (int64_t i = 0; i < n; ++i) {
      int64_t axis = axes[i] < 0 ? axes[i] + rank : axes[i];
      if (axis < 0 || axis >= rank)
        return rewriter.notifyMatchFailure(op, "axis out of range");
      Value dim = getDimSize(rewriter, loc, op.getData(), axis);
      auto clamp = [&](Value x) {
        Value negative = arith::CmpIOp::create(
            rewriter, loc, arith::CmpIPredicate::slt, x, zero);
        x = arith::SelectOp::create(rewriter, loc, negative,
                                    arith::AddIOp::create(rewriter, loc, x, dim),
                                    x);
        x = arith::MaxSIOp::create(rewriter, loc, x, zero);
        return arith::MinSIOp::create(rewriter, loc, x, dim).getResult();
      };
      Value start = clamp(extractIndex(rewriter, loc, op.getStarts(), i));
      Value end = clamp(extractIndex(rewriter, loc, op.getEnds(), i));
      Value span = arith::MaxSIOp::create(
          rewriter, loc, arith::SubIOp::create(rewriter, loc, end, start), zero);
      Value size = arith::CeilDivSIOp::create(
          rewriter, loc, span, cIndex(rewriter, loc, steps[i]));
      offsets[axis] = start;
      sizes[axis] = type.isDynamicDim(axis)
                        ? OpFoldResult(size)
                        : OpFoldResult(rewriter.getIndexAttr(type.getDimSize(axis)));
      strides[axis] = rewriter.getIndexAttr(steps[i]);
    }
    for (int64_t i = 0; i < rank; ++i)
      if (!type.isDynamicDim(i))
        sizes[i] = rewriter.getIndexAttr(type.getDimSize(i));
    rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(op, type, op.getData(),
                                                        offsets, sizes, strides);
    return success();
  }
};

/// Concat: each input inserted at its running offset along the axis.
struct ConcatToTensor : OpRewritePattern<onnx::ConcatOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(onnx::ConcatOp op,
                                PatternRewriter &rewriter) const override {
    auto type = dyn_cast<RankedTensorType>(op.getType());
    if (!type || llvm::any_of(op.getInputs(), [](Value v) {
          return !isa<RankedTensorType>(v.getType());
        }))
      return rewriter.notifyMatchFailure(op, "needs ranked types");
    Location loc = op.getLoc();
    int64_t rank = type.getRank();
    int64_t axis = static_cast<int64_t>(op.getAxis());
    if (axis < 0)
      axis += rank;
    SmallVector<Value> sizes = getDimSizes(rewriter, loc, op.getInputs()[0]);
    Value total = cIndex(rewriter, loc, 0);
    for (Value input : op.getInputs())
      total = arith::AddIOp::create(rewriter, loc, total,
                                    getDimSize(rewriter, loc, input, axis));
    sizes[axis] = total;
    Value result = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                           type.getElementType(),
                                           dynamicSizesOf(type, sizes));
    Value offset = cIndex(rewriter, loc, 0);
    for (Value input : op.getInputs()) {
      SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
      offsets[axis] = offset;
      SmallVector<OpFoldResult> inputSizes =
          tensor::getMixedSizes(rewriter, loc, input);
      SmallVector<OpFoldResult> strides(rank, rewriter.getIndexAttr(1));
      result = tensor::InsertSliceOp::create(rewriter, loc, input, result,
                                             offsets, inputSizes, strides);
      offset = arith::AddIOp::create(rewriter, loc, offset,
                                     getDimSize(rewriter, loc, input, axis));
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct TransposeToLinalg : OpRewritePattern<onnx::TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(onnx::TransposeOp op,
                                PatternRewriter &rewriter) const override {
    auto dataType = dyn_cast<RankedTensorType>(op.getData().getType());
    auto type = dyn_cast<RankedTensorType>(op.getType());
    if (!dataType || !type)
      return rewriter.notifyMatchFailure(op, "needs ranked types");
    int64_t rank = dataType.getRank();
    SmallVector<int64_t> perm;
    if (std::optional<ArrayAttr> p = op.getPerm())
      for (Attribute a : *p)
        perm.push_back(cast<IntegerAttr>(a).getInt());
    else
      for (int64_t i = rank - 1; i >= 0; --i)
        perm.push_back(i);
    Location loc = op.getLoc();
    SmallVector<Value> sizes;
    for (int64_t p : perm)
      sizes.push_back(getDimSize(rewriter, loc, op.getData(), p));
    Value init = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                         type.getElementType(),
                                         dynamicSizesOf(type, sizes));
    auto transpose =
        linalg::TransposeOp::create(rewriter, loc, op.getData(), init, perm);
    rewriter.replaceOp(op, transpose->getResults());
    return success();
  }
};

} // namespace

void mlir::bitnet::populateDataMovementToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<GatherToLinalg, GatherNDToLinalg, SliceToTensor, ConcatToTensor,
               TransposeToLinalg>(patterns.getContext());
}
