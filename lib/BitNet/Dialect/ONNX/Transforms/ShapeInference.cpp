//===- ShapeInference.cpp - refine onnx result types ----------------------===//
//
// Types only get more precise here: a static dim stays what it was, an
// unranked result takes the inferred rank, a dynamic dim takes an inferred
// size. Small i64 tensors are tracked by value, element by element, because
// exported graphs compute every reshape target from Shape/Gather/Concat
// chains and a single known element is often all a dim needs.
//
//===----------------------------------------------------------------------===//

#include "BitNet/Dialect/ONNX/Transforms/Passes.h"

#include "BitNet/Dialect/ONNX/IR/ONNXOps.h"
#include "BitNet/Dialect/Ternary/IR/TernaryOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/StringSet.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::bitnet::onnx {
#define GEN_PASS_DEF_ONNXINFERSHAPESPASS
#include "BitNet/Dialect/ONNX/Transforms/Passes.h.inc"
} // namespace mlir::bitnet::onnx

using namespace mlir;
namespace onnx = mlir::bitnet::onnx;

namespace {

constexpr int64_t kDyn = ShapedType::kDynamic;
/// Shape tensors longer than this are not tracked by value.
constexpr int64_t kMaxTrackedElements = 64;

using Shape = SmallVector<int64_t>;

std::optional<Shape> rankedShape(Value v) {
  if (auto type = dyn_cast<RankedTensorType>(v.getType()))
    return Shape(type.getShape());
  return std::nullopt;
}

/// Numpy broadcasting, where a dynamic dim against 1 stays dynamic and two
/// dynamic dims are taken to agree.
Shape broadcast(ArrayRef<Shape> shapes) {
  size_t rank = 0;
  for (const Shape &s : shapes)
    rank = std::max(rank, s.size());
  Shape result(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    bool dynamic = false, known = false;
    for (const Shape &s : shapes) {
      if (i + s.size() < rank)
        continue;
      int64_t d = s[i + s.size() - rank];
      if (d == kDyn)
        dynamic = true;
      else if (d != 1) {
        result[i] = d;
        known = true;
      }
    }
    if (!known && dynamic)
      result[i] = kDyn;
  }
  return result;
}

int64_t normalizeAxis(int64_t axis, int64_t rank) {
  return axis < 0 ? axis + rank : axis;
}

bool isElementwise(StringRef name) {
  static const llvm::StringSet<llvm::MallocAllocator> names = {
      "Add",   "Sub",      "Mul",       "Div",   "Pow",        "Max",
      "Min",   "Mod",      "Equal",     "Less",  "LessOrEqual", "Greater",
      "GreaterOrEqual",    "And",       "Or",    "Xor",        "Not",
      "Where", "Abs",      "Neg",       "Sqrt",  "Exp",        "Log",
      "Sin",   "Cos",      "Tanh",      "Erf",   "Floor",      "Ceil",
      "Round", "Reciprocal", "Relu",    "Sigmoid", "Cast",     "Identity",
      "Softmax", "LogSoftmax", "Sign",  "CastLike", "Clip",       "IsNaN",
      "IsInf", "BitwiseAnd", "BitwiseOr", "BitwiseXor", "BitwiseNot",
      "BitShift", "Sum", "Mean"};
  return names.contains(name);
}

class ShapeInference {
public:
  /// Refines the result types of `op`; true when one changed.
  bool refine(Operation *op);
  void clear() { valueCache.clear(); }
  /// Functions whose signature must stay: something refers to them (a
  /// call would no longer match).
  void pin(func::FuncOp func) { pinned.insert(func); }
  bool isPinned(func::FuncOp func) const { return pinned.contains(func); }
  /// Whether every user of `v` takes a more precise type: onnx and ternary
  /// ops (which are refined in turn) and the return of a function whose
  /// result types follow. Other users may need the exact type they have.
  bool canRefine(Value v) const {
    for (Operation *user : v.getUsers()) {
      Dialect *dialect = user->getDialect();
      if (dialect &&
          isa<onnx::ONNXDialect, bitnet::ternary::TernaryDialect>(dialect))
        continue;
      auto ret = dyn_cast<func::ReturnOp>(user);
      auto func = ret ? dyn_cast<func::FuncOp>(ret->getParentOp()) : nullptr;
      if (!func || isPinned(func))
        return false;
    }
    return true;
  }

private:
  std::optional<Shape> infer(Operation *op);
  /// The element values of a small static 1-D or 0-D integer tensor, kDyn
  /// for elements only known at run time.
  std::optional<Shape> getValues(Value v);
  std::optional<Shape> computeValues(Value v);

  DenseMap<Value, std::optional<Shape>> valueCache;
  DenseSet<Operation *> pinned;
};

std::optional<Shape> ShapeInference::getValues(Value v) {
  auto it = valueCache.find(v);
  if (it != valueCache.end())
    return it->second;
  std::optional<Shape> values = computeValues(v);
  valueCache[v] = values;
  return values;
}

std::optional<Shape> ShapeInference::computeValues(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  if (!type || type.getRank() > 1 || !type.hasStaticShape() ||
      !type.getElementType().isInteger() ||
      type.getNumElements() > kMaxTrackedElements)
    return std::nullopt;
  int64_t n = type.getNumElements();
  Shape unknown(n, kDyn);

  DenseIntElementsAttr dense;
  if (matchPattern(v, m_Constant(&dense))) {
    Shape values;
    for (const APInt &x : dense.getValues<APInt>())
      values.push_back(type.getElementType().isInteger(1) ? x.getZExtValue()
                                                           : x.getSExtValue());
    return values;
  }
  Operation *def = v.getDefiningOp();
  if (!def)
    return unknown;
  auto operandValues = [&](unsigned i) { return getValues(def->getOperand(i)); };

  if (auto shape = dyn_cast<onnx::ShapeOp>(def)) {
    std::optional<Shape> dims = rankedShape(shape.getData());
    if (!dims)
      return unknown;
    int64_t rank = dims->size();
    int64_t start = std::clamp<int64_t>(
        normalizeAxis(shape.getStart().value_or(0), rank), 0, rank);
    int64_t end = std::clamp<int64_t>(
        normalizeAxis(shape.getEnd().value_or(rank), rank), 0, rank);
    if (end - start != n)
      return unknown;
    return Shape(ArrayRef(*dims).slice(start, n));
  }
  if (isa<onnx::UnsqueezeOp, onnx::SqueezeOp, onnx::ReshapeOp,
          onnx::IdentityOp, onnx::CastOp>(def)) {
    std::optional<Shape> in = operandValues(0);
    return in && (int64_t)in->size() == n ? *in : unknown;
  }
  if (auto gather = dyn_cast<onnx::GatherOp>(def)) {
    std::optional<Shape> data = operandValues(0), idx = operandValues(1);
    if (!data || !idx || gather.getAxis().value_or(0) != 0)
      return unknown;
    Shape values;
    for (int64_t i : *idx) {
      if (i == kDyn)
        return unknown;
      i = normalizeAxis(i, data->size());
      if (i < 0 || i >= (int64_t)data->size())
        return unknown;
      values.push_back((*data)[i]);
    }
    return (int64_t)values.size() == n ? values : unknown;
  }
  if (isa<onnx::ConcatOp>(def)) {
    Shape values;
    for (unsigned i = 0; i < def->getNumOperands(); ++i) {
      std::optional<Shape> part = operandValues(i);
      if (!part)
        return unknown;
      values.append(*part);
    }
    return (int64_t)values.size() == n ? values : unknown;
  }
  // Element-wise integer arithmetic, with broadcasting of scalars.
  StringRef name = def->getName().stripDialect();
  if (!isElementwise(name) || def->getNumOperands() > 3)
    return unknown;
  SmallVector<Shape> args;
  for (unsigned i = 0; i < def->getNumOperands(); ++i) {
    std::optional<Shape> a = operandValues(i);
    if (!a || (a->size() != 1 && (int64_t)a->size() != n))
      return unknown;
    args.push_back(*a);
  }
  Shape values;
  for (int64_t i = 0; i < n; ++i) {
    SmallVector<int64_t> x;
    for (const Shape &a : args)
      x.push_back(a.size() == 1 ? a[0] : a[i]);
    if (name == "Where") {
      values.push_back(x[0] == kDyn ? (x[1] == x[2] ? x[1] : kDyn)
                                    : (x[0] ? x[1] : x[2]));
      continue;
    }
    if (llvm::is_contained(x, kDyn)) {
      values.push_back(kDyn);
      continue;
    }
    if (name == "Add")
      values.push_back(x[0] + x[1]);
    else if (name == "Sub")
      values.push_back(x[0] - x[1]);
    else if (name == "Mul")
      values.push_back(x[0] * x[1]);
    else if (name == "Div" && x[1] != 0)
      values.push_back(x[0] / x[1]);
    else if (name == "Equal")
      values.push_back(x[0] == x[1]);
    else if (name == "Cast" || name == "Identity")
      values.push_back(x[0]);
    else
      return unknown;
  }
  return values;
}

std::optional<Shape> ShapeInference::infer(Operation *op) {
  if (op->getNumResults() != 1)
    return std::nullopt;
  StringRef name = op->getName().stripDialect();

  if (auto bitlinear = dyn_cast<bitnet::ternary::BitLinearOp>(op)) {
    Shape s(bitlinear.getInput().getType().getShape());
    s.back() = bitlinear.getType().getShape().back();
    return s;
  }
  if (!isa<onnx::ONNXDialect>(op->getDialect()))
    return std::nullopt;

  if (isElementwise(name)) {
    SmallVector<Shape> shapes;
    for (Value operand : op->getOperands()) {
      std::optional<Shape> s = rankedShape(operand);
      if (!s)
        return std::nullopt;
      shapes.push_back(*s);
    }
    return broadcast(shapes);
  }
  if (auto matmul = dyn_cast<onnx::MatMulOp>(op)) {
    std::optional<Shape> a = rankedShape(matmul.getA()),
                         b = rankedShape(matmul.getB());
    if (!a || !b || a->size() < 2 || b->size() < 2)
      return std::nullopt;
    Shape batch = broadcast({Shape(ArrayRef(*a).drop_back(2)),
                             Shape(ArrayRef(*b).drop_back(2))});
    batch.push_back((*a)[a->size() - 2]);
    batch.push_back(b->back());
    return batch;
  }
  if (auto shape = dyn_cast<onnx::ShapeOp>(op)) {
    std::optional<Shape> dims = rankedShape(shape.getData());
    if (!dims)
      return std::nullopt;
    int64_t rank = dims->size();
    int64_t start = std::clamp<int64_t>(
        normalizeAxis(shape.getStart().value_or(0), rank), 0, rank);
    int64_t end = std::clamp<int64_t>(
        normalizeAxis(shape.getEnd().value_or(rank), rank), 0, rank);
    return Shape{std::max<int64_t>(0, end - start)};
  }
  if (auto gather = dyn_cast<onnx::GatherOp>(op)) {
    std::optional<Shape> data = rankedShape(gather.getData()),
                         idx = rankedShape(gather.getIndices());
    if (!data || !idx)
      return std::nullopt;
    int64_t axis = normalizeAxis(gather.getAxis().value_or(0), data->size());
    ArrayRef<int64_t> dims(*data);
    Shape s(dims.take_front(axis));
    s.append(idx->begin(), idx->end());
    s.append(dims.begin() + axis + 1, dims.end());
    return s;
  }
  if (auto unsqueeze = dyn_cast<onnx::UnsqueezeOp>(op)) {
    std::optional<Shape> data = rankedShape(unsqueeze.getData());
    std::optional<Shape> axes = getValues(unsqueeze.getAxes());
    if (!data || !axes || llvm::is_contained(*axes, kDyn))
      return std::nullopt;
    int64_t rank = data->size() + axes->size();
    Shape s(rank, kDyn);
    for (int64_t a : *axes) {
      a = normalizeAxis(a, rank);
      if (a < 0 || a >= rank)
        return std::nullopt;
      s[a] = 1;
    }
    auto it = data->begin();
    for (int64_t &d : s)
      if (d == kDyn)
        d = *it++;
    return s;
  }
  if (auto squeeze = dyn_cast<onnx::SqueezeOp>(op)) {
    std::optional<Shape> data = rankedShape(squeeze.getData());
    if (!data)
      return std::nullopt;
    int64_t rank = data->size();
    SmallVector<bool> drop(rank, false);
    if (squeeze.getAxes()) {
      std::optional<Shape> axes = getValues(squeeze.getAxes());
      if (!axes || llvm::is_contained(*axes, kDyn))
        return std::nullopt;
      for (int64_t a : *axes) {
        a = normalizeAxis(a, rank);
        if (a < 0 || a >= rank)
          return std::nullopt;
        drop[a] = true;
      }
    } else {
      for (int64_t i = 0; i < rank; ++i) {
        if ((*data)[i] == kDyn)
          return std::nullopt;
        drop[i] = (*data)[i] == 1;
      }
    }
    Shape s;
    for (int64_t i = 0; i < rank; ++i)
      if (!drop[i])
        s.push_back((*data)[i]);
    return s;
  }
  if (auto concat = dyn_cast<onnx::ConcatOp>(op)) {
    std::optional<Shape> result;
    for (Value input : concat.getInputs()) {
      std::optional<Shape> s = rankedShape(input);
      if (!s || (result && s->size() != result->size()))
        return std::nullopt;
      int64_t axis = normalizeAxis(concat.getAxis(), s->size());
      if (!result) {
        result = *s;
        continue;
      }
      for (size_t i = 0; i < s->size(); ++i) {
        int64_t &r = (*result)[i];
        int64_t d = (*s)[i];
        if ((int64_t)i == axis)
          r = (r == kDyn || d == kDyn) ? kDyn : r + d;
        else if (r == kDyn)
          r = d;
      }
    }
    return result;
  }
  if (auto slice = dyn_cast<onnx::SliceOp>(op)) {
    std::optional<Shape> data = rankedShape(slice.getData());
    std::optional<Shape> starts = getValues(slice.getStarts()),
                         ends = getValues(slice.getEnds());
    if (!data || !starts || !ends || starts->size() != ends->size())
      return std::nullopt;
    int64_t rank = data->size(), n = starts->size();
    Shape axes, steps(n, 1);
    if (slice.getAxes()) {
      std::optional<Shape> a = getValues(slice.getAxes());
      if (!a || (int64_t)a->size() != n || llvm::is_contained(*a, kDyn))
        return std::nullopt;
      axes = *a;
    } else {
      for (int64_t i = 0; i < n; ++i)
        axes.push_back(i);
    }
    if (slice.getSteps()) {
      std::optional<Shape> s = getValues(slice.getSteps());
      if (!s || (int64_t)s->size() != n)
        return std::nullopt;
      steps = *s;
    }
    Shape s = *data;
    for (int64_t i = 0; i < n; ++i) {
      int64_t axis = normalizeAxis(axes[i], rank);
      if (axis < 0 || axis >= rank)
        return std::nullopt;
      int64_t dim = (*data)[axis], step = steps[i];
      int64_t start = (*starts)[i], end = (*ends)[i];
      if (dim == kDyn || start == kDyn || end == kDyn || step == kDyn ||
          step == 0) {
        s[axis] = kDyn;
        continue;
      }
      auto clampIndex = [&](int64_t x, int64_t lo, int64_t hi) {
        if (x < 0)
          x += dim;
        return std::clamp(x, lo, hi);
      };
      int64_t size;
      if (step > 0) {
        start = clampIndex(start, 0, dim);
        end = clampIndex(end, 0, dim);
        size = end > start ? (end - start + step - 1) / step : 0;
      } else {
        start = clampIndex(start, 0, dim - 1);
        end = clampIndex(end, -1, dim - 1);
        size = start > end ? (start - end - step - 1) / -step : 0;
      }
      s[axis] = size;
    }
    return s;
  }
  if (auto reshape = dyn_cast<onnx::ReshapeOp>(op)) {
    std::optional<Shape> data = rankedShape(reshape.getData());
    std::optional<Shape> target = getValues(reshape.getShape());
    if (!target)
      return std::nullopt;
    Shape s = *target;
    int64_t inferred = -1, known = 1;
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] == 0 && !reshape.getAllowzero().value_or(0))
        s[i] = data && i < data->size() ? (*data)[i] : kDyn;
      if (s[i] == -1)
        inferred = i;
      else if (s[i] == kDyn || known == kDyn)
        known = kDyn;
      else
        known *= s[i];
    }
    if (inferred >= 0) {
      int64_t total = 1;
      for (int64_t d : data ? *data : Shape{kDyn})
        total = (d == kDyn || total == kDyn) ? kDyn : total * d;
      s[inferred] = (total == kDyn || known == kDyn || known == 0)
                        ? kDyn
                        : total / known;
    }
    return s;
  }
  if (auto expand = dyn_cast<onnx::ExpandOp>(op)) {
    std::optional<Shape> in = rankedShape(expand.getInput());
    std::optional<Shape> target = getValues(expand.getShape());
    if (!in || !target)
      return std::nullopt;
    size_t rank = std::max(in->size(), target->size());
    Shape s(rank);
    for (size_t i = 0; i < rank; ++i) {
      int64_t a = i + in->size() >= rank ? (*in)[i + in->size() - rank] : 1;
      int64_t b =
          i + target->size() >= rank ? (*target)[i + target->size() - rank] : 1;
      if (b == kDyn)
        s[i] = (a != kDyn && a != 1) ? a : kDyn;
      else if (b == 1)
        s[i] = a;
      else
        s[i] = b;
    }
    return s;
  }
  if (auto transpose = dyn_cast<onnx::TransposeOp>(op)) {
    std::optional<Shape> data = rankedShape(transpose.getData());
    if (!data)
      return std::nullopt;
    Shape s;
    if (std::optional<ArrayAttr> perm = transpose.getPerm()) {
      for (Attribute p : *perm) {
        int64_t i = cast<IntegerAttr>(p).getInt();
        if (i < 0 || i >= (int64_t)data->size())
          return std::nullopt;
        s.push_back((*data)[i]);
      }
    } else {
      s.assign(data->rbegin(), data->rend());
    }
    return s;
  }
  if (auto range = dyn_cast<onnx::RangeOp>(op)) {
    std::optional<Shape> start = getValues(range.getStart()),
                         limit = getValues(range.getLimit()),
                         delta = getValues(range.getDelta());
    if (start && limit && delta && start->size() == 1 && limit->size() == 1 &&
        delta->size() == 1 && (*start)[0] != kDyn && (*limit)[0] != kDyn &&
        (*delta)[0] != kDyn && (*delta)[0] != 0) {
      int64_t d = (*delta)[0], span = (*limit)[0] - (*start)[0];
      return Shape{std::max<int64_t>(0, (span + d + (d > 0 ? -1 : 1)) / d)};
    }
    return Shape{kDyn};
  }
  if (name.starts_with("Reduce") && op->getNumOperands() >= 1) {
    std::optional<Shape> data = rankedShape(op->getOperand(0));
    if (!data)
      return std::nullopt;
    int64_t rank = data->size();
    SmallVector<bool> reduced(rank, true);
    if (op->getNumOperands() == 2) {
      std::optional<Shape> axes = getValues(op->getOperand(1));
      if (!axes || llvm::is_contained(*axes, kDyn))
        return std::nullopt;
      if (!axes->empty()) {
        reduced.assign(rank, false);
        for (int64_t a : *axes) {
          a = normalizeAxis(a, rank);
          if (a < 0 || a >= rank)
            return std::nullopt;
          reduced[a] = true;
        }
      }
    }
    auto keep = op->getAttrOfType<IntegerAttr>("keepdims");
    bool keepdims = !keep || keep.getInt() != 0;
    Shape s;
    for (int64_t i = 0; i < rank; ++i) {
      if (!reduced[i])
        s.push_back((*data)[i]);
      else if (keepdims)
        s.push_back(1);
    }
    return s;
  }
  if (auto fill = dyn_cast<onnx::ConstantOfShapeOp>(op)) {
    std::optional<Shape> target = getValues(fill.getInput());
    return target;
  }
  return std::nullopt;
}

/// `old` made more precise by `inferred`; null when nothing is gained or the
/// two disagree.
RankedTensorType merge(Type old, ArrayRef<int64_t> inferred) {
  auto tensor = dyn_cast<TensorType>(old);
  if (!tensor)
    return {};
  Type element = tensor.getElementType();
  auto ranked = dyn_cast<RankedTensorType>(old);
  if (!ranked)
    return RankedTensorType::get(inferred, element);
  if (ranked.getRank() != (int64_t)inferred.size())
    return {};
  Shape s(ranked.getShape());
  bool changed = false;
  for (size_t i = 0; i < s.size(); ++i) {
    // A static dim that the inference contradicts: one of the two is wrong,
    // so neither is trusted for the other dims.
    if (s[i] != kDyn && inferred[i] != kDyn && s[i] != inferred[i])
      return {};
    if (s[i] == kDyn && inferred[i] != kDyn && inferred[i] >= 0) {
      s[i] = inferred[i];
      changed = true;
    }
  }
  return changed ? RankedTensorType::get(s, element, ranked.getEncoding())
                 : RankedTensorType();
}

bool ShapeInference::refine(Operation *op) {
  std::optional<Shape> shape = infer(op);
  if (!shape)
    return false;
  RankedTensorType refined = merge(op->getResult(0).getType(), *shape);
  if (!refined)
    return false;
  if (!canRefine(op->getResult(0)))
    return false;
  op->getResult(0).setType(refined);
  return true;
}

/// Binds dim 0 of every tensor argument of `func` to `size`.
void bindBatch(func::FuncOp func, int64_t size,
               const ShapeInference &inference) {
  if (func.isExternal() || inference.isPinned(func))
    return;
  SmallVector<Type> inputs;
  for (BlockArgument arg : func.getArguments()) {
    auto type = dyn_cast<RankedTensorType>(arg.getType());
    if (type && type.getRank() >= 1 && type.isDynamicDim(0) &&
        inference.canRefine(arg)) {
      Shape s(type.getShape());
      s[0] = size;
      arg.setType(RankedTensorType::get(s, type.getElementType()));
    }
    inputs.push_back(arg.getType());
  }
  func.setType(FunctionType::get(func.getContext(), inputs,
                                 func.getResultTypes()));
}

/// Function results take the (refined) types of what is returned.
void updateResultTypes(func::FuncOp func) {
  if (func.isExternal())
    return;
  auto ret = cast<func::ReturnOp>(func.getBody().back().getTerminator());
  func.setType(FunctionType::get(func.getContext(), func.getArgumentTypes(),
                                 ret.getOperandTypes()));
}

struct ONNXInferShapesPass
    : onnx::impl::ONNXInferShapesPassBase<ONNXInferShapesPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    if (batchSize < 0) {
      module.emitError("onnx-infer-shapes: batch-size must be >= 0");
      return signalPassFailure();
    }
    ShapeInference inference;
    module.walk([&](func::FuncOp f) {
      if (!SymbolTable::symbolKnownUseEmpty(f, module))
        inference.pin(f);
    });
    if (batchSize > 0)
      module.walk([&](func::FuncOp f) { bindBatch(f, batchSize, inference); });

    RewritePatternSet patterns(ctx);
    for (Dialect *dialect : ctx->getLoadedDialects())
      dialect->getCanonicalizationPatterns(patterns);
    for (RegisteredOperationName name : ctx->getRegisteredOperations())
      name.getCanonicalizationPatterns(patterns, ctx);
    FrozenRewritePatternSet frozen(std::move(patterns));

    // Each sweep may make shape tensors constant, which the next sweep
    // turns into static dims; real models settle in two or three.
    for (int sweep = 0; sweep < 8; ++sweep) {
      bool changed = false;
      inference.clear();
      module.walk([&](Operation *op) { changed |= inference.refine(op); });
      module.walk([&](func::FuncOp f) {
        if (!inference.isPinned(f))
          updateResultTypes(f);
      });
      if (failed(applyPatternsGreedily(module, frozen))) {
        module.emitError("onnx-infer-shapes: canonicalization did not converge");
        return signalPassFailure();
      }
      if (!changed)
        break;
    }
  }
};

} // namespace
