//===- ONNXDialect.h - the onnx dialect -------------------------*- C++ -*-===//

#ifndef BITNET_DIALECT_ONNX_IR_ONNXDIALECT_H
#define BITNET_DIALECT_ONNX_IR_ONNXDIALECT_H

#include "mlir/IR/Dialect.h"

#include "BitNet/Dialect/ONNX/IR/ONNXDialect.h.inc"

#endif // BITNET_DIALECT_ONNX_IR_ONNXDIALECT_H
