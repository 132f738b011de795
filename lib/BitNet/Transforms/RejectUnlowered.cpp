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
#include "mlir/IR/Matchers.h"
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

/// Whether `v` is computed from constants alone. Iterative, so that long
/// chains in a hostile model cannot exhaust the stack.
bool dependsOnConstantsOnly(Value root, DenseMap<Value, bool> &known) {
  SmallVector<Value> stack = {root};
  while (!stack.empty()) {
    Value v = stack.back();
    if (known.count(v)) {
      stack.pop_back();
      continue;
    }
    Operation *def = v.getDefiningOp();
    if (!def || def->getNumRegions() > 0) {
      known[v] = false;
      stack.pop_back();
      continue;
    }
    if (matchPattern(v, m_Constant())) {
      known[v] = true;
      stack.pop_back();
      continue;
    }
    bool pending = false, all = true;
    for (Value operand : def->getOperands()) {
      auto it = known.find(operand);
      if (it == known.end()) {
        stack.push_back(operand);
        pending = true;
      } else {
        all &= it->second;
      }
    }
    if (!pending) {
      known[v] = all;
      stack.pop_back();
    }
  }
  return known[root];
}

/// Why no pattern took `op`, as precisely as its types tell.
std::string reasonFor(Operation *op, DenseMap<Value, bool> &constants) {
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
  // Every operand constant: a weight subgraph nothing consumed (only those
  // feeding f32 MatMuls are evaluated at compile time).
  if (op->getNumOperands() > 0 &&
      llvm::all_of(op->getOperands(), [&](Value v) {
        return dependsOnConstantsOnly(v, constants);
      }))
    return "it computes on constants only, and no lowering takes its "
           "operands (" +
           typeList(op->getOperandTypes()) +
           "); weight subgraphs fold at compile time only where they feed an "
           "f32 MatMul";
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
    DenseMap<Value, bool> constants;
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
      diag << "(" << opType << "): cannot be compiled: " << reasonFor(op, constants);
    });
    if (total > kMaxReports)
      getOperation()->emitError()
          << total - kMaxReports << " more ops cannot be compiled";
    if (total)
      signalPassFailure();
  }
};

} // namespace
