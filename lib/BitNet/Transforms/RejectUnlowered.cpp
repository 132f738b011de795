//===- RejectUnlowered.cpp - name what the compiler could not lower -------===//
//
// Lowering patterns leave what they do not handle in place, so that each
// pass stays runnable on any module. A model pipeline then has to stop
// before bufferization, which would otherwise fail on the first leftover op
// with a message about bufferization rather than about the model. This pass
// reports every leftover op of the listed dialects by its ONNX node, with
// the most specific reason it can give, and fails.
//
//===----------------------------------------------------------------------===//

#include "BitNet/Transforms/Passes.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/STLExtras.h"

namespace mlir::bitnet {
#define GEN_PASS_DEF_REJECTUNLOWEREDPASS
#include "BitNet/Transforms/Passes.h.inc"
} // namespace mlir::bitnet

using namespace mlir;

namespace {

/// The node name the importer gave the op; its op type otherwise.
std::string nodeName(Operation *op) {
  if (auto name = dyn_cast<NameLoc>(op->getLoc()))
    return name.getName().str();
  return "";
}

std::string typeList(TypeRange types) {
  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::interleaveComma(types, os);
  return text;
}

/// Why no pattern took `op`, as precisely as its types tell.
std::string reasonFor(Operation *op) {
  for (auto [i, type] : llvm::enumerate(op->getResultTypes()))
    if (isa<UnrankedTensorType>(type))
      return "the rank of result " + std::to_string(i) +
             " could not be inferred (" + typeList(type) +
             "); lowering needs ranked tensors";
  for (auto [i, type] : llvm::enumerate(op->getOperandTypes()))
    if (isa<UnrankedTensorType>(type))
      return "the rank of operand " + std::to_string(i) +
             " could not be inferred (" + typeList(type) +
             "); lowering needs ranked tensors";
  return "no lowering for this op with operands (" +
         typeList(op->getOperandTypes()) + ") and results (" +
         typeList(op->getResultTypes()) + ")";
}

struct RejectUnloweredPass
    : bitnet::impl::RejectUnloweredPassBase<RejectUnloweredPass> {
  using RejectUnloweredPassBase::RejectUnloweredPassBase;

  void runOnOperation() override {
    // A model with one unsupported op type usually has it in every layer:
    // the first few instances say all there is to say.
    constexpr unsigned kMaxReports = 16;
    SmallVector<std::string> banned(dialects.begin(), dialects.end());
    if (banned.empty())
      banned.push_back("onnx");
    unsigned reported = 0, total = 0;
    getOperation()->walk([&](Operation *op) {
      Dialect *dialect = op->getDialect();
      if (!dialect ||
          !llvm::is_contained(banned, dialect->getNamespace().str()))
        return;
      ++total;
      if (++reported > kMaxReports)
        return;
      StringRef opType = op->getName().stripDialect();
      std::string name = nodeName(op);
      InFlightDiagnostic diag = op->emitError();
      if (!name.empty())
        diag << "node '" << name << "' ";
      diag << "(" << opType << "): cannot be compiled: " << reasonFor(op);
    });
    if (total > kMaxReports)
      getOperation()->emitError()
          << total - kMaxReports << " more ops cannot be compiled";
    if (total)
      signalPassFailure();
  }
};

} // namespace
