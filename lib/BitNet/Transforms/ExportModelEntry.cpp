//===- ExportModelEntry.cpp - the model entry's C ABI and signature -------===//

#include "BitNet/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "llvm/Support/JSON.h"

namespace mlir::bitnet {
#define GEN_PASS_DEF_EXPORTMODELENTRYPASS
#include "BitNet/Transforms/Passes.h.inc"
} // namespace mlir::bitnet

using namespace mlir;

namespace {

/// {name = "...", type = tensor<...>} for one argument or result.
FailureOr<Attribute> describe(func::FuncOp func, Type type, DictionaryAttr attrs,
                              StringRef what, unsigned index) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  Type et = tensor ? tensor.getElementType() : Type();
  if (!tensor || !(et.isF32() || et.isInteger(64)))
    return func.emitError() << what << " " << index << " has type " << type
                            << "; a model entry takes and returns ranked f32 "
                               "or i64 tensors";
  auto name = attrs ? attrs.getAs<StringAttr>("onnx.name") : StringAttr();
  Builder b(func.getContext());
  std::string fallback = (what + Twine(index)).str();
  return Attribute(b.getDictionaryAttr(
      {b.getNamedAttr("name", name ? name : b.getStringAttr(fallback)),
       b.getNamedAttr("type", TypeAttr::get(type))}));
}

/// The longest sequence the model handles, from the `bitnet.config` JSON
/// that bitnet.export stores in the ONNX metadata (its position tables end
/// there); 0 when unknown.
int64_t getMaxContext(ModuleOp module) {
  auto props = module->getAttrOfType<DictionaryAttr>("onnx.metadata_props");
  auto config = props ? props.getAs<StringAttr>("bitnet.config") : StringAttr();
  if (!config)
    return 0;
  llvm::Expected<llvm::json::Value> json = llvm::json::parse(config.getValue());
  if (!json) {
    llvm::consumeError(json.takeError());
    return 0;
  }
  const llvm::json::Object *object = json->getAsObject();
  std::optional<int64_t> max =
      object ? object->getInteger("max_position") : std::nullopt;
  return max.value_or(0);
}

} // namespace

func::FuncOp bitnet::findModelEntry(ModuleOp module, size_t *count) {
  if (auto entry = module.lookupSymbol<func::FuncOp>("main_graph"))
    return entry;
  SmallVector<func::FuncOp> candidates;
  for (auto f : module.getOps<func::FuncOp>())
    if (f.isPublic() && !f.isExternal())
      candidates.push_back(f);
  if (count)
    *count = candidates.size();
  return candidates.size() == 1 ? candidates.front() : func::FuncOp();
}

namespace {

struct ExportModelEntryPass
    : bitnet::impl::ExportModelEntryPassBase<ExportModelEntryPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    size_t candidates = 0;
    func::FuncOp entry = bitnet::findModelEntry(module, &candidates);
    if (!entry) {
      module.emitError("no model entry: expected a function @main_graph or "
                       "exactly one public function, found ")
          << candidates;
      return signalPassFailure();
    }
    Builder b(&getContext());
    SmallVector<Attribute> inputs, outputs;
    for (unsigned i = 0; i < entry.getNumArguments(); ++i) {
      FailureOr<Attribute> d = describe(entry, entry.getArgumentTypes()[i],
                                        entry.getArgAttrDict(i), "input", i);
      if (failed(d))
        return signalPassFailure();
      inputs.push_back(*d);
    }
    for (unsigned i = 0; i < entry.getNumResults(); ++i) {
      FailureOr<Attribute> d = describe(entry, entry.getResultTypes()[i],
                                        entry.getResultAttrDict(i), "output", i);
      if (failed(d))
        return signalPassFailure();
      outputs.push_back(*d);
    }
    // The names are recorded above; LLVM translation has no use for them.
    for (unsigned i = 0; i < entry.getNumArguments(); ++i)
      entry.removeArgAttr(i, "onnx.name");
    for (unsigned i = 0; i < entry.getNumResults(); ++i)
      entry.removeResultAttr(i, StringAttr::get(&getContext(), "onnx.name"));
    entry->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(),
                   b.getUnitAttr());
    module->setAttr(bitnet::kModelEntryAttrName,
                    b.getDictionaryAttr(
                        {b.getNamedAttr("function",
                                        b.getStringAttr(entry.getSymName())),
                         b.getNamedAttr("inputs", b.getArrayAttr(inputs)),
                         b.getNamedAttr("max_context",
                                        b.getI64IntegerAttr(getMaxContext(module))),
                         b.getNamedAttr("outputs", b.getArrayAttr(outputs))}));
  }
};

} // namespace
