//===- KernelAttributes.h - attributes kernels leave for later passes -*- C++ -*-===//
//
// Lowerings that emit kernels and the target passes that schedule them meet
// only in the IR; these are the attribute names they agree on.
//
//===----------------------------------------------------------------------===//

#ifndef BITNET_SUPPORT_KERNELATTRIBUTES_H
#define BITNET_SUPPORT_KERNELATTRIBUTES_H

#include "llvm/ADT/StringRef.h"

namespace mlir::bitnet {

/// A unit attribute on a linalg op: run its parallel loops on threads
/// (bitnet-parallelize-kernels). Set on ops with enough work per element
/// to pay for a fork, such as the ternary products.
inline constexpr llvm::StringLiteral kParallelKernelAttrName =
    "bitnet.parallel";

} // namespace mlir::bitnet

#endif // BITNET_SUPPORT_KERNELATTRIBUTES_H
