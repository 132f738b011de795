//===- TernaryFolding.cpp - folds and canonicalizations -------------------===//
//
// What the ternary ops become when their operands are known: quantization
// of constant weights happens at compile time, and pack/unpack pairs cancel.
//
//===----------------------------------------------------------------------===//

#include "BitNet/Dialect/Ternary/IR/TernaryOps.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

#include <cmath>

using namespace mlir;
using namespace mlir::bitnet::ternary;

namespace {

/// The values of a float constant as floats, from a dense attribute or an
/// f32 resource blob; nullopt for anything else.
std::optional<SmallVector<float>> readFloatConstant(Value value) {
  Attribute attr;
  if (!matchPattern(value, m_Constant(&attr)))
    return std::nullopt;
  if (auto dense = dyn_cast<DenseFPElementsAttr>(attr)) {
    SmallVector<float> values;
    values.reserve(dense.getNumElements());
    for (APFloat v : dense.getValues<APFloat>()) {
      bool losesInfo;
      v.convert(APFloat::IEEEsingle(), APFloat::rmNearestTiesToEven,
                &losesInfo);
      values.push_back(v.convertToFloat());
    }
    return values;
  }
  if (auto resource = dyn_cast<DenseF32ResourceElementsAttr>(attr)) {
    std::optional<ArrayRef<float>> data = resource.tryGetAsArrayRef();
    if (!data)
      return std::nullopt;
    return SmallVector<float>(*data);
  }
  return std::nullopt;
}

/// The scale attribute for `gammas` (one per scale group) in `type`'s
/// scale element type.
ElementsAttr buildScaleAttr(WeightsType type, ArrayRef<float> gammas) {
  SmallVector<APFloat> values;
  for (float gamma : gammas) {
    APFloat v(gamma);
    bool losesInfo;
    v.convert(type.getScaleType().getFloatSemantics(),
              APFloat::rmNearestTiesToEven, &losesInfo);
    values.push_back(v);
  }
  return DenseElementsAttr::get(type.getScaleTensorType(), values);
}

/// absmean_quant(constant) -> ternary.constant, computing in float as the
/// PyTorch reference does (the reciprocal of gamma, then a multiply), so
/// that the trits match a model that quantizes at every forward.
struct FoldAbsMeanOfConstant : OpRewritePattern<AbsMeanQuantOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(AbsMeanQuantOp op,
                                PatternRewriter &rewriter) const override {
    std::optional<SmallVector<float>> weights =
        readFloatConstant(op.getInput());
    if (!weights)
      return rewriter.notifyMatchFailure(op, "input is not a float constant");

    auto type = cast<WeightsType>(op.getResult().getType());
    int64_t rows = type.getOutFeatures(), cols = type.getInFeatures();
    if (int64_t(weights->size()) != rows * cols)
      return rewriter.notifyMatchFailure(op, "constant has the wrong size");
    // Scale groups: the whole matrix, or `group` columns of one row.
    int64_t groupCols = type.isPerTensor() ? cols : type.getGroupSize();
    int64_t groupRows = type.isPerTensor() ? rows : 1;
    int64_t groupsPerRow = cols / groupCols;
    auto groupOf = [&](int64_t n, int64_t k) -> int64_t {
      return type.isPerTensor() ? 0 : n * groupsPerRow + k / groupCols;
    };

    size_t numGroups = type.isPerTensor() ? 1 : rows * groupsPerRow;
    SmallVector<double> sums(numGroups, 0.0);
    for (int64_t n = 0; n < rows; ++n)
      for (int64_t k = 0; k < cols; ++k)
        sums[groupOf(n, k)] += std::fabs((*weights)[n * cols + k]);

    float epsilon = static_cast<float>(op.getEpsilon().convertToDouble());
    SmallVector<float> gammas, reciprocals;
    for (double sum : sums) {
      float mean = static_cast<float>(sum / double(groupRows * groupCols));
      float gamma = std::max(mean, epsilon);
      gammas.push_back(gamma);
      reciprocals.push_back(1.0f / gamma);
    }

    SmallVector<int8_t> trits(rows * cols);
    for (int64_t n = 0; n < rows; ++n) {
      for (int64_t k = 0; k < cols; ++k) {
        float scaled = (*weights)[n * cols + k] * reciprocals[groupOf(n, k)];
        // nearbyint rounds half to even under the default rounding mode,
        // as torch.round and ONNX Round do.
        float rounded = std::nearbyint(scaled);
        trits[n * cols + k] =
            static_cast<int8_t>(std::clamp(rounded, -1.0f, 1.0f));
      }
    }
    rewriter.replaceOpWithNewOp<ConstantOp>(op, type, trits,
                                            buildScaleAttr(type, gammas));
    return success();
  }
};

/// pack(constant trits, constant scale) -> ternary.constant, unless a value
/// is not a trit (then the pack stays, and its behaviour is undefined).
struct FoldPackOfConstants : OpRewritePattern<PackOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(PackOp op,
                                PatternRewriter &rewriter) const override {
    DenseIntElementsAttr tritsAttr;
    ElementsAttr scaleAttr;
    if (!matchPattern(op.getTrits(), m_Constant(&tritsAttr)) ||
        !matchPattern(op.getScale(), m_Constant(&scaleAttr)))
      return rewriter.notifyMatchFailure(op, "operands are not constants");
    SmallVector<int8_t> trits;
    trits.reserve(tritsAttr.getNumElements());
    for (int8_t v : tritsAttr.getValues<int8_t>()) {
      if (v < -1 || v > 1)
        return rewriter.notifyMatchFailure(op, "a value is not a trit");
      trits.push_back(v);
    }
    rewriter.replaceOpWithNewOp<ConstantOp>(
        op, cast<WeightsType>(op.getResult().getType()), trits, scaleAttr);
    return success();
  }
};

} // namespace

void AbsMeanQuantOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                                 MLIRContext *context) {
  results.add<FoldAbsMeanOfConstant>(context);
}

void PackOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                         MLIRContext *context) {
  results.add<FoldPackOfConstants>(context);
}

// pack(unpack(w)) -> w
OpFoldResult PackOp::fold(FoldAdaptor) {
  auto unpack = getTrits().getDefiningOp<UnpackOp>();
  if (unpack && getScale() == unpack.getScale() &&
      unpack.getWeights().getType() == getResult().getType())
    return unpack.getWeights();
  return {};
}

// unpack(pack(t, s)) -> t, s
LogicalResult UnpackOp::fold(FoldAdaptor,
                             SmallVectorImpl<OpFoldResult> &results) {
  auto pack = getWeights().getDefiningOp<PackOp>();
  if (!pack)
    return failure();
  results.push_back(pack.getTrits());
  results.push_back(pack.getScale());
  return success();
}
