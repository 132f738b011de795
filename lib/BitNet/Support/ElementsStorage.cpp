//===- ElementsStorage.cpp - where tensor constants keep bytes ------------===//

#include "BitNet/Support/ElementsStorage.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

using namespace mlir;

ElementsAttr mlir::bitnet::buildElementsAttr(ShapedType type,
                                             ArrayRef<char> bytes,
                                             StringRef blobName) {
  if (bytes.size() <= kDenseLimitBytes)
    return DenseElementsAttr::getFromRawBuffer(type, bytes);
  size_t align = std::max<size_t>(
      1, type.getElementType().getIntOrFloatBitWidth() / 8);
  return DenseResourceElementsAttr::get(
      type, blobName, HeapAsmResourceBlob::allocateAndCopyWithAlign(bytes, align));
}
