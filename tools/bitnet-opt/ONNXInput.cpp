//===- ONNXInput.cpp - bitnet-opt on ONNX models --------------------------===//
//
// mlir-opt's main loop reads MLIR; for an ONNX model the driver imports it,
// then runs the same pass pipeline and output options on the result.
//
//===----------------------------------------------------------------------===//

#include "ONNXInput.h"

#include "BitNet/Import/ONNX/ImportONNX.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;

namespace {
struct ONNXInputOptions {
  llvm::cl::OptionCategory category{"ONNX input options"};
  llvm::cl::opt<bool> foldShapes{
      "onnx-fold-shapes",
      llvm::cl::desc("Fold the shape arithmetic of imported models"),
      llvm::cl::init(true), llvm::cl::cat(category)};
  llvm::cl::opt<int64_t> progressBytes{
      "onnx-progress-bytes",
      llvm::cl::desc("Report import progress for initializers of at least "
                     "this many bytes (-1: never)"),
      llvm::cl::init(int64_t(256) << 20), llvm::cl::cat(category)};
};

ONNXInputOptions &options() {
  static ONNXInputOptions instance;
  return instance;
}
} // namespace

void mlir::bitnet::registerONNXInputOptions() { (void)options(); }

LogicalResult mlir::bitnet::runOnONNXModel(StringRef inputFilename,
                                           StringRef outputFilename,
                                           DialectRegistry &registry) {
  MlirOptMainConfig config = MlirOptMainConfig::createFromCLOptions();
  MLIRContext context(registry);
  // Prints `model.onnx:0:0: error: ...` rather than the raw location.
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  // Messages about imported models name the node; a dump of the op in
  // generic form would add nothing a user can find in the model.
  context.printOpOnDiagnostic(false);

  ONNXImportOptions importOptions;
  importOptions.foldShapes = options().foldShapes;
  importOptions.progressThresholdBytes = options().progressBytes;
  OwningOpRef<ModuleOp> module =
      importONNXModel(context, inputFilename, importOptions);
  if (!module)
    return failure();

  PassManager pm(&context, ModuleOp::getOperationName(),
                 OpPassManager::Nesting::Implicit);
  if (failed(applyPassManagerCLOptions(pm)) ||
      failed(config.setupPassPipeline(pm)) || failed(pm.run(*module)))
    return failure();

  std::string error;
  std::unique_ptr<llvm::ToolOutputFile> output =
      openOutputFile(outputFilename, &error);
  if (!output) {
    llvm::errs() << error << "\n";
    return failure();
  }
  bool bytecode = config.shouldEmitBytecode() ||
                  llvm::sys::path::extension(outputFilename) == ".mlirbc";
  if (bytecode) {
    if (failed(writeBytecodeToFile(*module, output->os())))
      return failure();
  } else {
    module->print(output->os());
  }
  output->os().flush();
  if (output->os().has_error()) {
    llvm::errs() << "error: cannot write '" << outputFilename
                 << "': " << output->os().error().message() << "\n";
    output->os().clear_error();
    return failure();
  }
  // Only a complete output survives: without keep(), the file is removed.
  output->keep();
  return success();
}
