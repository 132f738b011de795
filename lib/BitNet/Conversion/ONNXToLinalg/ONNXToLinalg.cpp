//===- ONNXToLinalg.cpp - onnx ops on upstream dialects -------------------===//

#include "BitNet/Conversion/ONNXToLinalg/ONNXToLinalg.h"
#include "PopulatePatterns.h"

#include "BitNet/Support/ElementsStorage.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Transforms/RegionUtils.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

namespace mlir::bitnet {
#define GEN_PASS_DEF_CONVERTONNXTOLINALGPASS
#include "BitNet/Conversion/Passes.h.inc"
} // namespace mlir::bitnet

using namespace mlir;

namespace {
struct ConvertONNXToLinalgPass
    : bitnet::impl::ConvertONNXToLinalgPassBase<ConvertONNXToLinalgPass> {
  using ConvertONNXToLinalgPassBase::ConvertONNXToLinalgPassBase;

  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    // bitnet-opt --float-weights puts the choice on the module.
    std::string weights = this->weights;
    if (weights.empty()) {
      ModuleOp module = isa<ModuleOp>(getOperation())
                            ? cast<ModuleOp>(getOperation())
                            : getOperation()->getParentOfType<ModuleOp>();
      auto attr = module ? module->getAttrOfType<StringAttr>("bitnet.float_weights")
                         : StringAttr();
      weights = attr ? attr.str() : "f32";
    }
    Type storage = weights == "f16"    ? Type(Float16Type::get(ctx))
                   : weights == "bf16" ? Type(BFloat16Type::get(ctx))
                   : weights == "f32"  ? Type(Float32Type::get(ctx))
                   : weights == "i8"   ? Type(IntegerType::get(ctx, 8))
                                       : Type();
    if (!storage) {
      getOperation()->emitError() << "unknown weight storage '" << weights
                                  << "' (f32, f16, bf16 or i8)";
      return signalPassFailure();
    }
    // Attention's products first: they read through producers that the
    // main walk would lower before reaching them.
    RewritePatternSet attention(&getContext());
    bitnet::populateBatchMatMulToVectorPatterns(attention);
    walkAndApplyPatterns(getOperation(), std::move(attention));

    llvm::SetVector<DenseResourceElementsAttr> before =
        bitnet::referencedBlobs(getOperation());
    RewritePatternSet patterns(&getContext());
    bitnet::populateContractionToLinalgPatterns(patterns);
    bitnet::populateDataMovementToLinalgPatterns(patterns);
    bitnet::populateElementwiseToLinalgPatterns(patterns);
    bitnet::populateReductionToLinalgPatterns(patterns);
    bitnet::populateShapeToTensorPatterns(patterns);
    bitnet::populateWeightMatMulToVectorPatterns(patterns, storage);
    // Each op is rewritten once, in place: no fixpoint is needed.
    walkAndApplyPatterns(getOperation(), std::move(patterns));
    // A table the lookup and the head now read narrowed (--float-weights)
    // is dead in f32: its bytes go now, not with the context.
    IRRewriter rewriter(&getContext());
    (void)runRegionDCE(rewriter, getOperation()->getRegions());
    bitnet::releaseUnreferencedBlobs(getOperation(), before);
  }
};
} // namespace
