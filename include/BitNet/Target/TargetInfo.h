//===- TargetInfo.h - the target a module is compiled for -------*- C++ -*-===//
//
// The target is part of the IR, as IREE puts it there: `bitnet-set-target`
// stamps `bitnet.target` on the module early, and every pass that needs to
// know the machine (vector width, cache sizes, whether int8 dot products
// are fast) reads it from the module, so each stays runnable alone in
// bitnet-opt. The back end that finishes the module is chosen from it too.
//
//   bitnet.target = {backend = "llvm-cpu", triple = "x86_64-pc-linux-gnu",
//                    cpu = "sapphirerapids", features = "+avx512f,...",
//                    vector_bits = 512, int8_dot = "avx512-vnni",
//                    l1_bytes = 49152, l2_bytes = 2097152,
//                    l3_bytes = 110100480, threads = "openmp"}
//
//===----------------------------------------------------------------------===//

#ifndef BITNET_TARGET_TARGETINFO_H
#define BITNET_TARGET_TARGETINFO_H

#include "mlir/IR/BuiltinOps.h"

#include <string>

namespace mlir::bitnet {

/// The module attribute that holds the target.
constexpr llvm::StringLiteral kTargetAttrName = "bitnet.target";

struct TargetInfo {
  /// The back end that finishes modules for this target ("llvm-cpu").
  std::string backend;
  std::string triple;
  /// LLVM's CPU name, and the feature string LLVM is given with it (empty:
  /// the CPU's own features).
  std::string cpu;
  std::string features;
  /// The widest SIMD register the kernels should use, in bits (0: none).
  int64_t vectorBits = 0;
  /// SIMD registers of that width: how many accumulators a register-blocked
  /// kernel may keep (16 for AVX2, 32 for AVX-512 and NEON).
  int64_t vectorRegisters = 0;
  /// The target's int8 dot-product instructions: "avx512-vnni",
  /// "avx-vnni", "avx2" (vpmaddubsw, whose 16-bit sums saturate), "dotprod",
  /// or empty for none.
  std::string int8Dot;
  /// Data cache sizes, in bytes, per core for L1/L2 and per chip for L3.
  int64_t l1Bytes = 0, l2Bytes = 0, l3Bytes = 0;
  /// The thread runtime model libraries link: "openmp" (LLVM's libomp),
  /// or empty for single-threaded code. Only the host's architecture has a
  /// libomp here to link; an attribute without the field means "openmp",
  /// as it did before the field existed.
  std::string threads;

  /// The target `triple` and `cpu` name, with LLVM's knowledge of that CPU
  /// (empty triple: the host; empty cpu: the host CPU on the host, else
  /// "generic"). Errors, located at `loc`, for unknown triples and CPUs.
  static FailureOr<TargetInfo> resolve(Location loc, StringRef triple,
                                       StringRef cpu);

  /// The target stamped on `module`; an error if there is none, or if it
  /// is malformed. (get, toAttr and fromAttr are the BitNetTargetInfo
  /// library, which shared passes link; resolve and stamp need the back
  /// ends, in BitNetTarget.)
  static FailureOr<TargetInfo> get(ModuleOp module);

  /// Resolves `triple` and `cpu` (as resolve does) and stamps the result
  /// on `module`, replacing any target there.
  static LogicalResult stamp(ModuleOp module, StringRef triple, StringRef cpu);

  DictionaryAttr toAttr(MLIRContext *context) const;
  static FailureOr<TargetInfo> fromAttr(Location loc, DictionaryAttr attr);
};

} // namespace mlir::bitnet

#endif // BITNET_TARGET_TARGETINFO_H
