//===- ParallelizeKernels.cpp - the big loops in parallel, only those -----===//
//
// A decode step runs hundreds of small ops, for which forking threads
// costs more than it saves; the ternary products are where the time goes.
// Kernels mark their linalg op `bitnet.parallel`; on buffers, this pass
// turns exactly those into scf.parallel loops (which convert-scf-to-openmp
// makes OpenMP work-sharing loops) and leaves every other op to the
// sequential lowering. A target without a thread runtime (`bitnet.target`
// with threads = "") keeps every kernel sequential: its library links no
// OpenMP, so no loop may call into one.
//
//===----------------------------------------------------------------------===//

#include "BitNet/Transforms/Passes.h"
#include "BitNet/Support/KernelAttributes.h"
#include "BitNet/Target/TargetInfo.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"

namespace mlir::bitnet {
#define GEN_PASS_DEF_PARALLELIZEKERNELSPASS
#include "BitNet/Transforms/Passes.h.inc"
} // namespace mlir::bitnet

using namespace mlir;

namespace {

struct ParallelizeKernelsPass
    : bitnet::impl::ParallelizeKernelsPassBase<ParallelizeKernelsPass> {
  void runOnOperation() override {
    auto module = dyn_cast<ModuleOp>(getOperation());
    if (!module)
      module = getOperation()->getParentOfType<ModuleOp>();
    bool threads = true;
    if (module && module->hasAttr(bitnet::kTargetAttrName)) {
      FailureOr<bitnet::TargetInfo> target = bitnet::TargetInfo::get(module);
      if (failed(target))
        return signalPassFailure();
      threads = !target->threads.empty();
    }
    // The blocked kernels' tiles are scf.forall (bufferization keeps the
    // loop, not its attributes): parallel where threads are, else a
    // sequential nest.
    SmallVector<scf::ForallOp> tiled;
    getOperation()->walk([&](scf::ForallOp op) {
      if (op.getNumResults() == 0)
        tiled.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (scf::ForallOp op : tiled) {
      rewriter.setInsertionPoint(op);
      if (threads ? failed(scf::forallToParallelLoop(rewriter, op))
                  : failed(scf::forallToForLoop(rewriter, op))) {
        op->emitError("cannot be turned into loops");
        return signalPassFailure();
      }
    }
    if (!threads)
      return;
    SmallVector<linalg::LinalgOp> kernels;
    getOperation()->walk([&](linalg::LinalgOp op) {
      if (op->hasAttr(bitnet::kParallelKernelAttrName) &&
          op.hasPureBufferSemantics())
        kernels.push_back(op);
    });
    for (linalg::LinalgOp op : kernels) {
      rewriter.setInsertionPoint(op);
      if (failed(linalg::linalgOpToParallelLoops(rewriter, op))) {
        op->emitError("cannot be turned into parallel loops");
        return signalPassFailure();
      }
      rewriter.eraseOp(op);
    }
  }
};

} // namespace
