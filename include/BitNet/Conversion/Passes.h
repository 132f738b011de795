//===- Passes.h - bitnet-mlir conversion passes -----------------*- C++ -*-===//

#ifndef BITNET_CONVERSION_PASSES_H
#define BITNET_CONVERSION_PASSES_H

#include "BitNet/Conversion/ONNXToLinalg/ONNXToLinalg.h"
#include "BitNet/Conversion/ONNXToTernary/ONNXToTernary.h"
#include "BitNet/Conversion/TernaryToLinalg/TernaryToLinalg.h"

namespace mlir::bitnet {

#define GEN_PASS_REGISTRATION
#include "BitNet/Conversion/Passes.h.inc"

} // namespace mlir::bitnet

#endif // BITNET_CONVERSION_PASSES_H
