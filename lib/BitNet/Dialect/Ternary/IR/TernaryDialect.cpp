//===- TernaryDialect.cpp - the ternary dialect ---------------------------===//

#include "BitNet/Dialect/Ternary/IR/TernaryDialect.h"
#include "BitNet/Dialect/Ternary/IR/TernaryOps.h"

using namespace mlir;
using namespace mlir::bitnet::ternary;

#include "BitNet/Dialect/Ternary/IR/TernaryDialect.cpp.inc"

void TernaryDialect::initialize() {
  registerTypes();
  addOperations<
#define GET_OP_LIST
#include "BitNet/Dialect/Ternary/IR/TernaryOps.cpp.inc"
      >();
}
