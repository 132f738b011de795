//===- CPUPipeline.cpp - onnx and ternary IR to the LLVM dialect ----------===//

#include "BitNet/Pipelines/Pipelines.h"
#include "BitNet/Conversion/Passes.h"
#include "BitNet/Dialect/ONNX/Transforms/Passes.h"
#include "BitNet/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void mlir::bitnet::buildONNXToTensorPipeline(OpPassManager &pm,
                                             int64_t batchSize) {
  // Ternary recognition reads static shapes and evaluates weight subgraphs,
  // so estimators go first and shapes are known before it.
  pm.addPass(onnx::createONNXEliminateSTEPass());
  onnx::ONNXInferShapesPassOptions shapes;
  shapes.batchSize = batchSize;
  pm.addPass(onnx::createONNXInferShapesPass(shapes));
  pm.addPass(createConvertONNXToTernaryPass());
  // BitLinear's result type is exact where the matched MatMul's was not.
  pm.addPass(onnx::createONNXInferShapesPass(shapes));
  pm.addPass(createConvertONNXToLinalgPass());
  // What no pattern lowered is reported here, by node, rather than as a
  // bufferization failure later.
  pm.addPass(createRejectUnloweredPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createExportModelEntryPass());
}

void mlir::bitnet::buildCPUPipeline(OpPassManager &pm) {
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
  pm.addPass(createConvertLinalgToLoopsPass());
  pm.addPass(createLoopInvariantCodeMotionPass());

  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createConvertToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCanonicalizerPass());
}

namespace {
struct ModelPipelineOptions : PassPipelineOptions<ModelPipelineOptions> {
  Option<int64_t> batchSize{*this, "batch-size",
                            llvm::cl::desc("Bind the batch dim of the inputs "
                                           "(0: keep it dynamic)"),
                            llvm::cl::init(1)};
};
} // namespace

void mlir::bitnet::registerBitNetPipelines() {
  PassPipelineRegistration<>(
      "bitnet-cpu-pipeline",
      "Lower ternary and tensor IR to the LLVM dialect for a CPU",
      buildCPUPipeline);
  PassPipelineRegistration<ModelPipelineOptions>(
      "bitnet-onnx-to-tensor",
      "Imported onnx IR to ternary, linalg and tensor ops: fold weights, "
      "recognize BitLinear, infer shapes, lower the float ops",
      [](OpPassManager &pm, const ModelPipelineOptions &options) {
        buildONNXToTensorPipeline(pm, options.batchSize);
      });
  PassPipelineRegistration<ModelPipelineOptions>(
      "bitnet-compile-cpu",
      "The whole compiler: imported onnx IR to the LLVM dialect for a CPU",
      [](OpPassManager &pm, const ModelPipelineOptions &options) {
        buildONNXToTensorPipeline(pm, options.batchSize);
        buildCPUPipeline(pm);
      });
}
