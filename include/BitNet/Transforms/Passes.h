//===- Passes.h - bitnet-mlir passes on upstream IR -------------*- C++ -*-===//

#ifndef BITNET_TRANSFORMS_PASSES_H
#define BITNET_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::bitnet {

#define GEN_PASS_DECL
#include "BitNet/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "BitNet/Transforms/Passes.h.inc"

/// The model's entry: @main_graph, else the only public function with a
/// body; null (with `count` the number of candidates) when neither exists.
func::FuncOp findModelEntry(ModuleOp module, size_t *count = nullptr);

/// The module attribute ExportModelEntryPass writes.
inline constexpr llvm::StringLiteral kModelEntryAttrName = "bitnet.model_entry";

} // namespace mlir::bitnet

#endif // BITNET_TRANSFORMS_PASSES_H
