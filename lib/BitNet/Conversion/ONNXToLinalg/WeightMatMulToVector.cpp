//===- WeightMatMulToVector.cpp - float MatMuls by compile-time weights ---===//
//
// The float layers left after BitLinear recognition whose weights are known
// (the head above all, a GEMV over the vocabulary at decode) read their
// weights as rows: y[t, n] = dot(x[t, :], W[n, :]) with W = B^T (VectorDot.h),
// each output computed by one (parallel) linalg element. Rows are
// contiguous, so the weights stream from memory in order. Where B is the
// transpose of a constant (a tied head over the embedding table), W is that
// constant itself, read in place; otherwise B is transposed once here.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "PopulatePatterns.h"
#include "VectorDot.h"

#include "BitNet/Dialect/ONNX/IR/ONNXOps.h"
#include "BitNet/Support/ElementsStorage.h"
#include "BitNet/Support/KernelAttributes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

#include <cmath>
#include <cstring>

using namespace mlir;
using namespace mlir::bitnet;
namespace onnx = mlir::bitnet::onnx;

namespace {

/// The f32 elements of a constant, dense or resource; empty if neither.
std::vector<float> readFloats(ElementsAttr attr) {
  std::vector<float> values;
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    for (APFloat v : dense.getValues<APFloat>())
      values.push_back(v.convertToFloat());
    return values;
  }
  auto resource = dyn_cast<DenseResourceElementsAttr>(attr);
  if (!resource)
    return values;
  ArrayRef<char> raw = resource.getData();
  if (raw.size() != size_t(attr.getNumElements()) * sizeof(float))
    return values;
  values.resize(attr.getNumElements());
  std::memcpy(values.data(), raw.data(), raw.size());
  return values;
}

/// Bytes as a constant of `type`, under the one size policy.
Value bytesConstant(PatternRewriter &rewriter, Location loc,
                    RankedTensorType type, ArrayRef<char> bytes) {
  return arith::ConstantOp::create(
      rewriter, loc,
      cast<TypedAttr>(buildElementsAttr(type, bytes, "weight_rows")));
}

/// The [N, K] weight rows a product reads, in their storage type, and for
/// int8 storage the f32 scale of each row ([N]).
struct WeightRows {
  Value rows;
  Value scales;
  explicit operator bool() const { return bool(rows); }
};

/// `rows` ([N, K] f32) stored as `storage`: f32 as is, f16/bf16 rounded to
/// nearest, i8 as round(w / s) with s = max|row| / 127 per row (llama.cpp's
/// Q8 head, at one scale per row instead of per block of 32).
WeightRows rowsConstant(PatternRewriter &rewriter, Location loc,
                        ArrayRef<float> rows, int64_t n, int64_t k,
                        Type storage) {
  auto type = RankedTensorType::get({n, k}, storage);
  auto asBytes = [](const auto &v) {
    return ArrayRef<char>(reinterpret_cast<const char *>(v.data()),
                          v.size() * sizeof(v[0]));
  };
  if (storage.isF32())
    return {bytesConstant(rewriter, loc, type, asBytes(rows)), {}};
  if (storage.isInteger(8)) {
    std::vector<int8_t> q(rows.size());
    std::vector<float> scales(n);
    for (int64_t r = 0; r < n; ++r) {
      float max = 0;
      for (int64_t i = 0; i < k; ++i)
        max = std::max(max, std::fabs(rows[r * k + i]));
      float s = max > 0 ? max / 127.0f : 1.0f;
      scales[r] = s;
      for (int64_t i = 0; i < k; ++i)
        q[r * k + i] = int8_t(std::lround(rows[r * k + i] / s));
    }
    auto scaleType = RankedTensorType::get({n}, rewriter.getF32Type());
    return {bytesConstant(rewriter, loc, type, asBytes(q)),
            bytesConstant(rewriter, loc, scaleType, asBytes(scales))};
  }
  auto semantics = &cast<FloatType>(storage).getFloatSemantics();
  std::vector<uint16_t> narrow;
  narrow.reserve(rows.size());
  for (float v : rows) {
    APFloat f(v);
    bool lost;
    f.convert(*semantics, APFloat::rmNearestTiesToEven, &lost);
    narrow.push_back(uint16_t(f.bitcastToAPInt().getZExtValue()));
  }
  return {bytesConstant(rewriter, loc, type, asBytes(narrow)), {}};
}

/// The rows of `constant` ([N, K] f32, the operand of a transpose that
/// makes B): itself when stored as f32, else a narrowed copy.
WeightRows rowsOfTransposed(PatternRewriter &rewriter, Location loc,
                            Value constant, Type storage) {
  ElementsAttr attr;
  if (!matchPattern(constant, m_Constant(&attr)))
    return {};
  if (storage.isF32())
    return {constant, {}};
  auto type = cast<RankedTensorType>(constant.getType());
  std::vector<float> rows = readFloats(attr);
  if (int64_t(rows.size()) != attr.getNumElements())
    return {};
  return rowsConstant(rewriter, loc, rows, type.getDimSize(0),
                      type.getDimSize(1), storage);
}

/// W = B^T as [N, K] rows of `storage` type: the constant under a
/// Transpose of B (read in place when it is f32 already), or a transposed
/// copy of constant B; null when B is not known.
WeightRows weightRows(PatternRewriter &rewriter, Location loc, Value b,
                      Type storage) {
  auto bType = cast<RankedTensorType>(b.getType());
  if (auto t = b.getDefiningOp<onnx::TransposeOp>()) {
    auto perm = t.getPerm();
    bool swaps = !perm || (perm->size() == 2 &&
                           cast<IntegerAttr>((*perm)[0]).getInt() == 1);
    if (swaps)
      if (WeightRows rows = rowsOfTransposed(rewriter, loc, t.getData(), storage))
        return rows;
  }
  // The walk may have lowered the Transpose already.
  if (auto t = b.getDefiningOp<linalg::TransposeOp>())
    if (t.getPermutation() == ArrayRef<int64_t>{1, 0})
      if (WeightRows rows =
              rowsOfTransposed(rewriter, loc, t.getInput(), storage))
        return rows;
  ElementsAttr attr;
  if (!matchPattern(b, m_Constant(&attr)))
    return {};
  std::vector<float> values = readFloats(attr);
  int64_t k = bType.getDimSize(0), n = bType.getDimSize(1);
  if (int64_t(values.size()) != k * n)
    return {};
  std::vector<float> rows(values.size());
  for (int64_t i = 0; i < k; ++i)
    for (int64_t j = 0; j < n; ++j)
      rows[j * k + i] = values[i * n + j];
  return rowsConstant(rewriter, loc, rows, n, k, storage);
}

/// sum over k of x[t, k] * w[n, k], times the row's scale if it has one.
Value rowDot(OpBuilder &b, Location loc, Value x, const WeightRows &w,
             Value t, Value n, int64_t k) {
  Value sum = buildLaneDot(b, loc, x, t, w.rows, n, k);
  if (!w.scales)
    return sum;
  Value scale = tensor::ExtractOp::create(b, loc, w.scales, ValueRange{n});
  return arith::MulFOp::create(b, loc, sum, scale);
}

/// y = x @ B for f32 x [..., K] and compile-time B [K, N].
struct WeightMatMulToVector : OpRewritePattern<onnx::MatMulOp> {
  WeightMatMulToVector(MLIRContext *context, Type storage)
      : OpRewritePattern(context, /*benefit=*/2), storage(storage) {}
  Type storage;

  LogicalResult matchAndRewrite(onnx::MatMulOp op,
                                PatternRewriter &rewriter) const override {
    auto aType = dyn_cast<RankedTensorType>(op.getA().getType());
    auto bType = dyn_cast<RankedTensorType>(op.getB().getType());
    auto yType = dyn_cast<RankedTensorType>(op.getType());
    if (!aType || !bType || !yType || aType.getRank() < 2 ||
        bType.getRank() != 2 || !bType.hasStaticShape() ||
        !aType.getElementType().isF32() || !bType.getElementType().isF32() ||
        !yType.getElementType().isF32() || yType.getRank() != aType.getRank() ||
        aType.getShape().back() != bType.getDimSize(0))
      return rewriter.notifyMatchFailure(op, "needs f32 x [..., K], B [K, N]");
    Location loc = op.getLoc();
    WeightRows w = weightRows(rewriter, loc, op.getB(), storage);
    if (!w)
      return rewriter.notifyMatchFailure(op, "B is not known at compile time");
    int64_t k = bType.getDimSize(0), n = bType.getDimSize(1);

    // [..., K] as [T, K]; the result [T, N] back as [..., N].
    int64_t rank = aType.getRank();
    ReassociationIndices leading;
    for (int64_t i = 0; i + 1 < rank; ++i)
      leading.push_back(i);
    SmallVector<ReassociationIndices> groups = {leading, {rank - 1}};
    Value x = rank == 2 ? op.getA()
                        : Value(tensor::CollapseShapeOp::create(
                              rewriter, loc, op.getA(), groups));
    auto xType = cast<RankedTensorType>(x.getType());
    int64_t tokens = xType.getDimSize(0);
    SmallVector<Value> dynamic;
    if (ShapedType::isDynamic(tokens))
      dynamic.push_back(tensor::DimOp::create(rewriter, loc, x, 0));
    Value init = tensor::EmptyOp::create(
        rewriter, loc, ArrayRef<int64_t>{tokens, n}, rewriter.getF32Type(),
        dynamic);
    auto product = linalg::GenericOp::create(
        rewriter, loc, init.getType(), ValueRange{}, ValueRange{init},
        // Loops (output, token): a weight row serves every token while it
        // is in L1, so prefill streams the weights once.
        SmallVector<AffineMap>{AffineMap::get(
            2, 0,
            {rewriter.getAffineDimExpr(1), rewriter.getAffineDimExpr(0)},
            rewriter.getContext())},
        SmallVector<utils::IteratorType>(2, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location l, ValueRange) {
          Value row = linalg::IndexOp::create(b, l, 0);
          Value t = linalg::IndexOp::create(b, l, 1);
          linalg::YieldOp::create(b, l, rowDot(b, l, x, w, t, row, k));
        });
    product->setAttr(kParallelKernelAttrName, rewriter.getUnitAttr());
    Value y = product.getResult(0);
    if (rank > 2) {
      SmallVector<OpFoldResult> sizes;
      for (int64_t i = 0; i + 1 < rank; ++i)
        sizes.push_back(tensor::getMixedSize(rewriter, loc, op.getA(), i));
      sizes.push_back(rewriter.getIndexAttr(n));
      SmallVector<int64_t> shape(aType.getShape());
      shape.back() = n;
      y = tensor::ExpandShapeOp::create(
          rewriter, loc, RankedTensorType::get(shape, rewriter.getF32Type()), y,
          groups, sizes);
    }
    if (y.getType() != yType)
      y = tensor::CastOp::create(rewriter, loc, yType, y);
    rewriter.replaceOp(op, y);
    return success();
  }
};

} // namespace

void mlir::bitnet::populateWeightMatMulToVectorPatterns(
    RewritePatternSet &patterns, Type storage) {
  patterns.add<WeightMatMulToVector>(patterns.getContext(), storage);
}
