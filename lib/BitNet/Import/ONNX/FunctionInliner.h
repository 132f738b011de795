//===- FunctionInliner.h - ONNX local functions, inlined --------*- C++ -*-===//
//
// Models may call functions defined in the model itself (ModelProto's
// `functions`; torch's earlier dynamo exporter emitted one per module). The
// importer sees only primitive ops: each call is replaced by the function's
// body, with values, node names and attribute references renamed.
//
//===----------------------------------------------------------------------===//

#ifndef BITNET_LIB_IMPORT_ONNX_FUNCTIONINLINER_H
#define BITNET_LIB_IMPORT_ONNX_FUNCTIONINLINER_H

#include "mlir/IR/Location.h"
#include "mlir/Support/LLVM.h"

namespace onnx {
class ModelProto;
} // namespace onnx

namespace mlir::bitnet::onnx_import {

/// Inlines every call of a model-local function in the main graph,
/// recursively; the model keeps no functions afterwards. Fails, with an
/// error at `loc`, on recursion, on a function whose default-domain opset
/// differs from the model's, and on calls with more inputs or outputs than
/// the function declares.
LogicalResult inlineLocalFunctions(::onnx::ModelProto &model,
                                   int64_t modelOpset, Location loc);

} // namespace mlir::bitnet::onnx_import

#endif // BITNET_LIB_IMPORT_ONNX_FUNCTIONINLINER_H
