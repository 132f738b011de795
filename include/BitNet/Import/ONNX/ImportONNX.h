//===- ImportONNX.h - ONNX models into MLIR ---------------------*- C++ -*-===//
//
// The entry point of the ONNX importer: a model file (and its external data)
// becomes a module holding `func.func @main_graph` in the `onnx` dialect.
// docs/ONNXImport.md describes the IR it produces.
//
//===----------------------------------------------------------------------===//

#ifndef BITNET_IMPORT_ONNX_IMPORTONNX_H
#define BITNET_IMPORT_ONNX_IMPORTONNX_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"

namespace mlir::bitnet {

struct ONNXImportOptions {
  /// Fold the shape arithmetic whose values are known (canonicalize + CSE)
  /// once the graph is in, so the module holds only the model's real work.
  bool foldShapes = true;
  /// Report progress on stderr when the initializers hold at least this
  /// many bytes; -1 never reports.
  int64_t progressThresholdBytes = int64_t(256) << 20;
};

/// Whether `path` names an ONNX model: by its `.onnx` extension, or by
/// content (a protobuf starting with ModelProto's ir_version field).
bool isONNXModelFile(llvm::StringRef path);

/// Imports the model at `path`. On failure, the diagnostics (naming the
/// file, node, op type and tensor) have gone to `context`'s diagnostic
/// engine and the result is null.
OwningOpRef<ModuleOp> importONNXModel(MLIRContext &context,
                                      llvm::StringRef path,
                                      const ONNXImportOptions &options = {});

/// The dialects the imported module uses; load them before importing.
void registerONNXImportDialects(DialectRegistry &registry);

} // namespace mlir::bitnet

#endif // BITNET_IMPORT_ONNX_IMPORTONNX_H
