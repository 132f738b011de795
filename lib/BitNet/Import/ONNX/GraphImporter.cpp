//===- GraphImporter.cpp - ONNX graphs as MLIR functions ------------------===//
//
// Follows Toy's MLIRGen and onnx-mlir's FrontendGenImpl: a builder, a table
// from ONNX value names to SSA values, one op per node built generically by
// name (`onnx.<op_type>`), and checks of the whole graph before any op is
// built, so a bad file gets every diagnostic at once and no half module.
//
//===----------------------------------------------------------------------===//

#include "GraphImporter.h"
#include "BitNet/Support/Progress.h"

#include "onnx/defs/schema.h"
#include "onnx/onnx_pb.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/StringSet.h"

#include <map>
#include <queue>

using namespace mlir;
using namespace mlir::bitnet::onnx_import;
using mlir::bitnet::ProgressReporter;

bool mlir::bitnet::onnx_import::takesAxesAttrBefore18(StringRef opType) {
  return llvm::is_contained(
      {"ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1",
       "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare"},
      opType);
}

namespace {

std::string describeNode(const ::onnx::NodeProto &node, int index) {
  std::string name = node.name().empty()
                         ? "#" + std::to_string(index)
                         : "'" + node.name() + "'";
  return "node " + name + " (" + node.op_type() + ")";
}

class GraphImporter {
public:
  GraphImporter(::onnx::ModelProto &model, int64_t opset, StringRef path,
                ModuleOp module, TensorImporter &tensors,
                ProgressReporter &progress)
      : graph(*model.mutable_graph()), opset(opset), path(path),
        module(module), tensors(tensors), progress(progress),
        builder(module.getContext()),
        fileLoc(FileLineColLoc::get(module.getContext(), path, 0, 0)) {}

  LogicalResult run();

private:
  MLIRContext *context() { return module.getContext(); }
  InFlightDiagnostic emitError() { return mlir::emitError(fileLoc); }

  // Whole-graph checks, before anything is built.
  LogicalResult checkGraphFeatures();
  LogicalResult checkOpTypes();
  LogicalResult checkNodesAgainstSchemas();
  FailureOr<SmallVector<int>> orderNodes();
  void collectValueTypes();

  // Building.
  FailureOr<func::FuncOp> createFunction(ArrayRef<int> order);
  LogicalResult importInitializers();
  LogicalResult importNode(int index);
  LogicalResult importConstantNode(const ::onnx::NodeProto &node, int index);
  FailureOr<Attribute> importAttribute(::onnx::AttributeProto &attr,
                                       const ::onnx::NodeProto &node, int index);
  FailureOr<Type> valueType(StringRef name, StringRef what);
  LogicalResult verifyNodeOp(Operation *op, StringRef what);
  Value noValue();

  ::onnx::GraphProto &graph;
  int64_t opset;
  StringRef path;
  ModuleOp module;
  TensorImporter &tensors;
  ProgressReporter &progress;
  OpBuilder builder;
  Location fileLoc;

  llvm::StringMap<Value> values;
  llvm::StringMap<const ::onnx::TypeProto *> valueTypes;
  llvm::StringSet<> initializerNames;
  Value none;
};

} // namespace

//===----------------------------------------------------------------------===//
// Checks of the whole graph
//===----------------------------------------------------------------------===//

LogicalResult GraphImporter::checkGraphFeatures() {
  // Subgraphs are refused earlier, before shape inference walks them
  // (ResourceLimits.cpp).
  if (graph.sparse_initializer_size() > 0)
    return emitError() << "sparse initializer '"
                       << graph.sparse_initializer(0).values().name()
                       << "' is not supported";
  return success();
}

LogicalResult GraphImporter::checkOpTypes() {
  // Every unsupported op type at once, each with the nodes that use it.
  llvm::MapVector<std::string, SmallVector<std::string>,
                  std::map<std::string, unsigned>>
      unsupported;
  for (auto [index, node] : llvm::enumerate(graph.node())) {
    bool defaultDomain = node.domain().empty() || node.domain() == "ai.onnx";
    std::string opName = "onnx." + node.op_type();
    if (node.op_type() == "Constant" && defaultDomain)
      continue;
    if (defaultDomain &&
        RegisteredOperationName::lookup(opName, context()).has_value())
      continue;
    std::string key = defaultDomain
                          ? node.op_type()
                          : node.domain() + "::" + node.op_type();
    unsupported[key].push_back(node.name().empty()
                                   ? "#" + std::to_string(index)
                                   : "'" + node.name() + "'");
  }
  if (unsupported.empty())
    return success();
  InFlightDiagnostic diag = emitError();
  diag << unsupported.size() << " unsupported ONNX operator"
       << (unsupported.size() == 1 ? "" : "s") << ": ";
  llvm::interleave(
      unsupported,
      [&](const auto &entry) {
        diag << "'" << entry.first << "' (node"
             << (entry.second.size() == 1 ? " " : "s ");
        constexpr size_t kMaxNames = 5;
        for (size_t i = 0; i < std::min(entry.second.size(), kMaxNames); ++i)
          diag << (i ? ", " : "") << entry.second[i];
        if (entry.second.size() > kMaxNames)
          diag << " and " << entry.second.size() - kMaxNames << " more";
        diag << ")";
      },
      [&] { diag << ", "; });
  return failure();
}

LogicalResult GraphImporter::checkNodesAgainstSchemas() {
  // ONNX 1.12's schemas describe opsets up to 17; newer nodes are checked
  // by the dialect's verifiers only.
  if (opset > 17)
    return success();
  bool ok = true;
  for (auto [index, node] : llvm::enumerate(graph.node())) {
    if (!node.domain().empty() && node.domain() != "ai.onnx")
      continue;
    const ::onnx::OpSchema *schema = ::onnx::OpSchemaRegistry::Schema(
        node.op_type(), static_cast<int>(opset), "");
    if (!schema)
      continue;
    try {
      schema->Verify(node);
    } catch (const std::exception &e) {
      // Keep ONNX's message, not the context it appends.
      StringRef message = StringRef(e.what()).split(" ==> Context").first;
      emitError() << describeNode(node, index) << ": " << message.trim();
      ok = false;
    }
  }
  return success(ok);
}

FailureOr<SmallVector<int>> GraphImporter::orderNodes() {
  // Who produces each value; graph inputs and initializers are available
  // from the start.
  llvm::StringMap<int> producer;
  llvm::StringSet<> available;
  for (const auto &input : graph.input())
    available.insert(input.name());
  for (const auto &init : graph.initializer())
    available.insert(init.name());

  bool ok = true;
  for (auto [index, node] : llvm::enumerate(graph.node())) {
    for (const std::string &output : node.output()) {
      if (output.empty())
        continue;
      auto [it, inserted] = producer.try_emplace(output, index);
      if (!inserted || available.contains(output)) {
        emitError() << describeNode(node, index) << ": output '" << output
                    << "' is already "
                    << (inserted ? "a graph input or initializer"
                                 : "produced by " +
                                       describeNode(graph.node(it->second),
                                                    it->second));
        ok = false;
      }
    }
  }

  // Kahn's algorithm, smallest index first, so a sorted graph keeps its
  // order.
  size_t numNodes = graph.node_size();
  SmallVector<int> pending(numNodes, 0);
  SmallVector<SmallVector<int>> users(numNodes);
  for (auto [index, node] : llvm::enumerate(graph.node())) {
    for (const std::string &input : node.input()) {
      if (input.empty() || available.contains(input))
        continue;
      auto it = producer.find(input);
      if (it == producer.end()) {
        emitError() << describeNode(node, index) << ": input '" << input
                    << "' is not a graph input, an initializer or the "
                       "output of any node";
        ok = false;
        continue;
      }
      ++pending[index];
      users[it->second].push_back(index);
    }
  }
  for (const auto &output : graph.output())
    if (!available.contains(output.name()) && !producer.count(output.name())) {
      emitError() << "graph output '" << output.name()
                  << "' is not produced by any node";
      ok = false;
    }
  if (!ok)
    return failure();

  std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
  for (size_t i = 0; i < numNodes; ++i)
    if (pending[i] == 0)
      ready.push(i);
  SmallVector<int> order;
  while (!ready.empty()) {
    int index = ready.top();
    ready.pop();
    order.push_back(index);
    for (int user : users[index])
      if (--pending[user] == 0)
        ready.push(user);
  }
  if (order.size() != numNodes) {
    InFlightDiagnostic diag = emitError();
    diag << "the graph has a cycle through";
    int shown = 0;
    for (size_t i = 0; i < numNodes && shown < 5; ++i)
      if (pending[i] > 0)
        diag << (shown++ ? ", " : " ") << describeNode(graph.node(i), i);
    return failure();
  }
  return order;
}

void GraphImporter::collectValueTypes() {
  for (const auto &info : graph.value_info())
    valueTypes[info.name()] = &info.type();
  for (const auto &input : graph.input())
    valueTypes[input.name()] = &input.type();
  for (const auto &output : graph.output())
    if (output.has_type())
      valueTypes[output.name()] = &output.type();
}

FailureOr<Type> GraphImporter::valueType(StringRef name, StringRef what) {
  auto it = valueTypes.find(name);
  if (it == valueTypes.end() || !it->second->has_tensor_type() ||
      it->second->tensor_type().elem_type() == 0) {
    emitError() << what << ": the type of '" << name
                << "' is unknown (the model declares none and ONNX shape "
                   "inference found none)";
    return failure();
  }
  std::string error;
  Type type = convertTensorType(context(), *it->second, error);
  if (!type) {
    emitError() << what << ": '" << name << "' " << error;
    return failure();
  }
  return type;
}

//===----------------------------------------------------------------------===//
// Building
//===----------------------------------------------------------------------===//

FailureOr<func::FuncOp> GraphImporter::createFunction(ArrayRef<int> order) {
  SmallVector<Type> argTypes;
  SmallVector<const ::onnx::ValueInfoProto *> args;
  for (const auto &input : graph.input()) {
    // Before IR version 4 initializers were also listed as inputs; they are
    // constants here.
    if (initializerNames.contains(input.name()))
      continue;
    FailureOr<Type> type =
        valueType(input.name(), "graph input '" + input.name() + "'");
    if (failed(type))
      return failure();
    argTypes.push_back(*type);
    args.push_back(&input);
  }

  builder.setInsertionPointToEnd(module.getBody());
  auto func = func::FuncOp::create(builder, fileLoc, "main_graph",
                                   builder.getFunctionType(argTypes, {}));
  Block *entry = func.addEntryBlock();
  for (auto [i, input] : llvm::enumerate(args)) {
    func.setArgAttr(i, "onnx.name", builder.getStringAttr(input->name()));
    values[input->name()] = entry->getArgument(i);
  }
  builder.setInsertionPointToStart(entry);
  return func;
}

LogicalResult GraphImporter::importInitializers() {
  for (::onnx::TensorProto &init : *graph.mutable_initializer()) {
    uint64_t bytes = TensorImporter::payloadBytes(init);
    std::string error;
    FailureOr<ElementsAttr> value = tensors.import(init, error);
    if (failed(value))
      return emitError() << "initializer '" << init.name() << "' " << error;
    Location loc = NameLoc::get(builder.getStringAttr(init.name()), fileLoc);
    values[init.name()] = arith::ConstantOp::create(
        builder, loc, cast<TypedAttr>(*value));
    progress.advance(bytes);
  }
  return success();
}

Value GraphImporter::noValue() {
  if (!none) {
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPointToStart(builder.getInsertionBlock());
    OperationState state(fileLoc, "onnx.NoValue");
    state.addTypes(builder.getNoneType());
    none = builder.create(state)->getResult(0);
  }
  return none;
}

FailureOr<Attribute>
GraphImporter::importAttribute(::onnx::AttributeProto &attr,
                               const ::onnx::NodeProto &node, int index) {
  using AT = ::onnx::AttributeProto_AttributeType;
  AT type = attr.type();
  // Files from old exporters leave `type` unset; the set field tells.
  if (type == AT::AttributeProto_AttributeType_UNDEFINED) {
    if (attr.has_i())
      type = AT::AttributeProto_AttributeType_INT;
    else if (attr.has_f())
      type = AT::AttributeProto_AttributeType_FLOAT;
    else if (attr.has_s())
      type = AT::AttributeProto_AttributeType_STRING;
    else if (attr.has_t())
      type = AT::AttributeProto_AttributeType_TENSOR;
    else if (attr.ints_size())
      type = AT::AttributeProto_AttributeType_INTS;
    else if (attr.floats_size())
      type = AT::AttributeProto_AttributeType_FLOATS;
    else if (attr.strings_size())
      type = AT::AttributeProto_AttributeType_STRINGS;
  }
  switch (type) {
  case AT::AttributeProto_AttributeType_INT:
    return Attribute(builder.getI64IntegerAttr(attr.i()));
  case AT::AttributeProto_AttributeType_FLOAT:
    return Attribute(builder.getF32FloatAttr(attr.f()));
  case AT::AttributeProto_AttributeType_STRING:
    return Attribute(builder.getStringAttr(attr.s()));
  case AT::AttributeProto_AttributeType_INTS:
    return Attribute(builder.getI64ArrayAttr(
        SmallVector<int64_t>(attr.ints().begin(), attr.ints().end())));
  case AT::AttributeProto_AttributeType_FLOATS:
    return Attribute(builder.getF32ArrayAttr(
        SmallVector<float>(attr.floats().begin(), attr.floats().end())));
  case AT::AttributeProto_AttributeType_STRINGS: {
    SmallVector<Attribute> strings;
    for (const std::string &s : attr.strings())
      strings.push_back(builder.getStringAttr(s));
    return Attribute(builder.getArrayAttr(strings));
  }
  case AT::AttributeProto_AttributeType_TENSOR: {
    std::string error;
    FailureOr<ElementsAttr> value = tensors.import(*attr.mutable_t(), error);
    if (failed(value)) {
      emitError() << describeNode(node, index) << ": attribute '"
                  << attr.name() << "' tensor " << error;
      return failure();
    }
    return Attribute(*value);
  }
  default:
    emitError() << describeNode(node, index) << ": attribute '"
                << attr.name() << "' has a kind the importer does not "
                << "support (" << AttributeProto_AttributeType_Name(type)
                << ")";
    return failure();
  }
}

LogicalResult GraphImporter::importConstantNode(const ::onnx::NodeProto &node,
                                                int index) {
  if (node.attribute_size() != 1 || node.output_size() != 1) {
    return emitError() << describeNode(node, index)
                       << ": expected one output and one value attribute";
  }
  ::onnx::AttributeProto attr = node.attribute(0);
  FailureOr<Attribute> value = importAttribute(attr, node, index);
  if (failed(value))
    return failure();
  // The attribute's name says what kind it must be; the file may lie.
  auto wrongKind = [&](StringRef expected) {
    return emitError() << describeNode(node, index) << ": attribute '"
                       << attr.name() << "' must be " << expected;
  };
  TypedAttr typed;
  if (attr.name() == "value") {
    typed = dyn_cast<ElementsAttr>(*value) ? cast<TypedAttr>(*value)
                                           : TypedAttr();
    if (!typed)
      return wrongKind("a tensor");
  } else if (attr.name() == "value_float" || attr.name() == "value_int") {
    bool isFloat = attr.name() == "value_float";
    auto scalar = dyn_cast<TypedAttr>(*value);
    if (!scalar || (isFloat ? !isa<FloatAttr>(scalar) : !isa<IntegerAttr>(scalar)))
      return wrongKind(isFloat ? "a float" : "an int");
    typed = DenseElementsAttr::get(RankedTensorType::get({}, scalar.getType()),
                                   scalar);
  } else if (attr.name() == "value_floats" || attr.name() == "value_ints") {
    bool isFloat = attr.name() == "value_floats";
    auto array = dyn_cast<ArrayAttr>(*value);
    if (!array || !llvm::all_of(array, [&](Attribute a) {
          return isFloat ? isa<FloatAttr>(a) : isa<IntegerAttr>(a);
        }))
      return wrongKind(isFloat ? "a list of floats" : "a list of ints");
    Type elementType = isFloat ? Type(builder.getF32Type())
                               : Type(builder.getI64Type());
    typed = DenseElementsAttr::get(
        RankedTensorType::get({int64_t(array.size())}, elementType),
        array.getValue());
  } else {
    return emitError() << describeNode(node, index) << ": constant attribute '"
                       << attr.name() << "' is not supported";
  }
  Location loc = NameLoc::get(builder.getStringAttr(node.name()), fileLoc);
  values[node.output(0)] = arith::ConstantOp::create(builder, loc, typed);
  return success();
}

LogicalResult GraphImporter::importNode(int index) {
  ::onnx::NodeProto &node = *graph.mutable_node(index);
  if (node.op_type() == "Constant")
    return importConstantNode(node, index);

  std::string opName = "onnx." + node.op_type();
  std::optional<RegisteredOperationName> registered =
      RegisteredOperationName::lookup(opName, context());
  bool segmented =
      registered->hasTrait<OpTrait::AttrSizedOperandSegments>();
  std::string what = describeNode(node, index);

  OperationState state(
      NameLoc::get(builder.getStringAttr(node.name().empty()
                                             ? node.op_type()
                                             : node.name()),
                   fileLoc),
      *registered);

  // Omitted optional inputs: an empty segment where the op sizes its
  // operand groups, `onnx.NoValue` in the middle of a plain list, nothing
  // at the end.
  int numInputs = node.input_size();
  while (numInputs > 0 && node.input(numInputs - 1).empty())
    --numInputs;
  SmallVector<int32_t> segments;
  for (int i = 0; i < numInputs; ++i) {
    const std::string &input = node.input(i);
    if (input.empty()) {
      if (segmented)
        segments.push_back(0);
      else
        state.addOperands(noValue());
      continue;
    }
    state.addOperands(values.lookup(input));
    segments.push_back(1);
  }

  for (::onnx::AttributeProto &attr : *node.mutable_attribute()) {
    FailureOr<Attribute> value = importAttribute(attr, node, index);
    if (failed(value))
      return failure();
    state.addAttribute(attr.name(), *value);
  }

  // Before opset 18, reductions took `axes` as an attribute (and the
  // importer puts constant axes of newer models back there for ONNX's shape
  // inference); the dialect has the newest form only.
  if (takesAxesAttrBefore18(node.op_type())) {
    if (Attribute axes = state.attributes.erase("axes")) {
      auto list = dyn_cast<ArrayAttr>(axes);
      if (!list || !llvm::all_of(list, llvm::IsaPred<IntegerAttr>))
        return emitError() << what << ": attribute 'axes' must be a list of "
                                      "ints";
      SmallVector<int64_t> axisValues;
      for (Attribute a : list)
        axisValues.push_back(cast<IntegerAttr>(a).getInt());
      auto axesType = RankedTensorType::get({int64_t(axisValues.size())},
                                            builder.getI64Type());
      Value axesValue = arith::ConstantOp::create(
          builder, state.location,
          DenseElementsAttr::get(axesType, ArrayRef(axisValues)));
      if (numInputs == 0)
        return emitError() << what << ": expected the data input";
      state.operands.resize(1);
      segments.resize(1);
      state.addOperands(axesValue);
      segments.push_back(1);
    }
  }

  if (segmented) {
    // Pad to the op's operand groups: the schema knows how many there are.
    const ::onnx::OpSchema *schema = ::onnx::OpSchemaRegistry::Schema(
        node.op_type(), static_cast<int>(opset), "");
    // Variadic schemas say "up to INT_MAX": no op of the dialect has that
    // many groups, and the padding must not allocate it.
    constexpr int kMaxGroups = 16;
    int groups = schema && schema->max_input() <= kMaxGroups
                     ? schema->max_input()
                     : int(segments.size());
    segments.resize(std::max<size_t>(groups, segments.size()), 0);
    state.addAttribute("operandSegmentSizes",
                       builder.getDenseI32ArrayAttr(segments));
  }

  for (auto [i, output] : llvm::enumerate(node.output())) {
    if (output.empty()) {
      // An omitted optional output still exists on the op; its type only
      // needs to be plausible, since nothing can use it.
      state.addTypes(UnrankedTensorType::get(builder.getF32Type()));
      continue;
    }
    FailureOr<Type> type =
        valueType(output, what + ", output " + std::to_string(i));
    if (failed(type))
      return failure();
    state.addTypes(*type);
  }

  Operation *op = builder.create(state);
  if (failed(verifyNodeOp(op, what)))
    return failure();
  for (auto [i, output] : llvm::enumerate(node.output()))
    if (!output.empty())
      values[output] = op->getResult(i);
  return success();
}

LogicalResult GraphImporter::verifyNodeOp(Operation *op, StringRef what) {
  // The op's own diagnostics carry only its location; re-emit them with the
  // node's name and op type, which is what a user can find in the model.
  SmallVector<std::string> messages;
  {
    ScopedDiagnosticHandler collect(context(), [&](Diagnostic &diag) {
      if (diag.getSeverity() == DiagnosticSeverity::Error)
        messages.push_back(diag.str());
      return success();
    });
    if (succeeded(verify(op, /*verifyRecursively=*/false)))
      return success();
  }
  for (const std::string &message : messages)
    emitError() << what << ": " << message;
  return failure();
}

LogicalResult GraphImporter::run() {
  if (failed(checkGraphFeatures()))
    return failure();
  bool opTypesOk = succeeded(checkOpTypes());
  bool nodesOk = opTypesOk && succeeded(checkNodesAgainstSchemas());
  FailureOr<SmallVector<int>> order = orderNodes();
  if (!nodesOk || failed(order))
    return failure();

  for (const auto &init : graph.initializer())
    initializerNames.insert(init.name());
  collectValueTypes();

  FailureOr<func::FuncOp> func = createFunction(*order);
  if (failed(func) || failed(importInitializers()))
    return failure();
  for (int index : *order)
    if (failed(importNode(index)))
      return failure();

  SmallVector<Value> results;
  SmallVector<Type> resultTypes;
  for (const auto &output : graph.output()) {
    results.push_back(values.lookup(output.name()));
    resultTypes.push_back(results.back().getType());
  }
  func::ReturnOp::create(builder, fileLoc, results);
  func->setType(builder.getFunctionType(func->getArgumentTypes(),
                                        resultTypes));
  for (auto [i, output] : llvm::enumerate(graph.output()))
    func->setResultAttr(i, "onnx.name", builder.getStringAttr(output.name()));
  return success();
}

LogicalResult mlir::bitnet::onnx_import::importGraph(
    ::onnx::ModelProto &model, int64_t opset, StringRef path, ModuleOp module,
    TensorImporter &tensors, ProgressReporter &progress) {
  return GraphImporter(model, opset, path, module, tensors, progress).run();
}
