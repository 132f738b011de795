//===- BatchMatMulToVector.cpp - attention's products over the cache ------===//
//
// The two products of attention, scores = Q K^T and out = P V, for
// [B, H, M, K] activations against a [B, G, *, *] cache (G = H / rep kv
// heads), as vector code that reads the cache where it lies:
//
//   - K^T is a Transpose of the cache: each score is a dot product of two
//     contiguous rows (VectorDot.h), one parallel element per score, and the
//     transpose is never materialized.
//   - grouped-query attention repeats each kv head rep times
//     (Unsqueeze, Expand, Reshape): query head h reads kv head h / rep, and
//     the repeated copy is never materialized either.
//   - P V accumulates rows of V scaled by P's entries into a vector as wide
//     as a row of V (up to kDotLanes; masked at the end), since V's columns
//     are strided.
//
// Both are matched on the onnx ops before anything else is lowered, so the
// chain that repeats or transposes the cache is still visible.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "PopulatePatterns.h"
#include "VectorDot.h"

#include "BitNet/Dialect/ONNX/IR/ONNXOps.h"
#include "BitNet/Support/KernelAttributes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::bitnet;
namespace onnx = mlir::bitnet::onnx;

namespace {

/// What the B operand of a MatMul reads: `cache` ([B, G, *, *]), possibly
/// transposed in its last two dims, with each of its G heads serving `rep`
/// consecutive heads of the product.
struct CacheOperand {
  Value cache;
  bool transposed = false;
  int64_t rep = 1;
};

RankedTensorType rankedType(Type t) { return dyn_cast<RankedTensorType>(t); }
RankedTensorType rankedType(Value v) { return rankedType(v.getType()); }

bool isTransposeOfLastTwo(onnx::TransposeOp t) {
  auto perm = t.getPerm();
  auto type = rankedType(t.getData());
  if (!perm || !type || int64_t(perm->size()) != type.getRank())
    return false;
  int64_t rank = type.getRank();
  for (int64_t i = 0; i < rank; ++i) {
    int64_t want = i < rank - 2 ? i : (i == rank - 2 ? rank - 1 : rank - 2);
    if (cast<IntegerAttr>((*perm)[i]).getInt() != want)
      return false;
  }
  return true;
}

/// `v` as Reshape(Expand(Unsqueeze(x))) repeating the heads of x
/// ([B, G, S, D]) rep times into [B, G * rep, S, D]: x and rep, judged by
/// the inferred types alone (which the shape inference made exact).
std::optional<std::pair<Value, int64_t>> matchRepeatedHeads(Value v) {
  auto reshape = v.getDefiningOp<onnx::ReshapeOp>();
  auto expand = reshape ? reshape.getData().getDefiningOp<onnx::ExpandOp>()
                        : onnx::ExpandOp();
  auto unsqueeze = expand ? expand.getInput().getDefiningOp<onnx::UnsqueezeOp>()
                          : onnx::UnsqueezeOp();
  if (!unsqueeze)
    return std::nullopt;
  auto x = rankedType(unsqueeze.getData());
  auto u = rankedType(unsqueeze.getType());
  auto e = rankedType(expand.getType());
  auto r = rankedType(reshape.getType());
  if (!x || !u || !e || !r || x.getRank() != 4 || u.getRank() != 5 ||
      e.getRank() != 5 || r.getRank() != 4)
    return std::nullopt;
  // [B, G, S, D] -> [B, G, 1, S, D] -> [B, G, rep, S, D] -> [B, G*rep, S, D]
  ArrayRef<int64_t> xs = x.getShape(), us = u.getShape();
  ArrayRef<int64_t> es = e.getShape(), rs = r.getShape();
  auto same = [](int64_t a, int64_t b) {
    return a == b || (ShapedType::isDynamic(a) && ShapedType::isDynamic(b));
  };
  int64_t g = xs[1], rep = es[2];
  if (ShapedType::isDynamic(g) || ShapedType::isDynamic(rep) || rep < 1 ||
      us[2] != 1 || !same(us[0], xs[0]) || us[1] != g || !same(us[3], xs[2]) ||
      !same(us[4], xs[3]) || !same(es[0], xs[0]) || es[1] != g ||
      !same(es[3], xs[2]) || !same(es[4], xs[3]) || !same(rs[0], xs[0]) ||
      rs[1] != g * rep || !same(rs[2], xs[2]) || !same(rs[3], xs[3]))
    return std::nullopt;
  return std::make_pair(unsqueeze.getData(), rep);
}

CacheOperand peelCacheOperand(Value b) {
  CacheOperand operand{b};
  if (auto t = b.getDefiningOp<onnx::TransposeOp>(); t && isTransposeOfLastTwo(t)) {
    operand.cache = t.getData();
    operand.transposed = true;
  }
  if (auto repeated = matchRepeatedHeads(operand.cache)) {
    operand.cache = repeated->first;
    operand.rep = repeated->second;
  }
  return operand;
}

/// Index of the cache head that query head `h` reads.
Value cacheHead(OpBuilder &b, Location loc, Value h, int64_t rep) {
  if (rep == 1)
    return h;
  return arith::DivUIOp::create(b, loc, h, cIndex(b, loc, rep));
}

/// scores[b, h, m, n] = dot(A[b, h, m, :], cache[b, h / rep, n, :]).
Value buildRowDotProduct(PatternRewriter &rewriter, Location loc, Value a,
                         const CacheOperand &operand, Value init, int64_t k) {
  MLIRContext *ctx = rewriter.getContext();
  auto product = linalg::GenericOp::create(
      rewriter, loc, init.getType(), ValueRange{}, ValueRange{init},
      SmallVector<AffineMap>{AffineMap::getMultiDimIdentityMap(4, ctx)},
      SmallVector<utils::IteratorType>(4, utils::IteratorType::parallel),
      [&](OpBuilder &b, Location l, ValueRange) {
        SmallVector<Value> at;
        for (int64_t i = 0; i < 4; ++i)
          at.push_back(linalg::IndexOp::create(b, l, i));
        Value g = cacheHead(b, l, at[1], operand.rep);
        Value dot = buildLaneDot(b, l, a, {at[0], at[1], at[2]}, operand.cache,
                                 {at[0], g, at[3]}, k);
        linalg::YieldOp::create(b, l, dot);
      });
  product->setAttr(kParallelKernelAttrName, rewriter.getUnitAttr());
  return product.getResult(0);
}

/// out[b, h, m, :] = sum over k of A[b, h, m, k] * cache[b, h / rep, k, :],
/// `width` columns at a time.
Value buildRowCombination(PatternRewriter &rewriter, Location loc, Value a,
                          const CacheOperand &operand, Value init,
                          ArrayRef<Value> outSizes, Value k, int64_t n) {
  int64_t width = kDotLanes;
  if (!ShapedType::isDynamic(n))
    width = std::min<int64_t>(kDotLanes, llvm::alignTo(n, 16));
  Value zero = cIndex(rewriter, loc, 0), one = cIndex(rewriter, loc, 1);
  auto vec = VectorType::get({width}, rewriter.getF32Type());
  // Loops over (b, h, m, column chunk), carrying the result.
  SmallVector<Value> bounds(outSizes.begin(), outSizes.begin() + 3);
  Value cols = outSizes[3];
  Value chunks = arith::CeilDivUIOp::create(rewriter, loc, cols,
                                            cIndex(rewriter, loc, width));
  bounds.push_back(chunks);
  SmallVector<Value> ivs;
  std::function<Value(OpBuilder &, Location, Value)> nest =
      [&](OpBuilder &b, Location l, Value out) -> Value {
    if (ivs.size() < bounds.size())
      return scf::ForOp::create(
                 b, l, zero, bounds[ivs.size()], one, ValueRange{out},
                 [&](OpBuilder &nb, Location nl, Value iv, ValueRange iter) {
                   ivs.push_back(iv);
                   scf::YieldOp::create(nb, nl, nest(nb, nl, iter[0]));
                   ivs.pop_back();
                 })
          .getResult(0);
    Value col = arith::MulIOp::create(b, l, ivs[3], cIndex(b, l, width));
    Value g = cacheHead(b, l, ivs[1], operand.rep);
    Value init = arith::ConstantOp::create(
        b, l, DenseElementsAttr::get(vec, b.getF32FloatAttr(0.0f)));
    Value acc =
        scf::ForOp::create(
            b, l, zero, k, one, ValueRange{init},
            [&](OpBuilder &nb, Location nl, Value kk, ValueRange iter) {
              Value p = tensor::ExtractOp::create(
                  nb, nl, a, ValueRange{ivs[0], ivs[1], ivs[2], kk});
              Value row = readF32Lanes(nb, nl, operand.cache,
                                       {ivs[0], g, kk, col}, width, false);
              Value ps = vector::BroadcastOp::create(nb, nl, vec, p);
              scf::YieldOp::create(
                  nb, nl, Value(vector::FMAOp::create(nb, nl, ps, row, iter[0])));
            })
            .getResult(0);
    return vector::TransferWriteOp::create(
               b, l, acc, out, ValueRange{ivs[0], ivs[1], ivs[2], col},
               ArrayRef<bool>{false})
        .getResult();
  };
  return nest(rewriter, loc, init);
}

/// onnx.MatMul of f32 [B, H, M, K] by a cache operand ([B, H, K, N] as
/// the kv heads read it).
struct BatchMatMulToVector : OpRewritePattern<onnx::MatMulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(onnx::MatMulOp op,
                                PatternRewriter &rewriter) const override {
    auto aType = rankedType(op.getA());
    auto yType = rankedType(op.getType());
    if (!aType || !yType || aType.getRank() != 4 || yType.getRank() != 4 ||
        !aType.getElementType().isF32() || !yType.getElementType().isF32())
      return rewriter.notifyMatchFailure(op, "needs f32 [B, H, M, K] operands");
    CacheOperand operand = peelCacheOperand(op.getB());
    auto cType = rankedType(operand.cache);
    if (!cType || cType.getRank() != 4 || !cType.getElementType().isF32())
      return rewriter.notifyMatchFailure(op, "B is not a rank-4 f32 tensor");
    // Batch and heads must line up without broadcasting, and K must be
    // known: it sizes the vector loop.
    int64_t batch = aType.getDimSize(0), heads = aType.getDimSize(1);
    int64_t k = aType.getDimSize(3);
    int64_t cacheK = cType.getDimSize(operand.transposed ? 3 : 2);
    if (ShapedType::isDynamic(batch) || cType.getDimSize(0) != batch ||
        ShapedType::isDynamic(heads) ||
        cType.getDimSize(1) * operand.rep != heads ||
        (operand.transposed && ShapedType::isDynamic(k)) ||
        (!ShapedType::isDynamic(cacheK) && !ShapedType::isDynamic(k) &&
         cacheK != k))
      return rewriter.notifyMatchFailure(op, "operands do not line up");

    Location loc = op.getLoc();
    Value a = op.getA(), cache = operand.cache;
    int64_t nDim = operand.transposed ? 2 : 3;
    SmallVector<Value> sizes = {cIndex(rewriter, loc, batch),
                                cIndex(rewriter, loc, heads),
                                getDimSize(rewriter, loc, a, 2),
                                getDimSize(rewriter, loc, cache, nDim)};
    SmallVector<int64_t> shape = {batch, heads, aType.getDimSize(2),
                                  cType.getDimSize(nDim)};
    auto outType = RankedTensorType::get(shape, rewriter.getF32Type());
    Value init = tensor::EmptyOp::create(rewriter, loc, shape,
                                         rewriter.getF32Type(),
                                         dynamicSizesOf(outType, sizes));
    Value y = operand.transposed
                  ? buildRowDotProduct(rewriter, loc, a, operand, init, k)
                  : buildRowCombination(rewriter, loc, a, operand, init, sizes,
                                        getDimSize(rewriter, loc, a, 3),
                                        shape[3]);
    if (y.getType() != yType)
      y = tensor::CastOp::create(rewriter, loc, yType, y);
    rewriter.replaceOp(op, y);
    return success();
  }
};

} // namespace

void mlir::bitnet::populateBatchMatMulToVectorPatterns(
    RewritePatternSet &patterns) {
  patterns.add<BatchMatMulToVector>(patterns.getContext());
}
