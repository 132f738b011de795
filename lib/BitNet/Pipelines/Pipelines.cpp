//===- Pipelines.cpp - the shared pipeline and the named pipelines --------===//
//
// The shared, target-independent pipeline (onnx to ternary, linalg and
// tensor ops), and the registration of the named pipelines that combine it
// with a back end's codegen pipeline.
//
//===----------------------------------------------------------------------===//

#include "BitNet/Pipelines/Pipelines.h"
#include "BitNet/Conversion/Passes.h"
#include "BitNet/Dialect/ONNX/Transforms/Passes.h"
#include "BitNet/Target/Passes.h"
#include "BitNet/Target/TargetBackend.h"
#include "BitNet/Transforms/Passes.h"

#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

namespace mlir::bitnet {
namespace {
/// Imported onnx IR to ternary layers: what the compiler and the op report
/// share.
void buildTernaryRecognition(OpPassManager &pm, int64_t batchSize) {
  // Ternary recognition reads static shapes and evaluates weight subgraphs,
  // so estimators go first and shapes are known before it.
  pm.addPass(onnx::createONNXEliminateSTEPass());
  onnx::ONNXInferShapesPassOptions shapes;
  shapes.batchSize = batchSize;
  pm.addPass(onnx::createONNXInferShapesPass(shapes));
  pm.addPass(createConvertONNXToTernaryPass());
}
} // namespace
} // namespace mlir::bitnet

void mlir::bitnet::buildONNXToTensorPipeline(OpPassManager &pm,
                                             int64_t batchSize) {
  buildTernaryRecognition(pm, batchSize);
  // BitLinear's result type is exact where the matched MatMul's was not.
  onnx::ONNXInferShapesPassOptions shapes;
  shapes.batchSize = batchSize;
  pm.addPass(onnx::createONNXInferShapesPass(shapes));
  // Before lowering, while the cache's Concat is still one op.
  pm.addPass(createKVCacheInPlacePass());
  pm.addPass(createConvertONNXToLinalgPass());
  // What no pattern lowered is reported here, by node, rather than as a
  // bufferization failure later.
  pm.addPass(createRejectUnloweredPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createExportModelEntryPass());
}

namespace {
struct ModelPipelineOptions : PassPipelineOptions<ModelPipelineOptions> {
  Option<int64_t> batchSize{*this, "batch-size",
                            llvm::cl::desc("Bind the batch dim of the inputs "
                                           "(0: keep it dynamic)"),
                            llvm::cl::init(1)};
};
} // namespace

void mlir::bitnet::buildCompilePipeline(OpPassManager &pm,
                                        const TargetBackend &backend,
                                        int64_t batchSize,
                                        const CodegenOptions &options) {
  buildONNXToTensorPipeline(pm, batchSize);
  backend.buildCodegenPipeline(pm, options);
}

void mlir::bitnet::registerBitNetPipelines() {
  PassPipelineRegistration<>(
      "bitnet-cpu-pipeline",
      "Lower ternary and tensor IR to the LLVM dialect for a CPU (the "
      "llvm-cpu back end's codegen pipeline)",
      [](OpPassManager &pm) {
        lookupTargetBackend("llvm-cpu")->buildCodegenPipeline(pm, {});
      });
  PassPipelineRegistration<ModelPipelineOptions>(
      "bitnet-onnx-to-tensor",
      "Imported onnx IR to ternary, linalg and tensor ops: fold weights, "
      "recognize BitLinear, infer shapes, lower the float ops",
      [](OpPassManager &pm, const ModelPipelineOptions &options) {
        buildONNXToTensorPipeline(pm, options.batchSize);
      });
  PassPipelineRegistration<ModelPipelineOptions>(
      "bitnet-op-report",
      "Recognize the model's BitNet layers and print what one token costs "
      "(additions, multiplications, weight bytes, energy against FP16)",
      [](OpPassManager &pm, const ModelPipelineOptions &options) {
        buildTernaryRecognition(pm, options.batchSize);
        pm.addPass(createOpReportPass());
      });
  PassPipelineRegistration<ModelPipelineOptions>(
      "bitnet-compile-cpu",
      "The whole compiler: imported onnx IR to the LLVM dialect for a CPU",
      [](OpPassManager &pm, const ModelPipelineOptions &options) {
        // The host unless the module already names a target.
        pm.addPass(createSetTargetPass());
        buildCompilePipeline(pm, *lookupTargetBackend("llvm-cpu"),
                             options.batchSize, {});
      });
}
