//===- ONNXOps.h - onnx dialect operations ----------------------*- C++ -*-===//

#ifndef BITNET_DIALECT_ONNX_IR_ONNXOPS_H
#define BITNET_DIALECT_ONNX_IR_ONNXOPS_H

#include "BitNet/Dialect/ONNX/IR/ONNXDialect.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::bitnet::onnx {

/// Whether `value` stands for an omitted optional input: absent, or the
/// `none` result of `onnx.NoValue`.
inline bool isNoValue(Value value) {
  return !value || isa<NoneType>(value.getType());
}

/// The element type ONNX's TensorProto data type `code` maps to, as the
/// importer maps it; null for codes without a builtin type (STRING) and for
/// codes that are no data type.
Type getTensorProtoElementType(MLIRContext *context, int64_t code);

} // namespace mlir::bitnet::onnx

#define GET_OP_CLASSES
#include "BitNet/Dialect/ONNX/IR/ONNXOps.h.inc"

#endif // BITNET_DIALECT_ONNX_IR_ONNXOPS_H
