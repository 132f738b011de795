//===- ONNXFolding.cpp - element-wise folds -------------------------------===//
//
// Constant evaluation of the cheap element-wise operators on small integer
// and float constants (arithmetic, comparisons, logic, Cast, Where), as
// exporters use them on shapes and index tensors. Folds of data movement
// and shapes are in ONNXShapeFolding.cpp; the size policy is FoldUtils.h.
//
//===----------------------------------------------------------------------===//

#include "FoldUtils.h"

#include "BitNet/Dialect/ONNX/IR/ONNXOps.h"

#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/APSInt.h"

using namespace mlir;
using namespace mlir::bitnet::onnx;
using namespace mlir::bitnet::onnx::detail;

//===----------------------------------------------------------------------===//
// Shared helpers (FoldUtils.h)
//===----------------------------------------------------------------------===//

std::optional<SmallVector<int64_t>>
mlir::bitnet::onnx::detail::getIntValues(Attribute attr) {
  DenseElementsAttr dense = getFoldableConstant(attr);
  auto type = dense ? dyn_cast<IntegerType>(dense.getElementType()) : nullptr;
  if (!type || type.getWidth() > 64 ||
      dense.getNumElements() > kMaxFoldElements)
    return std::nullopt;
  bool isUnsigned = isUnsignedInteger(type);
  SmallVector<int64_t> values;
  values.reserve(dense.getNumElements());
  for (const APInt &value : dense.getValues<APInt>()) {
    if (isUnsigned && value.getActiveBits() > 63)
      return std::nullopt;
    values.push_back(isUnsigned ? int64_t(value.getZExtValue())
                                : value.getSExtValue());
  }
  return values;
}

/// The strides with which an operand of `operandShape` is read along each
/// dimension of `resultShape`: 0 where it is broadcast.
static FailureOr<SmallVector<int64_t>>
getBroadcastStrides(ArrayRef<int64_t> operandShape,
                    ArrayRef<int64_t> resultShape) {
  if (operandShape.size() > resultShape.size())
    return failure();
  size_t offset = resultShape.size() - operandShape.size();
  SmallVector<int64_t> strides(resultShape.size(), 0);
  int64_t stride = 1;
  for (size_t i = operandShape.size(); i-- > 0;) {
    int64_t dim = operandShape[i];
    if (dim != resultShape[i + offset] && dim != 1)
      return failure();
    if (dim != 1)
      strides[i + offset] = stride;
    // Splat operands may have any shape; their strides are never used, but
    // computing them must not overflow.
    if (__builtin_mul_overflow(stride, dim, &stride))
      return failure();
  }
  return strides;
}

FailureOr<SmallVector<int64_t>>
mlir::bitnet::onnx::detail::getBroadcastIndices(
    ArrayRef<int64_t> operandShape, ArrayRef<int64_t> resultShape) {
  FailureOr<SmallVector<int64_t>> strides =
      getBroadcastStrides(operandShape, resultShape);
  if (failed(strides))
    return failure();
  int64_t count = ShapedType::getNumElements(resultShape);
  SmallVector<int64_t> indices;
  indices.reserve(count);
  SmallVector<int64_t> position(resultShape.size(), 0);
  int64_t linear = 0;
  for (int64_t n = 0; n < count; ++n) {
    indices.push_back(linear);
    // Odometer step over the result, moving the operand index along.
    for (size_t d = resultShape.size(); d-- > 0;) {
      if (++position[d] < resultShape[d]) {
        linear += (*strides)[d];
        break;
      }
      linear -= (*strides)[d] * (resultShape[d] - 1);
      position[d] = 0;
    }
  }
  return indices;
}

Attribute mlir::bitnet::onnx::detail::getI64Constant(Type resultType,
                                                     ArrayRef<int64_t> values) {
  RankedTensorType type = getFoldableResultType(resultType);
  if (!type || !type.getElementType().isSignlessInteger(64) ||
      type.getNumElements() != static_cast<int64_t>(values.size()))
    return {};
  return DenseElementsAttr::get(type, values);
}

//===----------------------------------------------------------------------===//
// Element-wise evaluation with broadcasting
//===----------------------------------------------------------------------===//

namespace {

template <typename T> bool holdsElementsOf(DenseElementsAttr attr);
template <> bool holdsElementsOf<APInt>(DenseElementsAttr attr) {
  return isa<IntegerType>(attr.getElementType());
}
template <> bool holdsElementsOf<APFloat>(DenseElementsAttr attr) {
  return isa<FloatType>(attr.getElementType());
}

/// Applies `fn` to the broadcast elements of constant operands, giving a
/// constant of `resultType`. Null when an operand is no foldable constant
/// of element kind T, the shapes do not broadcast to the result's, or `fn`
/// refuses an element (division by zero, NaN...).
///
/// The operands must share one element type (`operandElement` when given):
/// APInt and APFloat arithmetic on mixed widths or semantics is undefined,
/// and a well-typed module may mix them (the ops take AnyTensor).
template <typename T, typename R>
Attribute foldElementwise(ArrayRef<Attribute> operands, Type resultType,
                          function_ref<std::optional<R>(ArrayRef<T>)> fn,
                          Type operandElement = {}) {
  RankedTensorType type = getFoldableResultType(resultType);
  if (!type)
    return {};
  SmallVector<DenseElementsAttr> constants;
  for (Attribute operand : operands) {
    DenseElementsAttr dense = getFoldableConstant(operand);
    if (dense && !operandElement)
      operandElement = dense.getElementType();
    if (!dense || !holdsElementsOf<T>(dense) ||
        dense.getElementType() != operandElement ||
        failed(getBroadcastStrides(dense.getType().getShape(),
                                   type.getShape())))
      return {};
    constants.push_back(dense);
  }

  SmallVector<T> args;
  if (llvm::all_of(constants, [](auto c) { return c.isSplat(); })) {
    for (DenseElementsAttr constant : constants)
      args.push_back(constant.getSplatValue<T>());
    std::optional<R> value = fn(args);
    if (!value)
      return {};
    return DenseElementsAttr::get(type, ArrayRef<R>(*value));
  }
  if (!isSmall(type))
    return {};

  SmallVector<SmallVector<int64_t>> indices;
  SmallVector<SmallVector<T>> values;
  for (DenseElementsAttr constant : constants) {
    indices.push_back(*getBroadcastIndices(constant.getType().getShape(),
                                           type.getShape()));
    values.emplace_back(constant.getValues<T>());
  }
  SmallVector<R> results;
  results.reserve(type.getNumElements());
  for (int64_t i = 0, e = type.getNumElements(); i < e; ++i) {
    args.clear();
    for (size_t k = 0; k < values.size(); ++k)
      args.push_back(values[k][indices[k][i]]);
    std::optional<R> value = fn(args);
    if (!value)
      return {};
    results.push_back(*value);
  }
  return DenseElementsAttr::get(type, results);
}

using IntFn = function_ref<std::optional<APInt>(ArrayRef<APInt>)>;
using FloatFn = function_ref<std::optional<APFloat>(ArrayRef<APFloat>)>;

/// Arithmetic on operands of the result's element type: `intFn` for
/// integers, `floatFn` for floats.
Attribute foldArithmetic(ArrayRef<Attribute> operands, Type resultType,
                         IntFn intFn, FloatFn floatFn) {
  Type element = getElementTypeOrSelf(resultType);
  if (isa<IntegerType>(element))
    return foldElementwise<APInt, APInt>(operands, resultType, intFn, element);
  if (isa<FloatType>(element))
    return foldElementwise<APFloat, APFloat>(operands, resultType, floatFn,
                                             element);
  return {};
}

/// A comparison; `holds` gets the ordering of its operands (-1, 0, 1) and
/// is not asked about NaN, which compares false.
Attribute foldComparison(ArrayRef<Attribute> operands, Type resultType,
                         Type operandType, function_ref<bool(int)> holds) {
  Type element = getElementTypeOrSelf(operandType);
  if (auto integer = dyn_cast<IntegerType>(element)) {
    bool isUnsigned = isUnsignedInteger(integer);
    return foldElementwise<APInt, APInt>(
        operands, resultType,
        [&](ArrayRef<APInt> v) -> std::optional<APInt> {
          int order = v[0] == v[1]                            ? 0
                      : (isUnsigned ? v[0].ult(v[1]) : v[0].slt(v[1])) ? -1
                                                                       : 1;
          return APInt(1, holds(order));
        },
        element);
  }
  if (isa<FloatType>(element)) {
    return foldElementwise<APFloat, APInt>(
        operands, resultType,
        [&](ArrayRef<APFloat> v) -> std::optional<APInt> {
          APFloat::cmpResult cmp = v[0].compare(v[1]);
          if (cmp == APFloat::cmpUnordered)
            return APInt(1, 0);
          int order = cmp == APFloat::cmpLessThan ? -1
                      : cmp == APFloat::cmpEqual  ? 0
                                                  : 1;
          return APInt(1, holds(order));
        },
        element);
  }
  return {};
}

bool hasUnsignedElements(Type type) {
  return isUnsignedInteger(getElementTypeOrSelf(type));
}

/// The larger (`max`) or smaller of the values; refuses NaN, whose
/// propagation ONNX leaves to the runtime.
Attribute foldExtremum(ArrayRef<Attribute> operands, Type resultType,
                       bool max) {
  bool isUnsigned = hasUnsignedElements(resultType);
  return foldArithmetic(
      operands, resultType,
      [&](ArrayRef<APInt> v) -> std::optional<APInt> {
        APInt best = v[0];
        for (const APInt &x : v.drop_front()) {
          bool less = isUnsigned ? best.ult(x) : best.slt(x);
          bool greater = isUnsigned ? best.ugt(x) : best.sgt(x);
          if (max ? less : greater)
            best = x;
        }
        return best;
      },
      [&](ArrayRef<APFloat> v) -> std::optional<APFloat> {
        APFloat best = v[0];
        for (const APFloat &x : v) {
          if (x.isNaN())
            return std::nullopt;
          if (max ? best < x : x < best)
            best = x;
        }
        return best;
      });
}

} // namespace

//===----------------------------------------------------------------------===//
// Arithmetic and logic
//===----------------------------------------------------------------------===//

OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  return foldArithmetic(
      adaptor.getOperands(), getType(),
      [](ArrayRef<APInt> v) -> std::optional<APInt> { return v[0] + v[1]; },
      [](ArrayRef<APFloat> v) -> std::optional<APFloat> {
        return v[0] + v[1];
      });
}

OpFoldResult SubOp::fold(FoldAdaptor adaptor) {
  return foldArithmetic(
      adaptor.getOperands(), getType(),
      [](ArrayRef<APInt> v) -> std::optional<APInt> { return v[0] - v[1]; },
      [](ArrayRef<APFloat> v) -> std::optional<APFloat> {
        return v[0] - v[1];
      });
}

OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  return foldArithmetic(
      adaptor.getOperands(), getType(),
      [](ArrayRef<APInt> v) -> std::optional<APInt> { return v[0] * v[1]; },
      [](ArrayRef<APFloat> v) -> std::optional<APFloat> {
        return v[0] * v[1];
      });
}

// Integer division truncates toward zero, as ONNX runtimes do; division by
// zero and INT_MIN / -1 are left to the runtime.
OpFoldResult DivOp::fold(FoldAdaptor adaptor) {
  bool isUnsigned = hasUnsignedElements(getType());
  return foldArithmetic(
      adaptor.getOperands(), getType(),
      [&](ArrayRef<APInt> v) -> std::optional<APInt> {
        if (v[1].isZero())
          return std::nullopt;
        if (isUnsigned)
          return v[0].udiv(v[1]);
        if (v[0].isMinSignedValue() && v[1].isAllOnes())
          return std::nullopt;
        return v[0].sdiv(v[1]);
      },
      [](ArrayRef<APFloat> v) -> std::optional<APFloat> {
        return v[0] / v[1];
      });
}

OpFoldResult NegOp::fold(FoldAdaptor adaptor) {
  return foldArithmetic(
      adaptor.getOperands(), getType(),
      [](ArrayRef<APInt> v) -> std::optional<APInt> { return -v[0]; },
      [](ArrayRef<APFloat> v) -> std::optional<APFloat> { return -v[0]; });
}

OpFoldResult AbsOp::fold(FoldAdaptor adaptor) {
  bool isUnsigned = hasUnsignedElements(getType());
  return foldArithmetic(
      adaptor.getOperands(), getType(),
      [&](ArrayRef<APInt> v) -> std::optional<APInt> {
        return isUnsigned ? v[0] : v[0].abs();
      },
      [](ArrayRef<APFloat> v) -> std::optional<APFloat> {
        return abs(v[0]);
      });
}

OpFoldResult MaxOp::fold(FoldAdaptor adaptor) {
  return foldExtremum(adaptor.getOperands(), getType(), /*max=*/true);
}

OpFoldResult MinOp::fold(FoldAdaptor adaptor) {
  return foldExtremum(adaptor.getOperands(), getType(), /*max=*/false);
}

OpFoldResult NotOp::fold(FoldAdaptor adaptor) {
  return foldElementwise<APInt, APInt>(
      adaptor.getOperands(), getType(),
      [](ArrayRef<APInt> v) -> std::optional<APInt> { return ~v[0]; });
}

OpFoldResult AndOp::fold(FoldAdaptor adaptor) {
  return foldElementwise<APInt, APInt>(
      adaptor.getOperands(), getType(),
      [](ArrayRef<APInt> v) -> std::optional<APInt> { return v[0] & v[1]; });
}

OpFoldResult OrOp::fold(FoldAdaptor adaptor) {
  return foldElementwise<APInt, APInt>(
      adaptor.getOperands(), getType(),
      [](ArrayRef<APInt> v) -> std::optional<APInt> { return v[0] | v[1]; });
}

OpFoldResult XorOp::fold(FoldAdaptor adaptor) {
  return foldElementwise<APInt, APInt>(
      adaptor.getOperands(), getType(),
      [](ArrayRef<APInt> v) -> std::optional<APInt> { return v[0] ^ v[1]; });
}

//===----------------------------------------------------------------------===//
// Comparisons
//===----------------------------------------------------------------------===//

OpFoldResult EqualOp::fold(FoldAdaptor adaptor) {
  return foldComparison(adaptor.getOperands(), getType(), getA().getType(),
                        [](int order) { return order == 0; });
}

OpFoldResult LessOp::fold(FoldAdaptor adaptor) {
  return foldComparison(adaptor.getOperands(), getType(), getA().getType(),
                        [](int order) { return order < 0; });
}

OpFoldResult LessOrEqualOp::fold(FoldAdaptor adaptor) {
  return foldComparison(adaptor.getOperands(), getType(), getA().getType(),
                        [](int order) { return order <= 0; });
}

OpFoldResult GreaterOp::fold(FoldAdaptor adaptor) {
  return foldComparison(adaptor.getOperands(), getType(), getA().getType(),
                        [](int order) { return order > 0; });
}

OpFoldResult GreaterOrEqualOp::fold(FoldAdaptor adaptor) {
  return foldComparison(adaptor.getOperands(), getType(), getA().getType(),
                        [](int order) { return order >= 0; });
}

//===----------------------------------------------------------------------===//
// Conversions and selection
//===----------------------------------------------------------------------===//

namespace {

/// Float types whose conversions are plain IEEE rounding; the 8- and 4-bit
/// ones saturate by the `saturate` attribute and are left to the runtime.
bool isPlainFloat(Type type) {
  return isa<Float16Type, BFloat16Type, Float32Type, Float64Type>(type);
}

/// One element converted from `from` to `to` as ONNX Cast does: floats to
/// integers toward zero, anything to BOOL as "is nonzero". Null where the
/// result is undefined (NaN or out-of-range to integer).
Attribute castElement(Attribute value, Type from, Type to) {
  auto toInt = dyn_cast<IntegerType>(to);
  if (auto intAttr = dyn_cast<IntegerAttr>(value)) {
    const APInt &v = intAttr.getValue();
    bool isUnsigned = isUnsignedInteger(from);
    if (toInt && toInt.getWidth() == 1)
      return IntegerAttr::get(to, APInt(1, !v.isZero()));
    if (toInt)
      return IntegerAttr::get(to, isUnsigned ? v.zextOrTrunc(toInt.getWidth())
                                             : v.sextOrTrunc(toInt.getWidth()));
    if (!isPlainFloat(to))
      return {};
    APFloat result(cast<FloatType>(to).getFloatSemantics());
    result.convertFromAPInt(v, !isUnsigned, APFloat::rmNearestTiesToEven);
    return FloatAttr::get(to, result);
  }
  auto floatAttr = dyn_cast<FloatAttr>(value);
  if (!floatAttr || !isPlainFloat(from))
    return {};
  APFloat v = floatAttr.getValue();
  if (v.isNaN())
    return {};
  if (toInt && toInt.getWidth() == 1)
    return IntegerAttr::get(to, APInt(1, !v.isZero()));
  if (toInt) {
    APSInt result(toInt.getWidth(), isUnsignedInteger(toInt));
    bool isExact;
    if (v.convertToInteger(result, APFloat::rmTowardZero, &isExact) &
        APFloat::opInvalidOp)
      return {};
    return IntegerAttr::get(to, result);
  }
  if (!isPlainFloat(to))
    return {};
  bool losesInfo;
  v.convert(cast<FloatType>(to).getFloatSemantics(),
            APFloat::rmNearestTiesToEven, &losesInfo);
  return FloatAttr::get(to, v);
}

OpFoldResult foldCast(Value input, Attribute inputAttr, Type resultType) {
  if (input.getType() == resultType)
    return input;
  RankedTensorType type = getFoldableResultType(resultType);
  DenseElementsAttr dense = getFoldableConstant(inputAttr);
  if (!type || !dense || dense.getType().getShape() != type.getShape())
    return {};
  Type from = dense.getElementType(), to = type.getElementType();
  if (dense.isSplat()) {
    Attribute value = castElement(dense.getSplatValue<Attribute>(), from, to);
    return value ? DenseElementsAttr::get(type, value) : Attribute();
  }
  SmallVector<Attribute> values;
  values.reserve(dense.getNumElements());
  for (Attribute element : dense.getValues<Attribute>()) {
    values.push_back(castElement(element, from, to));
    if (!values.back())
      return {};
  }
  return DenseElementsAttr::get(type, values);
}

} // namespace

OpFoldResult CastOp::fold(FoldAdaptor adaptor) {
  return foldCast(getInput(), adaptor.getInput(), getType());
}

OpFoldResult CastLikeOp::fold(FoldAdaptor adaptor) {
  return foldCast(getInput(), adaptor.getInput(), getType());
}

OpFoldResult IdentityOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType())
    return getInput();
  return {};
}

OpFoldResult WhereOp::fold(FoldAdaptor adaptor) {
  DenseElementsAttr condition = getFoldableConstant(adaptor.getCondition());
  if (!condition)
    return {};
  // A uniform condition selects one operand whole, constant or not.
  if (condition.isSplat()) {
    Value chosen = condition.getSplatValue<bool>() ? getX() : getY();
    if (chosen.getType() == getType())
      return chosen;
  }
  RankedTensorType type = getFoldableResultType(getType());
  DenseElementsAttr x = getFoldableConstant(adaptor.getX());
  DenseElementsAttr y = getFoldableConstant(adaptor.getY());
  if (!type || !isSmall(type) || !x || !y)
    return {};
  FailureOr<SmallVector<int64_t>> conditionIndices =
      getBroadcastIndices(condition.getType().getShape(), type.getShape());
  FailureOr<SmallVector<int64_t>> xIndices =
      getBroadcastIndices(x.getType().getShape(), type.getShape());
  FailureOr<SmallVector<int64_t>> yIndices =
      getBroadcastIndices(y.getType().getShape(), type.getShape());
  if (failed(conditionIndices) || failed(xIndices) || failed(yIndices))
    return {};
  SmallVector<bool> conditions(condition.getValues<bool>());
  SmallVector<Attribute> xs(x.getValues<Attribute>());
  SmallVector<Attribute> ys(y.getValues<Attribute>());
  SmallVector<Attribute> values;
  values.reserve(type.getNumElements());
  for (int64_t i = 0, e = type.getNumElements(); i < e; ++i)
    values.push_back(conditions[(*conditionIndices)[i]] ? xs[(*xIndices)[i]]
                                                        : ys[(*yIndices)[i]]);
  return DenseElementsAttr::get(type, values);
}
