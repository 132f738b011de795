//===- bitnet-opt.cpp - the bitnet-mlir optimizer driver ------------------===//
//
// mlir-opt with the project's dialects, passes and pipelines. Its input is
// MLIR (text or bytecode) or an ONNX model, which is imported first.
//
//===----------------------------------------------------------------------===//

#include "CompileDriver.h"

#include "BitNet/Conversion/Passes.h"
#include "BitNet/Dialect/ONNX/IR/ONNXDialect.h"
#include "BitNet/Dialect/ONNX/Transforms/Passes.h"
#include "BitNet/Dialect/Ternary/IR/TernaryDialect.h"
#include "BitNet/Import/ONNX/ImportONNX.h"
#include "BitNet/Pipelines/Pipelines.h"
#include "BitNet/Target/Passes.h"
#include "BitNet/Transforms/Passes.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif

int main(int argc, char **argv) {
#ifdef __GLIBC__
  // The weight evaluator allocates and frees a tensor of every weight per
  // op. Left to glibc, each is a fresh mapping that the kernel zeroes page
  // by page (a quarter of the import's time); kept in the heap, the memory
  // of one op serves the next. Peak RSS is unchanged.
  mallopt(M_MMAP_THRESHOLD, 512 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
  mlir::registerAllPasses();
  mlir::bitnet::registerBitNetConversionPasses();
  mlir::bitnet::onnx::registerBitNetONNXTransformsPasses();
  mlir::bitnet::registerBitNetTransformsPasses();
  mlir::bitnet::registerBitNetTargetPasses();
  mlir::bitnet::registerBitNetPipelines();
  mlir::bitnet::registerCompileDriverOptions();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  registry.insert<mlir::bitnet::ternary::TernaryDialect,
                  mlir::bitnet::onnx::ONNXDialect>();

  auto [inputFilename, outputFilename] = mlir::registerAndParseCLIOptions(
      argc, argv, "bitnet-mlir optimizer driver\n", registry);
  if (mlir::bitnet::needsCompileDriver(inputFilename))
    return mlir::asMainReturnCode(mlir::bitnet::runCompileDriver(
        inputFilename, outputFilename, registry));
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, inputFilename, outputFilename, registry));
}
