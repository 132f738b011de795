//===- LLVMCPUBackend.cpp - CPUs through LLVM -----------------------------===//

#include "LLVMCPUBackend.h"
#include "LLVMEmission.h"
#include "LinkToolchain.h"

#include "BitNet/Conversion/Passes.h"
#include "BitNet/Target/Passes.h"
#include "BitNet/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/Vector/Transforms/Passes.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/TargetParser/Triple.h"

using namespace mlir;
using namespace mlir::bitnet;

bool LLVMCPUBackend::supportsTriple(StringRef triple) const {
  // AArch64 differs from x86-64 only in the TargetInfo the kernels read and
  // in the toolchain that links its libraries (LinkToolchain.cpp).
  llvm::Triple t(triple);
  return t.getArch() == llvm::Triple::x86_64 || t.isAArch64();
}

void LLVMCPUBackend::buildCodegenPipeline(OpPassManager &pm,
                                          const CodegenOptions &options) const {
  // The weights in the layout of the kernel the target picks, then that
  // kernel.
  pm.addPass(createTernaryRepackPass());
  pm.addPass(createConvertTernaryToLinalgPass());
  RejectUnloweredPassOptions leftovers;
  leftovers.dialects = {"onnx", "ternary"};
  pm.addPass(createRejectUnloweredPass(leftovers));
  pm.addPass(createCanonicalizerPass());

  // Function boundaries get identity layouts: the runtime passes dense
  // row-major buffers and reads results the same way.
  bufferization::OneShotBufferizePassOptions bufferization;
  bufferization.bufferizeFunctionBoundaries = true;
  bufferization.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferization));
  // Every intermediate buffer is freed; results are handed to the caller.
  bufferization::buildBufferDeallocationPipeline(pm);
  pm.addPass(createConvertBufferizationToMemRefPass());
  pm.addPass(createLowerMemRefCopyPass());
  // Kernels marked parallel go to OpenMP; everything else stays sequential.
  pm.addPass(createParallelizeKernelsPass());
  pm.addPass(createConvertLinalgToLoopsPass());
  pm.addPass(createConvertSCFToOpenMPPass());
  pm.addPass(createLoopInvariantCodeMotionPass());
  // One function per loop nest, and one per distinct nest: LLVM then
  // compiles a layer's kernels once, in functions of bounded size.
  pm.addPass(createOutlineKernelsPass());
  pm.addPass(func::createDuplicateFunctionEliminationPass());
  // The target's int8 dot instructions, now that no tensor is left.
  pm.addPass(createX86Int8DotPass());

  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  // Kernel vectors: reductions over groups of lanes become 1-D ops first.
  pm.addNestedPass<func::FuncOp>(vector::createLowerVectorMultiReductionPass());
  pm.addPass(createConvertVectorToLLVMPass());
  FinalizeMemRefToLLVMConversionPassOptions memrefToLLVM;
  memrefToLLVM.useGenericFunctions = options.runtimeAllocator;
  pm.addPass(createFinalizeMemRefToLLVMConversionPass(memrefToLLVM));
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createConvertOpenMPToLLVMPass());
  pm.addPass(createConvertToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCanonicalizerPass());
}

LogicalResult LLVMCPUBackend::emitIR(ModuleOp module, const TargetInfo &target,
                                     llvm::raw_ostream &os,
                                     TimingScope &timing) const {
  return emitLLVMIR(module, target, os, timing);
}

LogicalResult LLVMCPUBackend::emitObject(ModuleOp module,
                                         const TargetInfo &target,
                                         llvm::raw_pwrite_stream &os,
                                         TimingScope &timing) const {
  return bitnet::emitObject(module, target, os, timing);
}

LogicalResult
LLVMCPUBackend::checkLibraryToolchain(ModuleOp module,
                                      const TargetInfo &target) const {
  return findLinkToolchain(module, target);
}

LogicalResult LLVMCPUBackend::emitLibrary(ModuleOp module,
                                          const TargetInfo &target,
                                          StringRef path,
                                          TimingScope &timing) const {
  return emitModelLibrary(module, target, path, timing);
}
