//===- CompileDriver.cpp - bitnet-opt beyond mlir-opt ---------------------===//
//
// mlir-opt's main loop reads MLIR and writes MLIR. bitnet-opt also imports
// ONNX models and, with --emit, continues past the LLVM dialect to LLVM IR,
// objects and model libraries; this driver handles those cases with the
// same pass pipeline options.
//
//===----------------------------------------------------------------------===//

#include "CompileDriver.h"

#include "BitNet/Conversion/TernaryToLinalg/TernaryToLinalg.h"
#include "BitNet/Import/ONNX/ImportONNX.h"
#include "BitNet/Pipelines/Pipelines.h"
#include "BitNet/Support/CheckedAttributes.h"
#include "BitNet/Support/Progress.h"
#include "BitNet/Target/TargetBackend.h"

#include "mlir/Bytecode/BytecodeReader.h"
#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/Timing.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;

namespace {
enum class EmitKind { MLIR, LLVM, Object, Library };

struct DriverOptions {
  llvm::cl::OptionCategory category{"bitnet-opt input and output options"};
  llvm::cl::opt<EmitKind> emit{
      "emit", llvm::cl::desc("What to write"), llvm::cl::init(EmitKind::MLIR),
      llvm::cl::values(
          clEnumValN(EmitKind::MLIR, "mlir", "MLIR after the pass pipeline"),
          clEnumValN(EmitKind::LLVM, "llvm", "optimized LLVM IR"),
          clEnumValN(EmitKind::Object, "obj", "an object file"),
          clEnumValN(EmitKind::Library, "lib",
                     "a model library (.so) with the C API of "
                     "BitNet/Runtime/BitNetModel.h")),
      llvm::cl::cat(category)};
  llvm::cl::opt<std::string> target{
      "target", llvm::cl::desc("LLVM target triple (default: the host)"),
      llvm::cl::cat(category)};
  llvm::cl::opt<std::string> mcpu{
      "mcpu",
      llvm::cl::desc("Target CPU (default: the host CPU for the host target, "
                     "else generic)"),
      llvm::cl::cat(category)};
  llvm::cl::opt<std::string> ternaryKernel{
      "ternary-kernel",
      llvm::cl::desc("Kernel of every ternary product: auto (the target's "
                     "best), loops, addsub (no multiplications) or dot (int8 "
                     "dot products)"),
      llvm::cl::init("auto"), llvm::cl::cat(category)};
  llvm::cl::opt<std::string> ternaryPacking{
      "ternary-packing",
      llvm::cl::desc("Storage of the ternary weights: auto (the target's "
                     "choice), base4 (2 bits a trit) or base3 (5 trits a "
                     "byte, 1.6 bits a trit)"),
      llvm::cl::init("auto"), llvm::cl::cat(category)};
  llvm::cl::opt<std::string> floatWeights{
      "float-weights",
      llvm::cl::desc("Storage of the float layers' compile-time weights (the "
                     "head): f32 (exact), f16 or bf16 (half the bytes), i8 (a "
                     "quarter, one scale per row)"),
      llvm::cl::init("f32"), llvm::cl::cat(category)};
  llvm::cl::opt<bool> foldShapes{
      "onnx-fold-shapes",
      llvm::cl::desc("Fold the shape arithmetic of imported models"),
      llvm::cl::init(true), llvm::cl::cat(category)};
  llvm::cl::opt<std::string> progress{
      "progress",
      llvm::cl::desc("Print each stage of the compile on stderr: auto (for "
                     "models of 64 MB of weights or more), always or never"),
      llvm::cl::init("auto"), llvm::cl::cat(category)};
  llvm::cl::opt<int64_t> progressBytes{
      "onnx-progress-bytes",
      llvm::cl::desc("Report import progress for initializers of at least "
                     "this many bytes (-1: never)"),
      llvm::cl::init(int64_t(256) << 20), llvm::cl::cat(category)};
};

DriverOptions &options() {
  static DriverOptions instance;
  return instance;
}

LogicalResult writeMLIR(ModuleOp module, const MlirOptMainConfig &config,
                        StringRef outputFilename, llvm::raw_ostream &os) {
  bool bytecode = config.shouldEmitBytecode() ||
                  llvm::sys::path::extension(outputFilename) == ".mlirbc";
  if (bytecode)
    return writeBytecodeToFile(module, os);
  module.print(os);
  // As mlir-opt ends its output, so that both paths write the same file.
  os << '\n';
  return success();
}
} // namespace

void mlir::bitnet::registerCompileDriverOptions() { (void)options(); }

namespace {
/// The bytes of the module's constant tensors.
uint64_t weightBytes(ModuleOp module) {
  uint64_t bytes = 0;
  module->walk([&](Operation *op) {
    for (NamedAttribute attr : op->getAttrs()) {
      if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr.getValue()))
        bytes += resource.getData().size();
      else if (auto dense = dyn_cast<DenseElementsAttr>(attr.getValue()))
        bytes += dense.getRawData().size();
    }
  });
  return bytes;
}

/// Whether `path` starts with MLIR's bytecode magic.
bool isBytecodeFile(StringRef path) {
  if (path == "-")
    return false;
  std::string error;
  std::unique_ptr<llvm::MemoryBuffer> file = openInputFile(path, &error);
  return file && isBytecode(*file);
}
} // namespace

bool mlir::bitnet::needsCompileDriver(StringRef inputFilename) {
  // Bytecode comes here too, to be checked after parsing
  // (BitNet/Support/CheckedAttributes.h).
  return options().emit != EmitKind::MLIR ||
         (inputFilename != "-" && isONNXModelFile(inputFilename)) ||
         isBytecodeFile(inputFilename);
}

LogicalResult mlir::bitnet::runCompileDriver(StringRef inputFilename,
                                             StringRef outputFilename,
                                             DialectRegistry &registry) {
  MlirOptMainConfig config = MlirOptMainConfig::createFromCLOptions();
  MLIRContext context(registry);
  // Prints `model.onnx:0:0: error: ...` rather than the raw location.
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  // Messages about imported models name the node; a dump of the op in
  // generic form would add nothing a user can find in the model.
  context.printOpOnDiagnostic(false);
  // As mlir-opt's -mlir-timing, with the import and the back end's stages
  // beside the passes.
  DefaultTimingManager timingManager;
  applyDefaultTimingManagerCLOptions(timingManager);
  TimingScope timing = timingManager.getRootScope();

  OwningOpRef<ModuleOp> module;
  TimingScope parsing = timing.nest(
      inputFilename != "-" && isONNXModelFile(inputFilename) ? "Import ONNX"
                                                               : "Parse");
  if (inputFilename != "-" && isONNXModelFile(inputFilename)) {
    ONNXImportOptions importOptions;
    importOptions.foldShapes = options().foldShapes;
    importOptions.progressThresholdBytes = options().progressBytes;
    module = importONNXModel(context, inputFilename, importOptions);
  } else {
    std::string error;
    std::unique_ptr<llvm::MemoryBuffer> file =
        openInputFile(inputFilename, &error);
    if (!file) {
      llvm::errs() << "error: " << error << "\n";
      return failure();
    }
    bool bytecode = isBytecode(*file);
    sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
    module = parseSourceFile<ModuleOp>(sourceMgr, &context);
    if (module && bytecode && failed(checkDenseAttributes(*module)))
      return failure();
  }
  if (!module)
    return failure();
  parsing.stop();
  // After the import: a model with external data is a small file.
  {
    uint64_t bytes = weightBytes(*module);
    enableStageProgress(options().progress == "always" ||
                        (options().progress == "auto" && bytes >= (64 << 20)));
    reportStage(("read " + inputFilename).str(),
                llvm::formatv("{0:F2} GB of constants", bytes / 1e9).str());
  }

  EmitKind emit = options().emit;
  if (emit == EmitKind::Library && outputFilename == "-") {
    llvm::errs() << "error: --emit=lib writes a shared library: name it with "
                    "-o model.so\n";
    return failure();
  }
  // The target goes on the module first: passes read it there, and the
  // back end that finishes the module is the target's.
  bool namesTarget = !options().target.empty() || !options().mcpu.empty();
  if (namesTarget ||
      (emit != EmitKind::MLIR && !(*module)->hasAttr(kTargetAttrName))) {
    if (failed(TargetInfo::stamp(*module, options().target, options().mcpu)))
      return failure();
  }
  if (options().floatWeights != "f32")
    (*module)->setAttr("bitnet.float_weights",
                       StringAttr::get(&context, options().floatWeights));
  if (options().ternaryKernel != "auto")
    (*module)->setAttr(kTernaryKernelAttrName,
                       StringAttr::get(&context, options().ternaryKernel));
  if (options().ternaryPacking != "auto")
    (*module)->setAttr(kTernaryPackingAttrName,
                       StringAttr::get(&context, options().ternaryPacking));
  PassManager pm(&context, ModuleOp::getOperationName(),
                 OpPassManager::Nesting::Implicit);
  if (failed(applyPassManagerCLOptions(pm)) ||
      failed(config.setupPassPipeline(pm)))
    return failure();
  // Past MLIR, an empty pipeline means "the whole compiler", unless the
  // input is already in the LLVM dialect.
  bool isLLVM = true;
  module->walk([&](Operation *op) {
    if (op != module->getOperation() &&
        op->getDialect()->getNamespace() != "llvm")
      isLLVM = false;
  });
  const TargetBackend *backend = nullptr;
  if (emit != EmitKind::MLIR) {
    FailureOr<const TargetBackend *> found = getTargetBackend(*module);
    if (failed(found))
      return failure();
    backend = *found;
    if (emit == EmitKind::Library) {
      FailureOr<TargetInfo> target = TargetInfo::get(*module);
      if (failed(target) ||
          failed(backend->checkLibraryToolchain(*module, *target)))
        return failure();
    }
    // A library links the runtime's buffer cache; IR and objects stay on
    // malloc, for whatever links them.
    CodegenOptions codegen;
    codegen.runtimeAllocator = emit == EmitKind::Library;
    if (pm.size() == 0 && !isLLVM)
      buildCompilePipeline(pm, *backend, /*batchSize=*/1, codegen);
  }
  reportStage("running the passes", "BitNet recognition, lowering to LLVM");
  TimingScope passTiming = timing.nest("Passes");
  pm.enableTiming(passTiming);
  if (failed(pm.run(*module)))
    return failure();
  passTiming.stop();
  reportStage("passes done");

  FailureOr<TargetInfo> target =
      backend ? TargetInfo::get(*module) : FailureOr<TargetInfo>(TargetInfo());
  if (failed(target))
    return failure();
  if (emit == EmitKind::Library) {
    if (failed(backend->emitLibrary(*module, *target, outputFilename, timing)))
      return failure();
    uint64_t size = 0;
    (void)llvm::sys::fs::file_size(outputFilename, size);
    reportStage(("wrote " + outputFilename).str(),
                std::to_string(size >> 20) + " MiB");
    return success();
  }

  std::string error;
  std::unique_ptr<llvm::ToolOutputFile> output =
      openOutputFile(outputFilename, &error);
  if (!output) {
    llvm::errs() << error << "\n";
    return failure();
  }
  LogicalResult written =
      emit == EmitKind::MLIR
          ? writeMLIR(*module, config, outputFilename, output->os())
      : emit == EmitKind::LLVM
          ? backend->emitIR(*module, *target, output->os(), timing)
          : backend->emitObject(*module, *target, output->os(), timing);
  if (failed(written))
    return failure();
  output->os().flush();
  if (output->os().has_error()) {
    llvm::errs() << "error: cannot write '" << outputFilename
                 << "': " << output->os().error().message() << "\n";
    output->os().clear_error();
    return failure();
  }
  // Only a complete output survives: without keep(), the file is removed.
  output->keep();
  return success();
}
