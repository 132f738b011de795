//===- EliminateSTE.cpp - remove straight-through estimators --------------===//
//
// Training graphs spell the straight-through estimator x + (f(x) - x). It is
// f(x) in exact arithmetic but not in floats, so it must go before weights
// are evaluated: otherwise exact ternary values come out near-ternary.
//
//===----------------------------------------------------------------------===//

#include "BitNet/Dialect/ONNX/Transforms/Passes.h"

#include "BitNet/Dialect/ONNX/IR/ONNXOps.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::bitnet::onnx {
#define GEN_PASS_DEF_ONNXELIMINATESTEPASS
#include "BitNet/Dialect/ONNX/Transforms/Passes.h.inc"
} // namespace mlir::bitnet::onnx

using namespace mlir;
namespace onnx = mlir::bitnet::onnx;

namespace {

/// x + (f - x) -> f, in either operand order.
struct EliminateStraightThroughEstimator : OpRewritePattern<onnx::AddOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(onnx::AddOp add,
                                PatternRewriter &rewriter) const override {
    for (auto [x, other] : {std::pair(add.getA(), add.getB()),
                            std::pair(add.getB(), add.getA())}) {
      auto sub = other.getDefiningOp<onnx::SubOp>();
      if (sub && sub.getB() == x && sub.getA().getType() == add.getType()) {
        rewriter.replaceOp(add, sub.getA());
        return success();
      }
    }
    return rewriter.notifyMatchFailure(add, "not x + (f - x)");
  }
};

struct ONNXEliminateSTEPass
    : onnx::impl::ONNXEliminateSTEPassBase<ONNXEliminateSTEPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    onnx::populateEliminateSTEPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void onnx::populateEliminateSTEPatterns(RewritePatternSet &patterns) {
  patterns.add<EliminateStraightThroughEstimator>(patterns.getContext());
}
