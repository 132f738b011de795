//===- ElementsStorage.h - where tensor constants keep bytes ----*- C++ -*-===//
//
// One policy for every constant the compiler makes from raw bytes: small
// ones are dense attributes (folders read them, uniquing them is cheap),
// large ones are `dense_resource` blobs, which stay out of the context's
// uniquing tables and the text printer and travel raw in bytecode.
//
//===----------------------------------------------------------------------===//

#ifndef BITNET_SUPPORT_ELEMENTSSTORAGE_H
#define BITNET_SUPPORT_ELEMENTSSTORAGE_H

#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::bitnet {

/// Constants up to this many bytes are dense attributes.
inline constexpr uint64_t kDenseLimitBytes = 4096;

/// `bytes` (row-major, little-endian elements of `type`) as an attribute:
/// dense up to kDenseLimitBytes, otherwise a copy in a resource blob named
/// after `blobName` (made unique by the blob manager). Not for i1, whose
/// dense form is bit-packed.
ElementsAttr buildElementsAttr(ShapedType type, ArrayRef<char> bytes,
                               StringRef blobName);

/// The resource blobs the attributes of ops under `root` reference.
llvm::SetVector<DenseResourceElementsAttr> referencedBlobs(Operation *root);

/// Frees the bytes of each blob of `before` that no op under `root`
/// references any more. A blob belongs to the context, not to the ops that
/// read it: without this, the weights a pass folded into new constants (the
/// packed initializers, a table's f32 copy) stay in memory to the end.
void releaseUnreferencedBlobs(
    Operation *root, const llvm::SetVector<DenseResourceElementsAttr> &before);

} // namespace mlir::bitnet

#endif // BITNET_SUPPORT_ELEMENTSSTORAGE_H
