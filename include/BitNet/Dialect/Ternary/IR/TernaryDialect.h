//===- TernaryDialect.h - the ternary dialect -------------------*- C++ -*-===//

#ifndef BITNET_DIALECT_TERNARY_IR_TERNARYDIALECT_H
#define BITNET_DIALECT_TERNARY_IR_TERNARYDIALECT_H

#include "mlir/IR/Dialect.h"

#include "BitNet/Dialect/Ternary/IR/TernaryDialect.h.inc"

#endif // BITNET_DIALECT_TERNARY_IR_TERNARYDIALECT_H
