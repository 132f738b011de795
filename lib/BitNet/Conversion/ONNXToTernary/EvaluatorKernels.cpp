//===- EvaluatorKernels.cpp - tensor algorithms of the weight evaluator ---===//
//
// Each function follows the ONNX operator specification of the same name.
// Index arithmetic walks a multi-index over the result and keeps operand
// offsets in step, so nothing is recomputed per element from scratch.
//
//===----------------------------------------------------------------------===//

#include "EvaluatorKernels.h"

#include <algorithm>
#include <cmath>
#include <numeric>

using namespace mlir::bitnet;
using namespace mlir::bitnet::eval;
using llvm::ArrayRef;
using llvm::SmallVector;

namespace {

SmallVector<int64_t> stridesOf(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t i = int64_t(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

/// Strides of `shape` seen from a broadcast result: 0 where broadcast.
SmallVector<int64_t> broadcastStrides(ArrayRef<int64_t> shape,
                                      ArrayRef<int64_t> result) {
  SmallVector<int64_t> own = stridesOf(shape);
  SmallVector<int64_t> strides(result.size(), 0);
  size_t offset = result.size() - shape.size();
  for (size_t i = 0; i < shape.size(); ++i)
    strides[offset + i] = shape[i] == 1 ? 0 : own[i];
  return strides;
}

/// Calls fn(i, offsets) for each element i of `shape`, where offsets[k]
/// is the element's offset under strides[k].
template <typename Fn>
void forEachIndex(ArrayRef<int64_t> shape,
                  ArrayRef<SmallVector<int64_t>> strides, Fn fn) {
  int64_t n = numElements(shape);
  SmallVector<int64_t> index(shape.size(), 0), offsets(strides.size(), 0);
  for (int64_t i = 0; i < n; ++i) {
    fn(i, ArrayRef<int64_t>(offsets));
    for (int64_t d = int64_t(shape.size()) - 1; d >= 0; --d) {
      for (size_t k = 0; k < strides.size(); ++k)
        offsets[k] += strides[k][d];
      if (++index[d] < shape[d])
        break;
      for (size_t k = 0; k < strides.size(); ++k)
        offsets[k] -= strides[k][d] * shape[d];
      index[d] = 0;
    }
  }
}

bool validShape(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0 || (d > 0 && n > kMaxElements / d))
      return false;
    n *= d;
  }
  return true;
}

std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank) {
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis >= rank)
    return std::nullopt;
  return axis;
}

/// An index into a dim of `size`, negative from the end; nullopt outside.
std::optional<int64_t> normalizeIndex(double v, int64_t size) {
  if (!(std::fabs(v) <= double(size)))
    return std::nullopt;
  int64_t i = int64_t(v);
  if (i < 0)
    i += size;
  if (i < 0 || i >= size)
    return std::nullopt;
  return i;
}

} // namespace

int64_t eval::numElements(ArrayRef<int64_t> shape) {
  return std::accumulate(shape.begin(), shape.end(), int64_t(1),
                         std::multiplies<int64_t>());
}

std::optional<SmallVector<int64_t>>
eval::broadcastShapes(ArrayRef<ArrayRef<int64_t>> shapes) {
  size_t rank = 0;
  for (ArrayRef<int64_t> s : shapes)
    rank = std::max(rank, s.size());
  SmallVector<int64_t> out(rank, 1);
  for (ArrayRef<int64_t> s : shapes) {
    for (size_t i = 0; i < s.size(); ++i) {
      int64_t &o = out[rank - s.size() + i];
      if (s[i] == o || s[i] == 1)
        continue;
      if (o != 1)
        return std::nullopt;
      o = s[i];
    }
  }
  if (!validShape(out))
    return std::nullopt;
  return out;
}

std::optional<EvaluatedTensor>
eval::mapBroadcast(ArrayRef<const EvaluatedTensor *> operands,
                   llvm::function_ref<double(ArrayRef<double>)> fn,
                   llvm::function_ref<double(double)> round) {
  SmallVector<ArrayRef<int64_t>> shapes;
  for (const EvaluatedTensor *t : operands)
    shapes.push_back(t->shape);
  auto shape = broadcastShapes(shapes);
  if (!shape)
    return std::nullopt;
  EvaluatedTensor out{*shape, {}};
  int64_t n = numElements(out.shape);
  out.values.resize(n);
  SmallVector<double, 4> args(operands.size());
  // Weight subgraphs mostly combine a tensor with scalars or with tensors of
  // its own shape: those need no index arithmetic.
  bool simple = llvm::all_of(operands, [&](const EvaluatedTensor *t) {
    return int64_t(t->values.size()) == n || t->values.size() == 1;
  });
  if (simple) {
    for (int64_t i = 0; i < n; ++i) {
      for (size_t k = 0; k < operands.size(); ++k)
        args[k] = operands[k]->values[operands[k]->values.size() == 1 ? 0 : i];
      out.values[i] = round(fn(args));
    }
    return out;
  }
  SmallVector<SmallVector<int64_t>> strides;
  for (const EvaluatedTensor *t : operands)
    strides.push_back(broadcastStrides(t->shape, out.shape));
  forEachIndex(out.shape, strides, [&](int64_t i, ArrayRef<int64_t> offsets) {
    for (size_t k = 0; k < operands.size(); ++k)
      args[k] = operands[k]->values[offsets[k]];
    out.values[i] = round(fn(args));
  });
  return out;
}

std::optional<EvaluatedTensor>
eval::reduce(const EvaluatedTensor &x, ArrayRef<int64_t> axes, bool keepdims,
             ReduceKind kind, llvm::function_ref<double(double)> round) {
  int64_t rank = x.shape.size();
  SmallVector<bool> reduced(rank, false);
  for (int64_t a : axes) {
    if (a < 0 || a >= rank)
      return std::nullopt;
    reduced[a] = true;
  }
  SmallVector<int64_t> outShape, keptShape;
  for (int64_t d = 0; d < rank; ++d) {
    keptShape.push_back(reduced[d] ? 1 : x.shape[d]);
    if (!reduced[d] || keepdims)
      outShape.push_back(reduced[d] ? 1 : x.shape[d]);
  }
  double init = kind == ReduceKind::Max   ? -INFINITY
                : kind == ReduceKind::Min ? INFINITY
                : kind == ReduceKind::Prod ? 1.0
                                           : 0.0;
  std::vector<double> acc(numElements(keptShape), init);
  SmallVector<SmallVector<int64_t>> strides = {
      broadcastStrides(keptShape, x.shape)};
  forEachIndex(x.shape, strides, [&](int64_t i, ArrayRef<int64_t> offsets) {
    double &a = acc[offsets[0]];
    double v = x.values[i];
    switch (kind) {
    case ReduceKind::Max:
      a = std::max(a, v);
      break;
    case ReduceKind::Min:
      a = std::min(a, v);
      break;
    case ReduceKind::Prod:
      a *= v;
      break;
    default:
      a += v;
    }
  });
  int64_t group = numElements(x.shape) / std::max<int64_t>(acc.size(), 1);
  EvaluatedTensor out{outShape, {}};
  out.values.reserve(acc.size());
  for (double v : acc)
    out.values.push_back(round(kind == ReduceKind::Mean ? v / group : v));
  return out;
}

std::optional<EvaluatedTensor> eval::transpose(const EvaluatedTensor &x,
                                               ArrayRef<int64_t> perm) {
  int64_t rank = x.shape.size();
  if (int64_t(perm.size()) != rank)
    return std::nullopt;
  SmallVector<bool> seen(rank, false);
  for (int64_t p : perm) {
    if (p < 0 || p >= rank || seen[p])
      return std::nullopt;
    seen[p] = true;
  }
  EvaluatedTensor out;
  SmallVector<int64_t> inStrides = stridesOf(x.shape);
  SmallVector<SmallVector<int64_t>> strides(1);
  for (int64_t p : perm) {
    out.shape.push_back(x.shape[p]);
    strides[0].push_back(inStrides[p]);
  }
  out.values.resize(x.values.size());
  forEachIndex(out.shape, strides, [&](int64_t i, ArrayRef<int64_t> offsets) {
    out.values[i] = x.values[offsets[0]];
  });
  return out;
}

std::optional<EvaluatedTensor>
eval::concat(ArrayRef<const EvaluatedTensor *> parts, int64_t axis) {
  if (parts.empty())
    return std::nullopt;
  int64_t rank = parts.front()->shape.size();
  auto a = normalizeAxis(axis, rank);
  if (!a)
    return std::nullopt;
  EvaluatedTensor out{parts.front()->shape, {}};
  out.shape[*a] = 0;
  for (const EvaluatedTensor *p : parts) {
    if (int64_t(p->shape.size()) != rank)
      return std::nullopt;
    for (int64_t d = 0; d < rank; ++d)
      if (d != *a && p->shape[d] != parts.front()->shape[d])
        return std::nullopt;
    out.shape[*a] += p->shape[*a];
  }
  int64_t outer = numElements(ArrayRef(out.shape).take_front(*a));
  for (int64_t o = 0; o < outer; ++o)
    for (const EvaluatedTensor *p : parts) {
      int64_t chunk = numElements(ArrayRef(p->shape).drop_front(*a));
      out.values.insert(out.values.end(), p->values.begin() + o * chunk,
                        p->values.begin() + (o + 1) * chunk);
    }
  return out;
}

std::optional<EvaluatedTensor> eval::slice(const EvaluatedTensor &x,
                                           const EvaluatedTensor &starts,
                                           const EvaluatedTensor &ends,
                                           const EvaluatedTensor *axesT,
                                           const EvaluatedTensor *stepsT) {
  int64_t rank = x.shape.size();
  size_t numAxes = starts.values.size();
  if (ends.values.size() != numAxes ||
      (axesT && axesT->values.size() != numAxes) ||
      (stepsT && stepsT->values.size() != numAxes))
    return std::nullopt;
  SmallVector<int64_t> begin(rank, 0), step(rank, 1), count(x.shape);
  for (size_t i = 0; i < numAxes; ++i) {
    if (axesT && !(std::fabs(axesT->values[i]) <= double(rank)))
      return std::nullopt;
    auto axis = normalizeAxis(axesT ? int64_t(axesT->values[i]) : int64_t(i),
                              rank);
    if (!axis)
      return std::nullopt;
    int64_t dim = x.shape[*axis];
    if (stepsT && !(std::fabs(stepsT->values[i]) < 9.2e18))
      return std::nullopt;
    int64_t s = stepsT ? int64_t(stepsT->values[i]) : 1;
    if (s == 0)
      return std::nullopt;
    // Clamping as the specification does: [0, dim] going forward,
    // [-1, dim - 1] going backward.
    auto clampIndex = [&](double v) {
      int64_t idx = std::isnan(v)  ? 0
                    : v >= 9.2e18  ? INT64_MAX
                    : v <= -9.2e18 ? INT64_MIN
                                   : int64_t(v);
      if (idx < 0 && idx != INT64_MIN)
        idx += dim;
      return s > 0 ? std::clamp<int64_t>(idx, 0, dim)
                   : std::clamp<int64_t>(idx, -1, dim - 1);
    };
    int64_t b = clampIndex(starts.values[i]), e = clampIndex(ends.values[i]);
    begin[*axis] = b;
    step[*axis] = s;
    count[*axis] = s > 0 ? (e > b ? (e - b - 1) / s + 1 : 0)
                         : (b > e ? (b - e - 1) / -s + 1 : 0);
  }
  EvaluatedTensor out{count, {}};
  SmallVector<int64_t> inStrides = stridesOf(x.shape);
  int64_t base = 0;
  SmallVector<SmallVector<int64_t>> strides(1);
  for (int64_t d = 0; d < rank; ++d) {
    base += begin[d] * inStrides[d];
    strides[0].push_back(step[d] * inStrides[d]);
  }
  out.values.resize(numElements(count));
  forEachIndex(out.shape, strides, [&](int64_t i, ArrayRef<int64_t> offsets) {
    out.values[i] = x.values[base + offsets[0]];
  });
  return out;
}

std::optional<EvaluatedTensor> eval::withShape(const EvaluatedTensor &x,
                                               ArrayRef<int64_t> shape) {
  if (!validShape(shape) || numElements(shape) != int64_t(x.values.size()))
    return std::nullopt;
  return EvaluatedTensor{SmallVector<int64_t>(shape), x.values};
}

std::optional<EvaluatedTensor> eval::reshape(const EvaluatedTensor &x,
                                             const EvaluatedTensor &shapeT,
                                             bool allowZero) {
  SmallVector<int64_t> shape;
  int64_t inferred = -1, known = 1;
  for (size_t i = 0; i < shapeT.values.size(); ++i) {
    if (!(std::fabs(shapeT.values[i]) < double(kMaxElements)))
      return std::nullopt;
    int64_t d = int64_t(shapeT.values[i]);
    if (d == 0 && !allowZero) {
      if (i >= x.shape.size())
        return std::nullopt;
      d = x.shape[i];
    }
    if (d == -1) {
      if (inferred >= 0)
        return std::nullopt;
      inferred = i;
      d = 1;
    } else if (d < 0) {
      return std::nullopt;
    }
    shape.push_back(d);
    known *= d;
  }
  if (inferred >= 0) {
    if (known == 0 || int64_t(x.values.size()) % known != 0)
      return std::nullopt;
    shape[inferred] = int64_t(x.values.size()) / known;
  }
  return withShape(x, shape);
}

std::optional<EvaluatedTensor> eval::gather(const EvaluatedTensor &data,
                                            const EvaluatedTensor &indices,
                                            int64_t axis) {
  int64_t rank = data.shape.size();
  auto a = normalizeAxis(axis, rank);
  if (!a)
    return std::nullopt;
  EvaluatedTensor out;
  out.shape.append(data.shape.begin(), data.shape.begin() + *a);
  out.shape.append(indices.shape.begin(), indices.shape.end());
  out.shape.append(data.shape.begin() + *a + 1, data.shape.end());
  if (!validShape(out.shape))
    return std::nullopt;
  int64_t outer = numElements(ArrayRef(data.shape).take_front(*a));
  int64_t dim = data.shape[*a];
  int64_t inner = numElements(ArrayRef(data.shape).drop_front(*a + 1));
  out.values.reserve(numElements(out.shape));
  for (int64_t o = 0; o < outer; ++o)
    for (double v : indices.values) {
      auto idx = normalizeIndex(v, dim);
      if (!idx)
        return std::nullopt;
      auto first = data.values.begin() + (o * dim + *idx) * inner;
      out.values.insert(out.values.end(), first, first + inner);
    }
  return out;
}

namespace {
/// Where the index tuples of GatherND/ScatterND point: for each tuple, the
/// offset of the addressed slice of `data`, and the slice's size.
struct IndexTuples {
  SmallVector<int64_t> offsets;
  int64_t sliceSize;
};

std::optional<IndexTuples> resolveTuples(ArrayRef<int64_t> dataShape,
                                         const EvaluatedTensor &indices,
                                         int64_t batchDims) {
  if (indices.shape.empty())
    return std::nullopt;
  int64_t depth = indices.shape.back();
  int64_t rank = dataShape.size();
  if (batchDims < 0 || depth < 0 || batchDims + depth > rank ||
      batchDims >= int64_t(indices.shape.size()))
    return std::nullopt;
  for (int64_t b = 0; b < batchDims; ++b)
    if (indices.shape[b] != dataShape[b])
      return std::nullopt;
  SmallVector<int64_t> strides = stridesOf(dataShape);
  IndexTuples result;
  result.sliceSize = numElements(dataShape.drop_front(batchDims + depth));
  int64_t tuples = depth == 0 ? numElements(ArrayRef(indices.shape).drop_back())
                              : int64_t(indices.values.size()) / depth;
  int64_t perBatch =
      tuples / std::max<int64_t>(
                   1, numElements(ArrayRef(indices.shape).take_front(batchDims)));
  int64_t batchStride =
      batchDims == 0 ? 0 : strides[batchDims - 1];
  for (int64_t t = 0; t < tuples; ++t) {
    int64_t offset = (t / std::max<int64_t>(perBatch, 1)) * batchStride;
    for (int64_t k = 0; k < depth; ++k) {
      auto idx = normalizeIndex(indices.values[t * depth + k],
                                dataShape[batchDims + k]);
      if (!idx)
        return std::nullopt;
      offset += *idx * strides[batchDims + k];
    }
    result.offsets.push_back(offset);
  }
  return result;
}
} // namespace

std::optional<EvaluatedTensor> eval::gatherND(const EvaluatedTensor &data,
                                              const EvaluatedTensor &indices,
                                              int64_t batchDims) {
  auto tuples = resolveTuples(data.shape, indices, batchDims);
  if (!tuples)
    return std::nullopt;
  EvaluatedTensor out;
  out.shape.append(indices.shape.begin(), indices.shape.end() - 1);
  out.shape.append(data.shape.begin() + batchDims + indices.shape.back(),
                   data.shape.end());
  if (!validShape(out.shape))
    return std::nullopt;
  for (int64_t offset : tuples->offsets)
    out.values.insert(out.values.end(), data.values.begin() + offset,
                      data.values.begin() + offset + tuples->sliceSize);
  if (int64_t(out.values.size()) != numElements(out.shape))
    return std::nullopt;
  return out;
}

std::optional<EvaluatedTensor> eval::scatterND(const EvaluatedTensor &data,
                                               const EvaluatedTensor &indices,
                                               const EvaluatedTensor &updates,
                                               llvm::StringRef reduction) {
  auto tuples = resolveTuples(data.shape, indices, /*batchDims=*/0);
  if (!tuples ||
      int64_t(updates.values.size()) !=
          int64_t(tuples->offsets.size()) * tuples->sliceSize)
    return std::nullopt;
  EvaluatedTensor out = data;
  for (size_t t = 0; t < tuples->offsets.size(); ++t) {
    for (int64_t j = 0; j < tuples->sliceSize; ++j) {
      double &dst = out.values[tuples->offsets[t] + j];
      double u = updates.values[t * tuples->sliceSize + j];
      if (reduction == "add")
        dst += u;
      else if (reduction == "mul")
        dst *= u;
      else if (reduction == "max")
        dst = std::max(dst, u);
      else if (reduction == "min")
        dst = std::min(dst, u);
      else if (reduction.empty() || reduction == "none")
        dst = u;
      else
        return std::nullopt;
    }
  }
  return out;
}

std::optional<EvaluatedTensor>
eval::cumSum(const EvaluatedTensor &x, int64_t axis, bool exclusive,
             bool reverse, llvm::function_ref<double(double)> round) {
  auto a = normalizeAxis(axis, x.shape.size());
  if (!a)
    return std::nullopt;
  int64_t outer = numElements(ArrayRef(x.shape).take_front(*a));
  int64_t dim = x.shape[*a];
  int64_t inner = numElements(ArrayRef(x.shape).drop_front(*a + 1));
  EvaluatedTensor out{x.shape, std::vector<double>(x.values.size())};
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t in = 0; in < inner; ++in) {
      double sum = 0;
      for (int64_t s = 0; s < dim; ++s) {
        int64_t k = reverse ? dim - 1 - s : s;
        int64_t i = (o * dim + k) * inner + in;
        if (!exclusive)
          sum = round(sum + x.values[i]);
        out.values[i] = sum;
        if (exclusive)
          sum = round(sum + x.values[i]);
      }
    }
  return out;
}

std::optional<EvaluatedTensor>
eval::range(double start, double limit, double delta,
            llvm::function_ref<double(double)> round) {
  if (delta == 0 || !std::isfinite(start) || !std::isfinite(limit) ||
      !std::isfinite(delta))
    return std::nullopt;
  double count = std::max(std::ceil((limit - start) / delta), 0.0);
  if (count > double(kMaxElements))
    return std::nullopt;
  EvaluatedTensor out{{int64_t(count)}, {}};
  out.values.reserve(int64_t(count));
  for (int64_t i = 0; i < int64_t(count); ++i)
    out.values.push_back(round(start + round(double(i) * delta)));
  return out;
}

std::optional<EvaluatedTensor> eval::expand(const EvaluatedTensor &x,
                                            ArrayRef<int64_t> shape) {
  auto result = broadcastShapes({ArrayRef<int64_t>(x.shape), shape});
  if (!result)
    return std::nullopt;
  EvaluatedTensor out{*result, std::vector<double>(numElements(*result))};
  SmallVector<SmallVector<int64_t>> strides = {
      broadcastStrides(x.shape, *result)};
  forEachIndex(*result, strides, [&](int64_t i, ArrayRef<int64_t> offsets) {
    out.values[i] = x.values[offsets[0]];
  });
  return out;
}

std::optional<EvaluatedTensor> eval::tile(const EvaluatedTensor &x,
                                          ArrayRef<int64_t> repeats) {
  if (repeats.size() != x.shape.size())
    return std::nullopt;
  SmallVector<int64_t> shape;
  for (auto [d, r] : llvm::zip(x.shape, repeats)) {
    if (r < 0 || (d > 0 && r > kMaxElements / d))
      return std::nullopt;
    shape.push_back(d * r);
  }
  if (!validShape(shape))
    return std::nullopt;
  EvaluatedTensor out{shape, std::vector<double>(numElements(shape))};
  SmallVector<int64_t> inStrides = stridesOf(x.shape);
  SmallVector<int64_t> index(shape.size(), 0);
  for (int64_t i = 0; i < int64_t(out.values.size()); ++i) {
    int64_t src = 0;
    for (size_t d = 0; d < shape.size(); ++d)
      src += (index[d] % x.shape[d]) * inStrides[d];
    out.values[i] = x.values[src];
    for (int64_t d = int64_t(shape.size()) - 1; d >= 0; --d) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
  }
  return out;
}
