//===- GraphImporter.h - ONNX graphs as MLIR functions ----------*- C++ -*-===//

#ifndef BITNET_LIB_IMPORT_ONNX_GRAPHIMPORTER_H
#define BITNET_LIB_IMPORT_ONNX_GRAPHIMPORTER_H

#include "TensorImport.h"

#include "BitNet/Support/Progress.h"
#include "mlir/IR/BuiltinOps.h"

namespace onnx {
class ModelProto;
} // namespace onnx

namespace mlir::bitnet::onnx_import {


/// Reductions that took `axes` as an attribute before opset 18 and as an
/// input from then on (ReduceSum switched at 13).
bool takesAxesAttrBefore18(StringRef opType);

/// Builds `func.func @main_graph` for the model's graph into `module`.
/// `opset` is the version of the default domain. Errors are emitted at
/// locations naming the file and node; the result says whether any was.
LogicalResult importGraph(::onnx::ModelProto &model, int64_t opset,
                          StringRef path, ModuleOp module,
                          TensorImporter &tensors, ProgressReporter &progress);

} // namespace mlir::bitnet::onnx_import

#endif // BITNET_LIB_IMPORT_ONNX_GRAPHIMPORTER_H
