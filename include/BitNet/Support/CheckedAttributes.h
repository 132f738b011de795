//===- CheckedAttributes.h - attributes a parser should have refused --*- C++ -*-===//
//
// MLIR 22's bytecode reader builds dense elements attributes from whatever
// bytes the file holds, without checking them against the attribute's type.
// A hostile .mlirbc can therefore carry a tensor<4x4xi64> with 8 bytes of
// data, and the first reader of its elements (the printer, a fold) reads
// past the buffer. The text parser checks; bytecode input is checked here,
// once, after parsing (fuzz/known-upstream/README.md).
//
//===----------------------------------------------------------------------===//

#ifndef BITNET_SUPPORT_CHECKEDATTRIBUTES_H
#define BITNET_SUPPORT_CHECKEDATTRIBUTES_H

#include "mlir/IR/Operation.h"

namespace mlir::bitnet {

/// Every dense int/float elements attribute in `root`'s attributes (nested
/// ones included) holds as many bytes as its type needs; an error on the op
/// holding the first one that does not.
LogicalResult checkDenseAttributes(Operation *root);

} // namespace mlir::bitnet

#endif // BITNET_SUPPORT_CHECKEDATTRIBUTES_H
