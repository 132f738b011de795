//===- ActivationQuant.cpp - BitNet's per-token int8 activations ----------===//
//
// Structural matching, spelling by spelling: exporters differ in operand
// order, in Clip versus Max for the epsilon clamp, in Reciprocal-and-Mul
// versus Div for 127 / m, and in how many Casts surround the int8 values.
//
//===----------------------------------------------------------------------===//

#include "ActivationQuant.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::bitnet;
namespace onnx = mlir::bitnet::onnx;

namespace {

/// The value of a constant holding one number.
std::optional<double> scalarConstant(Value value) {
  DenseElementsAttr attr;
  if (!value || !matchPattern(value, m_Constant(&attr)) ||
      (!attr.isSplat() && attr.getNumElements() != 1))
    return std::nullopt;
  if (isa<FloatType>(attr.getElementType()))
    return (*attr.getValues<APFloat>().begin()).convertToDouble();
  return double((*attr.getValues<APInt>().begin()).getSExtValue());
}

/// Looks through the Casts exporters insert around scalar constants and
/// int8 values: those to floats and to signed integers, which hold every
/// value in [-128, 127] exactly.
Value skipCasts(Value v) {
  while (auto cast = v.getDefiningOp<onnx::CastOp>()) {
    Type to = getElementTypeOrSelf(cast.getType());
    auto intType = dyn_cast<IntegerType>(to);
    auto floatType = dyn_cast<FloatType>(to);
    // bf16 (8-bit significand) is the narrowest float that holds them all.
    if (!(floatType && floatType.getFPMantissaWidth() >= 8) &&
        !(intType && !intType.isUnsigned() && intType.getWidth() >= 8))
      break;
    v = cast.getInput();
  }
  return v;
}

/// The other operand of a commutative binary op whose one operand is `v`.
template <typename OpTy>
Value otherOperand(OpTy op, Value v) {
  if (!op)
    return {};
  if (op.getA() == v)
    return op.getB();
  if (op.getB() == v)
    return op.getA();
  return {};
}

/// m = clip(max|x|, eps) or max(max|x|, eps): returns x and eps.
std::optional<std::pair<Value, double>> matchClampedAbsMax(Value m) {
  Value reduced;
  std::optional<double> epsilon;
  if (auto clip = m.getDefiningOp<onnx::ClipOp>()) {
    if (clip.getMax())
      return std::nullopt;
    reduced = clip.getInput();
    epsilon = scalarConstant(clip.getMin());
  } else if (auto max = m.getDefiningOp<onnx::MaxOp>()) {
    if (max->getNumOperands() != 2)
      return std::nullopt;
    for (unsigned i = 0; i < 2 && !epsilon; ++i)
      if ((epsilon = scalarConstant(max->getOperand(i))))
        reduced = max->getOperand(1 - i);
  }
  if (!reduced || !epsilon || *epsilon <= 0)
    return std::nullopt;
  auto rmax = reduced.getDefiningOp<onnx::ReduceMaxOp>();
  if (!rmax || rmax.getKeepdimsOrDefault() != 1 || !rmax.getAxes())
    return std::nullopt;
  auto abs = rmax.getData().getDefiningOp<onnx::AbsOp>();
  auto xType = abs ? dyn_cast<RankedTensorType>(abs.getX().getType())
                   : RankedTensorType();
  DenseIntElementsAttr axes;
  if (!xType || !matchPattern(rmax.getAxes(), m_Constant(&axes)) ||
      axes.getNumElements() != 1)
    return std::nullopt;
  int64_t axis = (*axes.getValues<APInt>().begin()).getSExtValue();
  if (axis != -1 && axis != xType.getRank() - 1)
    return std::nullopt;
  return std::pair(abs.getX(), *epsilon);
}

/// s = 127 * reciprocal(m), reciprocal(m) * 127 or 127 / m: returns m.
Value matchScale(Value s) {
  if (auto mul = s.getDefiningOp<onnx::MulOp>()) {
    for (auto [c, other] : {std::pair(mul.getA(), mul.getB()),
                            std::pair(mul.getB(), mul.getA())})
      if (scalarConstant(skipCasts(c)) == 127.0)
        if (auto recip = other.getDefiningOp<onnx::ReciprocalOp>())
          return recip.getX();
    return {};
  }
  if (auto div = s.getDefiningOp<onnx::DivOp>())
    if (scalarConstant(skipCasts(div.getA())) == 127.0)
      return div.getB();
  return {};
}

struct Quantized {
  Value input;
  Value scale;
  double epsilon;
};

/// r = clip(round(x * s), -128, 127) with s the per-token absmax scale of x.
std::optional<Quantized> matchQuantizedInts(Value r) {
  auto clip = r.getDefiningOp<onnx::ClipOp>();
  if (!clip || scalarConstant(skipCasts(clip.getMin())) != -128.0 ||
      scalarConstant(skipCasts(clip.getMax())) != 127.0)
    return std::nullopt;
  auto round = clip.getInput().getDefiningOp<onnx::RoundOp>();
  auto mul = round ? round.getX().getDefiningOp<onnx::MulOp>() : nullptr;
  if (!mul)
    return std::nullopt;
  for (auto [x, s] : {std::pair(mul.getA(), mul.getB()),
                      std::pair(mul.getB(), mul.getA())}) {
    Value m = matchScale(s);
    auto clamped = m ? matchClampedAbsMax(m) : std::nullopt;
    if (clamped && clamped->first == x)
      return Quantized{x, s, clamped->second};
  }
  return std::nullopt;
}

/// The integer form's rescale: the MatMul's only user is (q @ W) / (s * c)
/// with c constant (one value, or one per output).
std::optional<ActivationQuant> matchIntegerRescale(onnx::MatMulOp matmul,
                                                   const Quantized &quant,
                                                   ConstantEvaluator &evaluator) {
  if (!matmul->hasOneUse())
    return std::nullopt;
  auto div = dyn_cast<onnx::DivOp>(*matmul->user_begin());
  // The layer's output replaces the Div: it must have the MatMul's shape
  // (a divisor of higher rank would broadcast it).
  if (!div || div.getA() != matmul.getResult() ||
      div.getType() != matmul.getType())
    return std::nullopt;
  Value c = otherOperand(div.getB().getDefiningOp<onnx::MulOp>(), quant.scale);
  std::optional<EvaluatedTensor> divisor =
      c ? evaluator.evaluate(c) : std::nullopt;
  auto type = dyn_cast<RankedTensorType>(matmul.getType());
  if (!divisor || !type || type.isDynamicDim(type.getRank() - 1))
    return std::nullopt;
  int64_t n = type.getShape().back();
  int64_t count = divisor->values.size();
  // A scalar, or a vector along the output dim only.
  bool alongOutputs = llvm::all_of(ArrayRef(divisor->shape).drop_back(),
                                   [](int64_t d) { return d == 1; });
  if (!(count == 1 || (count == n && alongOutputs)) ||
      llvm::any_of(divisor->values, [](double v) { return v == 0; }))
    return std::nullopt;
  return ActivationQuant{quant.input, quant.epsilon, div, divisor->values};
}

} // namespace

std::optional<ActivationQuant>
mlir::bitnet::matchActivationQuant(onnx::MatMulOp matmul,
                                   ConstantEvaluator &evaluator) {
  Value q = matmul.getA();
  // Float form: clip(round(x * s), -128, 127) / s.
  if (auto div = q.getDefiningOp<onnx::DivOp>()) {
    auto quant = matchQuantizedInts(div.getA());
    if (quant && quant->scale == div.getB())
      return ActivationQuant{quant->input, quant->epsilon, matmul, {}};
    return std::nullopt;
  }
  // Integer form: the int8 values themselves, cast back to float.
  if (!q.getDefiningOp<onnx::CastOp>())
    return std::nullopt;
  auto quant = matchQuantizedInts(skipCasts(q));
  if (!quant)
    return std::nullopt;
  return matchIntegerRescale(matmul, *quant, evaluator);
}
