//===- Passes.h - target selection ------------------------------*- C++ -*-===//

#ifndef BITNET_TARGET_PASSES_H
#define BITNET_TARGET_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::bitnet {

#define GEN_PASS_DECL
#include "BitNet/Target/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "BitNet/Target/Passes.h.inc"

} // namespace mlir::bitnet

#endif // BITNET_TARGET_PASSES_H
