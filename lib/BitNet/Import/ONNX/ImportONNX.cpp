//===- ImportONNX.cpp - ONNX models into MLIR -----------------------------===//
//
// Reads and checks the model file (its limits first), runs ONNX shape
// inference in a child process to type every value, imports the graph, and
// folds the shape arithmetic that export leaves behind.
//
//===----------------------------------------------------------------------===//

#include "BitNet/Import/ONNX/ImportONNX.h"
#include "BitNet/Dialect/ONNX/IR/ONNXDialect.h"
#include "FunctionInliner.h"
#include "GraphImporter.h"
#include "IsolatedInference.h"
#include "ResourceLimits.h"
#include "BitNet/Support/Progress.h"

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
#include <map>
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
                        ::onnx::ModelProto &model, uint64_t &size) {
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
    if (!takesAxesAttrBefore18(node.op_type()) ||
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
/// library knows), the importer reports the untyped value by name. Runs in
/// the isolated child only (IsolatedInference.h).
void inferShapes(::onnx::ModelProto &model,
                 std::vector<std::string> &warnings) {
  try {
    ::onnx::ShapeInferenceOptions options(/*check_type=*/false,
                                        /*error_mode=*/0,
                                        /*data_prop=*/true);
    ::onnx::shape_inference::InferShapes(
        model, ::onnx::OpSchemaRegistry::Instance(), options);
  } catch (const std::exception &e) {
    warnings.push_back(std::string("ONNX shape inference stopped: ") +
                       e.what());
  }
}

/// numpy broadcasting of two ONNX shapes; a dim that cannot be decided
/// statically stays unknown.
::onnx::TensorShapeProto broadcastShapes(const ::onnx::TensorShapeProto &a,
                                         const ::onnx::TensorShapeProto &b) {
  ::onnx::TensorShapeProto out;
  int rank = std::max(a.dim_size(), b.dim_size());
  for (int i = 0; i < rank; ++i) {
    int ia = i - (rank - a.dim_size()), ib = i - (rank - b.dim_size());
    ::onnx::TensorShapeProto::Dimension one;
    one.set_dim_value(1);
    const auto &da = ia >= 0 ? a.dim(ia) : one;
    const auto &db = ib >= 0 ? b.dim(ib) : one;
    auto *dim = out.add_dim();
    if (da.has_dim_value() && da.dim_value() == 1)
      *dim = db;
    else if (db.has_dim_value() && db.dim_value() == 1)
      *dim = da;
    else if (da.has_dim_value())
      *dim = da;
    else if (db.has_dim_value())
      *dim = db;
    else if (da.has_dim_param() && db.has_dim_param() &&
             da.dim_param() == db.dim_param())
      *dim = da;
  }
  return out;
}

/// The bitwise ops of opset 18 are newer than the ONNX library: give their
/// results the type of their broadcast operands. Returns whether any type
/// was added, so that inference can run again from there.
bool addBitwiseResultTypes(::onnx::ModelProto &model) {
  ::onnx::GraphProto &graph = *model.mutable_graph();
  std::map<std::string, ::onnx::TypeProto> types;
  for (const auto &info : graph.value_info())
    types[info.name()] = info.type();
  for (const auto &input : graph.input())
    types[input.name()] = input.type();
  for (const auto &init : graph.initializer()) {
    ::onnx::TypeProto type;
    type.mutable_tensor_type()->set_elem_type(init.data_type());
    auto *shape = type.mutable_tensor_type()->mutable_shape();
    for (int64_t d : init.dims())
      shape->add_dim()->set_dim_value(d);
    types[init.name()] = type;
  }

  std::vector<::onnx::ValueInfoProto> added;
  for (const auto &node : graph.node()) {
    if (!llvm::is_contained({"BitwiseAnd", "BitwiseOr", "BitwiseXor",
                             "BitwiseNot"},
                            node.op_type()) ||
        node.output_size() != 1 || types.count(node.output(0)))
      continue;
    std::optional<::onnx::TypeProto> result;
    for (const std::string &input : node.input()) {
      auto it = types.find(input);
      if (it == types.end() || !it->second.has_tensor_type()) {
        result.reset();
        break;
      }
      if (!result) {
        result = it->second;
      } else if (result->tensor_type().has_shape() &&
                 it->second.tensor_type().has_shape()) {
        *result->mutable_tensor_type()->mutable_shape() =
            broadcastShapes(result->tensor_type().shape(),
                            it->second.tensor_type().shape());
      } else {
        result->mutable_tensor_type()->clear_shape();
      }
    }
    if (!result)
      continue;
    ::onnx::ValueInfoProto info;
    info.set_name(node.output(0));
    *info.mutable_type() = *result;
    types[node.output(0)] = *result;
    added.push_back(std::move(info));
  }
  for (auto &info : added)
    *graph.add_value_info() = std::move(info);
  return !added.empty();
}

/// Shape inference, helped past the ops the ONNX library does not know.
void inferShapesWithFallbacks(::onnx::ModelProto &model,
                              std::vector<std::string> &warnings) {
  // Each round types the bitwise ops whose operands are typed; the library
  // then carries the types on to what follows them.
  for (int round = 0; round < 8; ++round) {
    inferShapes(model, warnings);
    if (!addBitwiseResultTypes(model))
      return;
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
  uint64_t fileSize = 0;
  if (failed(readModel(path, loc, model, fileSize)))
    return nullptr;
  FailureOr<int64_t> opset = defaultDomainOpset(model, loc);
  if (failed(opset))
    return nullptr;
  // Before inlining (which copies every node) and after it (which may add
  // nodes and bring in the bodies' tensors).
  if (failed(checkResourceLimits(model, fileSize, loc)) ||
      failed(inlineLocalFunctions(model, *opset, loc)) ||
      failed(checkResourceLimits(model, fileSize, loc)))
    return nullptr;
  if (*opset >= 18)
    moveConstantReductionAxesToAttributes(model);
  if (failed(runIsolated(model, loc, inferShapesWithFallbacks)))
    return nullptr;

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
  // Exporters put facts the graph cannot say here (bitnet.export writes
  // the model config, whose max_position bounds the context).
  if (model.metadata_props_size() > 0) {
    SmallVector<NamedAttribute> props;
    for (const auto &prop : model.metadata_props())
      props.push_back(b.getNamedAttr(prop.key(), b.getStringAttr(prop.value())));
    (*module)->setAttr("onnx.metadata_props", b.getDictionaryAttr(props));
  }

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
