//===- TernaryToLinalg.h - ternary ops to linalg ----------------*- C++ -*-===//

#ifndef BITNET_CONVERSION_TERNARYTOLINALG_TERNARYTOLINALG_H
#define BITNET_CONVERSION_TERNARYTOLINALG_TERNARYTOLINALG_H

#include "mlir/Pass/Pass.h"

namespace mlir::bitnet {

#define GEN_PASS_DECL_CONVERTTERNARYTOLINALGPASS
#define GEN_PASS_DECL_TERNARYREPACKPASS
#include "BitNet/Conversion/Passes.h.inc"

/// The module attribute by which a driver forces the ternary product
/// kernel ("loops", "addsub", "dot") for every layer.
inline constexpr llvm::StringLiteral kTernaryKernelAttrName =
    "bitnet.ternary_kernel";

/// The module attribute by which a driver forces the trit packing ("base4",
/// "base3") of every ternary constant.
inline constexpr llvm::StringLiteral kTernaryPackingAttrName =
    "bitnet.ternary_packing";

} // namespace mlir::bitnet

#endif // BITNET_CONVERSION_TERNARYTOLINALG_TERNARYTOLINALG_H
