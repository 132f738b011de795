//===- ResourceLimits.h - what a model file may ask for ---------*- C++ -*-===//
//
// A file is untrusted: before anything reads its graph (ONNX's shape
// inference, the importer, the passes after it), the sizes it declares are
// checked against explicit limits and against the bytes the file holds.
//
//===----------------------------------------------------------------------===//

#ifndef BITNET_LIB_IMPORT_ONNX_RESOURCELIMITS_H
#define BITNET_LIB_IMPORT_ONNX_RESOURCELIMITS_H

#include "mlir/IR/Location.h"
#include "mlir/Support/LLVM.h"

#include <cstdint>

namespace onnx {
class ModelProto;
} // namespace onnx

namespace mlir::bitnet::onnx_import {

/// Nodes in the graph, after local functions are inlined. Exported BitNet
/// models have thousands (a 2B model about 10^4); the limit leaves room for
/// larger ones and keeps a hostile file from costing gigabytes of IR.
constexpr int64_t kMaxGraphNodes = int64_t(1) << 18;
/// Dimensions of one tensor.
constexpr int64_t kMaxRank = 32;
/// Elements of one tensor a type may declare: 2^32 (16 GiB of f32), more
/// than any activation or weight of the models this compiler targets.
constexpr int64_t kMaxTensorElements = int64_t(1) << 32;

/// Checks the graph's node count, every declared value type (graph inputs,
/// outputs, value_info) and every tensor (initializers, Constant values):
/// rank, element count, and for data stored in the file, that the file is
/// large enough to hold it. `fileSize` is the model file's size.
LogicalResult checkResourceLimits(const ::onnx::ModelProto &model,
                                  uint64_t fileSize, Location loc);

} // namespace mlir::bitnet::onnx_import

#endif // BITNET_LIB_IMPORT_ONNX_RESOURCELIMITS_H
