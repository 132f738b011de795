//===- LowerMemRefCopy.cpp - memref.copy as linalg.copy -------------------===//

#include "BitNet/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::bitnet {
#define GEN_PASS_DEF_LOWERMEMREFCOPYPASS
#include "BitNet/Transforms/Passes.h.inc"
} // namespace mlir::bitnet

using namespace mlir;

namespace {
struct LowerMemRefCopyPass
    : bitnet::impl::LowerMemRefCopyPassBase<LowerMemRefCopyPass> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    getOperation()->walk([&](memref::CopyOp copy) {
      rewriter.setInsertionPoint(copy);
      rewriter.replaceOpWithNewOp<linalg::CopyOp>(copy, copy.getSource(),
                                                  copy.getTarget());
    });
  }
};
} // namespace
