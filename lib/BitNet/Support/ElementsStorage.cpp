//===- ElementsStorage.cpp - where tensor constants keep bytes ------------===//

#include "BitNet/Support/ElementsStorage.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

using namespace mlir;

llvm::SetVector<DenseResourceElementsAttr>
mlir::bitnet::referencedBlobs(Operation *root) {
  llvm::SetVector<DenseResourceElementsAttr> blobs;
  root->walk([&](Operation *op) {
    op->getAttrDictionary().walk(
        [&](DenseResourceElementsAttr attr) { blobs.insert(attr); });
  });
  return blobs;
}

void mlir::bitnet::releaseUnreferencedBlobs(
    Operation *root, const llvm::SetVector<DenseResourceElementsAttr> &before) {
  llvm::DenseSet<void *> live;
  for (DenseResourceElementsAttr attr : referencedBlobs(root))
    live.insert(attr.getRawHandle().getResource());
  for (DenseResourceElementsAttr attr : before) {
    auto *entry = attr.getRawHandle().getResource();
    if (entry && !live.contains(entry) && entry->getBlob())
      entry->setBlob(AsmResourceBlob());
  }
}

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
