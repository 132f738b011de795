//===- EvaluatorKernels.h - tensor algorithms of the weight evaluator -*- C++ -*-===//
//
// The ONNX semantics that ConstantEvaluator needs, on plain row-major
// tensors of doubles: broadcasting, reductions and data movement. Nothing
// here knows about MLIR ops, so each algorithm can be read against the ONNX
// operator specification alone. Every function returns nullopt for operands
// the operator rejects (bad ranks, out-of-range indices), never asserts:
// the operands come from untrusted model files.
//
//===----------------------------------------------------------------------===//

#ifndef BITNET_LIB_CONVERSION_ONNXTOTERNARY_EVALUATORKERNELS_H
#define BITNET_LIB_CONVERSION_ONNXTOTERNARY_EVALUATORKERNELS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

namespace mlir::bitnet {

/// A row-major tensor with every element held as a double: exact for the
/// integer types up to 2^53 and for f32, whose results are rounded back
/// after each op.
struct EvaluatedTensor {
  llvm::SmallVector<int64_t> shape;
  std::vector<double> values;
};

namespace eval {

int64_t numElements(llvm::ArrayRef<int64_t> shape);

/// Results larger than this are not evaluated, so that a hostile model
/// cannot make the compiler allocate without bound. The largest matrix of
/// a released BitNet, the 2B4T's tied head (128256 x 2560), is 0.33 G.
constexpr int64_t kMaxElements = int64_t(1) << 29;

/// numpy broadcasting of several shapes; nullopt if they do not broadcast.
std::optional<llvm::SmallVector<int64_t>>
broadcastShapes(llvm::ArrayRef<llvm::ArrayRef<int64_t>> shapes);

/// fn over the broadcast elements of `operands`; its result is passed
/// through `round` (the result element type's rounding).
std::optional<EvaluatedTensor>
mapBroadcast(llvm::ArrayRef<const EvaluatedTensor *> operands,
             llvm::function_ref<double(llvm::ArrayRef<double>)> fn,
             llvm::function_ref<double(double)> round);

/// mapBroadcast with `fn` and `round` inlined where every operand is a
/// scalar or has the result's element count: weight subgraphs are made of
/// such ops over every weight, where an indirect call per element costs
/// more than the op. Other operands go to mapBroadcast.
template <typename Fn, typename Round>
std::optional<EvaluatedTensor>
mapInlined(llvm::ArrayRef<const EvaluatedTensor *> operands, Fn fn,
           Round round) {
  int64_t n = 0;
  for (const EvaluatedTensor *t : operands)
    n = std::max<int64_t>(n, t->values.size());
  llvm::SmallVector<llvm::ArrayRef<int64_t>> shapes;
  bool simple = n > 0;
  for (const EvaluatedTensor *t : operands) {
    shapes.push_back(t->shape);
    simple &= int64_t(t->values.size()) == n || t->values.size() == 1;
  }
  auto shape = simple ? broadcastShapes(shapes) : std::nullopt;
  if (!shape || numElements(*shape) != n)
    return mapBroadcast(operands, fn, round);
  EvaluatedTensor out{*shape, std::vector<double>(n)};
  llvm::SmallVector<const double *, 4> data;
  llvm::SmallVector<int64_t, 4> step;
  for (const EvaluatedTensor *t : operands) {
    data.push_back(t->values.data());
    step.push_back(int64_t(t->values.size()) == n ? 1 : 0);
  }
  llvm::SmallVector<double, 4> args(operands.size());
  for (int64_t i = 0; i < n; ++i) {
    for (size_t k = 0; k < data.size(); ++k)
      args[k] = data[k][i * step[k]];
    out.values[i] = round(fn(llvm::ArrayRef<double>(args)));
  }
  return out;
}

enum class ReduceKind { Sum, Mean, Max, Min, Prod };

/// Reduces `axes` (already normalized, duplicates allowed).
std::optional<EvaluatedTensor> reduce(const EvaluatedTensor &x,
                                      llvm::ArrayRef<int64_t> axes,
                                      bool keepdims, ReduceKind kind,
                                      llvm::function_ref<double(double)> round);

std::optional<EvaluatedTensor> transpose(const EvaluatedTensor &x,
                                         llvm::ArrayRef<int64_t> perm);

std::optional<EvaluatedTensor>
concat(llvm::ArrayRef<const EvaluatedTensor *> parts, int64_t axis);

/// ONNX Slice; `axes` and `steps` may be null.
std::optional<EvaluatedTensor> slice(const EvaluatedTensor &x,
                                     const EvaluatedTensor &starts,
                                     const EvaluatedTensor &ends,
                                     const EvaluatedTensor *axes,
                                     const EvaluatedTensor *steps);

/// ONNX Reshape: 0 copies the input dim unless `allowZero`, -1 is inferred.
std::optional<EvaluatedTensor> reshape(const EvaluatedTensor &x,
                                       const EvaluatedTensor &shape,
                                       bool allowZero);

/// x with a new shape of the same element count.
std::optional<EvaluatedTensor> withShape(const EvaluatedTensor &x,
                                         llvm::ArrayRef<int64_t> shape);

std::optional<EvaluatedTensor> gather(const EvaluatedTensor &data,
                                      const EvaluatedTensor &indices,
                                      int64_t axis);

std::optional<EvaluatedTensor> gatherND(const EvaluatedTensor &data,
                                        const EvaluatedTensor &indices,
                                        int64_t batchDims);

/// ONNX ScatterND with reduction none, add, mul, max or min.
std::optional<EvaluatedTensor> scatterND(const EvaluatedTensor &data,
                                         const EvaluatedTensor &indices,
                                         const EvaluatedTensor &updates,
                                         llvm::StringRef reduction);

std::optional<EvaluatedTensor> cumSum(const EvaluatedTensor &x, int64_t axis,
                                      bool exclusive, bool reverse,
                                      llvm::function_ref<double(double)> round);

/// start + i * delta for i in [0, ceil((limit - start) / delta)).
std::optional<EvaluatedTensor> range(double start, double limit, double delta,
                                     llvm::function_ref<double(double)> round);

/// Two-way (numpy) broadcast of x against `shape`.
std::optional<EvaluatedTensor> expand(const EvaluatedTensor &x,
                                      llvm::ArrayRef<int64_t> shape);

std::optional<EvaluatedTensor> tile(const EvaluatedTensor &x,
                                    llvm::ArrayRef<int64_t> repeats);

} // namespace eval
} // namespace mlir::bitnet

#endif // BITNET_LIB_CONVERSION_ONNXTOTERNARY_EVALUATORKERNELS_H
