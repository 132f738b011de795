//===- CompileDriver.h - bitnet-opt beyond mlir-opt -------------*- C++ -*-===//

#ifndef BITNET_TOOLS_BITNET_OPT_COMPILEDRIVER_H
#define BITNET_TOOLS_BITNET_OPT_COMPILEDRIVER_H

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Support/LLVM.h"

namespace mlir::bitnet {

/// Registers the options of ONNX input and of `--emit`.
void registerCompileDriverOptions();

/// Whether the command line asks for more than mlir-opt does: ONNX input,
/// or `--emit` other than mlir.
bool needsCompileDriver(StringRef inputFilename);

/// Reads the input (ONNX or MLIR), runs the command line's pass pipeline
/// (for --emit=llvm|obj|lib without one, --bitnet-compile-cpu), and writes
/// MLIR text or bytecode, LLVM IR, an object file or a model library. The
/// output file exists only if every step succeeded.
LogicalResult runCompileDriver(StringRef inputFilename,
                               StringRef outputFilename,
                               DialectRegistry &registry);

} // namespace mlir::bitnet

#endif // BITNET_TOOLS_BITNET_OPT_COMPILEDRIVER_H
