//===- ONNXToTernary.cpp - BitNet layers out of ONNX graphs ---------------===//
//
// Finds BitNet b1.58's linear layers in imported graphs. The weights are
// whatever the export computes them to be, evaluated now; the activations
// must come through the per-token absmax quantizer, matched structurally:
//
//   s = 127 * reciprocal(clip(reducemax(abs(x), -1), eps))   (or 127 / ...)
//   q = clip(round(x * s), -128, 127) / s
//
// A MatMul of such q by ternary weights is ternary.bitlinear(x, w).
//
//===----------------------------------------------------------------------===//

#include "BitNet/Conversion/ONNXToTernary/ONNXToTernary.h"
#include "BitNet/Dialect/ONNX/IR/ONNXOps.h"
#include "BitNet/Dialect/Ternary/IR/TernaryOps.h"
#include "BitNet/Support/ElementsStorage.h"
#include "BitNet/Support/Progress.h"
#include "ActivationQuant.h"
#include "ConstantEvaluator.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Threading.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include <cmath>
#include <cstring>

namespace mlir::bitnet {
#define GEN_PASS_DEF_CONVERTONNXTOTERNARYPASS
#include "BitNet/Conversion/Passes.h.inc"
} // namespace mlir::bitnet

using namespace mlir;
using namespace mlir::bitnet;
namespace onnx = mlir::bitnet::onnx;
namespace ternary = mlir::bitnet::ternary;

namespace {

/// Ternary weights out of an evaluated [K, N] matrix: trits as [N, K] and
/// one scale per tensor or per output column.
struct TernaryMatrix {
  SmallVector<int8_t> trits;
  SmallVector<float> scales;
};

/// How far a weight may be from its column's magnitude and still count as
/// that magnitude. Exporters that fold a training graph (torch.export does)
/// bake the straight-through estimator w + (q - w) into the initializer, so
/// exact trits arrive a few ulps off; real float weights are nowhere near
/// one magnitude per column.
constexpr double kMagnitudeTolerance = 1e-5;

bool sameMagnitude(double a, double b) {
  return std::fabs(a - b) <= kMagnitudeTolerance * std::max(a, b);
}

/// `w` is B ([K, N]) or, when `rowsAreOutputs`, B^T ([N, K]): the operand
/// of the Transpose that exporters put before the MatMul. Read in that
/// layout, nothing is transposed, and the trits are written in order.
/// (The layout is a template argument: the loops below run over every
/// weight of the model, and a branch per element in them costs a sixth of
/// recognition.)
template <bool rowsAreOutputs>
std::optional<TernaryMatrix> classifyTernaryIn(const EvaluatedTensor &w,
                                               std::string &why) {
  int64_t k = w.shape[rowsAreOutputs ? 1 : 0];
  int64_t n = w.shape[rowsAreOutputs ? 0 : 1];
  // Element (r, c) of B, and the loops in the order of memory.
  auto at = [&](int64_t r, int64_t c) {
    return w.values[rowsAreOutputs ? c * k + r : r * n + c];
  };
  auto forEach = [&](auto fn) {
    if constexpr (rowsAreOutputs) {
      for (int64_t c = 0; c < n; ++c)
        for (int64_t r = 0; r < k; ++r)
          if (!fn(r, c))
            return false;
    } else {
      for (int64_t r = 0; r < k; ++r)
        for (int64_t c = 0; c < n; ++c)
          if (!fn(r, c))
            return false;
    }
    return true;
  };
  SmallVector<double> magnitude(n, 0.0), sum(n, 0.0);
  SmallVector<int64_t> count(n, 0);
  forEach([&](int64_t r, int64_t c) {
    magnitude[c] = std::max(magnitude[c], std::fabs(at(r, c)));
    return true;
  });
  TernaryMatrix result;
  result.trits.resize(n * k);
  bool ternary = forEach([&](int64_t r, int64_t c) {
    {
      double v = at(r, c);
      if (v != 0 && !sameMagnitude(std::fabs(v), magnitude[c])) {
        why = "output " + std::to_string(c) + " mixes magnitudes " +
              std::to_string(std::fabs(v)) + " and " +
              std::to_string(magnitude[c]);
        return false;
      }
      if (v != 0) {
        sum[c] += std::fabs(v);
        ++count[c];
      }
      result.trits[c * k + r] = v > 0 ? 1 : (v < 0 ? -1 : 0);
    }
    return true;
  });
  if (!ternary)
    return std::nullopt;
  // The scale is the mean magnitude: exact when the magnitudes are, and the
  // least-squares fit of near-ternary ones.
  SmallVector<double> scale(n, 0.0);
  double total = 0;
  int64_t nonzero = 0;
  for (int64_t c = 0; c < n; ++c) {
    if (count[c])
      scale[c] = sum[c] / count[c];
    total += sum[c];
    nonzero += count[c];
  }
  // One scale when every non-zero column agrees; all-zero columns take any.
  double common = nonzero ? total / nonzero : 1.0;
  bool perTensor = llvm::all_of(scale, [&](double m) {
    return m == 0 || sameMagnitude(m, common);
  });
  if (perTensor)
    result.scales.push_back(float(common));
  else
    for (double m : scale)
      result.scales.push_back(float(m == 0 ? 1.0 : m));
  return result;
}

/// For a constant f32 matrix (B, or B^T when `rowsAreOutputs`): whether
/// the first weights of output 0 take one magnitude, as every output of a
/// ternary matrix does; `why` says otherwise. A float head fails here at
/// once, before the evaluator copies its table into doubles, which for a
/// 128k vocabulary is 2.6 GB. Other matrices pass.
bool mayBeTernary(Value weights, bool rowsAreOutputs, std::string &why) {
  DenseElementsAttr dense;
  ElementsAttr attr;
  if (!matchPattern(weights, m_Constant(&attr)) ||
      !attr.getElementType().isF32())
    return true;
  auto type = dyn_cast<RankedTensorType>(attr.getType());
  if (!type || type.getRank() != 2 || !type.hasStaticShape())
    return true;
  int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
  // Output 0: B's column 0, or B^T's row 0.
  int64_t count = std::min<int64_t>(rowsAreOutputs ? cols : rows, 64);
  int64_t stride = rowsAreOutputs ? 1 : cols;
  SmallVector<double> sample;
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    ArrayRef<char> raw = resource.getData();
    if (raw.size() != size_t(rows * cols) * sizeof(float))
      return true;
    for (int64_t i = 0; i < count; ++i) {
      float v;
      std::memcpy(&v, raw.data() + i * stride * sizeof(float), sizeof(v));
      sample.push_back(std::fabs(v));
    }
  } else if ((dense = dyn_cast<DenseElementsAttr>(attr))) {
    auto values = dense.getValues<float>();
    for (int64_t i = 0; i < count; ++i)
      sample.push_back(std::fabs(values[i * stride]));
  } else {
    return true;
  }
  double magnitude = 0;
  for (double v : sample)
    magnitude = std::max(magnitude, v);
  for (double v : sample)
    if (v != 0 && !sameMagnitude(v, magnitude)) {
      why = "output 0 mixes magnitudes " + std::to_string(v) + " and " +
            std::to_string(magnitude);
      return false;
    }
  return true;
}

std::optional<TernaryMatrix> classifyTernary(const EvaluatedTensor &w,
                                             bool rowsAreOutputs,
                                             std::string &why) {
  return rowsAreOutputs ? classifyTernaryIn<true>(w, why)
                        : classifyTernaryIn<false>(w, why);
}

/// An attribute holding evaluated values as `type`: dense when small, a
/// resource blob otherwise.
ElementsAttr buildFloatConstant(RankedTensorType type,
                                const EvaluatedTensor &t) {
  SmallVector<float> values(t.values.begin(), t.values.end());
  return buildElementsAttr(
      type,
      ArrayRef<char>(reinterpret_cast<const char *>(values.data()),
                     values.size() * sizeof(float)),
      "evaluated_weights");
}

/// "node 'NAME': " for ops the importer named after their ONNX node, so a
/// remark says which layer of the model it is about.
std::string nodePrefix(Operation *op) {
  if (auto name = dyn_cast<NameLoc>(op->getLoc()))
    return "node '" + name.getName().str() + "': ";
  return "";
}

void eraseDeadOps(Operation *root) {
  SmallVector<Operation *> ops;
  root->walk([&](Operation *op) { ops.push_back(op); });
  for (Operation *op : llvm::reverse(ops))
    if (op != root && isOpTriviallyDead(op))
      op->erase();
}

struct ConvertONNXToTernaryPass
    : bitnet::impl::ConvertONNXToTernaryPassBase<ConvertONNXToTernaryPass> {
  void runOnOperation() override {
    SmallVector<onnx::MatMulOp> matmuls;
    getOperation()->walk([&](onnx::MatMulOp op) { matmuls.push_back(op); });
    llvm::SetVector<DenseResourceElementsAttr> imported =
        referencedBlobs(getOperation());
    IRRewriter rewriter(&getContext());
    // Models of billions of weights take a while; small ones stay quiet.
    constexpr size_t kProgressMinMatMuls = 64;
    ProgressReporter progress("recognizing BitNet layers", matmuls.size(),
                              matmuls.size() >= kProgressMinMatMuls,
                              "matmuls");
    // The weights of one group of MatMuls, a MatMul per thread, are
    // evaluated and classified in parallel, reading the IR only; the IR is
    // then rewritten one MatMul at a time, in order. A group holds only as
    // many evaluated matrices as there are threads.
    MLIRContext *context = &getContext();
    size_t threads =
        context->isMultithreadingEnabled() ? context->getNumThreads() : 1;
    std::vector<ConstantEvaluator> evaluators(threads);
    for (size_t start = 0; start < matmuls.size(); start += threads) {
      size_t count = std::min(threads, matmuls.size() - start);
      std::vector<Classified> classified(count);
      parallelFor(context, 0, count, [&](size_t i) {
        classified[i] = classify(matmuls[start + i], evaluators[i]);
      });
      for (size_t i = 0; i < count; ++i) {
        rewrite(matmuls[start + i], classified[i], evaluators[0], rewriter);
        progress.advance(1);
      }
    }
    progress.finish();
    eraseDeadOps(getOperation());
    // The packed initializers now live on as ternary constants.
    releaseUnreferencedBlobs(getOperation(), imported);
  }

  /// What the weights of one MatMul are, found without touching the IR
  /// (classify runs on several MatMuls at once).
  struct Classified {
    enum Kind { Skip, NarrowFloat, FloatConstant, Float, Ternary } kind = Skip;
    bool rowsAreOutputs = false;
    int64_t k = 0, n = 0;
    std::string why;
    /// The evaluated weights, kept only for a float layer to fold.
    std::optional<EvaluatedTensor> weights;
    std::optional<TernaryMatrix> ternary;
  };

  static Classified classify(onnx::MatMulOp matmul,
                             ConstantEvaluator &evaluator) {
    Classified c;
    auto weightType = dyn_cast<RankedTensorType>(matmul.getB().getType());
    if (!weightType || weightType.getRank() != 2 ||
        !isa<RankedTensorType>(matmul.getType()))
      return c;
    // f32 is what the exporters here write; bf16 checkpoints exported as
    // they are (transformers' default dtype for BitNet) are not compiled yet.
    if (!weightType.getElementType().isF32()) {
      if (isa<FloatType>(weightType.getElementType()) &&
          !matchPattern(matmul.getB(), m_Constant()) &&
          evaluator.evaluate(matmul.getB()))
        c.kind = Classified::NarrowFloat;
      return c;
    }
    // Activations times activations (attention) do not evaluate. Under
    // a Transpose, its operand is evaluated: the rows are the outputs.
    auto transpose = matmul.getB().getDefiningOp<onnx::TransposeOp>();
    auto perm = transpose ? transpose.getPerm() : std::nullopt;
    c.rowsAreOutputs =
        transpose && (!perm || (perm->size() == 2 &&
                                cast<IntegerAttr>((*perm)[0]).getInt() == 1));
    Value evaluated = c.rowsAreOutputs ? transpose.getData() : matmul.getB();
    if (!mayBeTernary(evaluated, c.rowsAreOutputs, c.why)) {
      c.kind = Classified::FloatConstant;
      return c;
    }
    std::optional<EvaluatedTensor> weights = evaluator.evaluate(evaluated);
    if (!weights || weights->shape.size() != 2 || weights->shape[0] <= 0 ||
        weights->shape[1] <= 0)
      return c;
    c.k = weights->shape[c.rowsAreOutputs ? 1 : 0];
    c.n = weights->shape[c.rowsAreOutputs ? 0 : 1];
    c.ternary = classifyTernary(*weights, c.rowsAreOutputs, c.why);
    c.kind = c.ternary ? Classified::Ternary : Classified::Float;
    if (!c.ternary)
      c.weights = std::move(weights);
    return c;
  }

  void rewrite(onnx::MatMulOp matmul, Classified &c,
               ConstantEvaluator &evaluator, IRRewriter &rewriter) {
    auto weightType = dyn_cast<RankedTensorType>(matmul.getB().getType());
    auto resultType = dyn_cast<RankedTensorType>(matmul.getType());
    if (c.kind == Classified::Skip)
      return;
    if (c.kind == Classified::NarrowFloat) {
      matmul.emitRemark(nodePrefix(matmul))
          << "weights are " << weightType.getElementType()
          << ", not f32; only f32 layers are recognized (export the model "
             "in float32)";
      return;
    }
    if (c.kind == Classified::FloatConstant) {
      // Constant already: nothing to fold, and the table stays as it is.
      matmul.emitRemark(nodePrefix(matmul))
          << "weights are not ternary (" << c.why
          << "); the layer stays a float matmul";
      return;
    }
    auto transpose = matmul.getB().getDefiningOp<onnx::TransposeOp>();
    bool rowsAreOutputs = c.rowsAreOutputs;
    int64_t k = c.k, n = c.n;
    std::optional<EvaluatedTensor> &weights = c.weights;
    rewriter.setInsertionPoint(matmul);
    Location loc = matmul.getLoc();
    std::optional<TernaryMatrix> &ternaryWeights = c.ternary;
    if (!ternaryWeights) {
      matmul.emitRemark(nodePrefix(matmul))
          << "weights are not ternary (" << c.why << "); the layer stays a float matmul";
      // The transpose of a constant (a head tied to the embedding) stays,
      // so that the lowering reads the table itself rather than a copy.
      bool transposedConstant =
          transpose && matchPattern(transpose.getData(), m_Constant());
      if (matchPattern(matmul.getB(), m_Constant()) || transposedConstant)
        return;
      // Folded where it was evaluated: under the Transpose, its operand.
      Operation *user = rowsAreOutputs ? transpose.getOperation()
                                       : matmul.getOperation();
      OpOperand &operand = rowsAreOutputs ? transpose->getOpOperand(0)
                                          : matmul.getBMutable();
      auto type = cast<RankedTensorType>(operand.get().getType());
      if (!type.hasStaticShape())
        type = RankedTensorType::get(weights->shape, type.getElementType());
      rewriter.setInsertionPoint(user);
      Value folded = arith::ConstantOp::create(
          rewriter, loc, cast<TypedAttr>(buildFloatConstant(type, *weights)));
      rewriter.modifyOpInPlace(user, [&] { operand.assign(folded); });
      return;
    }

    std::optional<ActivationQuant> quant =
        matchActivationQuant(matmul, evaluator);
    // The integer form divides by a constant after the MatMul: it belongs
    // to the weight scale.
    if (quant && !quant->divisor.empty()) {
      if (int64_t(quant->divisor.size()) == n && ternaryWeights->scales.size() == 1)
        ternaryWeights->scales.assign(n, ternaryWeights->scales[0]);
      for (auto [i, scale] : llvm::enumerate(ternaryWeights->scales))
        scale = float(double(scale) /
                      quant->divisor[quant->divisor.size() == 1 ? 0 : i]);
    }

    bool perTensor = ternaryWeights->scales.size() == 1;
    auto scaleType = cast<FloatType>(weightType.getElementType());
    auto type = ternary::WeightsType::get(
        n, k, scaleType,
        perTensor ? ternary::WeightsType::kPerTensor : k);
    auto scaleAttr = DenseElementsAttr::get(type.getScaleTensorType(),
                                            ArrayRef(ternaryWeights->scales));
    Value w = ternary::ConstantOp::create(rewriter, loc, type,
                                          ternaryWeights->trits, scaleAttr);

    if (!quant) {
      matmul.emitRemark(nodePrefix(matmul))
          << "weights are ternary but the activations are not quantized per "
             "token; the layer stays a float matmul of the dequantized "
             "weights";
      Value dense = ternary::DequantizeOp::create(
          rewriter, loc, type.getDequantizedTensorType(), w);
      Value transposed = onnx::TransposeOp::create(
          rewriter, loc, weightType, dense,
          rewriter.getI64ArrayAttr({1, 0}));
      rewriter.modifyOpInPlace(
          matmul, [&] { matmul.getBMutable().assign(transposed); });
      return;
    }
    auto outputType = dyn_cast<RankedTensorType>(quant->output->getResult(0).getType());
    if (!outputType)
      outputType = resultType;
    rewriter.setInsertionPoint(quant->output);
    rewriter.replaceOpWithNewOp<ternary::BitLinearOp>(
        quant->output, outputType, quant->input, w,
        rewriter.getF64FloatAttr(quant->epsilon));
  }
};

} // namespace
