//===- FunctionInliner.cpp - ONNX local functions, inlined ----------------===//
//
// Inlining follows the ONNX IR's function semantics: formal inputs and
// outputs bind to the call's actual names (a missing optional input binds
// to ""), every other value of the body gets a name unique to the call, and
// an attribute with `ref_attr_name` takes the call's attribute of that name
// (or is left unset, so that the op's default applies: ONNX 1.12's protobuf
// schema, which this build reads with, has no function attribute defaults).
//
//===----------------------------------------------------------------------===//

#include "FunctionInliner.h"
#include "ResourceLimits.h"

#include "onnx/onnx_pb.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringMap.h"

#include <map>
#include <string>

using namespace mlir;

namespace {

/// A call expands at most this deep: beyond it the functions recurse, or
/// the model is built to make the compiler run out of memory.
constexpr unsigned kMaxDepth = 32;
/// And inlining visits (and so produces) at most twice as many nodes as a
/// graph may have (calls count too): a 4 KB file of nested calls must not
/// cost millions of node copies before the graph's own limit rejects it.
constexpr size_t kMaxNodes = 2 * size_t(mlir::bitnet::onnx_import::kMaxGraphNodes);

bool isDefaultDomain(const std::string &domain) {
  return domain.empty() || domain == "ai.onnx";
}

std::string functionKey(const std::string &domain, const std::string &name) {
  return (isDefaultDomain(domain) ? std::string() : domain) + "\n" + name;
}

class Inliner {
public:
  Inliner(::onnx::ModelProto &model, Location loc) : model(model), loc(loc) {
    for (const ::onnx::FunctionProto &f : model.functions())
      functions[functionKey(f.domain(), f.name())] = &f;
  }

  LogicalResult run(int64_t modelOpset) {
    for (const auto &[key, f] : functions)
      for (const auto &entry : f->opset_import())
        if (isDefaultDomain(entry.domain()) && entry.version() != modelOpset)
          return emitError(loc)
                 << "local function '" << f->name() << "' uses opset "
                 << entry.version()
                 << " of the default ONNX domain and the model opset "
                 << modelOpset << "; mixed opsets are not supported";
    // Counted before anything is copied: names grow with every level, so a
    // few kilobytes of nested calls would otherwise cost gigabytes of
    // copies before the visit bound stopped them.
    uint64_t total = 0;
    for (const ::onnx::NodeProto &node : model.graph().node())
      total = std::min<uint64_t>(total + countVisits(node, 0), kMaxNodes + 1);
    if (total > kMaxNodes)
      return emitError(loc) << "inlining local functions visits more than "
                            << kMaxNodes << " nodes";
    google::protobuf::RepeatedPtrField<::onnx::NodeProto> out;
    for (const ::onnx::NodeProto &node : model.graph().node())
      if (failed(expand(node, out, /*depth=*/0)))
        return failure();
    *model.mutable_graph()->mutable_node() = std::move(out);
    model.clear_functions();
    return success();
  }

private:
  /// The visits `expand(node)` makes, saturated past kMaxNodes and counted
  /// once per function, so that the count costs the bodies' size, not the
  /// expansion's. Recursion and nesting past kMaxDepth count nothing here:
  /// expand reports them by depth.
  uint64_t countVisits(const ::onnx::NodeProto &node, unsigned depth) {
    const ::onnx::FunctionProto *f = calledFunction(node);
    if (!f)
      return 1;
    if (depth >= kMaxDepth)
      return 0;
    auto [it, inserted] = visitCounts.try_emplace(f, kCounting);
    if (!inserted)
      return it->second == kCounting ? 0 : it->second;
    uint64_t total = 1;
    for (const ::onnx::NodeProto &bodyNode : f->node())
      total = std::min<uint64_t>(total + countVisits(bodyNode, depth + 1),
                                 kMaxNodes + 1);
    visitCounts[f] = total;
    return total;
  }

  const ::onnx::FunctionProto *calledFunction(const ::onnx::NodeProto &node) {
    auto it = functions.find(functionKey(node.domain(), node.op_type()));
    return it == functions.end() ? nullptr : it->second;
  }

  /// Appends `node` to `out`, or the inlined body of the function it calls.
  LogicalResult expand(const ::onnx::NodeProto &node,
                       google::protobuf::RepeatedPtrField<::onnx::NodeProto> &out,
                       unsigned depth) {
    // Every node visited counts, calls included: bodies made only of calls
    // would otherwise expand exponentially without producing a node.
    if (++visited > kMaxNodes)
      return emitError(loc) << "inlining local functions visits more than "
                            << kMaxNodes << " nodes";
    const ::onnx::FunctionProto *f = calledFunction(node);
    if (!f) {
      *out.Add() = node;
      return success();
    }
    if (depth >= kMaxDepth)
      return emitError(loc) << "node '" << node.name() << "' calls local "
                            << "function '" << f->name()
                            << "' nested more than " << kMaxDepth
                            << " deep (recursive functions?)";
    if (node.input_size() > f->input_size() ||
        node.output_size() > f->output_size())
      return emitError(loc) << "node '" << node.name() << "' calls local "
                            << "function '" << f->name() << "' with "
                            << node.input_size() << " inputs and "
                            << node.output_size() << " outputs; it declares "
                            << f->input_size() << " and " << f->output_size();

    // Names of the body, bound for this call.
    std::string prefix = (node.name().empty() ? f->name() : node.name()) +
                         "/" + std::to_string(calls++) + "/";
    llvm::StringMap<std::string> rename;
    for (int i = 0; i < f->input_size(); ++i)
      rename[f->input(i)] = i < node.input_size() ? node.input(i) : "";
    for (int i = 0; i < f->output_size(); ++i)
      rename[f->output(i)] =
          i < node.output_size() ? node.output(i) : prefix + f->output(i);
    auto bound = [&](const std::string &name) -> std::string {
      if (name.empty())
        return name;
      auto it = rename.find(name);
      return it != rename.end() ? it->second : prefix + name;
    };
    std::map<std::string, const ::onnx::AttributeProto *> actual;
    for (const auto &attr : node.attribute())
      actual[attr.name()] = &attr;

    for (const ::onnx::NodeProto &bodyNode : f->node()) {
      ::onnx::NodeProto inlined = bodyNode;
      inlined.set_name(prefix + bodyNode.name());
      for (std::string &input : *inlined.mutable_input())
        input = bound(input);
      for (std::string &output : *inlined.mutable_output())
        output = bound(output);
      inlined.clear_attribute();
      for (const auto &attr : bodyNode.attribute()) {
        if (attr.ref_attr_name().empty()) {
          *inlined.add_attribute() = attr;
          continue;
        }
        auto it = actual.find(attr.ref_attr_name());
        if (it == actual.end())
          continue; // unset: the op's own default applies
        ::onnx::AttributeProto *copy = inlined.add_attribute();
        *copy = *it->second;
        copy->set_name(attr.name());
      }
      if (failed(expand(inlined, out, depth + 1)))
        return failure();
    }
    return success();
  }

  ::onnx::ModelProto &model;
  Location loc;
  std::map<std::string, const ::onnx::FunctionProto *> functions;
  unsigned calls = 0;
  size_t visited = 0;
  static constexpr uint64_t kCounting = ~uint64_t(0);
  std::map<const ::onnx::FunctionProto *, uint64_t> visitCounts;
};

} // namespace

LogicalResult
mlir::bitnet::onnx_import::inlineLocalFunctions(::onnx::ModelProto &model,
                                                int64_t modelOpset,
                                                Location loc) {
  if (model.functions_size() == 0)
    return success();
  return Inliner(model, loc).run(modelOpset);
}
