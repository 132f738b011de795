//===- LLVMEmission.h - LLVM IR, objects and model libraries ----*- C++ -*-===//
//
// The tail of the LLVM CPU back end, after the LLVM dialect: translation to
// LLVM IR, LLVM's optimizer and code generator for the module's target, and
// the link of a model library (compiled graph + generated trampoline +
// runtime).
//
//===----------------------------------------------------------------------===//

#ifndef BITNET_LIB_TARGET_LLVMCPU_LLVMEMISSION_H
#define BITNET_LIB_TARGET_LLVMCPU_LLVMEMISSION_H

#include "BitNet/Target/TargetInfo.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/Timing.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace mlir::bitnet {

/// LLVM's optimization level for model code.
constexpr unsigned kModelOptLevel = 3;

/// Optimized LLVM IR of a module in the LLVM dialect.
LogicalResult emitLLVMIR(ModuleOp module, const TargetInfo &target,
                         llvm::raw_ostream &os, TimingScope &timing);

/// A relocatable object file of a module in the LLVM dialect.
LogicalResult emitObject(ModuleOp module, const TargetInfo &target,
                         llvm::raw_pwrite_stream &os, TimingScope &timing);

/// A shared library with the C API of BitNet/Runtime/BitNetModel.h, from a
/// module in the LLVM dialect that carries `bitnet.model_entry`. Written
/// to a temporary file beside `outputPath` and renamed on success, so a
/// failure leaves nothing behind.
LogicalResult emitModelLibrary(ModuleOp module, const TargetInfo &target,
                               llvm::StringRef outputPath,
                               TimingScope &timing);

/// The C source of the trampoline for `module`'s recorded entry.
FailureOr<std::string> generateModelTrampoline(ModuleOp module);

} // namespace mlir::bitnet

#endif // BITNET_LIB_TARGET_LLVMCPU_LLVMEMISSION_H
