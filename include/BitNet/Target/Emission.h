//===- Emission.h - LLVM IR, objects and model libraries --------*- C++ -*-===//
//
// The tail of the compiler, after the LLVM dialect: translation to LLVM IR,
// LLVM's optimizer and code generator for the chosen target, and the link
// of a model library (compiled graph + generated trampoline + runtime).
// Everything target-specific lives here and in TargetOptions.
//
//===----------------------------------------------------------------------===//

#ifndef BITNET_TARGET_EMISSION_H
#define BITNET_TARGET_EMISSION_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace mlir::bitnet {

struct CodegenOptions {
  /// LLVM target triple; empty: the host.
  std::string triple;
  /// CPU name (`-mcpu`); empty: the host CPU for the host triple, else
  /// "generic". "native" is the host CPU.
  std::string cpu;
  unsigned optLevel = 3;
};

/// Optimized LLVM IR of a module in the LLVM dialect.
LogicalResult emitLLVMIR(ModuleOp module, const CodegenOptions &options,
                         llvm::raw_ostream &os);

/// A relocatable object file of a module in the LLVM dialect.
LogicalResult emitObject(ModuleOp module, const CodegenOptions &options,
                         llvm::raw_pwrite_stream &os);

/// A shared library with the C API of BitNet/Runtime/BitNetModel.h, from a
/// module in the LLVM dialect that carries `bitnet.model_entry`. Written
/// to a temporary file beside `outputPath` and renamed on success, so a
/// failure leaves nothing behind.
LogicalResult emitModelLibrary(ModuleOp module, const CodegenOptions &options,
                               llvm::StringRef outputPath);

/// The C source of the trampoline for `module`'s recorded entry (exposed for
/// tests and for `--emit=lib` debugging).
FailureOr<std::string> generateModelTrampoline(ModuleOp module);

} // namespace mlir::bitnet

#endif // BITNET_TARGET_EMISSION_H
