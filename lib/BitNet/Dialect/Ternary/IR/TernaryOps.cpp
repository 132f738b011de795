//===- TernaryOps.cpp - ternary dialect operations ------------------------===//
//
// Verifiers, the custom syntax of `ternary.constant`, and the storage of
// packed trits. Folds and canonicalizations are in TernaryFolding.cpp.
//
//===----------------------------------------------------------------------===//

#include "BitNet/Dialect/Ternary/IR/TernaryOps.h"
#include "BitNet/Support/ElementsStorage.h"
#include "BitNet/Support/TernaryPacking.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/TypeUtilities.h"

#include <cstring>

using namespace mlir;
using namespace mlir::bitnet;
using namespace mlir::bitnet::ternary;

namespace {
/// Up to this many trits, `ternary.constant` prints the trits themselves.
constexpr int64_t kPrintTritsLimit = 1024;

/// Checks that `actual` has the shape of `expected` where both are known.
bool shapesAgree(ArrayRef<int64_t> actual, ArrayRef<int64_t> expected) {
  return succeeded(verifyCompatibleShape(actual, expected));
}

std::string shapeString(ArrayRef<int64_t> shape) {
  std::string s;
  llvm::raw_string_ostream os(s);
  llvm::interleave(
      shape, os,
      [&](int64_t d) {
        if (ShapedType::isDynamic(d))
          os << '?';
        else
          os << d;
      },
      "x");
  return s.empty() ? "scalar" : s;
}
} // namespace

//===----------------------------------------------------------------------===//
// ConstantOp
//===----------------------------------------------------------------------===//

ElementsAttr ConstantOp::buildPackedStorage(WeightsType type,
                                            ArrayRef<uint8_t> bytes) {
  return buildElementsAttr(
      type.getPackedTensorType(),
      ArrayRef<char>(reinterpret_cast<const char *>(bytes.data()),
                     bytes.size()),
      "ternary_weights");
}

void ConstantOp::build(OpBuilder &builder, OperationState &state,
                       WeightsType type, ArrayRef<int8_t> trits,
                       ElementsAttr scale) {
  SmallVector<uint8_t> packed(type.getPackedTensorType().getNumElements());
  packTrits(trits, type.getOutFeatures(), type.getInFeatures(), packed,
            type.getLayout());
  build(builder, state, type, buildPackedStorage(type, packed), scale);
}

ArrayRef<uint8_t>
ConstantOp::readPackedBytes(SmallVectorImpl<uint8_t> &splatStorage) {
  ArrayRef<char> raw;
  if (auto dense = dyn_cast<DenseElementsAttr>(getPacked())) {
    if (dense.isSplat()) {
      splatStorage.assign(dense.getNumElements(),
                          static_cast<uint8_t>(dense.getRawData()[0]));
      return splatStorage;
    }
    raw = dense.getRawData();
  } else if (auto resource = dyn_cast<DenseResourceElementsAttr>(getPacked()))
    raw = resource.getData();
  return ArrayRef<uint8_t>(reinterpret_cast<const uint8_t *>(raw.data()),
                           raw.size());
}

SmallVector<int8_t> ConstantOp::unpackTrits() {
  WeightsType type = getType();
  SmallVector<int8_t> trits(type.getOutFeatures() * type.getInFeatures());
  SmallVector<uint8_t> splatStorage;
  ::mlir::bitnet::unpackTrits(readPackedBytes(splatStorage),
                              type.getOutFeatures(),
                              type.getInFeatures(), trits, type.getLayout());
  return trits;
}

ElementsAttr ConstantOp::getPackedIn(TritLayout layout) {
  WeightsType type = getType();
  if (type.getLayout() == layout)
    return getPacked();
  WeightsType target = type.withLayout(layout);
  int64_t n = type.getOutFeatures(), k = type.getInFeatures();
  SmallVector<uint8_t> bytes(target.getPackedTensorType().getNumElements());
  if (type.getPacking() == layout.packing) {
    // The same bytes, rows padded differently: copy each row's trits.
    int64_t from = type.getLayout().rowBytes(k), to = layout.rowBytes(k);
    int64_t used = TritLayout{layout.packing, 1}.rowBytes(k);
    std::fill(bytes.begin(), bytes.end(), zeroTritsByte(layout.packing));
    SmallVector<uint8_t> splatStorage;
    ArrayRef<uint8_t> rows = readPackedBytes(splatStorage);
    for (int64_t r = 0; r < n; ++r)
      std::memcpy(bytes.data() + r * to, rows.data() + r * from, used);
  } else {
    packTrits(unpackTrits(), n, k, bytes, layout);
  }
  return buildPackedStorage(target, bytes);
}

LogicalResult ConstantOp::verify() {
  WeightsType type = getType();
  if (getPacked().getType() != type.getPackedTensorType())
    return emitOpError("expected packed storage of type ")
           << type.getPackedTensorType() << " for " << type << ", got "
           << getPacked().getType();
  if (getScale().getType() != type.getScaleTensorType())
    return emitOpError("expected a scale of type ")
           << type.getScaleTensorType() << " for " << type << ", got "
           << getScale().getType();

  if (auto dense = dyn_cast<DenseElementsAttr>(getPacked())) {
    // A splat repeats one byte: checking that byte is enough.
    ArrayRef<char> raw = dense.getRawData();
    if (std::optional<int64_t> bad = findInvalidPackedByte(
            ArrayRef<uint8_t>(reinterpret_cast<const uint8_t *>(raw.data()),
                              raw.size()),
            type.getPacking()))
      return emitOpError("packed byte ")
             << *bad << " holds the field 3, which is no trit (fields hold "
             << "trit + 1)";
    return success();
  }
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(getPacked())) {
    // Blobs of billions of weights are not rescanned on every verification;
    // only their size is checked here, their fields where they are made.
    const AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob)
      return emitOpError("packed storage refers to the resource '")
             << resource.getRawHandle().getKey() << "', which has no data";
    int64_t expected = type.getPackedTensorType().getNumElements();
    if (static_cast<int64_t>(blob->getData().size()) != expected)
      return emitOpError("packed storage holds ")
             << blob->getData().size() << " bytes, expected " << expected;
    return success();
  }
  return emitOpError(
      "expected packed storage in a dense or dense_resource attribute");
}

// Syntax:
//   ternary.constant <trits : tensor<OUTxINxi8>>, scale <attr> -> <type>
//   ternary.constant packed <attr>, scale <attr> -> <type>
ParseResult ConstantOp::parse(OpAsmParser &parser, OperationState &result) {
  bool isPacked = succeeded(parser.parseOptionalKeyword("packed"));
  SMLoc valuesLoc = parser.getCurrentLocation();
  Attribute values, scale;
  Type resultType;
  if (parser.parseAttribute(values) || parser.parseComma() ||
      parser.parseKeyword("scale") || parser.parseAttribute(scale) ||
      parser.parseArrow() || parser.parseType(resultType) ||
      parser.parseOptionalAttrDict(result.attributes))
    return failure();

  auto type = dyn_cast<WeightsType>(resultType);
  if (!type)
    return parser.emitError(valuesLoc, "expected !ternary.weights, got ")
           << resultType;
  auto scaleElements = dyn_cast<ElementsAttr>(scale);
  if (!scaleElements)
    return parser.emitError(valuesLoc, "expected an elements attribute for "
                                       "the scale");

  ElementsAttr packed;
  if (isPacked) {
    packed = dyn_cast<ElementsAttr>(values);
    if (!packed)
      return parser.emitError(valuesLoc,
                              "expected an elements attribute of packed "
                              "bytes");
  } else {
    auto trits = dyn_cast<DenseIntElementsAttr>(values);
    if (!trits || trits.getType() != type.getTritTensorType())
      return parser.emitError(valuesLoc, "expected trits of type ")
             << type.getTritTensorType() << ", got " << values;
    SmallVector<int8_t> tritValues;
    tritValues.reserve(trits.getNumElements());
    for (auto [index, value] : llvm::enumerate(trits.getValues<int8_t>())) {
      if (value < -1 || value > 1)
        return parser.emitError(valuesLoc, "expected trits in {-1, 0, +1}, "
                                           "got ")
               << int(value) << " at row " << index / type.getInFeatures()
               << ", column " << index % type.getInFeatures();
      tritValues.push_back(value);
    }
    SmallVector<uint8_t> bytes(type.getPackedTensorType().getNumElements());
    packTrits(tritValues, type.getOutFeatures(), type.getInFeatures(), bytes,
              type.getLayout());
    packed = buildPackedStorage(type, bytes);
  }

  result.addAttribute(getPackedAttrName(result.name), packed);
  result.addAttribute(getScaleAttrName(result.name), scaleElements);
  result.addTypes(type);
  return success();
}

void ConstantOp::print(OpAsmPrinter &printer) {
  WeightsType type = getType();
  int64_t numTrits = type.getOutFeatures() * type.getInFeatures();
  printer << ' ';
  if (isa<DenseElementsAttr>(getPacked()) && numTrits <= kPrintTritsLimit) {
    SmallVector<int8_t> trits = unpackTrits();
    printer.printAttribute(
        DenseElementsAttr::get(type.getTritTensorType(), ArrayRef(trits)));
  } else {
    printer << "packed ";
    printer.printAttribute(getPacked());
  }
  printer << ", scale ";
  printer.printAttribute(getScale());
  printer << " -> " << type;
  printer.printOptionalAttrDict((*this)->getAttrs(),
                                {getPackedAttrName(), getScaleAttrName()});
}

//===----------------------------------------------------------------------===//
// Weight producers and consumers
//===----------------------------------------------------------------------===//

static LogicalResult verifyPositiveEpsilon(Operation *op, APFloat epsilon) {
  if (epsilon.convertToDouble() <= 0.0)
    return op->emitOpError("expected a positive epsilon, got ")
           << epsilon.convertToDouble();
  return success();
}

LogicalResult AbsMeanQuantOp::verify() {
  auto type = cast<WeightsType>(getResult().getType());
  RankedTensorType input = getInput().getType();
  if (!input.hasStaticShape() || input.getRank() != 2 ||
      input.getDimSize(0) != type.getOutFeatures() ||
      input.getDimSize(1) != type.getInFeatures())
    return emitOpError("expected input of shape ")
           << type.getOutFeatures() << "x" << type.getInFeatures()
           << " to match " << type << ", got " << shapeString(input.getShape());
  if (input.getElementType() != type.getScaleType())
    return emitOpError("expected the scale type of ")
           << type << " to be the input element type "
           << input.getElementType();
  return verifyPositiveEpsilon(*this, getEpsilon());
}

/// The trit and scale tensors that `type` unpacks to.
static LogicalResult verifyTritsAndScale(Operation *op, WeightsType type,
                                         Type trits, Type scale) {
  if (trits != type.getTritTensorType())
    return op->emitOpError("expected trits of type ")
           << type.getTritTensorType() << " for " << type << ", got "
           << trits;
  if (scale != type.getScaleTensorType())
    return op->emitOpError("expected a scale of type ")
           << type.getScaleTensorType() << " for " << type << ", got "
           << scale;
  return success();
}

LogicalResult PackOp::verify() {
  return verifyTritsAndScale(*this, cast<WeightsType>(getResult().getType()),
                             getTrits().getType(), getScale().getType());
}

LogicalResult UnpackOp::verify() {
  return verifyTritsAndScale(*this, cast<WeightsType>(getWeights().getType()),
                             getTrits().getType(), getScale().getType());
}

LogicalResult DequantizeOp::verify() {
  auto type = cast<WeightsType>(getWeights().getType());
  if (getResult().getType() != type.getDequantizedTensorType())
    return emitOpError("expected a result of type ")
           << type.getDequantizedTensorType() << " for " << type << ", got "
           << getResult().getType();
  return success();
}

/// `[..., K]` activations against `[N, K]` weights give `[..., N]`.
static LogicalResult verifyLinearShapes(Operation *op, RankedTensorType input,
                                        WeightsType weights,
                                        RankedTensorType result) {
  if (input.getRank() < 1)
    return op->emitOpError("expected activations of rank 1 or more");
  if (!shapesAgree(input.getShape().take_back(),
                   {weights.getInFeatures()}))
    return op->emitOpError("expected the last dimension of the activations ")
           << shapeString(input.getShape()) << " to be the "
           << weights.getInFeatures() << " input features of " << weights;
  SmallVector<int64_t> expected(input.getShape().drop_back());
  expected.push_back(weights.getOutFeatures());
  if (result.getRank() != input.getRank() ||
      !shapesAgree(result.getShape(), expected))
    return op->emitOpError("expected a result of shape ")
           << shapeString(expected) << ", got "
           << shapeString(result.getShape());
  return success();
}

LogicalResult AbsMaxQuantOp::verify() {
  RankedTensorType input = getInput().getType();
  if (input.getRank() < 1)
    return emitOpError("expected activations of rank 1 or more");
  if (!shapesAgree(getQuantized().getType().getShape(), input.getShape()) ||
      getQuantized().getType().getRank() != input.getRank())
    return emitOpError("expected quantized activations of the input shape ")
           << shapeString(input.getShape()) << ", got "
           << shapeString(getQuantized().getType().getShape());
  SmallVector<int64_t> scaleShape(input.getShape());
  scaleShape.back() = 1;
  RankedTensorType scale = getScale().getType();
  if (scale.getRank() != input.getRank() ||
      !shapesAgree(scale.getShape(), scaleShape))
    return emitOpError("expected a per-token scale of shape ")
           << shapeString(scaleShape) << ", got "
           << shapeString(scale.getShape());
  if (scale.getElementType() != input.getElementType())
    return emitOpError("expected the scale to have the input element type ")
           << input.getElementType() << ", got " << scale.getElementType();
  return verifyPositiveEpsilon(*this, getEpsilon());
}

LogicalResult MatMulOp::verify() {
  auto weights = cast<WeightsType>(getWeights().getType());
  if (weights.isPerGroup())
    return emitOpError("cannot take weights scaled per group (")
           << weights << "): each group's sum needs its own scale; use "
           << "ternary.bitlinear";
  return verifyLinearShapes(*this, getInput().getType(), weights,
                            getResult().getType());
}

LogicalResult BitLinearOp::verify() {
  if (getResult().getType().getElementType() !=
      getInput().getType().getElementType())
    return emitOpError("expected the result element type to be the input "
                       "element type ")
           << getInput().getType().getElementType() << ", got "
           << getResult().getType().getElementType();
  if (failed(verifyLinearShapes(*this, getInput().getType(),
                                cast<WeightsType>(getWeights().getType()),
                                getResult().getType())))
    return failure();
  return verifyPositiveEpsilon(*this, getEpsilon());
}

#define GET_OP_CLASSES
#include "BitNet/Dialect/Ternary/IR/TernaryOps.cpp.inc"
