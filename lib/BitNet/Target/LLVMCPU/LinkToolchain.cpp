//===- LinkToolchain.cpp - the C toolchain that links model libraries -----===//
//
// Host libraries: $BITNET_CC, else clang-22, clang or cc, with LLVM's libomp.
// Cross libraries: $BITNET_CROSS_CC (a driver that targets the triple by
// itself, such as aarch64-linux-gnu-gcc), else clang with --target=<triple>
// over Debian's cross toolchain. Cross libraries link no OpenMP: there is
// no libomp for the target here (docs/AArch64.md).
//
//===----------------------------------------------------------------------===//

#include "LinkToolchain.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

using namespace mlir;
using namespace mlir::bitnet;

namespace {

std::string getEnv(const char *name) {
  const char *value = std::getenv(name);
  return value ? value : "";
}

std::optional<std::string> findProgram(ArrayRef<StringRef> names) {
  for (StringRef name : names)
    if (llvm::ErrorOr<std::string> path = llvm::sys::findProgramByName(name))
      return *path;
  return std::nullopt;
}

/// The name Debian's cross packages use for `triple`: aarch64-linux-gnu.
std::string debianTriple(const llvm::Triple &triple) {
  return (llvm::Triple::getArchTypeName(triple.getArch()) + "-linux-gnu").str();
}

/// What Debian calls the cross compiler and C library for `triple`.
std::string debianCrossPackages(const llvm::Triple &triple) {
  std::string gnu = debianTriple(triple);
  StringRef arch = triple.isAArch64() ? "arm64"
                   : triple.getArch() == llvm::Triple::x86_64
                       ? "amd64"
                       : triple.getArchName();
  std::string compiler = "gcc-" + gnu;
  std::replace(compiler.begin(), compiler.end(), '_', '-');
  return llvm::formatv("{0} and libc6-dev-{1}-cross", compiler, arch).str();
}

FailureOr<LinkToolchain> hostToolchain(ModuleOp module,
                                       const TargetInfo &target) {
  LinkToolchain tc;
  if (std::string env = getEnv("BITNET_CC"); !env.empty())
    tc.cc = env;
  else if (std::optional<std::string> cc =
               findProgram({"clang-22", "clang", "cc"}))
    tc.cc = *cc;
  else
    return module.emitError("no C compiler to link the model library: "
                            "install clang-22 or set BITNET_CC");
  tc.openmp = target.threads == "openmp";
  if (!tc.openmp)
    return tc;
  // The kernels' parallel loops call LLVM's OpenMP runtime (__kmpc_*).
  SmallString<128> libomp(BITNET_OPENMP_LIBRARY_DIR);
  llvm::sys::path::append(libomp, "libomp.so");
  if (!llvm::sys::fs::exists(libomp))
    return module.emitError() << "cannot link the model library: no OpenMP "
                                 "runtime at '"
                              << libomp << "' (install libomp-22-dev)";
  tc.libraryFlags = {std::string("-L") + BITNET_OPENMP_LIBRARY_DIR, "-lomp",
                     std::string("-Wl,-rpath,") + BITNET_OPENMP_LIBRARY_DIR};
  return tc;
}

FailureOr<LinkToolchain> crossToolchain(ModuleOp module,
                                        const TargetInfo &target,
                                        const llvm::Triple &triple) {
  if (!triple.isOSLinux())
    return module.emitError()
           << "cannot link a model library for '" << target.triple
           << "': model libraries are Linux shared objects (use "
              "--emit=obj for other systems)";
  if (target.threads == "openmp")
    return module.emitError()
           << "cannot link a model library for '" << target.triple
           << "' with OpenMP: there is no libomp for it here (its "
              "bitnet.target must have threads = \"\")";
  LinkToolchain tc;
  std::string gnu = debianTriple(triple);
  if (std::string env = getEnv("BITNET_CROSS_CC"); !env.empty()) {
    tc.cc = env;
    return tc;
  }
  // clang finds Debian's cross layout by itself: the C library under
  // /usr/<triple>, libgcc and crtbegin under /usr/lib/gcc-cross/<triple>,
  // and the linker <triple>-ld.
  if (!llvm::sys::fs::exists("/usr/" + gnu + "/lib/crti.o") ||
      !llvm::sys::fs::is_directory("/usr/lib/gcc-cross/" + gnu) ||
      !findProgram({gnu + "-ld"}))
    return module.emitError()
           << "cannot link a model library for '" << target.triple
           << "': no cross toolchain for " << gnu << " (install "
           << debianCrossPackages(triple)
           << ", or set BITNET_CROSS_CC to a C compiler for that target)";
  std::optional<std::string> clang = findProgram({"clang-22", "clang"});
  if (!clang)
    return module.emitError()
           << "cannot link a model library for '" << target.triple
           << "': cross linking needs clang (install clang-22), or set "
              "BITNET_CROSS_CC to a C compiler for that target";
  tc.cc = *clang;
  tc.targetFlags.push_back("--target=" + target.triple);
  return tc;
}

} // namespace

FailureOr<LinkToolchain>
mlir::bitnet::findLinkToolchain(ModuleOp module, const TargetInfo &target) {
  // "aarch64-linux-gnu" parses as vendor "linux", OS "gnu" unless normalized.
  llvm::Triple triple(llvm::Triple::normalize(target.triple));
  // Only a cross link names the target: `cc` may not be clang.
  if (triple.getArch() ==
      llvm::Triple(llvm::sys::getDefaultTargetTriple()).getArch())
    return hostToolchain(module, target);
  return crossToolchain(module, target, triple);
}
