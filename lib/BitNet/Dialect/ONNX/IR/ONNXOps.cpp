//===- ONNXOps.cpp - onnx dialect operations ------------------------------===//
//
// Verifiers for what makes no sense in any opset (an axis out of range, a
// `perm` that is no permutation, a Cast whose result type contradicts `to`)
// and the assembly of ops with several optional operands. Folds are in
// ONNXFolding.cpp and ONNXShapeFolding.cpp.
//
//===----------------------------------------------------------------------===//

#include "BitNet/Dialect/ONNX/IR/ONNXOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace mlir::bitnet::onnx;

Type mlir::bitnet::onnx::getTensorProtoElementType(MLIRContext *context,
                                                   int64_t code) {
  auto signless = [&](unsigned width) {
    return IntegerType::get(context, width);
  };
  auto unsignedInt = [&](unsigned width) {
    return IntegerType::get(context, width, IntegerType::Unsigned);
  };
  switch (code) {
  case 1: return Float32Type::get(context);
  case 2: return unsignedInt(8);
  case 3: return signless(8);
  case 4: return unsignedInt(16);
  case 5: return signless(16);
  case 6: return signless(32);
  case 7: return signless(64);
  case 9: return signless(1);
  case 10: return Float16Type::get(context);
  case 11: return Float64Type::get(context);
  case 12: return unsignedInt(32);
  case 13: return unsignedInt(64);
  case 14: return ComplexType::get(Float32Type::get(context));
  case 15: return ComplexType::get(Float64Type::get(context));
  case 16: return BFloat16Type::get(context);
  case 17: return Float8E4M3FNType::get(context);
  case 18: return Float8E4M3FNUZType::get(context);
  case 19: return Float8E5M2Type::get(context);
  case 20: return Float8E5M2FNUZType::get(context);
  case 21: return unsignedInt(4);
  case 22: return signless(4);
  case 23: return Float4E2M1FNType::get(context);
  default: return {}; // 8 is STRING, which has no builtin type.
  }
}

//===----------------------------------------------------------------------===//
// Operand groups named where they appear: `, min %a, max %b`
//===----------------------------------------------------------------------===//

static ParseResult
parseTaggedOptionals(OpAsmParser &parser,
                     std::optional<OpAsmParser::UnresolvedOperand> &first,
                     std::optional<OpAsmParser::UnresolvedOperand> &second,
                     StringRef firstTag, StringRef secondTag) {
  if (failed(parser.parseOptionalComma()))
    return success();
  SMLoc loc = parser.getCurrentLocation();
  if (succeeded(parser.parseOptionalKeyword(firstTag))) {
    first.emplace();
    if (parser.parseOperand(*first))
      return failure();
    if (failed(parser.parseOptionalComma()))
      return success();
    loc = parser.getCurrentLocation();
    if (failed(parser.parseOptionalKeyword(secondTag)))
      return parser.emitError(loc, "expected '") << secondTag << "'";
  } else if (failed(parser.parseOptionalKeyword(secondTag))) {
    return parser.emitError(loc, "expected '")
           << firstTag << "' or '" << secondTag << "'";
  }
  second.emplace();
  return parser.parseOperand(*second);
}

static void printTaggedOptionals(OpAsmPrinter &printer, Operation *,
                                 Value first, Value second,
                                 StringRef firstTag, StringRef secondTag) {
  if (first)
    printer << ", " << firstTag << ' ' << first;
  if (second)
    printer << ", " << secondTag << ' ' << second;
}

//===----------------------------------------------------------------------===//
// Shared checks
//===----------------------------------------------------------------------===//

namespace {

std::optional<int64_t> rankOf(Type type) {
  if (auto ranked = dyn_cast<RankedTensorType>(type))
    return ranked.getRank();
  return std::nullopt;
}

/// An axis of a rank-`rank` input lies in [-rank, rank - 1]; axes that name
/// a position between dimensions (Flatten's) also may be `rank`.
LogicalResult verifyAxis(Operation *op, int64_t axis, Type input,
                         bool allowRank = false) {
  std::optional<int64_t> rank = rankOf(input);
  if (!rank)
    return success();
  int64_t last = allowRank ? *rank : *rank - 1;
  if (axis < -*rank || axis > last)
    return op->emitOpError("expected `axis` in [")
           << -*rank << ", " << last << "] for a rank-" << *rank
           << " input, got " << axis;
  return success();
}

LogicalResult verifyResultRank(Operation *op, Type result, int64_t rank) {
  std::optional<int64_t> actual = rankOf(result);
  if (actual && *actual != rank)
    return op->emitOpError("expected a ")
           << rank << "-D result, got rank " << *actual;
  return success();
}

LogicalResult verifyOneOf(Operation *op, StringRef attrName,
                          std::optional<StringRef> value,
                          ArrayRef<StringRef> allowed) {
  if (!value || llvm::is_contained(allowed, *value))
    return success();
  InFlightDiagnostic diag = op->emitOpError("expected `")
                            << attrName << "` to be one of ";
  llvm::interleaveComma(allowed, diag,
                        [&](StringRef s) { diag << '"' << s << '"'; });
  return diag << ", got \"" << *value << '"';
}

} // namespace

//===----------------------------------------------------------------------===//
// Element-wise operators
//===----------------------------------------------------------------------===//

LogicalResult ModOp::verify() {
  int64_t fmod = getFmodOrDefault();
  if (fmod != 0 && fmod != 1)
    return emitOpError("expected `fmod` to be 0 or 1, got ") << fmod;
  Type element = getElementTypeOrSelf(getA().getType());
  if (fmod == 0 && isa<FloatType>(element))
    return emitOpError("expected fmod = 1 for floating-point operands (")
           << element << ")";
  return success();
}

LogicalResult BitShiftOp::verify() {
  return verifyOneOf(*this, "direction", getDirection(), {"LEFT", "RIGHT"});
}

//===----------------------------------------------------------------------===//
// Linear algebra, normalization, reductions
//===----------------------------------------------------------------------===//

LogicalResult GemmOp::verify() {
  for (auto [name, value] : {std::pair<StringRef, Value>{"A", getA()},
                             std::pair<StringRef, Value>{"B", getB()}}) {
    std::optional<int64_t> rank = rankOf(value.getType());
    if (rank && *rank != 2)
      return emitOpError("expected `")
             << name << "` to be a matrix (rank 2), got rank " << *rank;
  }
  return success();
}

LogicalResult SoftmaxOp::verify() {
  return verifyAxis(*this, getAxisOrDefault(), getInput().getType());
}

LogicalResult LogSoftmaxOp::verify() {
  return verifyAxis(*this, getAxisOrDefault(), getInput().getType());
}

LogicalResult LayerNormalizationOp::verify() {
  if (getStatistics().size() > 2)
    return emitOpError("expected at most 2 optional results (Mean, "
                       "InvStdDev), got ")
           << getStatistics().size();
  return verifyAxis(*this, getAxisOrDefault(), getX().getType());
}

LogicalResult ArgMaxOp::verify() {
  return verifyAxis(*this, getAxisOrDefault(), getData().getType());
}

LogicalResult TopKOp::verify() {
  return verifyAxis(*this, getAxisOrDefault(), getX().getType());
}

//===----------------------------------------------------------------------===//
// Conversions and shapes
//===----------------------------------------------------------------------===//

LogicalResult CastOp::verify() {
  // Codes through 23 (FLOAT4E2M1) cover the opsets the importer reads.
  auto to = static_cast<int64_t>(getTo());
  if (to < 1 || to > 23)
    return emitOpError("expected `to` to be a TensorProto data type code "
                       "in [1, 23], got ")
           << to;
  Type expected = getTensorProtoElementType(getContext(), to);
  Type actual = getElementTypeOrSelf(getOutput().getType());
  if (expected && actual != expected)
    return emitOpError("expected result element type ")
           << expected << " for to = " << to << ", got " << actual;
  return success();
}

std::pair<int64_t, int64_t> ShapeOp::getDimRange(int64_t rank) {
  auto clamp = [&](int64_t index) {
    if (index < 0)
      index += rank;
    return std::clamp<int64_t>(index, 0, rank);
  };
  int64_t start = clamp(getStartAttr() ? getStartAttr().getInt() : 0);
  int64_t end = clamp(getEndAttr() ? getEndAttr().getInt() : rank);
  return {start, std::max(start, end)};
}

LogicalResult ShapeOp::verify() {
  if (failed(verifyResultRank(*this, getShape().getType(), 1)))
    return failure();
  auto input = dyn_cast<RankedTensorType>(getData().getType());
  auto result = dyn_cast<RankedTensorType>(getShape().getType());
  if (!input || !result || result.isDynamicDim(0))
    return success();
  auto [start, end] = getDimRange(input.getRank());
  if (result.getDimSize(0) != end - start)
    return emitOpError("expected a result of size ")
           << end - start << " for dimensions [" << start << ", "
           << end << ") of a rank-" << input.getRank() << " input, got "
           << result.getDimSize(0);
  return success();
}

LogicalResult SizeOp::verify() {
  return verifyResultRank(*this, getSize().getType(), 0);
}

LogicalResult FlattenOp::verify() {
  if (failed(verifyAxis(*this, getAxisOrDefault(), getInput().getType(),
                        /*allowRank=*/true)))
    return failure();
  return verifyResultRank(*this, getOutput().getType(), 2);
}

LogicalResult TransposeOp::verify() {
  std::optional<ArrayAttr> perm = getPerm();
  if (!perm)
    return success();
  SmallVector<int64_t> dims;
  for (Attribute dim : *perm)
    dims.push_back(cast<IntegerAttr>(dim).getInt());
  std::optional<int64_t> rank = rankOf(getData().getType());
  int64_t size = rank ? *rank : static_cast<int64_t>(dims.size());
  SmallVector<bool> seen(size, false);
  bool isPermutation = static_cast<int64_t>(dims.size()) == size;
  for (int64_t dim : dims) {
    if (dim < 0 || dim >= size || seen[dim]) {
      isPermutation = false;
      break;
    }
    seen[dim] = true;
  }
  if (!isPermutation) {
    InFlightDiagnostic diag = emitOpError("expected `perm` to be a "
                                          "permutation of the ")
                              << size << " dimensions, got [";
    llvm::interleaveComma(dims, diag);
    return diag << "]";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Joining, splitting and selecting
//===----------------------------------------------------------------------===//

LogicalResult ConcatOp::verify() {
  std::optional<int64_t> rank;
  Type rankedInput;
  for (Value input : getInputs()) {
    std::optional<int64_t> inputRank = rankOf(input.getType());
    if (!inputRank)
      continue;
    if (rank && *rank != *inputRank)
      return emitOpError("expected inputs of one rank, got ranks ")
             << *rank << " and " << *inputRank;
    rank = inputRank;
    rankedInput = input.getType();
  }
  if (!rankedInput)
    return success();
  return verifyAxis(*this, getAxis(), rankedInput);
}

LogicalResult SplitOp::verify() {
  if (getOutputs().empty())
    return emitOpError("expected at least one result");
  size_t numResults = getOutputs().size();
  if (getSplit() && getNumOutputsAttr())
    return emitOpError("expected either the `split` input or "
                       "`num_outputs`, not both");
  if (IntegerAttr numOutputs = getNumOutputsAttr();
      numOutputs && numOutputs.getInt() != static_cast<int64_t>(numResults))
    return emitOpError("expected ")
           << numOutputs.getInt() << " results for num_outputs = "
           << numOutputs.getInt() << ", got " << numResults;
  if (Value split = getSplit()) {
    auto type = dyn_cast<RankedTensorType>(split.getType());
    if (type && type.getRank() == 1 && !type.isDynamicDim(0) &&
        type.getDimSize(0) != static_cast<int64_t>(numResults))
      return emitOpError("expected one result per entry of `split` (")
             << type.getDimSize(0) << "), got " << numResults;
  }
  return verifyAxis(*this, getAxisOrDefault(), getInput().getType());
}

LogicalResult GatherOp::verify() {
  return verifyAxis(*this, getAxisOrDefault(), getData().getType());
}

LogicalResult GatherElementsOp::verify() {
  return verifyAxis(*this, getAxisOrDefault(), getData().getType());
}

static constexpr StringRef kReductions[] = {"none", "add", "mul", "max",
                                            "min"};

LogicalResult ScatterElementsOp::verify() {
  if (failed(verifyOneOf(*this, "reduction", getReduction(), kReductions)))
    return failure();
  return verifyAxis(*this, getAxisOrDefault(), getData().getType());
}

LogicalResult ScatterNDOp::verify() {
  return verifyOneOf(*this, "reduction", getReduction(), kReductions);
}

LogicalResult WhereOp::verify() {
  Type x = getElementTypeOrSelf(getX().getType());
  Type y = getElementTypeOrSelf(getY().getType());
  Type result = getElementTypeOrSelf(getOutput().getType());
  if (x != y || x != result)
    return emitOpError("expected X, Y and the result to have one element "
                       "type, got ")
           << x << ", " << y << " and " << result;
  return success();
}

LogicalResult TriluOp::verify() {
  std::optional<int64_t> rank = rankOf(getInput().getType());
  if (rank && *rank < 2)
    return emitOpError("expected an input of rank 2 or more, got rank ")
           << *rank;
  return success();
}

LogicalResult ClipOp::verify() {
  Type element = getElementTypeOrSelf(getInput().getType());
  for (auto [name, bound] : {std::pair<StringRef, Value>{"min", getMin()},
                             std::pair<StringRef, Value>{"max", getMax()}}) {
    if (bound && getElementTypeOrSelf(bound.getType()) != element)
      return emitOpError("expected `")
             << name << "` of the input's element type " << element
             << ", got " << getElementTypeOrSelf(bound.getType());
  }
  return success();
}

Value PadOp::getConstantValue() {
  auto optionals = getConstantValueAndAxes();
  if (optionals.empty() || isNoValue(optionals[0]))
    return {};
  return optionals[0];
}

Value PadOp::getAxes() {
  auto optionals = getConstantValueAndAxes();
  if (optionals.size() < 2 || isNoValue(optionals[1]))
    return {};
  return optionals[1];
}

LogicalResult PadOp::verify() {
  if (getConstantValueAndAxes().size() > 2)
    return emitOpError("expected at most 2 optional inputs (constant_value, "
                       "axes), got ")
           << getConstantValueAndAxes().size();
  return verifyOneOf(*this, "mode", getMode(),
                     {"constant", "reflect", "edge", "wrap"});
}

//===----------------------------------------------------------------------===//
// Generators
//===----------------------------------------------------------------------===//

LogicalResult ConstantOfShapeOp::verify() {
  Type fill = Float32Type::get(getContext());
  if (std::optional<ElementsAttr> value = getValue()) {
    if (value->getNumElements() != 1)
      return emitOpError("expected `value` to hold one element, got ")
             << value->getNumElements();
    fill = value->getElementType();
  }
  Type result = getElementTypeOrSelf(getOutput().getType());
  if (result != fill)
    return emitOpError("expected the result element type to be ")
           << fill << ", the type of `value`, got " << result;
  return success();
}

LogicalResult RangeOp::verify() {
  for (auto [name, value] : {std::pair<StringRef, Value>{"start", getStart()},
                             std::pair<StringRef, Value>{"limit", getLimit()},
                             std::pair<StringRef, Value>{"delta", getDelta()}}) {
    std::optional<int64_t> rank = rankOf(value.getType());
    if (rank && *rank != 0)
      return emitOpError("expected `")
             << name << "` to be a scalar (rank 0), got rank " << *rank;
  }
  return verifyResultRank(*this, getOutput().getType(), 1);
}

#define GET_OP_CLASSES
#include "BitNet/Dialect/ONNX/IR/ONNXOps.cpp.inc"
