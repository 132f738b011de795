//===- LLVMCPUBackend.h - CPUs through LLVM ---------------------*- C++ -*-===//
//
// The back end for CPUs that LLVM generates code for: x86-64 and AArch64,
// which differ only in the target handed to LLVM, in what TargetInfo tells
// the kernel lowerings, and in the toolchain that links model libraries. It bufferizes, lowers to loops and the LLVM dialect,
// then leaves the rest to LLVM's optimizer and code generator.
//
//===----------------------------------------------------------------------===//

#ifndef BITNET_LIB_TARGET_LLVMCPU_LLVMCPUBACKEND_H
#define BITNET_LIB_TARGET_LLVMCPU_LLVMCPUBACKEND_H

#include "BitNet/Target/TargetBackend.h"

namespace mlir::bitnet {

class LLVMCPUBackend final : public TargetBackend {
public:
  StringRef getName() const override { return "llvm-cpu"; }
  bool supportsTriple(StringRef triple) const override;
  void buildCodegenPipeline(OpPassManager &pm,
                            const CodegenOptions &options) const override;
  LogicalResult emitIR(ModuleOp module, const TargetInfo &target,
                       llvm::raw_ostream &os,
                       TimingScope &timing) const override;
  LogicalResult emitObject(ModuleOp module, const TargetInfo &target,
                           llvm::raw_pwrite_stream &os,
                           TimingScope &timing) const override;
  LogicalResult checkLibraryToolchain(ModuleOp module,
                                      const TargetInfo &target) const override;
  LogicalResult emitLibrary(ModuleOp module, const TargetInfo &target,
                            StringRef path,
                            TimingScope &timing) const override;
};

} // namespace mlir::bitnet

#endif // BITNET_LIB_TARGET_LLVMCPU_LLVMCPUBACKEND_H
