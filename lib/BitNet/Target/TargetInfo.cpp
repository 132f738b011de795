//===- TargetInfo.cpp - the target a module is compiled for ---------------===//
//
// What a target can do comes from LLVM's description of the CPU (its
// MCSubtargetInfo), so any CPU LLVM knows gets the right vector width and
// instruction set; cache sizes come from the host's sysfs when compiling
// for the host and from per-architecture defaults otherwise.
//
//===----------------------------------------------------------------------===//

#include "BitNet/Target/TargetInfo.h"
#include "BitNet/Target/TargetBackend.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"
#include "llvm/TargetParser/Triple.h"

using namespace mlir;
using namespace mlir::bitnet;

namespace {

void initializeLLVMTargets() {
  static const bool initialized = [] {
    llvm::InitializeAllTargetInfos();
    llvm::InitializeAllTargets();
    llvm::InitializeAllTargetMCs();
    llvm::InitializeAllAsmPrinters();
    return true;
  }();
  (void)initialized;
}

/// A cache size from sysfs ("48K", "2048K"), or 0.
int64_t readHostCacheSize(int level) {
  for (int index = 0; index < 8; ++index) {
    std::string dir =
        "/sys/devices/system/cpu/cpu0/cache/index" + std::to_string(index);
    auto levelFile = llvm::MemoryBuffer::getFile(dir + "/level");
    auto typeFile = llvm::MemoryBuffer::getFile(dir + "/type");
    auto sizeFile = llvm::MemoryBuffer::getFile(dir + "/size");
    if (!levelFile || !typeFile || !sizeFile)
      break;
    if ((*levelFile)->getBuffer().trim() != std::to_string(level) ||
        (*typeFile)->getBuffer().trim() == "Instruction")
      continue;
    StringRef size = (*sizeFile)->getBuffer().trim();
    int64_t scale = 1;
    if (size.consume_back("K"))
      scale = 1024;
    else if (size.consume_back("M"))
      scale = 1024 * 1024;
    int64_t value;
    if (!size.getAsInteger(10, value))
      return value * scale;
  }
  return 0;
}

void setCacheSizes(TargetInfo &info, const llvm::Triple &triple,
                   bool isHost) {
  // Typical parts of each architecture, for cross compilation.
  if (triple.isX86())
    info.l1Bytes = 32 << 10, info.l2Bytes = 1 << 20, info.l3Bytes = 32 << 20;
  else if (triple.isAArch64())
    info.l1Bytes = 64 << 10, info.l2Bytes = 1 << 20, info.l3Bytes = 8 << 20;
  if (!isHost)
    return;
  if (int64_t l1 = readHostCacheSize(1))
    info.l1Bytes = l1;
  if (int64_t l2 = readHostCacheSize(2))
    info.l2Bytes = l2;
  if (int64_t l3 = readHostCacheSize(3))
    info.l3Bytes = l3;
}

void setVectorFeatures(TargetInfo &info, const llvm::Triple &triple,
                       const llvm::MCSubtargetInfo &subtarget) {
  auto has = [&](StringRef feature) {
    return subtarget.checkFeatures(("+" + feature).str());
  };
  if (triple.isX86()) {
    info.vectorBits = has("avx512f") ? 512 : has("avx") ? 256 : 128;
    info.vectorRegisters = info.vectorBits == 512 ? 32 : 16;
    info.int8Dot = has("avx512vnni") && info.vectorBits == 512 ? "avx512-vnni"
                   : has("avxvnni")                             ? "avx-vnni"
                   : has("avx2")                                ? "avx2"
                                                                : "";
  } else if (triple.isAArch64()) {
    info.vectorBits = has("neon") ? 128 : 0;
    info.vectorRegisters = has("neon") ? 32 : 0;
    info.int8Dot = has("dotprod") ? "dotprod" : "";
  }
}

} // namespace

FailureOr<TargetInfo> TargetInfo::resolve(Location loc, StringRef tripleName,
                                          StringRef cpuName) {
  initializeLLVMTargets();
  std::string host = llvm::sys::getDefaultTargetTriple();
  // The triple as the user spells it, as it goes into the LLVM IR.
  llvm::Triple triple(tripleName.empty() ? host : tripleName.str());
  bool isHost = llvm::Triple(host).getArch() == triple.getArch() &&
                (cpuName.empty() || cpuName == "native");
  std::string error;
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return emitError(loc) << "unknown target '" << triple.str()
                          << "': " << error;
  const TargetBackend *backend = lookupTargetBackendForTriple(triple.str());
  if (!backend)
    return emitError(loc) << "no back end compiles for '" << triple.str()
                          << "' (back ends: llvm-cpu for x86-64 and AArch64)";

  TargetInfo info;
  info.backend = backend->getName().str();
  info.triple = triple.str();
  info.cpu = cpuName.str();
  if (info.cpu.empty() || info.cpu == "native") {
    if (isHost) {
      info.cpu = llvm::sys::getHostCPUName().str();
      llvm::SubtargetFeatures features;
      for (const auto &[name, enabled] : llvm::sys::getHostCPUFeatures())
        features.AddFeature(name, enabled);
      info.features = features.getString();
    } else {
      info.cpu = "generic";
    }
  }
  std::unique_ptr<llvm::MCSubtargetInfo> subtarget(
      target->createMCSubtargetInfo(triple, info.cpu, info.features));
  if (!subtarget || !subtarget->isCPUStringValid(info.cpu))
    return emitError(loc) << "unknown CPU '" << info.cpu << "' for '"
                          << triple.str() << "'";
  setVectorFeatures(info, triple, *subtarget);
  setCacheSizes(info, triple, isHost);
  // LLVM's libomp comes for the architecture the compiler runs on; a
  // cross-compiled library has none to link (docs/AArch64.md).
  bool hostArch = llvm::Triple(host).getArch() == triple.getArch();
  info.threads = hostArch ? "openmp" : "";
  return info;
}

LogicalResult TargetInfo::stamp(ModuleOp module, StringRef triple,
                                StringRef cpu) {
  FailureOr<TargetInfo> info = resolve(module.getLoc(), triple, cpu);
  if (failed(info))
    return failure();
  module->setAttr(kTargetAttrName, info->toAttr(module.getContext()));
  return success();
}
