//===- IsolatedInference.h - libonnx shape inference in a child -*- C++ -*-===//
//
// ONNX 1.12's shape inference (and the ParseData it calls on initializers)
// trusts the graph: mutated files make it read out of bounds. It runs in a
// forked child here, so that whatever it does to a hostile file, the
// compiler gets either its value types or a clean error.
//
//===----------------------------------------------------------------------===//

#ifndef BITNET_LIB_IMPORT_ONNX_ISOLATEDINFERENCE_H
#define BITNET_LIB_IMPORT_ONNX_ISOLATEDINFERENCE_H

#include "mlir/IR/Location.h"
#include "mlir/Support/LLVM.h"

#include <string>
#include <vector>

namespace onnx {
class ModelProto;
} // namespace onnx

namespace mlir::bitnet::onnx_import {

/// Runs `infer` on a copy-on-write copy of `model` in a child process and
/// takes back what shape inference writes: the graph's `value_info` and the
/// types of its outputs. `infer` may add warnings; they are emitted here.
/// Fails with an error at `loc` when the child crashes, runs out of its
/// time or memory, or sends back something unreadable.
LogicalResult runIsolated(
    ::onnx::ModelProto &model, Location loc,
    llvm::function_ref<void(::onnx::ModelProto &,
                            std::vector<std::string> &warnings)>
        infer);

} // namespace mlir::bitnet::onnx_import

#endif // BITNET_LIB_IMPORT_ONNX_ISOLATEDINFERENCE_H
