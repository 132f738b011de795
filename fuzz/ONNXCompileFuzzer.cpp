//===- ONNXCompileFuzzer.cpp - an ONNX graph through the whole pipeline ---===//
//
// Import, then every pass `--bitnet-compile-cpu` runs, down to the LLVM
// dialect: passes must reject what they cannot compile with a diagnostic,
// on any module the importer accepts.
//
//===----------------------------------------------------------------------===//

#include "FuzzSupport.h"

#include "BitNet/Dialect/ONNX/IR/ONNXDialect.h"
#include "BitNet/Dialect/Ternary/IR/TernaryDialect.h"
#include "BitNet/Import/ONNX/ImportONNX.h"
#include "BitNet/Pipelines/Pipelines.h"
#include "BitNet/Target/TargetBackend.h"
#include "BitNet/Target/TargetInfo.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Pass/PassManager.h"

#include "llvm/Support/TargetSelect.h"

using namespace mlir;

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string path = bitnet_fuzz::writeModelFile(data, size);
  if (path.empty())
    return 0;
  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registry.insert<bitnet::ternary::TernaryDialect, bitnet::onnx::ONNXDialect>();
  MLIRContext context(registry, MLIRContext::Threading::DISABLED);
  ScopedDiagnosticHandler quiet(&context,
                                [](Diagnostic &) { return success(); });
  bitnet::ONNXImportOptions options;
  options.progressThresholdBytes = -1;
  OwningOpRef<ModuleOp> module = bitnet::importONNXModel(context, path, options);
  if (!module)
    return 0;
  if (failed(bitnet::TargetInfo::stamp(*module, "", "")))
    return 0;
  FailureOr<const bitnet::TargetBackend *> backend =
      bitnet::getTargetBackend(*module);
  if (failed(backend))
    return 0;
  PassManager pm(&context, ModuleOp::getOperationName(),
                 OpPassManager::Nesting::Implicit);
  bitnet::buildCompilePipeline(pm, **backend, /*batchSize=*/1, {});
  (void)pm.run(*module);
  return 0;
}
