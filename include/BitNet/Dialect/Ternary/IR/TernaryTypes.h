//===- TernaryTypes.h - ternary dialect types -------------------*- C++ -*-===//

#ifndef BITNET_DIALECT_TERNARY_IR_TERNARYTYPES_H
#define BITNET_DIALECT_TERNARY_IR_TERNARYTYPES_H

#include "BitNet/Support/TernaryPacking.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Types.h"

#define GET_TYPEDEF_CLASSES
#include "BitNet/Dialect/Ternary/IR/TernaryTypes.h.inc"

#endif // BITNET_DIALECT_TERNARY_IR_TERNARYTYPES_H
