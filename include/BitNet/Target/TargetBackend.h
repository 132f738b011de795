//===- TargetBackend.h - one interface for every back end -------*- C++ -*-===//
//
// After the shared pipeline (onnx to ternary, linalg and tensor ops), a back
// end finishes the module for its targets: it builds the codegen pipeline,
// serializes the result (LLVM IR or PTX, objects) and links the model
// library. A new target is a new folder under lib/BitNet/Target/ with one
// TargetBackend, registered in TargetBackend.cpp; the shared passes and the
// driver do not change. Target-specific lowerings inside the codegen
// pipeline read the module's TargetInfo.
//
//===----------------------------------------------------------------------===//

#ifndef BITNET_TARGET_TARGETBACKEND_H
#define BITNET_TARGET_TARGETBACKEND_H

#include "BitNet/Target/TargetInfo.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Support/Timing.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir::bitnet {

/// What a codegen pipeline is for.
struct CodegenOptions {
  /// Buffers through the model runtime's allocator (BufferCache.c), as in
  /// a model library; else malloc and free, for code run by mlir-runner.
  bool runtimeAllocator = false;
};

class TargetBackend {
public:
  virtual ~TargetBackend();

  /// The name `bitnet.target`'s `backend` field gives ("llvm-cpu").
  virtual StringRef getName() const = 0;

  /// Whether this back end compiles for `triple` (an LLVM target triple).
  virtual bool supportsTriple(StringRef triple) const = 0;

  /// Passes from the shared pipeline's output (ternary ops and linalg,
  /// tensor and arith on tensors) to what the serializers take.
  virtual void buildCodegenPipeline(OpPassManager &pm,
                                    const CodegenOptions &options) const = 0;

  /// The target's assembly-level IR (LLVM IR for CPUs), optimized.
  /// Each emitter times its stages under `timing` (-mlir-timing).
  virtual LogicalResult emitIR(ModuleOp module, const TargetInfo &target,
                               llvm::raw_ostream &os,
                               TimingScope &timing) const = 0;

  /// A relocatable object.
  virtual LogicalResult emitObject(ModuleOp module, const TargetInfo &target,
                                   llvm::raw_pwrite_stream &os,
                                   TimingScope &timing) const = 0;

  /// Whether emitLibrary can link for `target` here (a C toolchain for it
  /// is installed): checked before the pipeline runs, so that a missing
  /// toolchain fails at once, with a message naming what to install.
  virtual LogicalResult checkLibraryToolchain(ModuleOp module,
                                              const TargetInfo &target) const {
    return success();
  }

  /// A model library with the C API of BitNet/Runtime/BitNetModel.h, written
  /// atomically to `path`: on failure nothing is left there.
  virtual LogicalResult emitLibrary(ModuleOp module, const TargetInfo &target,
                                    StringRef path,
                                    TimingScope &timing) const = 0;
};

/// The back end named `name`, or null.
const TargetBackend *lookupTargetBackend(StringRef name);

/// The back end for `triple`, or null.
const TargetBackend *lookupTargetBackendForTriple(StringRef triple);

/// The back end of `module`'s target; an error on the module if it has no
/// (known) target.
FailureOr<const TargetBackend *> getTargetBackend(ModuleOp module);

} // namespace mlir::bitnet

#endif // BITNET_TARGET_TARGETBACKEND_H
