//===- LinkToolchain.h - the C toolchain that links model libraries -*- C++
//-*-===//
//
// A model library is linked by a C compiler driver: the host's for the
// host's architecture, clang with --target and a cross sysroot for another
// (AArch64 from x86-64: Debian's gcc-aarch64-linux-gnu and
// libc6-dev-arm64-cross). Which one, and with which flags, is decided here
// from the module's TargetInfo, before anything is compiled, so that a
// missing toolchain is one clear error rather than a linker's.
//
//===----------------------------------------------------------------------===//

#ifndef BITNET_LIB_TARGET_LLVMCPU_LINKTOOLCHAIN_H
#define BITNET_LIB_TARGET_LLVMCPU_LINKTOOLCHAIN_H

#include "BitNet/Target/TargetInfo.h"

#include "mlir/IR/BuiltinOps.h"

#include <string>

namespace mlir::bitnet {

struct LinkToolchain {
  /// The compiler driver that compiles the runtime and links.
  std::string cc;
  /// Flags for every compile and the link: the target.
  SmallVector<std::string> targetFlags;
  /// Flags at the end of the link line: libraries.
  SmallVector<std::string> libraryFlags;
  /// Whether the OpenMP runtime is linked (the target's threads field).
  bool openmp = false;
};

/// The toolchain for `target`, or an error on `module` naming what to
/// install or set.
FailureOr<LinkToolchain> findLinkToolchain(ModuleOp module,
                                           const TargetInfo &target);

} // namespace mlir::bitnet

#endif // BITNET_LIB_TARGET_LLVMCPU_LINKTOOLCHAIN_H
