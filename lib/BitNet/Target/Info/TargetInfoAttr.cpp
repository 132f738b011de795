//===- TargetInfoAttr.cpp - TargetInfo as the module's bitnet.target ------===//
//
// Reading and writing `bitnet.target`, apart from TargetInfo::resolve (which
// needs LLVM's targets and the back-end list): the shared passes that read
// the target (the ternary kernels, ParallelizeKernels) link only this, as
// the BitNetTargetInfo library, and lib/BitNet/Target links them.
//
//===----------------------------------------------------------------------===//

#include "BitNet/Target/TargetInfo.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"

using namespace mlir;
using namespace mlir::bitnet;

DictionaryAttr TargetInfo::toAttr(MLIRContext *context) const {
  Builder b(context);
  return b.getDictionaryAttr({
      b.getNamedAttr("backend", b.getStringAttr(backend)),
      b.getNamedAttr("triple", b.getStringAttr(triple)),
      b.getNamedAttr("cpu", b.getStringAttr(cpu)),
      b.getNamedAttr("features", b.getStringAttr(features)),
      b.getNamedAttr("vector_bits", b.getI64IntegerAttr(vectorBits)),
      b.getNamedAttr("vector_registers", b.getI64IntegerAttr(vectorRegisters)),
      b.getNamedAttr("int8_dot", b.getStringAttr(int8Dot)),
      b.getNamedAttr("l1_bytes", b.getI64IntegerAttr(l1Bytes)),
      b.getNamedAttr("l2_bytes", b.getI64IntegerAttr(l2Bytes)),
      b.getNamedAttr("l3_bytes", b.getI64IntegerAttr(l3Bytes)),
      b.getNamedAttr("threads", b.getStringAttr(threads)),
  });
}

FailureOr<TargetInfo> TargetInfo::fromAttr(Location loc, DictionaryAttr attr) {
  TargetInfo info;
  auto str = [&](StringRef key, std::string &out) {
    auto s = attr.getAs<StringAttr>(key);
    if (s)
      out = s.str();
    return bool(s);
  };
  auto num = [&](StringRef key, int64_t &out) {
    auto i = attr.getAs<IntegerAttr>(key);
    if (i)
      out = i.getInt();
    return i && out >= 0;
  };
  if (!str("backend", info.backend) || !str("triple", info.triple) ||
      !str("cpu", info.cpu) || !str("features", info.features) ||
      !str("int8_dot", info.int8Dot) || !num("vector_bits", info.vectorBits) ||
      !num("l1_bytes", info.l1Bytes) || !num("l2_bytes", info.l2Bytes) ||
      !num("l3_bytes", info.l3Bytes))
    return emitError(loc) << "malformed '" << kTargetAttrName << "' " << attr
                          << ": it needs backend, triple, cpu, features, "
                             "int8_dot (strings), vector_bits, l1_bytes, "
                             "l2_bytes and l3_bytes (non-negative integers)";
  // Attributes written before the field existed: the register count the
  // architecture's vector width implies.
  StringRef triple(info.triple);
  info.vectorRegisters =
      info.vectorBits == 0 ? 0
      : info.vectorBits == 512 || triple.starts_with("aarch64") ||
              triple.starts_with("arm64")
          ? 32
          : 16;
  if (attr.get("vector_registers") &&
      !num("vector_registers", info.vectorRegisters))
    return emitError(loc) << "malformed '" << kTargetAttrName
                          << "': vector_registers must be a non-negative "
                             "integer";
  info.threads = "openmp";
  if (attr.get("threads") && !str("threads", info.threads))
    return emitError(loc) << "malformed '" << kTargetAttrName
                          << "': threads must be a string (\"openmp\" or "
                             "\"\")";
  if (info.threads != "openmp" && !info.threads.empty())
    return emitError(loc) << "unknown thread runtime '" << info.threads
                          << "' in '" << kTargetAttrName
                          << "' (\"openmp\" or \"\" for none)";
  return info;
}

FailureOr<TargetInfo> TargetInfo::get(ModuleOp module) {
  auto attr = module->getAttrOfType<DictionaryAttr>(kTargetAttrName);
  if (!attr)
    return module.emitError() << "the module has no '" << kTargetAttrName
                              << "': run --bitnet-set-target first";
  return fromAttr(module.getLoc(), attr);
}
