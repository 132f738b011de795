//===- LLVMEmission.cpp - LLVM dialect to LLVM IR and objects -------------===//

#include "LLVMEmission.h"

#include "BitNet/Support/Progress.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Target/LLVMIR/Export.h"

#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Target/TargetMachine.h"

using namespace mlir;

namespace {

std::unique_ptr<llvm::TargetMachine>
createTargetMachine(ModuleOp module, const bitnet::TargetInfo &info) {
  // TargetInfo::resolve initialized LLVM's targets and checked both names.
  std::string error;
  llvm::Triple triple(info.triple);
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target) {
    module.emitError() << "unknown target '" << triple.str() << "': " << error;
    return nullptr;
  }
  llvm::TargetOptions targetOptions;
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, info.cpu, info.features, targetOptions, llvm::Reloc::PIC_,
      std::nullopt, llvm::CodeGenOptLevel::Aggressive));
  if (!machine)
    module.emitError() << "cannot create a target machine for '"
                       << triple.str() << "' (cpu '" << info.cpu << "')";
  return machine;
}

/// The optimized LLVM module, set up for `machine`.
std::unique_ptr<llvm::Module> translate(ModuleOp module,
                                        llvm::TargetMachine &machine,
                                        llvm::LLVMContext &context,
                                        unsigned optLevel,
                                        TimingScope &timing) {
  TimingScope translation = timing.nest("Translate to LLVM IR");
  bitnet::reportStage("translating to LLVM IR");
  DialectRegistry registry;
  registerAllToLLVMIRTranslations(registry);
  module->getContext()->appendDialectRegistry(registry);
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, context, "bitnet_model");
  if (!llvmModule) {
    module.emitError("cannot translate to LLVM IR: the module must be in the "
                     "LLVM dialect (run --bitnet-compile-cpu first)");
    return nullptr;
  }
  llvmModule->setTargetTriple(machine.getTargetTriple());
  llvmModule->setDataLayout(machine.createDataLayout());
  // The CPU and its features go on every function, as clang puts them:
  // the optimizer's cost models read them there, and LLVM IR written with
  // --emit=llvm keeps the --mcpu it was compiled for.
  for (llvm::Function &function : *llvmModule) {
    if (function.isDeclaration())
      continue;
    if (!function.hasFnAttribute("target-cpu"))
      function.addFnAttr("target-cpu", machine.getTargetCPU());
    if (!function.hasFnAttribute("target-features") &&
        !machine.getTargetFeatureString().empty())
      function.addFnAttr("target-features", machine.getTargetFeatureString());
  }
  translation.stop();
  TimingScope optimization = timing.nest("LLVM optimization");
  size_t functions = llvm::count_if(
      *llvmModule, [](llvm::Function &f) { return !f.isDeclaration(); });
  bitnet::reportStage("LLVM optimization", std::to_string(functions) + " functions");
  auto optimize = makeOptimizingTransformer(optLevel, /*sizeLevel=*/0, &machine);
  if (llvm::Error error = optimize(llvmModule.get())) {
    module.emitError() << "LLVM optimization failed: "
                       << llvm::toString(std::move(error));
    return nullptr;
  }
  return llvmModule;
}

/// Runs `emit` on the optimized LLVM module for the chosen target.
template <typename EmitFn>
LogicalResult withOptimizedModule(ModuleOp module,
                                  const bitnet::TargetInfo &target,
                                  TimingScope &timing, EmitFn emit) {
  std::unique_ptr<llvm::TargetMachine> machine =
      createTargetMachine(module, target);
  if (!machine)
    return failure();
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> llvmModule =
      translate(module, *machine, context, bitnet::kModelOptLevel, timing);
  if (!llvmModule)
    return failure();
  return emit(*machine, *llvmModule);
}

} // namespace

LogicalResult bitnet::emitLLVMIR(ModuleOp module, const TargetInfo &target,
                                 llvm::raw_ostream &os, TimingScope &timing) {
  return withOptimizedModule(
      module, target, timing, [&](llvm::TargetMachine &, llvm::Module &llvmModule) {
        llvmModule.print(os, nullptr);
        return success();
      });
}

LogicalResult bitnet::emitObject(ModuleOp module, const TargetInfo &target,
                                 llvm::raw_pwrite_stream &os,
                                 TimingScope &timing) {
  return withOptimizedModule(
      module, target, timing,
      [&](llvm::TargetMachine &machine, llvm::Module &llvmModule) {
        TimingScope codegenTiming = timing.nest("LLVM code generation");
        bitnet::reportStage("LLVM code generation");
        llvm::legacy::PassManager codegen;
        if (machine.addPassesToEmitFile(codegen, os, nullptr,
                                        llvm::CodeGenFileType::ObjectFile)) {
          module.emitError("the target cannot emit object files");
          return failure();
        }
        codegen.run(llvmModule);
        return success();
      });
}
