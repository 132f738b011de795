//===- ImportONNX.cpp - ONNX models into MLIR -----------------------------===//
//
// Reads and checks the model file, runs ONNX shape inference to type every
// value, imports the graph, and folds the shape arithmetic that export
// leaves behind.
//
//===----------------------------------------------------------------------===//

#include "BitNet/Import/ONNX/ImportONNX.h"
#include "BitNet/Dialect/ONNX/IR/ONNXDialect.h"
#include "GraphImporter.h"
#include "Progress.h"

#include "onnx/defs/schema.h"
#include "onnx/onnx_pb.h"
#include "onnx/shape_inference/implementation.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl.h>

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <climits>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

using namespace mlir;
using namespace mlir::bitnet;
using namespace mlir::bitnet::onnx_import;

namespace {
constexpr int64_t kMinOpset = 13, kMaxOpset = 21;

/// Closes a file descriptor on every path out.
struct FileDescriptor {
  int fd;
  explicit FileDescriptor(int fd) : fd(fd) {}
  ~FileDescriptor() {
    if (fd >= 0)
      ::close(fd);
  }
};

LogicalResult readModel(StringRef path, Location loc,
                        ::onnx::ModelProto &model) {
  uint64_t size;
  if (std::error_code ec = llvm::sys::fs::file_size(path, size))
    return emitError(loc) << "cannot read the model: " << ec.message();
  if (!llvm::sys::fs::is_regular_file(path))
    return emitError(loc) << "cannot read the model: not a regular file";
  if (size == 0)
    return emitError(loc) << "the file is empty; expected an ONNX model";
  if (size > uint64_t(INT_MAX))
    return emitError(loc) << "the file has " << size
                          << " bytes; protobuf cannot hold 2 GB, so models "
                             "this large must keep their weights in external "
                             "data";

  FileDescriptor file(::open(path.str().c_str(), O_RDONLY | O_CLOEXEC));
  if (file.fd < 0)
    return emitError(loc) << "cannot open the model: " << strerror(errno);
  // Parsing from a stream keeps one copy of the model in memory (the
  // parsed one), not the file's bytes as well.
  google::protobuf::io::FileInputStream stream(file.fd);
  google::protobuf::io::CodedInputStream coded(&stream);
  coded.SetTotalBytesLimit(INT_MAX);
  if (!model.ParseFromCodedStream(&coded) || !coded.ConsumedEntireMessage())
    return emitError(loc) << "not a valid ONNX model: the protobuf is "
                             "malformed or truncated";
  if (!model.has_graph())
    return emitError(loc) << "not a valid ONNX model: it has no graph";
  return success();
}

FailureOr<int64_t> defaultDomainOpset(const ::onnx::ModelProto &model,
                                      Location loc) {
  for (const auto &entry : model.opset_import()) {
    if (!entry.domain().empty() && entry.domain() != "ai.onnx")
      continue;
    if (entry.version() < kMinOpset || entry.version() > kMaxOpset)
      return emitError(loc) << "the model uses opset " << entry.version()
                            << " of the default ONNX domain; supported are "
                            << kMinOpset << " to " << kMaxOpset;
    return entry.version();
  }
  return emitError(loc) << "the model declares no opset for the default "
                           "ONNX domain";
}

/// The ONNX library here knows opsets up to 17: from opset 18 on, reductions
/// take `axes` as an input, which its (older) schemas reject. Constant axes
/// go back into the attribute, the form both its shape inference and the
/// importer understand.
void moveConstantReductionAxesToAttributes(::onnx::ModelProto &model) {
  ::onnx::GraphProto &graph = *model.mutable_graph();
  llvm::StringMap<const ::onnx::TensorProto *> constants;
  for (const auto &init : graph.initializer())
    constants[init.name()] = &init;
  for (const auto &node : graph.node())
    if (node.op_type() == "Constant" && node.output_size() == 1 &&
        node.attribute_size() == 1 && node.attribute(0).name() == "value")
      constants[node.output(0)] = &node.attribute(0).t();

  for (::onnx::NodeProto &node : *graph.mutable_node()) {
    if (!llvm::is_contained({"ReduceMean", "ReduceMax", "ReduceMin",
                             "ReduceProd", "ReduceL1", "ReduceL2",
                             "ReduceLogSum", "ReduceLogSumExp",
                             "ReduceSumSquare"},
                            node.op_type()) ||
        node.input_size() < 2 || node.input(1).empty())
      continue;
    auto it = constants.find(node.input(1));
    if (it == constants.end())
      continue;
    const ::onnx::TensorProto &axes = *it->second;
    if (axes.data_type() != ::onnx::TensorProto_DataType_INT64 ||
        axes.data_location() == ::onnx::TensorProto_DataLocation_EXTERNAL)
      continue;
    SmallVector<int64_t> values;
    if (axes.has_raw_data()) {
      const std::string &raw = axes.raw_data();
      values.resize(raw.size() / sizeof(int64_t));
      std::memcpy(values.data(), raw.data(), values.size() * sizeof(int64_t));
    } else {
      values.assign(axes.int64_data().begin(), axes.int64_data().end());
    }
    ::onnx::AttributeProto *attr = node.add_attribute();
    attr->set_name("axes");
    attr->set_type(::onnx::AttributeProto_AttributeType_INTS);
    for (int64_t v : values)
      attr->add_ints(v);
    node.mutable_input()->DeleteSubrange(1, 1);
  }
}

/// Types every value it can; where it cannot (ops newer than the ONNX
/// library knows), the importer reports the untyped value by name.
void inferShapes(::onnx::ModelProto &model, Location loc) {
  try {
    ::onnx::ShapeInferenceOptions options(/*check_type=*/false,
                                        /*error_mode=*/0,
                                        /*data_prop=*/true);
    ::onnx::shape_inference::InferShapes(
        model, ::onnx::OpSchemaRegistry::Instance(), options);
  } catch (const std::exception &e) {
    emitWarning(loc) << "ONNX shape inference stopped: " << e.what();
  }
}

LogicalResult foldShapeArithmetic(ModuleOp module) {
  PassManager pm(module.getContext());
  pm.addNestedPass<func::FuncOp>(createCanonicalizerPass());
  pm.addNestedPass<func::FuncOp>(createCSEPass());
  return pm.run(module);
}
} // namespace

bool mlir::bitnet::isONNXModelFile(StringRef path) {
  if (llvm::sys::path::extension(path) == ".onnx")
    return true;
  // A ModelProto begins with ir_version, field 1 as a varint: tag byte 0x08.
  // MLIR text never starts with that byte and bytecode starts with "ML".
  FileDescriptor file(::open(path.str().c_str(), O_RDONLY | O_CLOEXEC));
  unsigned char first = 0;
  return file.fd >= 0 && ::read(file.fd, &first, 1) == 1 && first == 0x08;
}

void mlir::bitnet::registerONNXImportDialects(DialectRegistry &registry) {
  registry.insert<arith::ArithDialect, func::FuncDialect,
                  tensor::TensorDialect, mlir::bitnet::onnx::ONNXDialect>();
}

OwningOpRef<ModuleOp>
mlir::bitnet::importONNXModel(MLIRContext &context, StringRef path,
                              const ONNXImportOptions &options) {
  context.loadDialect<arith::ArithDialect, func::FuncDialect,
                      tensor::TensorDialect, mlir::bitnet::onnx::ONNXDialect>();
  Location loc = FileLineColLoc::get(&context, path, 0, 0);

  ::onnx::ModelProto model;
  if (failed(readModel(path, loc, model)))
    return nullptr;
  FailureOr<int64_t> opset = defaultDomainOpset(model, loc);
  if (failed(opset))
    return nullptr;
  if (*opset >= 18)
    moveConstantReductionAxesToAttributes(model);
  inferShapes(model, loc);

  uint64_t totalBytes = 0;
  for (const auto &init : model.graph().initializer())
    totalBytes += TensorImporter::payloadBytes(init);
  bool showProgress = options.progressThresholdBytes >= 0 &&
                      totalBytes >= uint64_t(options.progressThresholdBytes);
  ProgressReporter progress(
      ("importing " + llvm::sys::path::filename(path)).str(), totalBytes,
      showProgress);

  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  Builder b(&context);
  (*module)->setAttr("onnx.opset", b.getI64IntegerAttr(*opset));
  std::string producer =
      model.producer_name() + " " + model.producer_version();
  if (!StringRef(producer).trim().empty())
    (*module)->setAttr("onnx.producer",
                       b.getStringAttr(StringRef(producer).trim()));
  (*module)->setAttr("onnx.source",
                     b.getStringAttr(llvm::sys::path::filename(path)));

  ExternalDataResolver external(path);
  TensorImporter tensors(&context, external);
  if (failed(importGraph(model, *opset, path, *module, tensors, progress)))
    return nullptr;
  progress.finish();
  if (failed(verify(*module)))
    return nullptr;
  if (options.foldShapes && failed(foldShapeArithmetic(*module)))
    return nullptr;
  return module;
}
