//===- TernaryTypes.cpp - ternary dialect types ---------------------------===//
//
// `!ternary.weights<OUTxINxF[, per_channel | , group = G][, packing = P]
// [, row_align = A]>`: parsing,
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
  TritLayout layout;
  bool sawGranularity = false;
  while (succeeded(parser.parseOptionalComma())) {
    SMLoc keyLoc = parser.getCurrentLocation();
    StringRef key;
    if (parser.parseKeyword(&key))
      return {};
    // The granularity comes first; past it, only the layout.
    bool granularity = key == "per_channel" || key == "group";
    if ((granularity && sawGranularity) ||
        (!granularity && key != "packing" && key != "row_align")) {
      parser.emitError(keyLoc)
          << "expected " << (sawGranularity ? "" : "'per_channel', 'group', ")
          << "'packing' or 'row_align', got '" << key << "'";
      return {};
    }
    sawGranularity = true;
    if (key == "per_channel") {
      groupSize = dims[1];
      continue;
    }
    if (parser.parseEqual())
      return {};
    if (key == "group") {
      if (parser.parseInteger(groupSize))
        return {};
    } else if (key == "packing") {
      StringRef name;
      SMLoc nameLoc = parser.getCurrentLocation();
      if (parser.parseKeyword(&name))
        return {};
      std::optional<TritPacking> packing = parseTritPacking(name);
      if (!packing) {
        parser.emitError(nameLoc, "expected packing base4 or base3, got '")
            << name << "'";
        return {};
      }
      layout.packing = *packing;
    } else if (parser.parseInteger(layout.rowAlign)) {
      return {};
    }
  }
  if (parser.parseGreater())
    return {};
  return getChecked([&] { return parser.emitError(loc); }, dims[0], dims[1],
                    floatType, groupSize, layout);
}

void WeightsType::print(AsmPrinter &printer) const {
  printer << '<' << getOutFeatures() << 'x' << getInFeatures() << 'x'
          << getScaleType();
  if (isPerChannel())
    printer << ", per_channel";
  else if (isPerGroup())
    printer << ", group = " << getGroupSize();
  if (getPacking() != TritPacking::Base4)
    printer << ", packing = " << stringifyTritPacking(getPacking());
  if (getRowAlign() != 1)
    printer << ", row_align = " << getRowAlign();
  printer << '>';
}

LogicalResult
WeightsType::verify(function_ref<InFlightDiagnostic()> emitError,
                    int64_t outFeatures, int64_t inFeatures,
                    FloatType scaleType, int64_t groupSize,
                    TritPacking packing, int64_t rowAlign) {
  if (outFeatures <= 0 || inFeatures <= 0)
    return emitError() << "expected positive dimensions, got " << outFeatures
                       << "x" << inFeatures;
  // Past 4096 a row's padding would only waste memory; the bound also keeps
  // the padded size far from overflow.
  if (rowAlign < 1 || rowAlign > 4096)
    return emitError() << "expected a row alignment in [1, 4096] bytes, got "
                       << rowAlign;
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
      {getOutFeatures(), getLayout().rowBytes(getInFeatures())},
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
