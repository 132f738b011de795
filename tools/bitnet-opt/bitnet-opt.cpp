//===- bitnet-opt.cpp - the bitnet-mlir optimizer driver ------------------===//
//
// mlir-opt with the ternary dialect: parses, verifies, runs passes and
// pipelines, and prints or writes bytecode.
//
//===----------------------------------------------------------------------===//

#include "BitNet/Conversion/Passes.h"
#include "BitNet/Dialect/Ternary/IR/TernaryDialect.h"
#include "BitNet/Pipelines/Pipelines.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  mlir::bitnet::registerBitNetConversionPasses();
  mlir::bitnet::registerBitNetPipelines();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  registry.insert<mlir::bitnet::ternary::TernaryDialect>();

  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "bitnet-mlir optimizer driver\n", registry));
}
