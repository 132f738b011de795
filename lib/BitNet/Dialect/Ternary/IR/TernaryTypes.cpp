//===- TernaryTypes.cpp - ternary dialect types ---------------------------===//
//
// `!ternary.weights<OUTxINxF[, per_channel | , group = G]>`: parsing,
// printing, verification and the tensor types derived from it.
//
//===----------------------------------------------------------------------===//

#include "BitNet/Dialect/Ternary/IR/TernaryTypes.h"
#include "BitNet/Dialect/Ternary/IR/TernaryDialect.h"
#include "BitNet/Support/TernaryPacking.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::bitnet;
using namespace mlir::bitnet::ternary;

#define GET_TYPEDEF_CLASSES
#include "BitNet/Dialect/Ternary/IR/TernaryTypes.cpp.inc"

void TernaryDialect::registerTypes() {
  addTypes<
#define GET_TYPEDEF_LIST
#include "BitNet/Dialect/Ternary/IR/TernaryTypes.cpp.inc"
      >();
}

Type WeightsType::parse(AsmParser &parser) {
  SmallVector<int64_t, 2> dims;
  Type scaleType;
  SMLoc loc = parser.getCurrentLocation();
  if (parser.parseLess() ||
      parser.parseDimensionList(dims, /*allowDynamic=*/false,
                                /*withTrailingX=*/true) ||
      parser.parseType(scaleType))
    return {};
  if (dims.size() != 2) {
    parser.emitError(loc, "expected OUTxINxF (two dimensions), got ")
        << dims.size() << " dimensions";
    return {};
  }
  auto floatType = dyn_cast<FloatType>(scaleType);
  if (!floatType) {
    parser.emitError(loc, "expected a float scale type, got ") << scaleType;
    return {};
  }
  int64_t groupSize = kPerTensor;
  if (succeeded(parser.parseOptionalComma())) {
    if (succeeded(parser.parseOptionalKeyword("per_channel"))) {
      groupSize = dims[1];
    } else if (parser.parseKeyword("group", " or 'per_channel'") ||
               parser.parseEqual() || parser.parseInteger(groupSize)) {
      return {};
    }
  }
  if (parser.parseGreater())
    return {};
  return parser.getChecked<WeightsType>(loc, parser.getContext(), dims[0],
                                        dims[1], floatType, groupSize);
}

void WeightsType::print(AsmPrinter &printer) const {
  printer << '<' << getOutFeatures() << 'x' << getInFeatures() << 'x'
          << getScaleType();
  if (isPerChannel())
    printer << ", per_channel";
  else if (isPerGroup())
    printer << ", group = " << getGroupSize();
  printer << '>';
}

LogicalResult
WeightsType::verify(function_ref<InFlightDiagnostic()> emitError,
                    int64_t outFeatures, int64_t inFeatures,
                    FloatType scaleType, int64_t groupSize) {
  if (outFeatures <= 0 || inFeatures <= 0)
    return emitError() << "expected positive dimensions, got " << outFeatures
                       << "x" << inFeatures;
  if (groupSize == kPerTensor)
    return success();
  if (groupSize < 0 || inFeatures % groupSize != 0)
    return emitError() << "expected a group size that divides the "
                       << inFeatures << " input features, got " << groupSize;
  return success();
}

SmallVector<int64_t> WeightsType::getScaleShape() const {
  if (isPerTensor())
    return {};
  if (isPerChannel())
    return {getOutFeatures()};
  return {getOutFeatures(), getInFeatures() / getGroupSize()};
}

RankedTensorType WeightsType::getScaleTensorType() const {
  return RankedTensorType::get(getScaleShape(), getScaleType());
}

RankedTensorType WeightsType::getPackedTensorType() const {
  return RankedTensorType::get(
      {getOutFeatures(), packedRowBytes(getInFeatures())},
      IntegerType::get(getContext(), 8));
}

RankedTensorType WeightsType::getTritTensorType() const {
  return RankedTensorType::get({getOutFeatures(), getInFeatures()},
                               IntegerType::get(getContext(), 8));
}

RankedTensorType WeightsType::getDequantizedTensorType() const {
  return RankedTensorType::get({getOutFeatures(), getInFeatures()},
                               getScaleType());
}
