//===- ONNXToLinalg.cpp - onnx ops on upstream dialects -------------------===//

#include "BitNet/Conversion/ONNXToLinalg/ONNXToLinalg.h"
#include "PopulatePatterns.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

namespace mlir::bitnet {
#define GEN_PASS_DEF_CONVERTONNXTOLINALGPASS
#include "BitNet/Conversion/Passes.h.inc"
} // namespace mlir::bitnet

using namespace mlir;

namespace {
struct ConvertONNXToLinalgPass
    : bitnet::impl::ConvertONNXToLinalgPassBase<ConvertONNXToLinalgPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    bitnet::populateContractionToLinalgPatterns(patterns);
    bitnet::populateDataMovementToLinalgPatterns(patterns);
    bitnet::populateElementwiseToLinalgPatterns(patterns);
    bitnet::populateReductionToLinalgPatterns(patterns);
    bitnet::populateShapeToTensorPatterns(patterns);
    bitnet::populateWeightMatMulToVectorPatterns(patterns);
    // Each op is rewritten once, in place: no fixpoint is needed.
    walkAndApplyPatterns(getOperation(), std::move(patterns));
  }
};
} // namespace
