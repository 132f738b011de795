//===- ModelLibrary.cpp - link a compiled model into a shared library ----===//
//
// A model library is the compiled graph, a trampoline generated from the
// entry signature that ExportModelEntryPass recorded (ModelTrampoline.cpp),
// and the generic runtime (embedded in this binary). A C compiler for the
// target (LinkToolchain.cpp) assembles them into one shared object that
// exports only the bitnet_model_* API.
//
//===----------------------------------------------------------------------===//

#include "LLVMEmission.h"
#include "LinkToolchain.h"
#include "WeightsSection.h"

#include "BitNet/Support/Progress.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

using namespace mlir;

namespace {

struct EmbeddedFile {
  const char *path;
  const char *contents;
};

const EmbeddedFile kRuntimeSources[] = {
#include "RuntimeSources.inc"
};

LogicalResult writeFile(ModuleOp module, StringRef path, StringRef contents) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  if (!ec) {
    os << contents;
    os.close();
    ec = os.error();
  }
  if (ec)
    return module.emitError() << "cannot write '" << path
                              << "': " << ec.message();
  return success();
}

} // namespace

LogicalResult bitnet::emitModelLibrary(ModuleOp module,
                                       const TargetInfo &target,
                                       StringRef outputPath,
                                       TimingScope &timing) {
  FailureOr<std::string> trampoline = generateModelTrampoline(module);
  if (failed(trampoline))
    return failure();
  FailureOr<LinkToolchain> toolchain = findLinkToolchain(module, target);
  if (failed(toolchain))
    return failure();
  const std::string &cc = toolchain->cc;

  SmallString<128> workDir;
  if (std::error_code ec =
          llvm::sys::fs::createUniqueDirectory("bitnet-lib", workDir))
    return module.emitError() << "cannot create a temporary directory: "
                              << ec.message();
  llvm::scope_exit cleanup(
      [&] { llvm::sys::fs::remove_directories(workDir); });
  auto inWork = [&](StringRef name) {
    SmallString<128> p(workDir);
    llvm::sys::path::append(p, name);
    return std::string(p);
  };

  // Before the module goes to LLVM: what leaves it is assembled, not
  // compiled (WeightsSection.cpp).
  std::string weights = inWork("weights.s");
  {
    TimingScope weightsTiming = timing.nest("Write the weights section");
    FailureOr<uint64_t> bytes =
        extractWeightsSection(module, inWork("weights.bin"), weights);
    if (failed(bytes))
      return failure();
    reportStage("wrote the weights section",
                llvm::formatv("{0:F1} MB", *bytes / 1e6).str());
  }
  std::string object = inWork("model.o");
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(object, ec);
    if (ec)
      return module.emitError() << "cannot write '" << object
                                << "': " << ec.message();
    if (failed(emitObject(module, target, os, timing)))
      return failure();
  }
  SmallVector<std::string> sources = {inWork("entry.c")};
  if (failed(writeFile(module, sources[0], *trampoline)))
    return failure();
  for (const EmbeddedFile &file : kRuntimeSources) {
    std::string path = inWork(file.path);
    llvm::sys::fs::create_directories(llvm::sys::path::parent_path(path));
    if (failed(writeFile(module, path, file.contents)))
      return failure();
    // Without OpenMP, ModelRuntime.c's weak reference to the thread setter
    // stays null, and set_threads(>1) says the library has no threads.
    if (StringRef(file.path).ends_with("OpenMPThreads.c") && !toolchain->openmp)
      continue;
    if (StringRef(file.path).ends_with(".c"))
      sources.push_back(path);
  }
  std::string exports = inWork("exports.map");
  if (failed(writeFile(module, exports,
                       "{ global: bitnet_model_*; local: *; };\n")))
    return failure();

  // Link beside the output and rename: no half-written library survives.
  SmallString<128> tempOutput;
  int fd;
  if (std::error_code ec = llvm::sys::fs::createUniqueFile(
          outputPath + ".tmp-%%%%%%", fd, tempOutput))
    return module.emitError() << "cannot create '" << outputPath
                              << "': " << ec.message();
  llvm::sys::Process::SafelyCloseFileDescriptor(fd);
  llvm::scope_exit removeTemp([&] { llvm::sys::fs::remove(tempOutput); });

  SmallVector<std::string> args = {cc, "-shared", "-fPIC", "-O2", "-std=c11",
                                   "-I" + inWork("include")};
  args.append(toolchain->targetFlags.begin(), toolchain->targetFlags.end());
  args.push_back(object);
  args.push_back(weights);
  args.append(sources.begin(), sources.end());
  args.append(toolchain->libraryFlags.begin(), toolchain->libraryFlags.end());
  args.append({"-Wl,--version-script=" + exports, "-lm", "-o",
               std::string(tempOutput)});
  SmallVector<StringRef> argRefs(args.begin(), args.end());
  TimingScope linkTiming = timing.nest("Link the model library");
  reportStage("linking", cc);
  std::string error;
  std::string log = inWork("link.log");
  std::optional<StringRef> redirects[] = {std::nullopt, StringRef(log),
                                          StringRef(log)};
  int rc = llvm::sys::ExecuteAndWait(cc, argRefs, std::nullopt, redirects,
                                     /*SecondsToWait=*/0, 0, &error);
  if (rc != 0) {
    auto text = llvm::MemoryBuffer::getFile(log);
    return module.emitError()
           << "linking the model library with '" << cc << "' failed"
           << (error.empty() ? "" : ": " + error) << "\n"
           << (text ? (*text)->getBuffer() : "");
  }
  if (std::error_code ec = llvm::sys::fs::rename(tempOutput, outputPath))
    return module.emitError() << "cannot write '" << outputPath
                              << "': " << ec.message();
  return success();
}
