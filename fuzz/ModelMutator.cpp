//===- ModelMutator.cpp - structure-aware mutations of ONNX models --------===//
//
// Byte flips rarely survive protobuf parsing and the importer's first
// checks, so most of libFuzzer's own mutants die at the door. This mutator
// parses the input as a ModelProto and changes one field the way a broken
// exporter or a hostile file would (op types, attributes, dims, data types,
// dropped, swapped or duplicated nodes, the opset), then serializes it.
// One call in four, and every unparseable input, goes to libFuzzer's byte
// mutator instead, so the protobuf framing is fuzzed as well.
//
//===----------------------------------------------------------------------===//

#include "onnx/onnx_pb.h"

#include <cstring>
#include <random>
#include <string>

extern "C" size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t maxSize);

namespace {

using Rng = std::minstd_rand;

/// Op types the dialect knows plus a few it does not: a mutated op type
/// should mostly reach the verifiers and folds, sometimes the rejection.
const char *const kOpTypes[] = {
    "Add", "Sub", "Mul", "Div", "MatMul", "Gemm", "Reshape", "Transpose",
    "Slice", "Gather", "Concat", "Shape", "Unsqueeze", "Squeeze", "Expand",
    "Cast", "Where", "Equal", "Less", "Range", "ConstantOfShape", "Softmax",
    "ReduceMean", "ReduceSum", "ReduceMax", "Sqrt", "Pow", "Round", "Clip",
    "Identity", "Split", "Flatten", "Tile", "Pad", "Trilu", "ArgMax", "TopK",
    "LayerNormalization", "BitShift", "BitwiseAnd", "Not", "Neg", "Abs",
    "Max", "Min", "Sign", "Constant", "Size", "ScatterND", "GatherElements",
    "NoValue", "If", "Loop", "Foo"};

const int64_t kInterestingInts[] = {
    0, 1, -1, 2, -2, 3, 7, 64, 255, 256, 4096, 65535, -65536,
    int64_t(1) << 31, (int64_t(1) << 31) - 1, int64_t(1) << 32,
    int64_t(1) << 40, INT64_MAX, INT64_MIN, INT64_MIN + 1, INT64_MAX - 1};

template <typename T> T pick(Rng &rng, T lo, T hi) {
  return std::uniform_int_distribution<T>(lo, hi)(rng);
}

int64_t interestingInt(Rng &rng, int64_t current) {
  switch (pick(rng, 0, 3)) {
  case 0:
    return kInterestingInts[pick<size_t>(rng, 0, std::size(kInterestingInts) - 1)];
  case 1:
    return current + pick<int64_t>(rng, -3, 3);
  case 2:
    return -current;
  default:
    return int64_t(uint64_t(current) ^ (uint64_t(1) << pick(rng, 0, 63)));
  }
}

::onnx::NodeProto *randomNode(::onnx::GraphProto &graph, Rng &rng) {
  if (graph.node_size() == 0)
    return nullptr;
  return graph.mutable_node(pick(rng, 0, graph.node_size() - 1));
}

/// A random tensor of the model: an initializer or a Constant's value.
::onnx::TensorProto *randomTensor(::onnx::GraphProto &graph, Rng &rng) {
  std::vector<::onnx::TensorProto *> tensors;
  for (auto &init : *graph.mutable_initializer())
    tensors.push_back(&init);
  for (auto &node : *graph.mutable_node())
    for (auto &attr : *node.mutable_attribute())
      if (attr.has_t())
        tensors.push_back(attr.mutable_t());
  if (tensors.empty())
    return nullptr;
  return tensors[pick<size_t>(rng, 0, tensors.size() - 1)];
}

/// A random declared value type: graph inputs, outputs, value_info.
::onnx::TypeProto_Tensor *randomValueType(::onnx::GraphProto &graph, Rng &rng) {
  std::vector<::onnx::ValueInfoProto *> infos;
  for (auto &v : *graph.mutable_input())
    infos.push_back(&v);
  for (auto &v : *graph.mutable_output())
    infos.push_back(&v);
  for (auto &v : *graph.mutable_value_info())
    infos.push_back(&v);
  if (infos.empty())
    return nullptr;
  return infos[pick<size_t>(rng, 0, infos.size() - 1)]
      ->mutable_type()
      ->mutable_tensor_type();
}

/// A value name used somewhere in the graph.
std::string randomValueName(::onnx::GraphProto &graph, Rng &rng) {
  std::vector<const std::string *> names;
  for (const auto &v : graph.input())
    names.push_back(&v.name());
  for (const auto &t : graph.initializer())
    names.push_back(&t.name());
  for (const auto &n : graph.node())
    for (const auto &o : n.output())
      names.push_back(&o);
  if (names.empty())
    return "";
  return *names[pick<size_t>(rng, 0, names.size() - 1)];
}

void mutateAttribute(::onnx::NodeProto &node, Rng &rng) {
  if (node.attribute_size() == 0 || pick(rng, 0, 4) == 0) {
    // A new attribute under a name ops read.
    static const char *const kNames[] = {"axis", "axes", "perm", "to",
                                         "keepdims", "start", "end", "value",
                                         "direction", "fmod", "k", "upper"};
    auto *attr = node.add_attribute();
    attr->set_name(kNames[pick<size_t>(rng, 0, std::size(kNames) - 1)]);
    attr->set_type(::onnx::AttributeProto_AttributeType_INT);
    attr->set_i(interestingInt(rng, 0));
    return;
  }
  auto &attr = *node.mutable_attribute(pick(rng, 0, node.attribute_size() - 1));
  switch (pick(rng, 0, 5)) {
  case 0:
    attr.set_i(interestingInt(rng, attr.i()));
    break;
  case 1:
    if (attr.ints_size() > 0)
      attr.set_ints(pick(rng, 0, attr.ints_size() - 1),
                    interestingInt(rng, attr.ints(0)));
    else
      attr.add_ints(interestingInt(rng, 0));
    break;
  case 2:
    if (attr.ints_size() > 0 && pick(rng, 0, 1))
      attr.mutable_ints()->RemoveLast();
    else
      attr.add_ints(interestingInt(rng, 1));
    break;
  case 3:
    attr.set_f(pick(rng, 0, 1) ? -attr.f() : attr.f() * 1e30f);
    break;
  case 4:
    attr.set_type(::onnx::AttributeProto_AttributeType(pick(rng, 0, 14)));
    break;
  default:
    if (attr.has_t())
      attr.mutable_t()->set_data_type(pick(rng, 0, 24));
    else
      attr.set_s(pick(rng, 0, 1) ? "RIGHT" : "");
    break;
  }
}

void mutateTensor(::onnx::TensorProto &tensor, Rng &rng) {
  switch (pick(rng, 0, 5)) {
  case 0:
    if (tensor.dims_size() > 0) {
      int i = pick(rng, 0, tensor.dims_size() - 1);
      tensor.set_dims(i, interestingInt(rng, tensor.dims(i)));
    }
    break;
  case 1:
    if (tensor.dims_size() > 0 && pick(rng, 0, 1))
      tensor.mutable_dims()->RemoveLast();
    else
      tensor.add_dims(interestingInt(rng, 1));
    break;
  case 2:
    tensor.set_data_type(pick(rng, 0, 24));
    break;
  case 3:
    if (tensor.has_raw_data()) {
      std::string &raw = *tensor.mutable_raw_data();
      if (!raw.empty() && pick(rng, 0, 1))
        raw.resize(pick<size_t>(rng, 0, raw.size() - 1));
      else
        raw.append(size_t(pick(rng, 1, 16)), char(pick(rng, 0, 255)));
    } else {
      tensor.add_int64_data(interestingInt(rng, 0));
    }
    break;
  case 4:
    if (tensor.has_raw_data() && !tensor.raw_data().empty()) {
      // Values, not framing: a shape or index constant made hostile.
      std::string &raw = *tensor.mutable_raw_data();
      size_t at = pick<size_t>(rng, 0, raw.size() - 1) & ~size_t(7);
      int64_t v = interestingInt(rng, 0);
      std::memcpy(&raw[at], &v, std::min<size_t>(8, raw.size() - at));
    }
    break;
  default:
    tensor.set_data_location(::onnx::TensorProto_DataLocation_EXTERNAL);
    break;
  }
}

void mutateModel(::onnx::ModelProto &model, Rng &rng) {
  ::onnx::GraphProto &graph = *model.mutable_graph();
  switch (pick(rng, 0, 11)) {
  case 0:
    if (auto *node = randomNode(graph, rng))
      node->set_op_type(kOpTypes[pick<size_t>(rng, 0, std::size(kOpTypes) - 1)]);
    break;
  case 1:
  case 2:
    if (auto *node = randomNode(graph, rng))
      mutateAttribute(*node, rng);
    break;
  case 3:
  case 4:
    if (auto *tensor = randomTensor(graph, rng))
      mutateTensor(*tensor, rng);
    break;
  case 5:
    if (auto *type = randomValueType(graph, rng)) {
      if (pick(rng, 0, 1)) {
        type->set_elem_type(pick(rng, 0, 24));
      } else {
        auto *shape = type->mutable_shape();
        if (shape->dim_size() > 0 && pick(rng, 0, 2)) {
          auto *dim = shape->mutable_dim(pick(rng, 0, shape->dim_size() - 1));
          dim->set_dim_value(interestingInt(rng, dim->dim_value()));
        } else if (pick(rng, 0, 1)) {
          shape->add_dim()->set_dim_value(interestingInt(rng, 1));
        } else {
          type->clear_shape();
        }
      }
    }
    break;
  case 6:
    if (graph.node_size() > 0)
      graph.mutable_node()->DeleteSubrange(pick(rng, 0, graph.node_size() - 1), 1);
    break;
  case 7:
    if (graph.node_size() > 1)
      graph.mutable_node()->SwapElements(pick(rng, 0, graph.node_size() - 1),
                                         pick(rng, 0, graph.node_size() - 1));
    break;
  case 8:
    if (auto *node = randomNode(graph, rng))
      *graph.add_node() = *node;
    break;
  case 9:
    // Rewire an input to another value: type mismatches deep in the graph.
    if (auto *node = randomNode(graph, rng)) {
      std::string name = randomValueName(graph, rng);
      if (node->input_size() > 0 && pick(rng, 0, 3))
        node->set_input(pick(rng, 0, node->input_size() - 1), name);
      else
        node->add_input(name);
    }
    break;
  case 10:
    for (auto &entry : *model.mutable_opset_import())
      if (entry.domain().empty() || entry.domain() == "ai.onnx")
        entry.set_version(pick(rng, 11, 23));
    break;
  default:
    // Types that inference then has to reconcile with the graph.
    if (graph.value_info_size() > 0 && pick(rng, 0, 1))
      graph.mutable_value_info()->DeleteSubrange(
          pick(rng, 0, graph.value_info_size() - 1), 1);
    else if (auto *node = randomNode(graph, rng))
      if (node->output_size() > 0 && pick(rng, 0, 1))
        node->mutable_output()->RemoveLast();
    break;
  }
}

} // namespace

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size,
                                          size_t maxSize, unsigned int seed) {
  Rng rng(seed);
  ::onnx::ModelProto model;
  if (pick(rng, 0, 3) == 0 || !model.ParseFromArray(data, int(size)) ||
      !model.has_graph())
    return LLVMFuzzerMutate(data, size, maxSize);
  int rounds = pick(rng, 1, 3);
  for (int i = 0; i < rounds; ++i)
    mutateModel(model, rng);
  std::string out;
  if (!model.SerializeToString(&out) || out.size() > maxSize)
    return LLVMFuzzerMutate(data, size, maxSize);
  std::memcpy(data, out.data(), out.size());
  return out.size();
}
