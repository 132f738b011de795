//===- WeightsSection.h - weights beside the code, not through it -*- C++ -*-===//

#ifndef BITNET_LIB_TARGET_LLVMCPU_WEIGHTSSECTION_H
#define BITNET_LIB_TARGET_LLVMCPU_WEIGHTSSECTION_H

#include "mlir/IR/BuiltinOps.h"

#include <cstdint>

namespace mlir::bitnet {

/// Globals of at least this many bytes leave the LLVM module.
constexpr uint64_t kWeightsSectionMinBytes = 4096;

/// Moves the initializers of `module`'s large constant globals (LLVM
/// dialect) into `blobPath`, each 64-byte aligned, and writes to `asmPath`
/// GNU assembly that defines the same symbols over those bytes (.incbin)
/// in a read-only section. The globals stay as hidden declarations, so the
/// code that reads them is unchanged. Returns how many bytes moved.
FailureOr<uint64_t> extractWeightsSection(ModuleOp module, StringRef blobPath,
                                          StringRef asmPath);

} // namespace mlir::bitnet

#endif // BITNET_LIB_TARGET_LLVMCPU_WEIGHTSSECTION_H
