//===- ONNXImportFuzzer.cpp - bytes to an imported, verified module -------===//
//
// The importer's contract under fuzzing: any file gives a verified module
// or diagnostics, never a crash, a hang or unbounded memory.
//
//===----------------------------------------------------------------------===//

#include "FuzzSupport.h"

#include "BitNet/Import/ONNX/ImportONNX.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string path = bitnet_fuzz::writeModelFile(data, size);
  if (path.empty())
    return 0;
  mlir::DialectRegistry registry;
  mlir::bitnet::registerONNXImportDialects(registry);
  // A fresh context per input: what one input interns must not change how
  // the next one behaves, or crashes would not reproduce alone.
  mlir::MLIRContext context(registry, mlir::MLIRContext::Threading::DISABLED);
  mlir::ScopedDiagnosticHandler quiet(&context, [](mlir::Diagnostic &) {
    return mlir::success();
  });
  mlir::bitnet::ONNXImportOptions options;
  options.progressThresholdBytes = -1;
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::bitnet::importONNXModel(context, path, options);
  if (module)
    (void)mlir::verify(*module);
  return 0;
}
