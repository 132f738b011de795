//===- CheckedAttributes.cpp - attributes a parser should have refused ----===//

#include "BitNet/Support/CheckedAttributes.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"

using namespace mlir;

LogicalResult mlir::bitnet::checkDenseAttributes(Operation *root) {
  WalkResult result = root->walk([](Operation *op) {
    WalkResult inner = op->getAttrDictionary().walk(
        [&](DenseIntOrFPElementsAttr attr) -> WalkResult {
          bool splat = false;
          if (DenseElementsAttr::isValidRawBuffer(attr.getType(),
                                                  attr.getRawData(), splat))
            return WalkResult::advance();
          // At the location only: the op's own printout would read the
          // elements this has just found missing.
          emitError(op->getLoc()) << "dense attribute of type " << attr.getType()
                          << " holds " << attr.getRawData().size()
                          << " bytes of data, which is not what its type "
                             "needs (a corrupt bytecode file?)";
          return WalkResult::interrupt();
        });
    return inner.wasInterrupted() ? WalkResult::interrupt()
                                  : WalkResult::advance();
  });
  return failure(result.wasInterrupted());
}
