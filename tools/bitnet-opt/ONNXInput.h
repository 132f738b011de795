//===- ONNXInput.h - bitnet-opt on ONNX models ------------------*- C++ -*-===//

#ifndef BITNET_TOOLS_BITNET_OPT_ONNXINPUT_H
#define BITNET_TOOLS_BITNET_OPT_ONNXINPUT_H

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Support/LLVM.h"

namespace mlir::bitnet {

/// Registers the options that apply to ONNX input only.
void registerONNXInputOptions();

/// Imports the model, runs the command line's pass pipeline on it and
/// writes text or bytecode, as mlir-opt does for MLIR input. The output file
/// exists only if every step succeeded.
LogicalResult runOnONNXModel(StringRef inputFilename,
                             StringRef outputFilename,
                             DialectRegistry &registry);

} // namespace mlir::bitnet

#endif // BITNET_TOOLS_BITNET_OPT_ONNXINPUT_H
