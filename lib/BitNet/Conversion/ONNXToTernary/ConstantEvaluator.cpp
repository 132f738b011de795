//===- ConstantEvaluator.cpp - compile-time evaluation of weights ---------===//
//
// One rule per ONNX op, in a table keyed by op name: a rule gets the op,
// its evaluated operands and the rounding of its result element type, and
// returns the result or nullopt. Floats follow the element type's
// arithmetic: each result is computed in double and rounded to f32 (or f16,
// bf16), which gives the correctly rounded result of +, -, *, / and sqrt.
// Integers wrap to their width, as the ONNX reference does.
//
//===----------------------------------------------------------------------===//

#include "ConstantEvaluator.h"

#include "BitNet/Dialect/ONNX/IR/ONNXOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/StringMap.h"

#include <cmath>
#include <cstring>

using namespace mlir;
using namespace mlir::bitnet;
namespace onnx = mlir::bitnet::onnx;

namespace {

/// Rounds a double to what an element type holds.
struct Rounding {
  enum Kind { F64, F32, F16, BF16, Bool, Signed, Unsigned, Exact } kind;
  unsigned width = 64;

  static Rounding of(Type type) {
    if (type.isF64())
      return {F64};
    if (type.isF32())
      return {F32};
    if (type.isF16())
      return {F16};
    if (type.isBF16())
      return {BF16};
    if (auto intType = dyn_cast<IntegerType>(type)) {
      if (intType.getWidth() == 1)
        return {Bool, 1};
      return {intType.isUnsigned() ? Unsigned : Signed, intType.getWidth()};
    }
    return {Exact};
  }

  bool isInteger() const { return kind >= Bool && kind <= Unsigned; }

  // Inline for the types weights are unpacked in; evaluated ops call it
  // once per element.
  LLVM_ATTRIBUTE_ALWAYS_INLINE double operator()(double v) const {
    if (kind == F64 || kind == Exact)
      return v;
    if (kind == F32)
      return double(float(v));
    if ((kind == Signed || kind == Unsigned) && width < 53) {
      // Already a value of the type: nothing to wrap.
      double half = double(int64_t(1) << (width - 1));
      double lo = kind == Signed ? -half : 0, hi = kind == Signed ? half : 2 * half;
      if (v >= lo && v < hi && v == std::trunc(v))
        return v;
    }
    return narrow(v);
  }

private:
  LLVM_ATTRIBUTE_NOINLINE double narrow(double v) const {
    switch (kind) {
    case F64:
    case Exact:
    case F32:
      return v;
    case F16:
    case BF16: {
      APFloat f(v);
      bool lost;
      f.convert(kind == F16 ? APFloat::IEEEhalf() : APFloat::BFloat(),
                APFloat::rmNearestTiesToEven, &lost);
      f.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
      return f.convertToDouble();
    }
    case Bool:
      return v != 0;
    case Signed:
    case Unsigned: {
      if (!std::isfinite(v))
        return 0;
      v = std::trunc(v);
      // Wrap modulo 2^width, as C casts and the ONNX reference do.
      uint64_t bits = v >= 0x1p63 ? uint64_t(v)
                      : v <= -0x1p63 ? uint64_t(INT64_MIN)
                                     : uint64_t(int64_t(v));
      if (width < 64)
        bits &= (uint64_t(1) << width) - 1;
      if (kind == Unsigned)
        return double(bits);
      if (width < 64 && (bits >> (width - 1)) & 1)
        bits |= ~((uint64_t(1) << width) - 1);
      return double(int64_t(bits));
    }
    }
    return v;
  }
};

/// Decodes a constant attribute of a supported element type.
std::optional<EvaluatedTensor> readAttribute(Attribute attr) {
  auto elements = dyn_cast<ElementsAttr>(attr);
  if (!elements)
    return std::nullopt;
  auto type = cast<ShapedType>(elements.getType());
  if (!type.hasStaticShape())
    return std::nullopt;
  // A splat is a few bytes at any declared size: bound what it expands to.
  if (type.getNumElements() > eval::kMaxElements)
    return std::nullopt;
  EvaluatedTensor t;
  t.shape.assign(type.getShape().begin(), type.getShape().end());
  int64_t n = type.getNumElements();
  Type et = type.getElementType();

  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    t.values.reserve(n);
    if (isa<FloatType>(et)) {
      for (APFloat v : dense.getValues<APFloat>()) {
        bool lost;
        v.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
        t.values.push_back(v.convertToDouble());
      }
    } else if (auto intType = dyn_cast<IntegerType>(et)) {
      for (APInt v : dense.getValues<APInt>())
        t.values.push_back(intType.isUnsigned() || intType.getWidth() == 1
                               ? double(v.getZExtValue())
                               : double(v.getSExtValue()));
    } else {
      return std::nullopt;
    }
    return t;
  }

  auto resource = dyn_cast<DenseResourceElementsAttr>(attr);
  if (!resource)
    return std::nullopt;
  ArrayRef<char> raw = resource.getData();
  t.values.resize(n);
  auto decode = [&](auto sample, auto convert) {
    using T = decltype(sample);
    if (raw.size() != size_t(n) * sizeof(T))
      return false;
    for (int64_t i = 0; i < n; ++i) {
      T v;
      std::memcpy(&v, raw.data() + i * sizeof(T), sizeof(T));
      t.values[i] = convert(v);
    }
    return true;
  };
  auto plain = [](auto v) { return double(v); };
  auto half = [](const llvm::fltSemantics &semantics) {
    return [&semantics](uint16_t bits) {
      return APFloat(semantics, APInt(16, bits)).convertToDouble();
    };
  };
  bool ok = false;
  if (et.isF32())
    ok = decode(float(), plain);
  else if (et.isF64())
    ok = decode(double(), plain);
  else if (et.isF16())
    ok = decode(uint16_t(), half(APFloat::IEEEhalf()));
  else if (et.isBF16())
    ok = decode(uint16_t(), half(APFloat::BFloat()));
  else if (et.isInteger(64))
    ok = et.isUnsignedInteger() ? decode(uint64_t(), plain)
                                : decode(int64_t(), plain);
  else if (et.isInteger(32))
    ok = et.isUnsignedInteger() ? decode(uint32_t(), plain)
                                : decode(int32_t(), plain);
  else if (et.isInteger(16))
    ok = et.isUnsignedInteger() ? decode(uint16_t(), plain)
                                : decode(int16_t(), plain);
  else if (et.isInteger(8))
    ok = et.isUnsignedInteger() ? decode(uint8_t(), plain)
                                : decode(int8_t(), plain);
  else if (et.isInteger(1))
    ok = decode(uint8_t(), [](uint8_t v) { return double(v != 0); });
  if (!ok)
    return std::nullopt;
  return t;
}

//===----------------------------------------------------------------------===//
// Rules
//===----------------------------------------------------------------------===//

struct RuleInput {
  Operation *op;
  Value result;
  /// The evaluated operands; null for absent optional ones.
  ArrayRef<const EvaluatedTensor *> in;
  Rounding round;
  Type resultElementType;

  const EvaluatedTensor *operand(unsigned i) const {
    return i < in.size() ? in[i] : nullptr;
  }
  int64_t intAttr(StringRef name, int64_t fallback) const {
    if (auto a = op->getAttrOfType<IntegerAttr>(name))
      return a.getInt();
    return fallback;
  }
};

using Rule = std::optional<EvaluatedTensor> (*)(const RuleInput &);

template <typename Fn>
std::optional<EvaluatedTensor> mapAll(const RuleInput &r, Fn fn) {
  SmallVector<const EvaluatedTensor *> operands;
  for (const EvaluatedTensor *t : r.in)
    if (t)
      operands.push_back(t);
  if (operands.empty())
    return std::nullopt;
  Rounding round = r.round;
  return eval::mapInlined(operands, fn,
                          [round](double v) { return round(v); });
}

template <double (*Fn)(double)>
std::optional<EvaluatedTensor> unaryRule(const RuleInput &r) {
  return mapAll(r, [](ArrayRef<double> a) { return Fn(a[0]); });
}
template <double (*Fn)(double, double)>
std::optional<EvaluatedTensor> binaryRule(const RuleInput &r) {
  if (r.in.size() != 2 || !r.in[0] || !r.in[1])
    return std::nullopt;
  return mapAll(r, [](ArrayRef<double> a) { return Fn(a[0], a[1]); });
}
/// A variadic op folding its operands left to right (Sum, Max, Min).
template <double (*Fn)(double, double)>
std::optional<EvaluatedTensor> foldRule(const RuleInput &r) {
  return mapAll(r, [](ArrayRef<double> a) {
    double acc = a[0];
    for (double v : a.drop_front())
      acc = Fn(acc, v);
    return acc;
  });
}

int64_t asInt(double v) {
  return v >= 0x1p63 ? int64_t(uint64_t(v)) : int64_t(v);
}

// Element-wise functions, named so that the rule table reads as a table.
double identity(double v) { return v; }
double neg(double v) { return -v; }
double absolute(double v) { return std::fabs(v); }
double squareRoot(double v) { return std::sqrt(v); }
double reciprocal(double v) { return 1.0 / v; }
/// ONNX Round is half to even, which nearbyint does in the default mode.
double roundEven(double v) { return std::nearbyint(v); }
double floorOf(double v) { return std::floor(v); }
double ceilOf(double v) { return std::ceil(v); }
double signOf(double v) { return v > 0 ? 1 : v < 0 ? -1 : 0; }
double expOf(double v) { return std::exp(v); }
double logOf(double v) { return std::log(v); }
double sinOf(double v) { return std::sin(v); }
double cosOf(double v) { return std::cos(v); }
double tanhOf(double v) { return std::tanh(v); }
double erfOf(double v) { return std::erf(v); }
double relu(double v) { return std::max(v, 0.0); }
double sigmoid(double v) { return 1.0 / (1.0 + std::exp(-v)); }
double isNaN(double v) { return std::isnan(v); }
double logicalNot(double v) { return v == 0; }
double bitwiseNot(double v) { return double(~asInt(v)); }
double add(double a, double b) { return a + b; }
double sub(double a, double b) { return a - b; }
double mul(double a, double b) { return a * b; }
double power(double a, double b) { return std::pow(a, b); }
double maxOf(double a, double b) {
  return std::isnan(a) || std::isnan(b) ? NAN : std::max(a, b);
}
double minOf(double a, double b) {
  return std::isnan(a) || std::isnan(b) ? NAN : std::min(a, b);
}
double bitAnd(double a, double b) { return double(asInt(a) & asInt(b)); }
double bitOr(double a, double b) { return double(asInt(a) | asInt(b)); }
double bitXor(double a, double b) { return double(asInt(a) ^ asInt(b)); }
double logicalAnd(double a, double b) { return a != 0 && b != 0; }
double logicalOr(double a, double b) { return a != 0 || b != 0; }
double logicalXor(double a, double b) { return (a != 0) != (b != 0); }
double equal(double a, double b) { return a == b; }
double less(double a, double b) { return a < b; }
double lessOrEqual(double a, double b) { return a <= b; }
double greater(double a, double b) { return a > b; }
double greaterOrEqual(double a, double b) { return a >= b; }

std::optional<EvaluatedTensor> isInfRule(const RuleInput &r) {
  bool negative = r.intAttr("detect_negative", 1) != 0;
  bool positive = r.intAttr("detect_positive", 1) != 0;
  return mapAll(r, [=](ArrayRef<double> a) {
    return double(std::isinf(a[0]) && ((a[0] > 0 && positive) ||
                                        (a[0] < 0 && negative)));
  });
}

std::optional<EvaluatedTensor> divRule(const RuleInput &r) {
  if (r.in.size() != 2 || !r.in[0] || !r.in[1])
    return std::nullopt;
  // Integer Div truncates; division by zero is undefined, taken as 0.
  bool isInt = r.round.isInteger();
  return mapAll(r, [isInt](ArrayRef<double> a) {
    return isInt ? (a[1] == 0 ? 0.0 : std::trunc(a[0] / a[1])) : a[0] / a[1];
  });
}

std::optional<EvaluatedTensor> modRule(const RuleInput &r) {
  if (r.in.size() != 2 || !r.in[0] || !r.in[1])
    return std::nullopt;
  bool fmod = r.intAttr("fmod", 0) != 0;
  bool isInt = r.round.isInteger();
  return mapAll(r, [fmod, isInt](ArrayRef<double> a) {
    if (a[1] == 0)
      return 0.0;
    // Integers a double holds exactly: the int64 remainder, far cheaper
    // than std::fmod on the unpacking of every weight.
    if (isInt && !fmod && std::fabs(a[0]) < 0x1p53 && std::fabs(a[1]) < 0x1p53) {
      int64_t x = int64_t(a[0]), y = int64_t(a[1]);
      // Unpacking takes fields modulo 4: a mask, not a division.
      if (y > 0 && (y & (y - 1)) == 0)
        return double(x & (y - 1));
      int64_t rem = x % y;
      if (rem != 0 && ((rem < 0) != (y < 0)))
        rem += y;
      return double(rem);
    }
    double rem = std::fmod(a[0], a[1]);
    // Integer Mod takes the divisor's sign, like Python's %.
    if (!fmod && rem != 0 && ((rem < 0) != (a[1] < 0)))
      rem += a[1];
    return rem;
  });
}

std::optional<EvaluatedTensor> bitShiftRule(const RuleInput &r) {
  if (r.in.size() != 2 || !r.in[0] || !r.in[1])
    return std::nullopt;
  bool right = cast<onnx::BitShiftOp>(r.op).getDirection() == "RIGHT";
  return mapAll(r, [right](ArrayRef<double> a) {
    uint64_t x = uint64_t(asInt(a[0])), s = uint64_t(asInt(a[1]));
    if (s >= 64)
      return 0.0;
    return double(right ? x >> s : x << s);
  });
}

std::optional<EvaluatedTensor> whereRule(const RuleInput &r) {
  if (r.in.size() != 3 || !r.in[0] || !r.in[1] || !r.in[2])
    return std::nullopt;
  return mapAll(r,
                [](ArrayRef<double> a) { return a[0] != 0 ? a[1] : a[2]; });
}

std::optional<EvaluatedTensor> meanRule(const RuleInput &r) {
  return mapAll(r, [](ArrayRef<double> a) {
    double sum = 0;
    for (double v : a)
      sum += v;
    return sum / a.size();
  });
}

std::optional<EvaluatedTensor> clipRule(const RuleInput &r) {
  auto clip = cast<onnx::ClipOp>(r.op);
  // The operand list skips absent bounds: find each bound by its value.
  const EvaluatedTensor *lo = nullptr, *hi = nullptr;
  unsigned next = 1;
  if (clip.getMin())
    lo = r.operand(next++);
  if (clip.getMax())
    hi = r.operand(next++);
  if ((clip.getMin() && (!lo || lo->values.size() != 1)) ||
      (clip.getMax() && (!hi || hi->values.size() != 1)))
    return std::nullopt;
  double l = lo ? lo->values.front() : -INFINITY;
  double h = hi ? hi->values.front() : INFINITY;
  return eval::mapBroadcast(
      {r.in[0]},
      [l, h](ArrayRef<double> a) { return std::min(std::max(a[0], l), h); },
      [&](double v) { return r.round(v); });
}

std::optional<SmallVector<int64_t>> axesOf(const EvaluatedTensor *axes,
                                           int64_t rank) {
  SmallVector<int64_t> result;
  if (!axes) {
    for (int64_t i = 0; i < rank; ++i)
      result.push_back(i);
    return result;
  }
  for (double v : axes->values) {
    if (!(std::fabs(v) <= double(rank)))
      return std::nullopt;
    int64_t axis = int64_t(v) < 0 ? int64_t(v) + rank : int64_t(v);
    if (axis < 0 || axis >= rank)
      return std::nullopt;
    result.push_back(axis);
  }
  return result;
}

template <eval::ReduceKind Kind>
std::optional<EvaluatedTensor> reduceRule(const RuleInput &r) {
  const EvaluatedTensor *x = r.operand(0), *axesT = r.operand(1);
  if (!x)
    return std::nullopt;
  // No axes (absent or empty) reduce everything, unless
  // noop_with_empty_axes says not to.
  if (!axesT || axesT->values.empty()) {
    if (r.intAttr("noop_with_empty_axes", 0))
      return *x;
    axesT = nullptr;
  }
  auto axes = axesOf(axesT, x->shape.size());
  if (!axes)
    return std::nullopt;
  return eval::reduce(*x, *axes, r.intAttr("keepdims", 1) != 0, Kind,
                      [&](double v) { return r.round(v); });
}

std::optional<EvaluatedTensor> castRule(const RuleInput &r) {
  if (!r.operand(0))
    return std::nullopt;
  return eval::mapBroadcast(
      {r.in[0]}, [](ArrayRef<double> a) { return a[0]; },
      [&](double v) { return r.round(v); });
}

std::optional<EvaluatedTensor> transposeRule(const RuleInput &r) {
  SmallVector<int64_t> perm;
  if (auto p = cast<onnx::TransposeOp>(r.op).getPerm())
    for (Attribute a : *p)
      perm.push_back(cast<IntegerAttr>(a).getInt());
  else
    for (int64_t i = r.in[0]->shape.size() - 1; i >= 0; --i)
      perm.push_back(i);
  return eval::transpose(*r.in[0], perm);
}

std::optional<EvaluatedTensor> concatRule(const RuleInput &r) {
  return eval::concat(r.in, cast<onnx::ConcatOp>(r.op).getAxis());
}

std::optional<EvaluatedTensor> reshapeRule(const RuleInput &r) {
  if (!r.operand(1))
    return std::nullopt;
  return eval::reshape(*r.in[0], *r.in[1], r.intAttr("allowzero", 0) != 0);
}

std::optional<EvaluatedTensor> unsqueezeRule(const RuleInput &r) {
  const EvaluatedTensor *x = r.operand(0), *axesT = r.operand(1);
  if (!x || !axesT)
    return std::nullopt;
  int64_t rank = x->shape.size() + axesT->values.size();
  auto axes = axesOf(axesT, rank);
  if (!axes)
    return std::nullopt;
  SmallVector<bool> inserted(rank, false);
  for (int64_t a : *axes) {
    if (inserted[a])
      return std::nullopt; // duplicate axes are invalid
    inserted[a] = true;
  }
  SmallVector<int64_t> shape;
  auto dims = x->shape.begin();
  for (int64_t d = 0; d < rank; ++d)
    shape.push_back(inserted[d] ? 1 : *dims++);
  return eval::withShape(*x, shape);
}

std::optional<EvaluatedTensor> squeezeRule(const RuleInput &r) {
  const EvaluatedTensor *x = r.operand(0);
  if (!x)
    return std::nullopt;
  int64_t rank = x->shape.size();
  SmallVector<bool> removed(rank, false);
  if (const EvaluatedTensor *axesT = r.operand(1)) {
    auto axes = axesOf(axesT, rank);
    if (!axes)
      return std::nullopt;
    for (int64_t a : *axes) {
      if (x->shape[a] != 1)
        return std::nullopt;
      removed[a] = true;
    }
  } else {
    for (int64_t d = 0; d < rank; ++d)
      removed[d] = x->shape[d] == 1;
  }
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < rank; ++d)
    if (!removed[d])
      shape.push_back(x->shape[d]);
  return eval::withShape(*x, shape);
}

std::optional<EvaluatedTensor> flattenRule(const RuleInput &r) {
  const EvaluatedTensor &x = *r.in[0];
  int64_t rank = x.shape.size();
  int64_t axis = r.intAttr("axis", 1);
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis > rank)
    return std::nullopt;
  int64_t outer = eval::numElements(ArrayRef(x.shape).take_front(axis));
  int64_t inner = eval::numElements(ArrayRef(x.shape).drop_front(axis));
  return eval::withShape(x, {outer, inner});
}

std::optional<EvaluatedTensor> sliceRule(const RuleInput &r) {
  auto s = cast<onnx::SliceOp>(r.op);
  // Operands in order: data, starts, ends, then the present optional ones.
  unsigned next = 3;
  const EvaluatedTensor *axes = s.getAxes() ? r.operand(next++) : nullptr;
  const EvaluatedTensor *steps = s.getSteps() ? r.operand(next++) : nullptr;
  if (!r.operand(1) || !r.operand(2))
    return std::nullopt;
  return eval::slice(*r.in[0], *r.in[1], *r.in[2], axes, steps);
}

std::optional<EvaluatedTensor> gatherRule(const RuleInput &r) {
  if (!r.operand(1))
    return std::nullopt;
  return eval::gather(*r.in[0], *r.in[1], r.intAttr("axis", 0));
}

std::optional<EvaluatedTensor> gatherNDRule(const RuleInput &r) {
  if (!r.operand(1))
    return std::nullopt;
  return eval::gatherND(*r.in[0], *r.in[1], r.intAttr("batch_dims", 0));
}

std::optional<EvaluatedTensor> scatterNDRule(const RuleInput &r) {
  if (!r.operand(1) || !r.operand(2))
    return std::nullopt;
  StringRef reduction;
  if (auto attr = r.op->getAttrOfType<StringAttr>("reduction"))
    reduction = attr.getValue();
  return eval::scatterND(*r.in[0], *r.in[1], *r.in[2], reduction);
}

std::optional<EvaluatedTensor> cumSumRule(const RuleInput &r) {
  if (!r.operand(1) || r.in[1]->values.size() != 1 ||
      !(std::fabs(r.in[1]->values[0]) <= double(r.in[0]->shape.size())))
    return std::nullopt;
  return eval::cumSum(*r.in[0], int64_t(r.in[1]->values[0]),
                      r.intAttr("exclusive", 0) != 0,
                      r.intAttr("reverse", 0) != 0,
                      [&](double v) { return r.round(v); });
}

std::optional<EvaluatedTensor> rangeRule(const RuleInput &r) {
  for (unsigned i = 0; i < 3; ++i)
    if (!r.operand(i) || r.in[i]->values.size() != 1)
      return std::nullopt;
  return eval::range(r.in[0]->values[0], r.in[1]->values[0],
                     r.in[2]->values[0],
                     [&](double v) { return r.round(v); });
}

std::optional<SmallVector<int64_t>> dimsOf(const EvaluatedTensor *t) {
  if (!t || t->shape.size() != 1)
    return std::nullopt;
  SmallVector<int64_t> dims;
  for (double v : t->values) {
    // Sizes beyond any tensor's (or NaN) are not sizes.
    if (!(std::fabs(v) < double(eval::kMaxElements)))
      return std::nullopt;
    dims.push_back(int64_t(v));
  }
  return dims;
}

std::optional<EvaluatedTensor> expandRule(const RuleInput &r) {
  auto shape = dimsOf(r.operand(1));
  if (!shape)
    return std::nullopt;
  return eval::expand(*r.in[0], *shape);
}

std::optional<EvaluatedTensor> tileRule(const RuleInput &r) {
  auto repeats = dimsOf(r.operand(1));
  if (!repeats)
    return std::nullopt;
  return eval::tile(*r.in[0], *repeats);
}

std::optional<EvaluatedTensor> constantOfShapeRule(const RuleInput &r) {
  auto shape = dimsOf(r.operand(0));
  if (!shape)
    return std::nullopt;
  double fill = 0;
  if (auto value = r.op->getAttrOfType<ElementsAttr>("value")) {
    auto t = readAttribute(value);
    if (!t || t->values.size() != 1)
      return std::nullopt;
    fill = t->values[0];
  }
  return eval::expand(EvaluatedTensor{{}, {fill}}, *shape);
}

const llvm::StringMap<Rule> &rules() {
  static const llvm::StringMap<Rule> table = {
      {"onnx.Identity", unaryRule<identity>},
      {"onnx.Neg", unaryRule<neg>},
      {"onnx.Abs", unaryRule<absolute>},
      {"onnx.Sqrt", unaryRule<squareRoot>},
      {"onnx.Reciprocal", unaryRule<reciprocal>},
      {"onnx.Round", unaryRule<roundEven>},
      {"onnx.Floor", unaryRule<floorOf>},
      {"onnx.Ceil", unaryRule<ceilOf>},
      {"onnx.Sign", unaryRule<signOf>},
      {"onnx.Exp", unaryRule<expOf>},
      {"onnx.Log", unaryRule<logOf>},
      {"onnx.Sin", unaryRule<sinOf>},
      {"onnx.Cos", unaryRule<cosOf>},
      {"onnx.Tanh", unaryRule<tanhOf>},
      {"onnx.Erf", unaryRule<erfOf>},
      {"onnx.Relu", unaryRule<relu>},
      {"onnx.Sigmoid", unaryRule<sigmoid>},
      {"onnx.IsNaN", unaryRule<isNaN>},
      {"onnx.IsInf", isInfRule},
      {"onnx.Not", unaryRule<logicalNot>},
      {"onnx.BitwiseNot", unaryRule<bitwiseNot>},
      {"onnx.Cast", castRule},
      {"onnx.CastLike", castRule},
      {"onnx.Add", binaryRule<add>},
      {"onnx.Sub", binaryRule<sub>},
      {"onnx.Mul", binaryRule<mul>},
      {"onnx.Div", divRule},
      {"onnx.Mod", modRule},
      {"onnx.Pow", binaryRule<power>},
      {"onnx.BitShift", bitShiftRule},
      {"onnx.BitwiseAnd", binaryRule<bitAnd>},
      {"onnx.BitwiseOr", binaryRule<bitOr>},
      {"onnx.BitwiseXor", binaryRule<bitXor>},
      {"onnx.And", binaryRule<logicalAnd>},
      {"onnx.Or", binaryRule<logicalOr>},
      {"onnx.Xor", binaryRule<logicalXor>},
      {"onnx.Equal", binaryRule<equal>},
      {"onnx.Less", binaryRule<less>},
      {"onnx.LessOrEqual", binaryRule<lessOrEqual>},
      {"onnx.Greater", binaryRule<greater>},
      {"onnx.GreaterOrEqual", binaryRule<greaterOrEqual>},
      {"onnx.Where", whereRule},
      {"onnx.Sum", foldRule<add>},
      {"onnx.Max", foldRule<maxOf>},
      {"onnx.Min", foldRule<minOf>},
      {"onnx.Mean", meanRule},
      {"onnx.Clip", clipRule},
      {"onnx.ReduceSum", reduceRule<eval::ReduceKind::Sum>},
      {"onnx.ReduceMean", reduceRule<eval::ReduceKind::Mean>},
      {"onnx.ReduceMax", reduceRule<eval::ReduceKind::Max>},
      {"onnx.ReduceMin", reduceRule<eval::ReduceKind::Min>},
      {"onnx.ReduceProd", reduceRule<eval::ReduceKind::Prod>},
      {"onnx.CumSum", cumSumRule},
      {"onnx.Transpose", transposeRule},
      {"onnx.Concat", concatRule},
      {"onnx.Reshape", reshapeRule},
      {"onnx.Unsqueeze", unsqueezeRule},
      {"onnx.Squeeze", squeezeRule},
      {"onnx.Flatten", flattenRule},
      {"onnx.Slice", sliceRule},
      {"onnx.Gather", gatherRule},
      {"onnx.GatherND", gatherNDRule},
      {"onnx.ScatterND", scatterNDRule},
      {"onnx.Expand", expandRule},
      {"onnx.Tile", tileRule},
      {"onnx.ConstantOfShape", constantOfShapeRule},
      {"onnx.Range", rangeRule},
  };
  return table;
}

/// Shape or Size of a tensor of `shape`: the value of `op`.
EvaluatedTensor shapeValue(Operation *op, ArrayRef<int64_t> shape) {
  if (isa<onnx::SizeOp>(op))
    return EvaluatedTensor{{}, {double(eval::numElements(shape))}};
  auto [first, last] = cast<onnx::ShapeOp>(op).getDimRange(shape.size());
  EvaluatedTensor out{{std::max<int64_t>(last - first, 0)}, {}};
  for (int64_t d = first; d < last; ++d)
    out.values.push_back(double(shape[d]));
  return out;
}

} // namespace

std::optional<EvaluatedTensor> ConstantEvaluator::evaluate(Value value) {
  const EvaluatedTensor *result = eval(value, 0);
  std::optional<EvaluatedTensor> copy;
  // Moved out, not copied: the cache is dropped next.
  if (result)
    copy = std::move(*cache[value]);
  // Buffers live for one evaluation: a model's weights are evaluated one
  // consumer at a time.
  cache.clear();
  return copy;
}

const EvaluatedTensor *ConstantEvaluator::eval(Value value, unsigned depth) {
  auto it = cache.find(value);
  if (it != cache.end())
    return it->second.get();
  // Weight subgraphs are a few dozen ops deep; a deeper chain is not one,
  // and following it could exhaust the stack.
  constexpr unsigned kMaxDepth = 256;
  if (depth > kMaxDepth)
    return nullptr;

  Operation *op = value.getDefiningOp();
  if (!op || op->getNumResults() != 1)
    return nullptr;
  auto resultType = dyn_cast<ShapedType>(value.getType());
  if (!resultType)
    return nullptr;

  std::optional<EvaluatedTensor> result;
  Attribute attr;
  if (matchPattern(value, m_Constant(&attr))) {
    result = readAttribute(attr);
  } else if (isa<onnx::ShapeOp, onnx::SizeOp>(op)) {
    // A static input type is enough; otherwise the input must evaluate.
    auto inputType = dyn_cast<RankedTensorType>(op->getOperand(0).getType());
    if (inputType && inputType.hasStaticShape()) {
      result = shapeValue(op, inputType.getShape());
    } else {
      const EvaluatedTensor *input = eval(op->getOperand(0), depth + 1);
      if (!input)
        return nullptr;
      result = shapeValue(op, input->shape);
    }
  } else {
    auto rule = rules().find(op->getName().getStringRef());
    if (rule == rules().end())
      return nullptr;
    // Every operand must evaluate; `none` operands stay null.
    SmallVector<const EvaluatedTensor *> in;
    for (Value operand : op->getOperands()) {
      if (isa<NoneType>(operand.getType())) {
        in.push_back(nullptr);
        continue;
      }
      const EvaluatedTensor *t = eval(operand, depth + 1);
      if (!t)
        return nullptr;
      in.push_back(t);
    }
    if (in.empty() || (!in[0] && !isa<onnx::ConstantOfShapeOp>(op)))
      return nullptr;
    Type et = resultType.getElementType();
    result = rule->second(RuleInput{op, value, in, Rounding::of(et), et});
    // An operand with no other user is not read again: unpacking one
    // matrix chains a dozen full-size ops, and holding every step would
    // multiply the peak by as much.
    for (Value operand : op->getOperands())
      if (operand.hasOneUse())
        cache.erase(operand);
  }
  if (!result ||
      eval::numElements(result->shape) != int64_t(result->values.size()))
    return nullptr;
  // The declared type must agree wherever it says something.
  if (auto ranked = dyn_cast<RankedTensorType>(resultType)) {
    if (ranked.getRank() != int64_t(result->shape.size()))
      return nullptr;
    for (auto [declared, actual] : llvm::zip(ranked.getShape(), result->shape))
      if (!ShapedType::isDynamic(declared) && declared != actual)
        return nullptr;
  }
  auto &slot = cache[value];
  slot = std::make_unique<EvaluatedTensor>(std::move(*result));
  return slot.get();
}
