//===- OutlineKernels.cpp - one function per loop nest --------------------===//
//
// An imported model is one function holding every layer's loops. LLVM's
// optimizer and code generator take time that grows faster than a
// function's size (dominator trees, scheduling regions), and they compile
// twelve identical layers twelve times. Moving each loop nest into a
// function of its own bounds the size LLVM sees; passing the weights as
// arguments makes the nests of different layers the same function, which
// duplicate-function-elimination then keeps once.
//
//===----------------------------------------------------------------------===//

#include "BitNet/Transforms/Passes.h"

#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::bitnet {
#define GEN_PASS_DEF_OUTLINEKERNELSPASS
#include "BitNet/Transforms/Passes.h.inc"
} // namespace mlir::bitnet

using namespace mlir;

namespace {

/// LLVM function attributes for the outlined functions, in the form
/// func-to-llvm carries over (it drops `no_inline`). Without `noinline`,
/// LLVM inlines every function with one call site straight back.
constexpr llvm::StringLiteral kPassthroughAttrName = "passthrough";

bool isClonableConstant(Value value) {
  Operation *def = value.getDefiningOp();
  return def && def->getNumOperands() == 0 && def->getNumRegions() == 0 &&
         def->hasTrait<OpTrait::ConstantLike>();
}

/// The values `nest` reads from outside itself, in the order a pre-order
/// walk first meets them, so that identical nests get identical signatures.
llvm::SetVector<Value> valuesFromOutside(Operation *nest) {
  llvm::SetVector<Value> outside;
  nest->walk<WalkOrder::PreOrder>([&](Operation *op) {
    for (Value operand : op->getOperands())
      if (!nest->isAncestor(operand.getParentRegion()->getParentOp()))
        outside.insert(operand);
  });
  return outside;
}

bool isOutlinable(Operation &op) {
  if (op.getNumRegions() == 0 || op.hasTrait<OpTrait::IsTerminator>() ||
      op.getNumSuccessors() != 0)
    return false;
  return llvm::none_of(op.getResultTypes(), llvm::IsaPred<BaseMemRefType>);
}

void outline(Operation *nest, func::FuncOp parent, SymbolTable &symbols) {
  llvm::SetVector<Value> outside = valuesFromOutside(nest);
  SmallVector<Value> arguments, constants;
  for (Value value : outside)
    (isClonableConstant(value) ? constants : arguments).push_back(value);

  OpBuilder builder(parent);
  Location loc = nest->getLoc();
  auto type = builder.getFunctionType(ValueRange(arguments).getTypes(),
                                      nest->getResultTypes());
  auto callee = func::FuncOp::create(builder, loc,
                                     (parent.getName() + "_kernel").str(), type);
  callee.setPrivate();
  callee->setAttr(kPassthroughAttrName,
                  builder.getStrArrayAttr({"noinline"}));
  // Renames on a clash: the first nest keeps `<parent>_kernel`.
  symbols.insert(callee, Block::iterator(parent));

  Block *entry = callee.addEntryBlock();
  IRMapping mapping;
  mapping.map(arguments, entry->getArguments());
  OpBuilder body = OpBuilder::atBlockEnd(entry);
  for (Value constant : constants)
    body.clone(*constant.getDefiningOp(), mapping);
  Operation *moved = body.clone(*nest, mapping);
  func::ReturnOp::create(body, loc, moved->getResults());

  builder.setInsertionPoint(nest);
  auto call = func::CallOp::create(builder, loc, callee, arguments);
  nest->replaceAllUsesWith(call.getResults());
  nest->erase();
}

struct OutlineKernelsPass
    : bitnet::impl::OutlineKernelsPassBase<OutlineKernelsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    SmallVector<func::FuncOp> functions(module.getOps<func::FuncOp>());
    for (func::FuncOp function : functions) {
      if (function.isExternal() || function->hasAttr(kPassthroughAttrName))
        continue;
      for (Block &block : function.getBody()) {
        SmallVector<Operation *> nests;
        for (Operation &op : block)
          if (isOutlinable(op))
            nests.push_back(&op);
        for (Operation *nest : nests)
          outline(nest, function, symbols);
      }
    }
  }
};

} // namespace
