//===- TernaryToLinalg.cpp - ternary ops to linalg ------------------------===//
//
// The target-independent half of BitLinear's lowering. Activations are
// flattened to [tokens, K]; the ternary product is a linalg.generic over
// (token, output, packed byte, field) whose body decodes one 2-bit field and
// adds, subtracts or keeps the int8 activation. Everything target-specific
// (tiling, SIMD, threads) happens later, on these loops.
//
//===----------------------------------------------------------------------===//

#include "BitNet/Conversion/TernaryToLinalg/TernaryToLinalg.h"
#include "BitNet/Dialect/Ternary/IR/TernaryOps.h"
#include "BitNet/Support/ElementsStorage.h"
#include "BitNet/Support/TernaryPacking.h"
#include "BitNet/Target/TargetInfo.h"
#include "TernaryKernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Utils/Utils.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cstring>

namespace mlir::bitnet {
#define GEN_PASS_DEF_CONVERTTERNARYTOLINALGPASS
#include "BitNet/Conversion/Passes.h.inc"
} // namespace mlir::bitnet

using namespace mlir;
using namespace mlir::bitnet;
using namespace mlir::bitnet::ternary;

namespace {

constexpr utils::IteratorType kParallel = utils::IteratorType::parallel;
constexpr utils::IteratorType kReduction = utils::IteratorType::reduction;

Value floatConstant(OpBuilder &b, Location loc, Type type, double value) {
  return arith::ConstantOp::create(b, loc, b.getFloatAttr(type, value));
}

Value intConstant(OpBuilder &b, Location loc, Type type, int64_t value) {
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, value));
}

/// Converts a scalar between float types (scales may be narrower).
Value castFloat(OpBuilder &b, Location loc, Value v, Type to) {
  auto from = cast<FloatType>(v.getType());
  if (from == to)
    return v;
  if (from.getWidth() < cast<FloatType>(to).getWidth())
    return arith::ExtFOp::create(b, loc, to, v);
  return arith::TruncFOp::create(b, loc, to, v);
}

/// The dynamic sizes of `shape` read off `source` (same rank).
SmallVector<Value> dynamicSizes(OpBuilder &b, Location loc, Value source,
                                ArrayRef<int64_t> shape) {
  SmallVector<Value> sizes;
  for (auto [i, dim] : llvm::enumerate(shape))
    if (ShapedType::isDynamic(dim))
      sizes.push_back(tensor::DimOp::create(b, loc, source, i));
  return sizes;
}

/// A tensor of `shape` filled with `value`.
Value filledTensor(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                   Value value, ValueRange dynSizes) {
  Value empty =
      tensor::EmptyOp::create(b, loc, shape, value.getType(), dynSizes);
  return linalg::FillOp::create(b, loc, value, empty).getResult(0);
}

/// [..., K] activations as a [T, K] matrix, with K made static.
Value flattenTokens(OpBuilder &b, Location loc, Value x, int64_t k) {
  auto type = cast<RankedTensorType>(x.getType());
  if (ShapedType::isDynamic(type.getShape().back())) {
    SmallVector<int64_t> shape(type.getShape());
    shape.back() = k;
    x = tensor::CastOp::create(b, loc, type.clone(shape), x);
    type = cast<RankedTensorType>(x.getType());
  }
  if (type.getRank() == 2)
    return x;
  if (type.getRank() == 1)
    return tensor::ExpandShapeOp::create(
        b, loc, RankedTensorType::get({1, k}, type.getElementType()), x,
        SmallVector<ReassociationIndices>{{0, 1}});
  ReassociationIndices leading;
  for (int64_t i = 0; i + 1 < type.getRank(); ++i)
    leading.push_back(i);
  return tensor::CollapseShapeOp::create(
      b, loc, x,
      SmallVector<ReassociationIndices>{leading, {type.getRank() - 1}});
}

/// The inverse of flattenTokens for a [T, N] result: the leading dims of
/// `original`, then N; cast to `resultType` where that is more static.
Value unflattenTokens(OpBuilder &b, Location loc, Value m, Value original,
                      RankedTensorType resultType) {
  auto matrixType = cast<RankedTensorType>(m.getType());
  auto originalType = cast<RankedTensorType>(original.getType());
  int64_t rank = originalType.getRank();
  int64_t n = matrixType.getShape().back();
  Value result = m;
  if (rank == 1) {
    result = tensor::CollapseShapeOp::create(
        b, loc, m, SmallVector<ReassociationIndices>{{0, 1}});
  } else if (rank > 2) {
    SmallVector<int64_t> shape(originalType.getShape());
    shape.back() = n;
    SmallVector<OpFoldResult> sizes;
    for (int64_t i = 0; i + 1 < rank; ++i)
      sizes.push_back(tensor::getMixedSize(b, loc, original, i));
    sizes.push_back(b.getIndexAttr(n));
    ReassociationIndices leading;
    for (int64_t i = 0; i + 1 < rank; ++i)
      leading.push_back(i);
    result = tensor::ExpandShapeOp::create(
        b, loc, matrixType.clone(shape), m,
        SmallVector<ReassociationIndices>{leading, {rank - 1}}, sizes);
  }
  if (result.getType() != resultType)
    result = tensor::CastOp::create(b, loc, resultType, result);
  return result;
}

/// Per-token absmax quantization of [T, K] floats: int8 values and the
/// dequantization scale max(|x|, eps) / 127 per token.
struct QuantizedTokens {
  Value values;
  Value scale;
};

QuantizedTokens quantizeTokens(OpBuilder &b, Location loc, Value x,
                               double epsilon) {
  auto type = cast<RankedTensorType>(x.getType());
  Type floatType = type.getElementType();
  int64_t tokens = type.getDimSize(0);
  SmallVector<Value> tokenSizes = dynamicSizes(b, loc, x, {tokens});
  MLIRContext *ctx = b.getContext();
  AffineMap tk = AffineMap::getMultiDimIdentityMap(2, ctx);
  AffineMap t = AffineMap::get(2, 0, {getAffineDimExpr(0, ctx)}, ctx);
  AffineMap id1 = AffineMap::getMultiDimIdentityMap(1, ctx);

  Value zero = floatConstant(b, loc, floatType, 0.0);
  Value maxInit = filledTensor(b, loc, {tokens}, zero, tokenSizes);
  Value maxAbs =
      linalg::GenericOp::create(
          b, loc, maxInit.getType(), ValueRange{x}, ValueRange{maxInit},
          ArrayRef<AffineMap>{tk, t}, ArrayRef{kParallel, kReduction},
          [](OpBuilder &nb, Location nl, ValueRange args) {
            Value abs = math::AbsFOp::create(nb, nl, args[0]);
            linalg::YieldOp::create(
                nb, nl, Value(arith::MaximumFOp::create(nb, nl, args[1], abs)));
          })
          .getResult(0);

  // The quantization multiplier 127 / m, as the reference computes it, and
  // the dequantization scale m / 127.
  Value empty =
      tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{tokens}, floatType,
                              tokenSizes);
  auto perToken = linalg::GenericOp::create(
      b, loc, TypeRange{empty.getType(), empty.getType()}, ValueRange{maxAbs},
      ValueRange{empty, empty}, ArrayRef<AffineMap>{id1, id1, id1},
      ArrayRef{kParallel}, [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value eps = floatConstant(nb, nl, floatType, epsilon);
        Value c127 = floatConstant(nb, nl, floatType, 127.0);
        Value m = arith::MaximumFOp::create(nb, nl, args[0], eps);
        Value multiplier = arith::DivFOp::create(nb, nl, c127, m);
        Value scale = arith::DivFOp::create(nb, nl, m, c127);
        linalg::YieldOp::create(nb, nl, ValueRange{multiplier, scale});
      });

  SmallVector<Value> matrixSizes = dynamicSizes(b, loc, x, type.getShape());
  Value qInit = tensor::EmptyOp::create(b, loc, type.getShape(),
                                        b.getIntegerType(8), matrixSizes);
  Value q =
      linalg::GenericOp::create(
          b, loc, qInit.getType(), ValueRange{x, perToken.getResult(0)},
          ValueRange{qInit}, ArrayRef<AffineMap>{tk, t, tk},
          ArrayRef{kParallel, kParallel},
          [&](OpBuilder &nb, Location nl, ValueRange args) {
            Value scaled = arith::MulFOp::create(nb, nl, args[0], args[1]);
            Value rounded = math::RoundEvenOp::create(nb, nl, scaled);
            Value lo = floatConstant(nb, nl, floatType, -128.0);
            Value hi = floatConstant(nb, nl, floatType, 127.0);
            Value clamped = arith::MinimumFOp::create(
                nb, nl, arith::MaximumFOp::create(nb, nl, rounded, lo), hi);
            linalg::YieldOp::create(
                nb, nl,
                Value(arith::FPToSIOp::create(nb, nl, nb.getIntegerType(8),
                                              clamped)));
          })
          .getResult(0);
  return {q, perToken.getResult(1)};
}

/// The int32 sums of int8 [T, K] activations against packed [N, Kp] trits:
/// [T, N], or [T, N, G] with one partial sum per group of `groupCols`
/// inputs (0: one group).
FailureOr<Value> ternaryProduct(OpBuilder &b, Location loc, Operation *op,
                                Value q, Value packed, WeightsType weights,
                                TritPacking packing, TernaryKernel kernel) {
  MLIRContext *ctx = b.getContext();
  int64_t n = weights.getOutFeatures(), k = weights.getInFeatures();
  int64_t groups = 1;
  if (weights.isPerGroup()) {
    if (weights.getGroupSize() % kTritsPerByte != 0)
      return op->emitOpError("cannot be lowered: groups of ")
             << weights.getGroupSize() << " inputs split packed bytes; "
             << "the group size must be a multiple of " << kTritsPerByte;
    groups = k / weights.getGroupSize();
  }

  // Pad K to the packed rows, whole bytes or the vector kernels' whole
  // chunks (padding trits are 0, so padded inputs add nothing), and split it
  // into [groups, bytes, 4 fields].
  auto qType = cast<RankedTensorType>(q.getType());
  int64_t tokens = qType.getDimSize(0);
  int64_t bytesPerRow = cast<RankedTensorType>(packed.getType()).getDimSize(1);
  int64_t bytesPerGroup = bytesPerRow / groups;
  int64_t paddedK = bytesPerRow * tritsPerByte(packing);
  if (paddedK != k) {
    auto paddedType =
        RankedTensorType::get({tokens, paddedK}, qType.getElementType());
    q = tensor::createPadHighOp(paddedType, q,
                                intConstant(b, loc, b.getIntegerType(8), 0),
                                /*nofold=*/false, loc, b);
  }
  // Groups split rows into sums of their own: those stay on loops.
  if (kernel != TernaryKernel::Loops && !weights.isPerGroup())
    return buildVectorTernaryProduct(b, loc, q, packed, packing, kernel,
                                     TargetRegisters::of(op));
  assert(packing == TritPacking::Base4 && "the loops read base4");
  SmallVector<OpFoldResult> qSizes = {tensor::getMixedSize(b, loc, q, 0),
                                      b.getIndexAttr(groups),
                                      b.getIndexAttr(bytesPerGroup),
                                      b.getIndexAttr(kTritsPerByte)};
  Value q4 = tensor::ExpandShapeOp::create(
      b, loc,
      RankedTensorType::get({tokens, groups, bytesPerGroup, kTritsPerByte},
                            qType.getElementType()),
      q, SmallVector<ReassociationIndices>{{0}, {1, 2, 3}}, qSizes);
  Value packedGroups = tensor::ExpandShapeOp::create(
      b, loc,
      RankedTensorType::get({n, groups, bytesPerGroup}, b.getIntegerType(8)),
      packed, SmallVector<ReassociationIndices>{{0}, {1, 2}});

  // Loops (t, n, g, byte, field).
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  AffineMap qMap = AffineMap::get(5, 0, {d(0), d(2), d(3), d(4)}, ctx);
  AffineMap wMap = AffineMap::get(5, 0, {d(1), d(2), d(3)}, ctx);
  SmallVector<int64_t> accShape = {tokens, n};
  SmallVector<AffineExpr> accExprs = {d(0), d(1)};
  if (weights.isPerGroup()) {
    accShape.push_back(groups);
    accExprs.push_back(d(2));
  }
  AffineMap accMap = AffineMap::get(5, 0, accExprs, ctx);

  Type i32 = b.getI32Type();
  Value acc = filledTensor(b, loc, accShape, intConstant(b, loc, i32, 0),
                           dynamicSizes(b, loc, q, {tokens}));
  auto iterators = weights.isPerGroup()
                       ? SmallVector<utils::IteratorType>{kParallel, kParallel,
                                                          kParallel, kReduction,
                                                          kReduction}
                       : SmallVector<utils::IteratorType>{kParallel, kParallel,
                                                          kReduction, kReduction,
                                                          kReduction};
  return linalg::GenericOp::create(
             b, loc, acc.getType(), ValueRange{q4, packedGroups},
             ValueRange{acc}, ArrayRef<AffineMap>{qMap, wMap, accMap},
             iterators,
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               // field = (byte >> 2*f) & 3 holds trit + 1.
               Value f = linalg::IndexOp::create(nb, nl, 4);
               Value f32 = arith::IndexCastUIOp::create(nb, nl, i32, f);
               Value one = intConstant(nb, nl, i32, 1);
               Value shift = arith::ShLIOp::create(nb, nl, f32, one);
               Value byte = arith::ExtUIOp::create(nb, nl, i32, args[1]);
               Value field = arith::AndIOp::create(
                   nb, nl, arith::ShRUIOp::create(nb, nl, byte, shift),
                   intConstant(nb, nl, i32, 3));
               Value x = arith::ExtSIOp::create(nb, nl, i32, args[0]);
               Value plus = arith::AddIOp::create(nb, nl, args[2], x);
               Value minus = arith::SubIOp::create(nb, nl, args[2], x);
               Value isPlus = arith::CmpIOp::create(
                   nb, nl, arith::CmpIPredicate::eq, field,
                   intConstant(nb, nl, i32, 2));
               Value isMinus = arith::CmpIOp::create(
                   nb, nl, arith::CmpIPredicate::eq, field,
                   intConstant(nb, nl, i32, 0));
               Value result = arith::SelectOp::create(
                   nb, nl, isPlus, plus,
                   arith::SelectOp::create(nb, nl, isMinus, minus, args[2]));
               linalg::YieldOp::create(nb, nl, result);
             })
      .getResult(0);
}

/// y[t, n] = sum_g acc[t, n, (g)] * weightScale(n, g) * tokenScale[t].
Value rescale(OpBuilder &b, Location loc, Value acc, Value tokenScale,
              Value weightScale, WeightsType weights, Type floatType) {
  MLIRContext *ctx = b.getContext();
  auto accType = cast<RankedTensorType>(acc.getType());
  int64_t tokens = accType.getDimSize(0), n = weights.getOutFeatures();
  bool grouped = weights.isPerGroup();
  unsigned loops = grouped ? 3 : 2;
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  AffineMap accMap = AffineMap::getMultiDimIdentityMap(loops, ctx);
  AffineMap tokenMap = AffineMap::get(loops, 0, {d(0)}, ctx);
  AffineMap weightMap =
      weights.isPerTensor()    ? AffineMap::get(loops, 0, {}, ctx)
      : weights.isPerChannel() ? AffineMap::get(loops, 0, {d(1)}, ctx)
                               : AffineMap::get(loops, 0, {d(1), d(2)}, ctx);
  AffineMap outMap = AffineMap::get(loops, 0, {d(0), d(1)}, ctx);
  SmallVector<utils::IteratorType> iterators(loops, kParallel);
  if (grouped)
    iterators.back() = kReduction;

  Value init = filledTensor(b, loc, {tokens, n},
                            floatConstant(b, loc, floatType, 0.0),
                            dynamicSizes(b, loc, acc, {tokens}));
  return linalg::GenericOp::create(
             b, loc, init.getType(), ValueRange{acc, tokenScale, weightScale},
             ValueRange{init},
             ArrayRef<AffineMap>{accMap, tokenMap, weightMap, outMap},
             iterators,
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               Value sum = arith::SIToFPOp::create(nb, nl, floatType, args[0]);
               Value ws = castFloat(nb, nl, args[2], floatType);
               Value y = arith::MulFOp::create(
                   nb, nl, arith::MulFOp::create(nb, nl, sum, args[1]), ws);
               if (grouped)
                 y = arith::AddFOp::create(nb, nl, args[3], y);
               linalg::YieldOp::create(nb, nl, y);
             })
      .getResult(0);
}

/// The packed bytes and scale of compile-time weights, stored in `layout`:
/// the constant's own storage when ternary-repack stored it so, else a copy.
FailureOr<std::pair<Value, Value>> constantWeights(OpBuilder &b, Operation *op,
                                                   Value weights,
                                                   TritLayout layout) {
  auto constant = weights.getDefiningOp<ConstantOp>();
  if (!constant)
    return op->emitOpError("cannot be lowered: its weights are not known at "
                           "compile time (expected ternary.constant)");
  Location loc = constant.getLoc();
  Value packed = arith::ConstantOp::create(
      b, loc, cast<TypedAttr>(constant.getPackedIn(layout)));
  Value scale =
      arith::ConstantOp::create(b, loc, cast<TypedAttr>(constant.getScale()));
  return std::make_pair(packed, scale);
}

/// The int32 products of [..., K] inputs (quantized per token first when
/// `epsilon` is given) by compile-time weights, as a [T, N(, G)] matrix,
/// with the scales the caller may apply.
struct TokenProduct {
  Value acc;
  Value tokenScale;
  Value weightScale;
};

FailureOr<TokenProduct> lowerTokenProduct(IRRewriter &rewriter, Operation *op,
                                          Value input, Value weightsValue,
                                          std::optional<double> epsilon,
                                          TernaryKernel kernel) {
  Location loc = op->getLoc();
  auto weights = cast<WeightsType>(weightsValue.getType());
  TritLayout layout = kernelLayout(weights, kernel);
  FailureOr<std::pair<Value, Value>> w =
      constantWeights(rewriter, op, weightsValue, layout);
  if (failed(w))
    return failure();
  Value x = flattenTokens(rewriter, loc, input, weights.getInFeatures());
  Value tokenScale;
  if (epsilon) {
    QuantizedTokens q = quantizeTokens(rewriter, loc, x, *epsilon);
    x = q.values;
    tokenScale = q.scale;
  }
  FailureOr<Value> acc = ternaryProduct(rewriter, loc, op, x, w->first,
                                        weights, layout.packing, kernel);
  if (failed(acc))
    return failure();
  return TokenProduct{*acc, tokenScale, w->second};
}

LogicalResult lowerBitLinear(IRRewriter &rewriter, BitLinearOp op,
                             TernaryKernel kernel) {
  FailureOr<TokenProduct> product =
      lowerTokenProduct(rewriter, op, op.getInput(), op.getWeights(),
                        op.getEpsilon().convertToDouble(), kernel);
  if (failed(product))
    return failure();
  Value y = rescale(rewriter, op.getLoc(), product->acc, product->tokenScale,
                    product->weightScale,
                    cast<WeightsType>(op.getWeights().getType()),
                    op.getInput().getType().getElementType());
  rewriter.replaceOp(op, unflattenTokens(rewriter, op.getLoc(), y,
                                         op.getInput(),
                                         op.getResult().getType()));
  return success();
}

LogicalResult lowerMatMul(IRRewriter &rewriter, MatMulOp op,
                          TernaryKernel kernel) {
  FailureOr<TokenProduct> product = lowerTokenProduct(
      rewriter, op, op.getInput(), op.getWeights(), std::nullopt, kernel);
  if (failed(product))
    return failure();
  rewriter.replaceOp(op, unflattenTokens(rewriter, op.getLoc(), product->acc,
                                         op.getInput(),
                                         op.getResult().getType()));
  return success();
}

LogicalResult lowerAbsMaxQuant(IRRewriter &rewriter, AbsMaxQuantOp op) {
  Location loc = op.getLoc();
  RankedTensorType inputType = op.getInput().getType();
  int64_t k = inputType.getShape().back();
  if (ShapedType::isDynamic(k))
    return op.emitOpError("cannot be lowered: the quantized dimension must "
                          "be static");
  Value x = flattenTokens(rewriter, loc, op.getInput(), k);
  QuantizedTokens q =
      quantizeTokens(rewriter, loc, x, op.getEpsilon().convertToDouble());
  Value values = unflattenTokens(rewriter, loc, q.values, op.getInput(),
                                 op.getQuantized().getType());
  // The scale keeps the input's rank with a last dim of 1.
  Value scaleMatrix = tensor::ExpandShapeOp::create(
      rewriter, loc,
      RankedTensorType::get({cast<RankedTensorType>(q.scale.getType())
                                 .getDimSize(0),
                             1},
                            inputType.getElementType()),
      q.scale, SmallVector<ReassociationIndices>{{0, 1}},
      SmallVector<OpFoldResult>{tensor::getMixedSize(rewriter, loc, q.scale, 0),
                                rewriter.getIndexAttr(1)});
  Value scale = unflattenTokens(rewriter, loc, scaleMatrix, op.getInput(),
                                op.getScale().getType());
  rewriter.replaceOp(op, {values, scale});
  return success();
}

LogicalResult lowerDequantize(IRRewriter &rewriter, DequantizeOp op) {
  Location loc = op.getLoc();
  MLIRContext *ctx = rewriter.getContext();
  auto weights = cast<WeightsType>(op.getWeights().getType());
  FailureOr<std::pair<Value, Value>> w =
      constantWeights(rewriter, op, op.getWeights(), TritLayout{});
  if (failed(w))
    return failure();
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  AffineMap packedMap =
      AffineMap::get(2, 0, {d(0), d(1).floorDiv(kTritsPerByte)}, ctx);
  AffineMap scaleMap =
      weights.isPerTensor()    ? AffineMap::get(2, 0, {}, ctx)
      : weights.isPerChannel() ? AffineMap::get(2, 0, {d(0)}, ctx)
                               : AffineMap::get(
                                     2, 0,
                                     {d(0), d(1).floorDiv(weights.getGroupSize())},
                                     ctx);
  AffineMap outMap = AffineMap::getMultiDimIdentityMap(2, ctx);
  RankedTensorType resultType = op.getResult().getType();
  Value init = tensor::EmptyOp::create(rewriter, loc, resultType.getShape(),
                                       resultType.getElementType());
  Type i32 = rewriter.getI32Type();
  Type floatType = resultType.getElementType();
  Value result =
      linalg::GenericOp::create(
          rewriter, loc, resultType, ValueRange{w->first, w->second},
          ValueRange{init}, ArrayRef<AffineMap>{packedMap, scaleMap, outMap},
          ArrayRef{kParallel, kParallel},
          [&](OpBuilder &nb, Location nl, ValueRange args) {
            Value k = linalg::IndexOp::create(nb, nl, 1);
            Value k32 = arith::IndexCastUIOp::create(nb, nl, i32, k);
            Value shift = arith::ShLIOp::create(
                nb, nl, arith::AndIOp::create(nb, nl, k32,
                                              intConstant(nb, nl, i32, 3)),
                intConstant(nb, nl, i32, 1));
            Value byte = arith::ExtUIOp::create(nb, nl, i32, args[0]);
            Value field = arith::AndIOp::create(
                nb, nl, arith::ShRUIOp::create(nb, nl, byte, shift),
                intConstant(nb, nl, i32, 3));
            Value trit = arith::SubIOp::create(nb, nl, field,
                                               intConstant(nb, nl, i32, 1));
            Value value = arith::SIToFPOp::create(nb, nl, floatType, trit);
            Value scale = castFloat(nb, nl, args[1], floatType);
            linalg::YieldOp::create(
                nb, nl, Value(arith::MulFOp::create(nb, nl, value, scale)));
          })
          .getResult(0);
  rewriter.replaceOp(op, result);
  return success();
}

struct ConvertTernaryToLinalgPass
    : bitnet::impl::ConvertTernaryToLinalgPassBase<ConvertTernaryToLinalgPass> {
  using ConvertTernaryToLinalgPassBase::ConvertTernaryToLinalgPassBase;

  void runOnOperation() override {
    FailureOr<TernaryKernel> kernel =
        chooseTernaryKernel(getOperation(), this->kernel);
    if (failed(kernel))
      return signalPassFailure();
    IRRewriter rewriter(&getContext());
    SmallVector<Operation *> worklist;
    getOperation()->walk([&](Operation *op) {
      if (isa<BitLinearOp, MatMulOp, AbsMaxQuantOp, DequantizeOp>(op))
        worklist.push_back(op);
    });
    bool ok = true;
    for (Operation *op : worklist) {
      rewriter.setInsertionPoint(op);
      LogicalResult lowered =
          TypeSwitch<Operation *, LogicalResult>(op)
              .Case([&](BitLinearOp o) {
                return lowerBitLinear(rewriter, o, *kernel);
              })
              .Case([&](MatMulOp o) {
                return lowerMatMul(rewriter, o, *kernel);
              })
              .Case([&](AbsMaxQuantOp o) {
                return lowerAbsMaxQuant(rewriter, o);
              })
              .Case([&](DequantizeOp o) {
                return lowerDequantize(rewriter, o);
              });
      ok &= succeeded(lowered);
    }
    if (!ok)
      return signalPassFailure();

    // Weights whose every user is lowered are dead now.
    SmallVector<Operation *> producers;
    getOperation()->walk([&](Operation *op) {
      if (isa<ConstantOp, PackOp, UnpackOp, AbsMeanQuantOp>(op))
        producers.push_back(op);
    });
    for (Operation *op : llvm::reverse(producers))
      if (op->use_empty())
        rewriter.eraseOp(op);
  }
};

} // namespace

FailureOr<TernaryKernel> mlir::bitnet::chooseTernaryKernel(Operation *root,
                                                         StringRef name) {
  ModuleOp module = isa<ModuleOp>(root) ? cast<ModuleOp>(root)
                                        : root->getParentOfType<ModuleOp>();
  if (name == "auto" && module)
    if (auto forced = module->getAttrOfType<StringAttr>(kTernaryKernelAttrName))
      name = forced.getValue();
  if (name == "loops")
    return TernaryKernel::Loops;
  if (name == "addsub")
    return TernaryKernel::AddSub;
  if (name != "auto" && name != "dot")
    return root->emitError() << "unknown ternary kernel '" << name
                             << "' (auto, loops, addsub or dot)";
  std::string int8Dot;
  if (module && module->hasAttr(kTargetAttrName)) {
    FailureOr<TargetInfo> target = TargetInfo::get(module);
    if (failed(target))
      return failure();
    int8Dot = target->int8Dot;
  }
  if (name == "auto" && int8Dot.empty())
    return TernaryKernel::AddSub;
  return int8Dot == "dotprod" ? TernaryKernel::SignedDot
         : int8Dot == "avx2"  ? TernaryKernel::PairDot
                              : TernaryKernel::Dot;
}

TritLayout mlir::bitnet::kernelLayout(ternary::WeightsType weights,
                                      TernaryKernel kernel) {
  if (kernel == TernaryKernel::Loops || weights.isPerGroup())
    return {};
  int64_t chunk = ChunkFormat::of(weights.getPacking()).bytes;
  int64_t align = weights.getRowAlign();
  return {weights.getPacking(), align % chunk == 0 ? align : chunk};
}
