//===- TargetBackend.cpp - the back ends and target selection -------------===//
//
// The list of back ends, and `bitnet-set-target`. A back end is added here
// and nowhere else in the shared code.
//
//===----------------------------------------------------------------------===//

#include "BitNet/Target/TargetBackend.h"
#include "BitNet/Target/Passes.h"
#include "LLVMCPU/LLVMCPUBackend.h"

namespace mlir::bitnet {
#define GEN_PASS_DEF_SETTARGETPASS
#include "BitNet/Target/Passes.h.inc"
} // namespace mlir::bitnet

using namespace mlir;
using namespace mlir::bitnet;

TargetBackend::~TargetBackend() = default;

namespace {

ArrayRef<const TargetBackend *> backends() {
  static const LLVMCPUBackend llvmCPU;
  static const TargetBackend *const all[] = {&llvmCPU};
  return all;
}

struct SetTargetPass : bitnet::impl::SetTargetPassBase<SetTargetPass> {
  using SetTargetPassBase::SetTargetPassBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (triple.empty() && cpu.empty() && module->hasAttr(kTargetAttrName))
      return;
    if (failed(TargetInfo::stamp(module, triple, cpu)))
      signalPassFailure();
  }
};

} // namespace

const TargetBackend *mlir::bitnet::lookupTargetBackend(StringRef name) {
  for (const TargetBackend *backend : backends())
    if (backend->getName() == name)
      return backend;
  return nullptr;
}

const TargetBackend *
mlir::bitnet::lookupTargetBackendForTriple(StringRef triple) {
  for (const TargetBackend *backend : backends())
    if (backend->supportsTriple(triple))
      return backend;
  return nullptr;
}

FailureOr<const TargetBackend *> mlir::bitnet::getTargetBackend(ModuleOp module) {
  FailureOr<TargetInfo> info = TargetInfo::get(module);
  if (failed(info))
    return failure();
  if (const TargetBackend *backend = lookupTargetBackend(info->backend))
    return backend;
  return module.emitError() << "unknown back end '" << info->backend
                            << "' in '" << kTargetAttrName << "'";
}

