//===- Passes.h - bitnet-mlir passes on upstream IR -------------*- C++ -*-===//

#ifndef BITNET_TRANSFORMS_PASSES_H
#define BITNET_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::bitnet {

#define GEN_PASS_DECL
#include "BitNet/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "BitNet/Transforms/Passes.h.inc"

/// The module attribute ExportModelEntryPass writes.
inline constexpr llvm::StringLiteral kModelEntryAttrName = "bitnet.model_entry";

} // namespace mlir::bitnet

#endif // BITNET_TRANSFORMS_PASSES_H
