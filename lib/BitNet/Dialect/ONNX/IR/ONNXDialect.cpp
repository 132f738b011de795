//===- ONNXDialect.cpp - the onnx dialect ---------------------------------===//
//
// Registration, and the constants folds produce: `arith.constant`, as the
// importer makes for initializers, so that folded and imported constants
// look alike to later passes.
//
//===----------------------------------------------------------------------===//

#include "BitNet/Dialect/ONNX/IR/ONNXDialect.h"
#include "BitNet/Dialect/ONNX/IR/ONNXOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace mlir::bitnet::onnx;

#include "BitNet/Dialect/ONNX/IR/ONNXDialect.cpp.inc"

void ONNXDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "BitNet/Dialect/ONNX/IR/ONNXOps.cpp.inc"
      >();
}

Operation *ONNXDialect::materializeConstant(OpBuilder &builder,
                                            Attribute value, Type type,
                                            Location loc) {
  // Folds build their constants with the result type itself (and refuse
  // results of dynamic shape), so a mismatch is a folder bug: refusing
  // keeps the IR valid.
  auto typed = dyn_cast<TypedAttr>(value);
  if (!typed || typed.getType() != type ||
      !arith::ConstantOp::isBuildableWith(value, type))
    return nullptr;
  return arith::ConstantOp::create(builder, loc, type, typed);
}
