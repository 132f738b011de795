//===- ExternalData.h - tensors stored beside the model ---------*- C++ -*-===//
//
// Models over 2 GB keep initializers in side files named by a relative
// `location`. Reading them is where an untrusted model could reach files it
// has no business with, so every location is confined to the model's folder.
//
//===----------------------------------------------------------------------===//

#ifndef BITNET_LIB_IMPORT_ONNX_EXTERNALDATA_H
#define BITNET_LIB_IMPORT_ONNX_EXTERNALDATA_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/MemoryBuffer.h"

#include <memory>
#include <string>

namespace onnx {
class TensorProto;
} // namespace onnx

namespace mlir::bitnet::onnx_import {

/// A view of external bytes and the mapping that keeps them alive.
struct ExternalBytes {
  ArrayRef<char> bytes;
  std::shared_ptr<llvm::MemoryBuffer> owner;
};

class ExternalDataResolver {
public:
  explicit ExternalDataResolver(StringRef modelPath);

  /// The external bytes of `tensor`; on failure, `error` says why.
  FailureOr<ExternalBytes> read(const ::onnx::TensorProto &tensor,
                                std::string &error);

private:
  /// Canonical path of the model's folder (links resolved).
  std::string modelDir;
  /// Side files, each mapped once however many tensors it holds.
  llvm::StringMap<std::shared_ptr<llvm::MemoryBuffer>> files;
};

} // namespace mlir::bitnet::onnx_import

#endif // BITNET_LIB_IMPORT_ONNX_EXTERNALDATA_H
