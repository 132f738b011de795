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
#include "mlir/IR/BuiltinTypes.h"

namespace mlir::bitnet {

/// Constants up to this many bytes are dense attributes.
inline constexpr uint64_t kDenseLimitBytes = 4096;

/// `bytes` (row-major, little-endian elements of `type`) as an attribute:
/// dense up to kDenseLimitBytes, otherwise a copy in a resource blob named
/// after `blobName` (made unique by the blob manager). Not for i1, whose
/// dense form is bit-packed.
ElementsAttr buildElementsAttr(ShapedType type, ArrayRef<char> bytes,
                               StringRef blobName);

} // namespace mlir::bitnet

#endif // BITNET_SUPPORT_ELEMENTSSTORAGE_H
