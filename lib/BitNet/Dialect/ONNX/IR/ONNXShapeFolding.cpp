//===- ONNXShapeFolding.cpp - folds of shapes and data movement -----------===//
//
// What `-canonicalize` needs to collapse the shape arithmetic exporters
// emit (Shape -> Gather/Slice -> Unsqueeze -> Concat -> Reshape): Shape of
// static dimensions, entries of a partly static Shape, and data movement
// of small constants. The size policy is in FoldUtils.h.
//
//===----------------------------------------------------------------------===//

#include "FoldUtils.h"

#include "BitNet/Dialect/ONNX/IR/ONNXOps.h"

#include <cmath>
#include <cstdlib>

using namespace mlir;
using namespace mlir::bitnet::onnx;
using namespace mlir::bitnet::onnx::detail;

namespace {

/// `axis` of a rank-`rank` tensor counted from the front; nullopt when out
/// of range.
std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return std::nullopt;
  return axis < 0 ? axis + rank : axis;
}

/// The entries of a 1-D i64 value that are known: every entry of a
/// constant, the static dimensions listed by `onnx.Shape` (nullopt for the
/// dynamic ones). Lets Gather and Slice read the static part of a shape
/// whose other dimensions are dynamic.
std::optional<SmallVector<std::optional<int64_t>>>
getKnownEntries(Value value, Attribute constant) {
  if (std::optional<SmallVector<int64_t>> values = getIntValues(constant))
    return SmallVector<std::optional<int64_t>>(values->begin(), values->end());
  auto shape = value.getDefiningOp<ShapeOp>();
  auto input = shape ? dyn_cast<RankedTensorType>(shape.getData().getType())
                     : nullptr;
  if (!input)
    return std::nullopt;
  auto [start, end] = shape.getDimRange(input.getRank());
  SmallVector<std::optional<int64_t>> entries;
  for (int64_t dim : input.getShape().slice(start, end - start))
    entries.push_back(ShapedType::isDynamic(dim) ? std::nullopt
                                                 : std::optional(dim));
  return entries;
}

/// An i64 constant of `resultType` from the `positions` of `entries`;
/// null if one of them is unknown or out of range.
Attribute selectKnownEntries(ArrayRef<std::optional<int64_t>> entries,
                             ArrayRef<int64_t> positions, Type resultType) {
  SmallVector<int64_t> values;
  for (int64_t position : positions) {
    if (position < 0 || position >= int64_t(entries.size()) ||
        !entries[position])
      return {};
    values.push_back(*entries[position]);
  }
  return getI64Constant(resultType, values);
}

/// The elements of a constant of `shape` whose index along dimension d is
/// one of `picks[d]`, row-major.
SmallVector<Attribute> selectElements(DenseElementsAttr data,
                                      ArrayRef<SmallVector<int64_t>> picks) {
  ArrayRef<int64_t> shape = data.getType().getShape();
  SmallVector<int64_t> strides(shape.size(), 1);
  for (size_t d = shape.size(); d-- > 1;)
    strides[d - 1] = strides[d] * shape[d];
  SmallVector<Attribute> values(data.getValues<Attribute>());
  int64_t count = 1;
  for (const SmallVector<int64_t> &pick : picks)
    count *= pick.size();
  SmallVector<Attribute> result;
  result.reserve(count);
  SmallVector<size_t> position(shape.size(), 0);
  for (int64_t n = 0; n < count; ++n) {
    int64_t linear = 0;
    for (size_t d = 0; d < shape.size(); ++d)
      linear += picks[d][position[d]] * strides[d];
    result.push_back(values[linear]);
    for (size_t d = shape.size(); d-- > 0;) {
      if (++position[d] < picks[d].size())
        break;
      position[d] = 0;
    }
  }
  return result;
}

/// Reshape, Squeeze, Unsqueeze and Flatten keep the elements in order: the
/// input itself when the type does not change, a reshaped constant when
/// the input is one.
OpFoldResult foldReshapeLike(Value data, Attribute dataAttr, Type resultType) {
  RankedTensorType type = getFoldableResultType(resultType);
  if (!type)
    return {};
  if (data.getType() == type)
    return data;
  DenseElementsAttr dense = getFoldableConstant(dataAttr);
  if (!dense || dense.getElementType() != type.getElementType() ||
      std::optional<int64_t>(dense.getNumElements()) !=
          getElementCount(type.getShape()))
    return {};
  return dense.reshape(type);
}

/// What ONNX Slice takes along a dimension of `size`: `count` indices
/// from `first` by `step`, with start and end clamped into the dimension.
/// Any int64 bounds and nonzero step are valid here: the arithmetic is
/// arranged so that none of it overflows.
struct SliceRange {
  int64_t first = 0, count = 0, step = 1;
};

SliceRange getSliceRange(int64_t size, int64_t start, int64_t end,
                         int64_t step) {
  SliceRange range;
  range.step = step;
  if (size == 0)
    return range;
  // start + size cannot overflow: start < 0 <= size.
  if (start < 0)
    start += size;
  if (end < 0)
    end += size;
  uint64_t span, magnitude;
  if (step > 0) {
    start = std::clamp<int64_t>(start, 0, size);
    end = std::clamp<int64_t>(end, 0, size);
    span = end > start ? uint64_t(end - start) : 0;
    magnitude = uint64_t(step);
  } else {
    start = std::clamp<int64_t>(start, 0, size - 1);
    end = std::clamp<int64_t>(end, -1, size - 1);
    span = start > end ? uint64_t(start - end) : 0;
    magnitude = uint64_t(0) - uint64_t(step);
  }
  range.first = start;
  // span <= 2^63 and magnitude <= 2^63, so the sum fits in uint64.
  range.count = int64_t((span + magnitude - 1) / magnitude);
  return range;
}

SmallVector<int64_t> getIndices(const SliceRange &range) {
  SmallVector<int64_t> indices;
  indices.reserve(range.count);
  for (int64_t k = 0; k < range.count; ++k)
    indices.push_back(range.first + k * range.step);
  return indices;
}

} // namespace

//===----------------------------------------------------------------------===//
// Shapes
//===----------------------------------------------------------------------===//

OpFoldResult ShapeOp::fold(FoldAdaptor) {
  auto input = dyn_cast<RankedTensorType>(getData().getType());
  if (!input)
    return {};
  auto [start, end] = getDimRange(input.getRank());
  ArrayRef<int64_t> dims = input.getShape().slice(start, end - start);
  if (llvm::any_of(dims, ShapedType::isDynamic))
    return {};
  return getI64Constant(getType(), dims);
}

OpFoldResult SizeOp::fold(FoldAdaptor) {
  auto input = dyn_cast<RankedTensorType>(getData().getType());
  if (!input || !input.hasStaticShape())
    return {};
  std::optional<int64_t> count = getElementCount(input.getShape());
  if (!count)
    return {};
  return getI64Constant(getType(), {*count});
}

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  return foldReshapeLike(getData(), adaptor.getData(), getType());
}

OpFoldResult FlattenOp::fold(FoldAdaptor adaptor) {
  return foldReshapeLike(getInput(), adaptor.getInput(), getType());
}

OpFoldResult SqueezeOp::fold(FoldAdaptor adaptor) {
  return foldReshapeLike(getData(), adaptor.getData(), getType());
}

OpFoldResult UnsqueezeOp::fold(FoldAdaptor adaptor) {
  return foldReshapeLike(getData(), adaptor.getData(), getType());
}

OpFoldResult ExpandOp::fold(FoldAdaptor adaptor) {
  RankedTensorType type = getFoldableResultType(getType());
  if (!type)
    return {};
  if (getInput().getType() == type)
    return getInput();
  DenseElementsAttr input = getFoldableConstant(adaptor.getInput());
  if (!input || input.getElementType() != type.getElementType())
    return {};
  if (input.isSplat()) {
    // Broadcasting a splat only needs the shapes to be compatible.
    ArrayRef<int64_t> from = input.getType().getShape();
    ArrayRef<int64_t> to = type.getShape();
    if (from.size() > to.size())
      return {};
    for (auto [f, t] : llvm::zip(llvm::reverse(from), llvm::reverse(to)))
      if (f != t && f != 1)
        return {};
    return DenseElementsAttr::get(type, input.getSplatValue<Attribute>());
  }
  if (!isSmall(type))
    return {};
  FailureOr<SmallVector<int64_t>> indices =
      getBroadcastIndices(input.getType().getShape(), type.getShape());
  if (failed(indices))
    return {};
  SmallVector<Attribute> values(input.getValues<Attribute>());
  SmallVector<Attribute> result;
  result.reserve(indices->size());
  for (int64_t index : *indices)
    result.push_back(values[index]);
  return DenseElementsAttr::get(type, result);
}

//===----------------------------------------------------------------------===//
// Joining and selecting
//===----------------------------------------------------------------------===//

OpFoldResult ConcatOp::fold(FoldAdaptor adaptor) {
  RankedTensorType type = getFoldableResultType(getType());
  if (!type)
    return {};
  if (getInputs().size() == 1 && getInputs()[0].getType() == type)
    return getInputs()[0];
  std::optional<int64_t> axis = normalizeAxis(getAxis(), type.getRank());
  if (!axis)
    return {};
  SmallVector<DenseElementsAttr> inputs;
  int64_t joined = 0;
  for (Attribute attr : adaptor.getInputs()) {
    DenseElementsAttr input = getFoldableConstant(attr);
    if (!input || input.getType().getRank() != type.getRank() ||
        input.getElementType() != type.getElementType())
      return {};
    for (int64_t d = 0; d < type.getRank(); ++d)
      if (d != *axis && input.getType().getDimSize(d) != type.getDimSize(d))
        return {};
    joined += input.getType().getDimSize(*axis);
    inputs.push_back(input);
  }
  if (joined != type.getDimSize(*axis))
    return {};
  if (!isSmall(type)) {
    // Only one splat value repeated is cheap.
    if (!llvm::all_of(inputs, [&](DenseElementsAttr input) {
          return input.isSplat() && input.getSplatValue<Attribute>() ==
                                        inputs[0].getSplatValue<Attribute>();
        }))
      return {};
    return DenseElementsAttr::get(type, inputs[0].getSplatValue<Attribute>());
  }

  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < *axis; ++d)
    outer *= type.getDimSize(d);
  for (int64_t d = *axis + 1; d < type.getRank(); ++d)
    inner *= type.getDimSize(d);
  SmallVector<SmallVector<Attribute>> values;
  for (DenseElementsAttr input : inputs)
    values.emplace_back(input.getValues<Attribute>());
  SmallVector<Attribute> result;
  result.reserve(type.getNumElements());
  for (int64_t o = 0; o < outer; ++o) {
    for (auto [input, inputValues] : llvm::zip(inputs, values)) {
      int64_t chunk = input.getType().getDimSize(*axis) * inner;
      llvm::append_range(result,
                         ArrayRef(inputValues).slice(o * chunk, chunk));
    }
  }
  return DenseElementsAttr::get(type, result);
}

OpFoldResult GatherOp::fold(FoldAdaptor adaptor) {
  std::optional<SmallVector<int64_t>> indices =
      getIntValues(adaptor.getIndices());
  auto dataType = dyn_cast<RankedTensorType>(getData().getType());
  if (!indices || !dataType)
    return {};
  std::optional<int64_t> axis =
      normalizeAxis(getAxisOrDefault(), dataType.getRank());
  if (!axis)
    return {};

  // The entries of a shape: its static part is enough.
  if (dataType.getRank() == 1 && !ShapedType::isDynamic(dataType.getDimSize(0)) &&
      !getFoldableConstant(adaptor.getData())) {
    auto entries = getKnownEntries(getData(), adaptor.getData());
    if (!entries)
      return {};
    int64_t size = entries->size();
    SmallVector<int64_t> positions;
    for (int64_t index : *indices) {
      if (index < -size || index >= size)
        return {};
      positions.push_back(index < 0 ? index + size : index);
    }
    return selectKnownEntries(*entries, positions, getType());
  }

  RankedTensorType type = getFoldableResultType(getType());
  DenseElementsAttr data = getFoldableConstant(adaptor.getData());
  if (!type || !data || !isSmall(type) ||
      data.getElementType() != type.getElementType())
    return {};
  ArrayRef<int64_t> shape = data.getType().getShape();
  auto indicesType = cast<ShapedType>(
      cast<TypedAttr>(adaptor.getIndices()).getType());
  SmallVector<int64_t> expected(shape.take_front(*axis));
  llvm::append_range(expected, indicesType.getShape());
  llvm::append_range(expected, shape.drop_front(*axis + 1));
  if (ArrayRef<int64_t>(expected) != type.getShape())
    return {};

  int64_t size = shape[*axis];
  int64_t outer = ShapedType::getNumElements(shape.take_front(*axis));
  int64_t inner = ShapedType::getNumElements(shape.drop_front(*axis + 1));
  SmallVector<Attribute> values(data.getValues<Attribute>());
  SmallVector<Attribute> result;
  result.reserve(type.getNumElements());
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t index : *indices) {
      if (index < -size || index >= size)
        return {};
      int64_t row = (o * size + (index < 0 ? index + size : index)) * inner;
      llvm::append_range(result, ArrayRef(values).slice(row, inner));
    }
  }
  return DenseElementsAttr::get(type, result);
}

OpFoldResult SliceOp::fold(FoldAdaptor adaptor) {
  auto dataType = dyn_cast<RankedTensorType>(getData().getType());
  if (!dataType || !dataType.hasStaticShape())
    return {};
  int64_t rank = dataType.getRank();
  std::optional<SmallVector<int64_t>> starts = getIntValues(adaptor.getStarts());
  std::optional<SmallVector<int64_t>> ends = getIntValues(adaptor.getEnds());
  if (!starts || !ends || starts->size() != ends->size())
    return {};
  size_t count = starts->size();
  SmallVector<int64_t> axes, steps(count, 1);
  if (getAxes()) {
    std::optional<SmallVector<int64_t>> values = getIntValues(adaptor.getAxes());
    if (!values || values->size() != count)
      return {};
    axes = *values;
  } else {
    axes = llvm::to_vector(llvm::seq<int64_t>(0, count));
  }
  if (getSteps()) {
    std::optional<SmallVector<int64_t>> values =
        getIntValues(adaptor.getSteps());
    if (!values || values->size() != count)
      return {};
    steps = *values;
  }

  // The range along each dimension; those the slice does not name keep
  // all of it. Nothing is materialized until the result is known small.
  SmallVector<SliceRange> ranges;
  for (int64_t size : dataType.getShape())
    ranges.push_back({0, size, 1});
  SmallVector<bool> sliced(rank, false);
  for (size_t i = 0; i < count; ++i) {
    std::optional<int64_t> axis = normalizeAxis(axes[i], rank);
    if (!axis || sliced[*axis] || steps[i] == 0)
      return {};
    sliced[*axis] = true;
    ranges[*axis] = getSliceRange(dataType.getDimSize(*axis), (*starts)[i],
                                  (*ends)[i], steps[i]);
  }

  if (rank == 1 && !getFoldableConstant(adaptor.getData())) {
    auto entries = getKnownEntries(getData(), adaptor.getData());
    // The entries are the Shape's; its declared result size may disagree
    // with them where the verifier could not check (an unranked input).
    if (!entries || int64_t(entries->size()) != dataType.getDimSize(0))
      return {};
    return selectKnownEntries(*entries, getIndices(ranges[0]), getType());
  }

  RankedTensorType type = getFoldableResultType(getType());
  DenseElementsAttr data = getFoldableConstant(adaptor.getData());
  if (!type || !data || data.getElementType() != type.getElementType() ||
      type.getRank() != rank)
    return {};
  for (auto [range, dim] : llvm::zip(ranges, type.getShape()))
    if (range.count != dim)
      return {};
  if (data.isSplat())
    return DenseElementsAttr::get(type, data.getSplatValue<Attribute>());
  if (!isSmall(type))
    return {};
  SmallVector<SmallVector<int64_t>> picks;
  for (const SliceRange &range : ranges)
    picks.push_back(getIndices(range));
  return DenseElementsAttr::get(type, selectElements(data, picks));
}

//===----------------------------------------------------------------------===//
// Generators
//===----------------------------------------------------------------------===//

OpFoldResult ConstantOfShapeOp::fold(FoldAdaptor) {
  // The fill is known whatever the shape input is; the static result type
  // says how many elements there are.
  RankedTensorType type = getFoldableResultType(getType());
  if (!type)
    return {};
  Attribute fill = FloatAttr::get(Float32Type::get(getContext()), 0.0);
  if (std::optional<ElementsAttr> value = getValue()) {
    auto dense = dyn_cast<DenseElementsAttr>(*value);
    if (!dense || dense.getNumElements() != 1)
      return {};
    fill = *dense.getValues<Attribute>().begin();
  }
  if (cast<TypedAttr>(fill).getType() != type.getElementType())
    return {};
  return DenseElementsAttr::get(type, fill);
}

OpFoldResult RangeOp::fold(FoldAdaptor adaptor) {
  RankedTensorType type = getFoldableResultType(getType());
  if (!type || type.getRank() != 1 || !isSmall(type))
    return {};
  int64_t count = type.getDimSize(0);
  Type element = type.getElementType();

  if (auto integer = dyn_cast<IntegerType>(element)) {
    auto start = getIntValues(adaptor.getStart());
    auto limit = getIntValues(adaptor.getLimit());
    auto delta = getIntValues(adaptor.getDelta());
    if (!start || !limit || !delta || start->size() != 1 ||
        limit->size() != 1 || delta->size() != 1)
      return {};
    int64_t first = (*start)[0], last = (*limit)[0], step = (*delta)[0];
    // Keeps the count's arithmetic clear of overflow.
    constexpr int64_t kBound = int64_t(1) << 53;
    if (step == 0 || std::abs(first) > kBound || std::abs(last) > kBound ||
        std::abs(step) > kBound)
      return {};
    int64_t span = step > 0 ? last - first : first - last;
    int64_t magnitude = std::abs(step);
    int64_t expected = span <= 0 ? 0 : (span + magnitude - 1) / magnitude;
    if (expected != count)
      return {};
    SmallVector<APInt> values;
    for (int64_t i = 0; i < count; ++i)
      values.push_back(APInt(integer.getWidth(), first + i * step,
                             /*isSigned=*/true, /*implicitTrunc=*/true));
    return DenseElementsAttr::get(type, values);
  }

  auto floatType = dyn_cast<FloatType>(element);
  auto start = dyn_cast_or_null<DenseFPElementsAttr>(adaptor.getStart());
  auto limit = dyn_cast_or_null<DenseFPElementsAttr>(adaptor.getLimit());
  auto delta = dyn_cast_or_null<DenseFPElementsAttr>(adaptor.getDelta());
  if (!floatType || !start || !limit || !delta || !start.isSplat() ||
      !limit.isSplat() || !delta.isSplat() ||
      start.getElementType() != element || limit.getElementType() != element ||
      delta.getElementType() != element)
    return {};
  APFloat first = start.getSplatValue<APFloat>();
  APFloat step = delta.getSplatValue<APFloat>();
  double span = limit.getSplatValue<APFloat>().convertToDouble() -
                first.convertToDouble();
  double steps = std::ceil(span / step.convertToDouble());
  if (!std::isfinite(steps) || std::max(steps, 0.0) != double(count))
    return {};
  // ONNX defines element i as start + i * delta, in the element type.
  SmallVector<APFloat> values;
  for (int64_t i = 0; i < count; ++i) {
    APFloat index(floatType.getFloatSemantics());
    index.convertFromAPInt(APInt(64, i), /*IsSigned=*/true,
                           APFloat::rmNearestTiesToEven);
    values.push_back(first + index * step);
  }
  return DenseElementsAttr::get(type, values);
}
