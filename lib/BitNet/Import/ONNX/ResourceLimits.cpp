//===- ResourceLimits.cpp - what a model file may ask for -----------------===//
//
// Element counts are computed with overflow checks, so that dims whose
// product wraps cannot pass as small.
//
//===----------------------------------------------------------------------===//

#include "ResourceLimits.h"
#include "TensorImport.h"

#include "onnx/onnx_pb.h"

#include "mlir/IR/Diagnostics.h"

using namespace mlir;
using namespace mlir::bitnet::onnx_import;

namespace {

std::string describeNode(const ::onnx::NodeProto &node, int index) {
  std::string name = node.name().empty() ? "#" + std::to_string(index)
                                         : "'" + node.name() + "'";
  return "node " + name + " (" + node.op_type() + ")";
}

/// Joins dims as `AxBxC` for messages; long lists are cut.
template <typename Range> std::string formatDims(const Range &dims) {
  std::string out;
  int shown = 0;
  for (int64_t d : dims) {
    if (shown++ == 8) {
      out += "x...";
      break;
    }
    out += (out.empty() ? "" : "x") + std::to_string(d);
  }
  return out.empty() ? "[]" : out;
}

/// The product of `dims`, or nullopt when it overflows int64 or a dim is
/// negative (which later checks report with their own message).
template <typename Range>
std::optional<uint64_t> elementCount(const Range &dims) {
  uint64_t count = 1;
  for (int64_t d : dims) {
    if (d < 0)
      return uint64_t(0);
    if (__builtin_mul_overflow(count, uint64_t(d), &count) ||
        count > uint64_t(INT64_MAX))
      return std::nullopt;
  }
  return count;
}

class LimitChecker {
public:
  LimitChecker(uint64_t fileSize, Location loc)
      : fileSize(fileSize), loc(loc) {}

  LogicalResult checkValueType(const ::onnx::ValueInfoProto &info,
                               StringRef what) {
    if (!info.type().has_tensor_type() ||
        !info.type().tensor_type().has_shape())
      return success();
    const auto &shape = info.type().tensor_type().shape();
    if (shape.dim_size() > kMaxRank)
      return emitError(loc) << what << " '" << info.name() << "' has rank "
                            << shape.dim_size() << "; at most " << kMaxRank
                            << " dimensions are supported";
    SmallVector<int64_t> dims;
    for (const auto &dim : shape.dim())
      if (dim.has_dim_value())
        dims.push_back(dim.dim_value());
    std::optional<uint64_t> count = elementCount(dims);
    if (!count || *count > uint64_t(kMaxTensorElements))
      return tooManyElements(what.str() + " '" + info.name() + "'", dims,
                             count);
    return success();
  }

  LogicalResult checkTensor(const ::onnx::TensorProto &tensor,
                            const std::string &what) {
    if (tensor.dims_size() > kMaxRank)
      return emitError(loc) << what << " has rank " << tensor.dims_size()
                            << "; at most " << kMaxRank
                            << " dimensions are supported";
    std::optional<uint64_t> count = elementCount(tensor.dims());
    if (!count || *count > uint64_t(kMaxTensorElements))
      return tooManyElements(what, tensor.dims(), count);
    // Data in the file takes at least a byte per element (raw bytes, or a
    // varint per typed value), so no file holds more elements than bytes.
    // External data is checked against its own file when it is read.
    bool external =
        tensor.data_location() == ::onnx::TensorProto_DataLocation_EXTERNAL;
    if (!external && *count > fileSize)
      return emitError(loc)
             << what << " declares " << *count << " elements (dims "
             << formatDims(tensor.dims()) << "), but the whole file has "
             << fileSize << " bytes";
    return success();
  }

private:
  template <typename Range>
  LogicalResult tooManyElements(const std::string &what, const Range &dims,
                                std::optional<uint64_t> count) {
    if (!count)
      return emitError(loc) << what
                            << " has dimensions whose product overflows (dims "
                            << formatDims(dims) << ")";
    return emitError(loc) << what << " declares " << *count
                          << " elements (dims " << formatDims(dims)
                          << "); a tensor may have at most "
                          << kMaxTensorElements << " elements";
  }

  uint64_t fileSize;
  Location loc;
};

} // namespace

LogicalResult mlir::bitnet::onnx_import::checkResourceLimits(
    const ::onnx::ModelProto &model, uint64_t fileSize, Location loc) {
  const ::onnx::GraphProto &graph = model.graph();
  if (graph.node_size() > kMaxGraphNodes)
    return emitError(loc) << "the graph has " << graph.node_size()
                          << " nodes; the importer accepts at most "
                          << kMaxGraphNodes;
  LimitChecker checker(fileSize, loc);
  for (const auto &input : graph.input())
    if (failed(checker.checkValueType(input, "graph input")))
      return failure();
  for (const auto &output : graph.output())
    if (failed(checker.checkValueType(output, "graph output")))
      return failure();
  for (const auto &info : graph.value_info())
    if (failed(checker.checkValueType(info, "value")))
      return failure();
  for (const auto &init : graph.initializer())
    if (failed(checker.checkTensor(init, "initializer '" + init.name() + "'")))
      return failure();
  for (auto [index, node] : llvm::enumerate(graph.node())) {
    for (const auto &attr : node.attribute()) {
      // ONNX's shape inference walks subgraphs recursively, as deep as the
      // file nests them; the compiler has no control flow, so they stop
      // here.
      if (attr.type() == ::onnx::AttributeProto_AttributeType_GRAPH ||
          attr.type() == ::onnx::AttributeProto_AttributeType_GRAPHS ||
          attr.has_g() || attr.graphs_size() > 0)
        return emitError(loc) << describeNode(node, int(index))
                              << ": attribute '" << attr.name()
                              << "' is a subgraph; control flow (If, Loop, "
                                 "Scan) is not supported";
      if (attr.has_t() &&
          failed(checker.checkTensor(attr.t(), describeNode(node, int(index)) +
                                                   ": attribute '" +
                                                   attr.name() + "' tensor")))
        return failure();
      for (const auto &t : attr.tensors())
        if (failed(checker.checkTensor(
                t, describeNode(node, int(index)) + ": attribute '" +
                       attr.name() + "' tensor")))
          return failure();
    }
  }
  return success();
}
