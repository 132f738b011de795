//===- ConstantEvaluator.cpp - compile-time evaluation of weights ---------===//
//
// An interpreter for the ONNX ops that weight subgraphs use: element-wise
// arithmetic with broadcasting, casts, shifts and masks, reductions and
// data movement. Floats follow f32 arithmetic: each result is computed in
// double and rounded to f32, which gives the correctly rounded f32 result
// of +, -, *, / and sqrt.
//
//===----------------------------------------------------------------------===//

#include "ConstantEvaluator.h"

#include "BitNet/Dialect/ONNX/IR/ONNXOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"

#include <cmath>
#include <cstring>
#include <numeric>

using namespace mlir;
using namespace mlir::bitnet;
namespace onnx = mlir::bitnet::onnx;

namespace {

int64_t numElements(ArrayRef<int64_t> shape) {
  return std::accumulate(shape.begin(), shape.end(), int64_t(1),
                         std::multiplies<int64_t>());
}

SmallVector<int64_t> stridesOf(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t i = int64_t(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

/// Rounds `v` to what the element type can hold.
double roundTo(Type type, double v) {
  if (type.isF32())
    return double(float(v));
  if (auto intType = dyn_cast<IntegerType>(type)) {
    if (intType.getWidth() == 1)
      return v != 0;
    return std::trunc(v);
  }
  return v;
}

/// Decodes a constant attribute of a supported element type.
std::optional<EvaluatedTensor> readAttribute(Attribute attr) {
  auto elements = dyn_cast<ElementsAttr>(attr);
  if (!elements)
    return std::nullopt;
  auto type = cast<ShapedType>(elements.getType());
  if (!type.hasStaticShape())
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
  auto decode = [&](auto sample) {
    using T = decltype(sample);
    if (raw.size() != size_t(n) * sizeof(T))
      return false;
    for (int64_t i = 0; i < n; ++i) {
      T v;
      std::memcpy(&v, raw.data() + i * sizeof(T), sizeof(T));
      t.values[i] = double(v);
    }
    return true;
  };
  bool ok = false;
  if (et.isF32())
    ok = decode(float());
  else if (et.isF64())
    ok = decode(double());
  else if (et.isInteger(64))
    ok = decode(int64_t());
  else if (et.isInteger(32))
    ok = et.isUnsignedInteger() ? decode(uint32_t()) : decode(int32_t());
  else if (et.isInteger(16))
    ok = et.isUnsignedInteger() ? decode(uint16_t()) : decode(int16_t());
  else if (et.isInteger(8))
    ok = et.isUnsignedInteger() ? decode(uint8_t()) : decode(int8_t());
  if (!ok)
    return std::nullopt;
  return t;
}

/// numpy broadcasting of two shapes; nullopt if they do not broadcast.
std::optional<SmallVector<int64_t>> broadcast(ArrayRef<int64_t> a,
                                              ArrayRef<int64_t> b) {
  size_t rank = std::max(a.size(), b.size());
  SmallVector<int64_t> out(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da != db && da != 1 && db != 1)
      return std::nullopt;
    out[i] = da == 1 ? db : da;
  }
  return out;
}

/// Strides of `shape` seen from a broadcast result of rank `rank`: 0 where
/// the dim is broadcast.
SmallVector<int64_t> broadcastStrides(ArrayRef<int64_t> shape,
                                      ArrayRef<int64_t> result) {
  SmallVector<int64_t> own = stridesOf(shape);
  SmallVector<int64_t> strides(result.size(), 0);
  size_t offset = result.size() - shape.size();
  for (size_t i = 0; i < shape.size(); ++i)
    strides[offset + i] = shape[i] == 1 ? 0 : own[i];
  return strides;
}

template <typename Fn>
std::optional<EvaluatedTensor> binary(const EvaluatedTensor &a,
                                      const EvaluatedTensor &b, Type et,
                                      Fn fn) {
  auto shape = broadcast(a.shape, b.shape);
  if (!shape)
    return std::nullopt;
  EvaluatedTensor out;
  out.shape = *shape;
  int64_t n = numElements(out.shape);
  out.values.resize(n);
  // Weight subgraphs mostly combine a tensor with a scalar or with a tensor
  // of its own shape: those need no index arithmetic.
  int64_t na = a.values.size(), nb = b.values.size();
  if ((na == n || na == 1) && (nb == n || nb == 1)) {
    int64_t stepA = na == n, stepB = nb == n;
    for (int64_t i = 0; i < n; ++i)
      out.values[i] = roundTo(et, fn(a.values[i * stepA], b.values[i * stepB]));
    return out;
  }
  SmallVector<int64_t> sa = broadcastStrides(a.shape, out.shape);
  SmallVector<int64_t> sb = broadcastStrides(b.shape, out.shape);
  SmallVector<int64_t> index(out.shape.size(), 0);
  int64_t ia = 0, ib = 0;
  for (int64_t i = 0; i < n; ++i) {
    out.values[i] = roundTo(et, fn(a.values[ia], b.values[ib]));
    // Advance the multi-index, keeping both operand offsets in step.
    for (int64_t d = int64_t(index.size()) - 1; d >= 0; --d) {
      ia += sa[d];
      ib += sb[d];
      if (++index[d] < out.shape[d])
        break;
      ia -= sa[d] * out.shape[d];
      ib -= sb[d] * out.shape[d];
      index[d] = 0;
    }
  }
  return out;
}

template <typename Fn>
EvaluatedTensor unary(const EvaluatedTensor &x, Type et, Fn fn) {
  EvaluatedTensor out{x.shape, {}};
  out.values.reserve(x.values.size());
  for (double v : x.values)
    out.values.push_back(roundTo(et, fn(v)));
  return out;
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
    int64_t axis = int64_t(v) < 0 ? int64_t(v) + rank : int64_t(v);
    if (axis < 0 || axis >= rank)
      return std::nullopt;
    result.push_back(axis);
  }
  return result;
}

std::optional<EvaluatedTensor> reduce(const EvaluatedTensor &x,
                                      ArrayRef<int64_t> axes, bool keepdims,
                                      StringRef kind, Type et) {
  int64_t rank = x.shape.size();
  SmallVector<bool> reduced(rank, false);
  for (int64_t a : axes)
    reduced[a] = true;
  SmallVector<int64_t> outShape, keptShape;
  for (int64_t d = 0; d < rank; ++d) {
    keptShape.push_back(reduced[d] ? 1 : x.shape[d]);
    if (!reduced[d] || keepdims)
      outShape.push_back(reduced[d] ? 1 : x.shape[d]);
  }
  int64_t outCount = numElements(keptShape);
  std::vector<double> acc(outCount, kind == "max" ? -INFINITY : 0.0);
  SmallVector<int64_t> outStrides = broadcastStrides(keptShape, x.shape);
  SmallVector<int64_t> index(rank, 0);
  int64_t o = 0;
  for (double v : x.values) {
    acc[o] = kind == "max" ? std::max(acc[o], v) : acc[o] + v;
    for (int64_t d = rank - 1; d >= 0; --d) {
      o += outStrides[d];
      if (++index[d] < x.shape[d])
        break;
      o -= outStrides[d] * x.shape[d];
      index[d] = 0;
    }
  }
  int64_t group = numElements(x.shape) / std::max<int64_t>(outCount, 1);
  EvaluatedTensor out{outShape, {}};
  for (double v : acc)
    out.values.push_back(roundTo(et, kind == "mean" ? v / group : v));
  return out;
}

EvaluatedTensor transpose(const EvaluatedTensor &x, ArrayRef<int64_t> perm) {
  EvaluatedTensor out;
  for (int64_t p : perm)
    out.shape.push_back(x.shape[p]);
  SmallVector<int64_t> inStrides = stridesOf(x.shape);
  SmallVector<int64_t> strides;
  for (int64_t p : perm)
    strides.push_back(inStrides[p]);
  int64_t n = x.values.size();
  out.values.resize(n);
  SmallVector<int64_t> index(perm.size(), 0);
  int64_t src = 0;
  for (int64_t i = 0; i < n; ++i) {
    out.values[i] = x.values[src];
    for (int64_t d = int64_t(index.size()) - 1; d >= 0; --d) {
      src += strides[d];
      if (++index[d] < out.shape[d])
        break;
      src -= strides[d] * out.shape[d];
      index[d] = 0;
    }
  }
  return out;
}

std::optional<EvaluatedTensor> concat(ArrayRef<const EvaluatedTensor *> parts,
                                      int64_t axis) {
  if (parts.empty())
    return std::nullopt;
  EvaluatedTensor out{parts.front()->shape, {}};
  int64_t rank = out.shape.size();
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis >= rank)
    return std::nullopt;
  out.shape[axis] = 0;
  for (const EvaluatedTensor *p : parts) {
    if (int64_t(p->shape.size()) != rank)
      return std::nullopt;
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis && p->shape[d] != parts.front()->shape[d])
        return std::nullopt;
    out.shape[axis] += p->shape[axis];
  }
  int64_t outer = numElements(ArrayRef(out.shape).take_front(axis));
  for (int64_t o = 0; o < outer; ++o)
    for (const EvaluatedTensor *p : parts) {
      int64_t chunk = numElements(ArrayRef(p->shape).drop_front(axis));
      out.values.insert(out.values.end(), p->values.begin() + o * chunk,
                        p->values.begin() + (o + 1) * chunk);
    }
  return out;
}

std::optional<EvaluatedTensor>
slice(const EvaluatedTensor &x, const EvaluatedTensor &starts,
      const EvaluatedTensor &ends, const EvaluatedTensor *axesT,
      const EvaluatedTensor *stepsT) {
  int64_t rank = x.shape.size();
  size_t numAxes = starts.values.size();
  if (ends.values.size() != numAxes ||
      (axesT && axesT->values.size() != numAxes) ||
      (stepsT && stepsT->values.size() != numAxes))
    return std::nullopt;
  SmallVector<int64_t> begin(rank, 0), step(rank, 1), count(x.shape);
  for (size_t i = 0; i < numAxes; ++i) {
    int64_t axis = axesT ? int64_t(axesT->values[i]) : int64_t(i);
    if (axis < 0)
      axis += rank;
    if (axis < 0 || axis >= rank)
      return std::nullopt;
    int64_t dim = x.shape[axis];
    int64_t s = stepsT ? int64_t(stepsT->values[i]) : 1;
    if (s <= 0)
      return std::nullopt; // weight subgraphs slice forward only
    auto clampIndex = [&](double v) {
      int64_t idx = v >= double(INT64_MAX) ? dim : int64_t(v);
      if (idx < 0)
        idx += dim;
      return std::clamp<int64_t>(idx, 0, dim);
    };
    int64_t b = clampIndex(starts.values[i]), e = clampIndex(ends.values[i]);
    begin[axis] = b;
    step[axis] = s;
    count[axis] = e > b ? (e - b - 1) / s + 1 : 0;
  }
  EvaluatedTensor out{count, {}};
  int64_t n = numElements(count);
  out.values.reserve(n);
  SmallVector<int64_t> strides = stridesOf(x.shape), index(rank, 0);
  for (int64_t i = 0; i < n; ++i) {
    int64_t src = 0;
    for (int64_t d = 0; d < rank; ++d)
      src += (begin[d] + index[d] * step[d]) * strides[d];
    out.values.push_back(x.values[src]);
    for (int64_t d = rank - 1; d >= 0; --d) {
      if (++index[d] < count[d])
        break;
      index[d] = 0;
    }
  }
  return out;
}

} // namespace

std::optional<EvaluatedTensor> ConstantEvaluator::evaluate(Value value) {
  const EvaluatedTensor *result = eval(value, 0);
  std::optional<EvaluatedTensor> copy;
  if (result)
    copy = *result;
  // Buffers live for one evaluation: a model's weights are evaluated one
  // consumer at a time.
  cache.clear();
  return copy;
}

const EvaluatedTensor *ConstantEvaluator::eval(Value value, unsigned depth) {
  auto it = cache.find(value);
  if (it != cache.end())
    return it->second.get();
  // Weight subgraphs are a few ops deep; a deeper chain is not one, and
  // following it could exhaust the stack.
  constexpr unsigned kMaxDepth = 256;
  if (depth > kMaxDepth)
    return nullptr;

  Operation *op = value.getDefiningOp();
  if (!op)
    return nullptr;
  auto resultType = dyn_cast<ShapedType>(value.getType());
  if (!resultType)
    return nullptr;
  Type et = resultType.getElementType();

  std::optional<EvaluatedTensor> result;
  Attribute attr;
  if (matchPattern(value, m_Constant(&attr))) {
    result = readAttribute(attr);
  } else {
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
    StringRef name = op->getName().getStringRef();
    auto bin = [&](auto fn) { return binary(*in[0], *in[1], et, fn); };
    if (name == "onnx.Identity") {
      result = *in[0];
    } else if (name == "onnx.Abs") {
      result = unary(*in[0], et, [](double v) { return std::fabs(v); });
    } else if (name == "onnx.Neg") {
      result = unary(*in[0], et, [](double v) { return -v; });
    } else if (name == "onnx.Sqrt") {
      result = unary(*in[0], et, [](double v) { return std::sqrt(v); });
    } else if (name == "onnx.Reciprocal") {
      result = unary(*in[0], et, [](double v) { return 1.0 / v; });
    } else if (name == "onnx.Round") {
      // nearbyint rounds half to even, as ONNX Round does.
      result = unary(*in[0], et, [](double v) { return std::nearbyint(v); });
    } else if (name == "onnx.Add") {
      result = bin([](double a, double b) { return a + b; });
    } else if (name == "onnx.Sub") {
      result = bin([](double a, double b) { return a - b; });
    } else if (name == "onnx.Mul") {
      result = bin([](double a, double b) { return a * b; });
    } else if (name == "onnx.Div") {
      bool isInt = isa<IntegerType>(et);
      result = bin([isInt](double a, double b) {
        return isInt ? (b == 0 ? 0.0 : std::trunc(a / b)) : a / b;
      });
    } else if (name == "onnx.Pow") {
      result = bin([](double a, double b) { return std::pow(a, b); });
    } else if (name == "onnx.BitwiseAnd") {
      result = bin([](double a, double b) {
        return double(int64_t(a) & int64_t(b));
      });
    } else if (name == "onnx.BitwiseOr") {
      result = bin([](double a, double b) {
        return double(int64_t(a) | int64_t(b));
      });
    } else if (auto shift = dyn_cast<onnx::BitShiftOp>(op)) {
      bool right = shift.getDirection() == "RIGHT";
      result = bin([right](double a, double b) {
        return right ? double(uint64_t(a) >> uint64_t(b))
                     : double(uint64_t(a) << uint64_t(b));
      });
    } else if (auto mod = dyn_cast<onnx::ModOp>(op)) {
      bool fmod = mod.getFmod().value_or(0) != 0;
      result = bin([fmod](double a, double b) {
        if (b == 0)
          return 0.0;
        double r = std::fmod(a, b);
        // Integer Mod takes the divisor's sign, like Python's %.
        if (!fmod && r != 0 && ((r < 0) != (b < 0)))
          r += b;
        return r;
      });
    } else if (auto clip = dyn_cast<onnx::ClipOp>(op)) {
      const EvaluatedTensor *lo =
          clip.getMin() ? eval(clip.getMin(), depth + 1) : nullptr;
      const EvaluatedTensor *hi =
          clip.getMax() ? eval(clip.getMax(), depth + 1) : nullptr;
      if ((clip.getMin() && (!lo || lo->values.size() != 1)) ||
          (clip.getMax() && (!hi || hi->values.size() != 1)))
        return nullptr;
      double l = lo ? lo->values.front() : -INFINITY;
      double h = hi ? hi->values.front() : INFINITY;
      result = unary(*in[0], et,
                     [l, h](double v) { return std::min(std::max(v, l), h); });
    } else if (isa<onnx::CastOp>(op)) {
      result = unary(*in[0], et, [](double v) { return v; });
    } else if (isa<onnx::ReduceMeanOp, onnx::ReduceMaxOp, onnx::ReduceSumOp>(
                   op)) {
      int64_t keepdims = 1;
      if (auto k = op->getAttrOfType<IntegerAttr>("keepdims"))
        keepdims = k.getInt();
      auto axes = axesOf(in.size() > 1 ? in[1] : nullptr, in[0]->shape.size());
      if (!axes)
        return nullptr;
      StringRef kind = isa<onnx::ReduceMeanOp>(op)  ? "mean"
                       : isa<onnx::ReduceMaxOp>(op) ? "max"
                                                    : "sum";
      result = reduce(*in[0], *axes, keepdims != 0, kind, et);
    } else if (auto t = dyn_cast<onnx::TransposeOp>(op)) {
      SmallVector<int64_t> perm;
      if (auto p = t.getPerm())
        for (Attribute a : *p)
          perm.push_back(cast<IntegerAttr>(a).getInt());
      else
        for (int64_t i = in[0]->shape.size() - 1; i >= 0; --i)
          perm.push_back(i);
      if (perm.size() != in[0]->shape.size())
        return nullptr;
      result = transpose(*in[0], perm);
    } else if (auto c = dyn_cast<onnx::ConcatOp>(op)) {
      result = concat(in, c.getAxis());
    } else if (isa<onnx::ReshapeOp, onnx::UnsqueezeOp, onnx::SqueezeOp>(op)) {
      // Data movement without reordering: only the shape changes, and the
      // op's static result type says what it becomes.
      if (!resultType.hasStaticShape() ||
          resultType.getNumElements() != int64_t(in[0]->values.size()))
        return nullptr;
      result = EvaluatedTensor{SmallVector<int64_t>(resultType.getShape()),
                               in[0]->values};
    } else if (auto s = dyn_cast<onnx::SliceOp>(op)) {
      // The operands were all evaluated above; these are cache hits.
      const EvaluatedTensor *axes =
          s.getAxes() ? eval(s.getAxes(), depth + 1) : nullptr;
      const EvaluatedTensor *steps =
          s.getSteps() ? eval(s.getSteps(), depth + 1) : nullptr;
      result = slice(*in[0], *eval(s.getStarts(), depth + 1),
                     *eval(s.getEnds(), depth + 1), axes, steps);
    }
  }
  if (!result || numElements(result->shape) != int64_t(result->values.size()))
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
