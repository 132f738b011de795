//===- TernaryRepack.cpp - ternary constants in the kernel's layout -------===//
//
// The layout of the weights is a property of the kernel that reads them,
// and the kernel is the target's choice; this pass writes that choice into
// the weights' types, so that everything after it (the lowering, the op
// report, the model library) sees the bytes that ship.
//
//===----------------------------------------------------------------------===//

#include "BitNet/Conversion/TernaryToLinalg/TernaryToLinalg.h"
#include "BitNet/Dialect/Ternary/IR/TernaryDialect.h"
#include "BitNet/Dialect/Ternary/IR/TernaryOps.h"
#include "TernaryKernels.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::bitnet {
#define GEN_PASS_DEF_TERNARYREPACKPASS
#include "BitNet/Conversion/Passes.h.inc"
} // namespace mlir::bitnet

using namespace mlir;
using namespace mlir::bitnet;
using namespace mlir::bitnet::ternary;

namespace {

/// The packing `name` asks for; "auto" asks the module's
/// `bitnet.ternary_packing`, else keeps base4: on the x86-64 machines
/// measured, base3's five byte compares per group cost more than the fifth
/// of the bytes it saves (docs/Kernels.md), so a target only gets base3
/// when asked.
FailureOr<TritPacking> choosePacking(ModuleOp module, StringRef name) {
  if (name == "auto")
    if (auto forced = module->getAttrOfType<StringAttr>(kTernaryPackingAttrName))
      name = forced.getValue();
  if (name == "auto")
    return TritPacking::Base4;
  if (std::optional<TritPacking> packing = parseTritPacking(name))
    return *packing;
  return module.emitError() << "unknown trit packing '" << name
                            << "' (auto, base4 or base3)";
}

/// Whether every use of `constant` is a ternary op, which takes weights of
/// any layout.
bool onlyTernaryUsers(ConstantOp constant) {
  return llvm::all_of(constant->getUsers(), [](Operation *user) {
    return isa<TernaryDialect>(user->getDialect());
  });
}

struct TernaryRepackPass
    : bitnet::impl::TernaryRepackPassBase<TernaryRepackPass> {
  using TernaryRepackPassBase::TernaryRepackPassBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    FailureOr<TernaryKernel> kernel = chooseTernaryKernel(module, this->kernel);
    FailureOr<TritPacking> packing = choosePacking(module, this->packing);
    if (failed(kernel) || failed(packing))
      return signalPassFailure();
    SmallVector<ConstantOp> constants;
    module.walk([&](ConstantOp op) { constants.push_back(op); });
    IRRewriter rewriter(&getContext());
    for (ConstantOp constant : constants) {
      WeightsType type = constant.getType();
      // The loops (and groups, which stay on loops) read unpadded base4.
      TritLayout layout =
          kernelLayout(type.withLayout({*packing, type.getRowAlign()}),
                       *kernel);
      if (layout == type.getLayout() || !onlyTernaryUsers(constant))
        continue;
      rewriter.setInsertionPoint(constant);
      auto repacked = ConstantOp::create(
          rewriter, constant.getLoc(), type.withLayout(layout),
          constant.getPackedIn(layout), constant.getScale());
      rewriter.replaceOp(constant, repacked.getResult());
    }
  }
};

} // namespace
