//===- TernaryOps.h - ternary dialect operations ----------------*- C++ -*-===//

#ifndef BITNET_DIALECT_TERNARY_IR_TERNARYOPS_H
#define BITNET_DIALECT_TERNARY_IR_TERNARYOPS_H

#include "BitNet/Dialect/Ternary/IR/TernaryDialect.h"
#include "BitNet/Dialect/Ternary/IR/TernaryTypes.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "BitNet/Dialect/Ternary/IR/TernaryOps.h.inc"

#endif // BITNET_DIALECT_TERNARY_IR_TERNARYOPS_H
