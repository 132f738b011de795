//===- WeightMatMulToVector.cpp - float MatMuls by compile-time weights ---===//
//
// The float layers left after BitLinear recognition whose weights are known
// (the head above all, a GEMV over the vocabulary at decode) read their
// weights as rows: y[t, n] = dot(x[t, :], W[n, :]) with W = B^T (VectorDot.h),
// each output computed by one (parallel) linalg element below a tile's
// worth of tokens, in register tiles of rows x tokens from there on
// (BlockedDot.h). Rows are contiguous, so the weights stream from memory in
// order. Where B is the
// transpose of a constant (a tied head over the embedding table), W is that
// constant itself, read in place; otherwise B is transposed once here.
//
// The embedding lookup (a Gather of rows from a constant table) reads the
// same rows: a tied model keeps one table, in the --float-weights storage,
// which both the lookup and the head read.
//
//===----------------------------------------------------------------------===//

#include "BlockedDot.h"
#include "LoweringUtils.h"
#include "PopulatePatterns.h"
#include "VectorDot.h"

#include "BitNet/Conversion/StreamPrefetch.h"

#include "BitNet/Dialect/ONNX/IR/ONNXOps.h"
#include "BitNet/Support/ElementsStorage.h"
#include "BitNet/Support/KernelAttributes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

#include <cmath>
#include <cstring>

using namespace mlir;
using namespace mlir::bitnet;
namespace onnx = mlir::bitnet::onnx;

namespace {

/// The raw f32 bytes of a non-splat constant, if it is stored as such.
std::optional<ArrayRef<char>> rawFloats(ElementsAttr attr) {
  if (!attr.getElementType().isF32())
    return std::nullopt;
  ArrayRef<char> raw;
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    if (dense.isSplat())
      return std::nullopt;
    raw = dense.getRawData();
  } else if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    raw = resource.getData();
  }
  if (raw.size() != size_t(attr.getNumElements()) * sizeof(float))
    return std::nullopt;
  return raw;
}

/// The f32 elements of a constant, dense or resource; empty if neither.
std::vector<float> readFloats(ElementsAttr attr) {
  std::vector<float> values;
  if (std::optional<ArrayRef<char>> raw = rawFloats(attr)) {
    values.resize(raw->size() / sizeof(float));
    std::memcpy(values.data(), raw->data(), raw->size());
  } else if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    for (APFloat v : dense.getValues<APFloat>())
      values.push_back(v.convertToFloat());
  }
  return values;
}

/// Bytes as a constant of `type`, under the one size policy.
Value bytesConstant(PatternRewriter &rewriter, Location loc,
                    RankedTensorType type, ArrayRef<char> bytes) {
  return arith::ConstantOp::create(
      rewriter, loc,
      cast<TypedAttr>(buildElementsAttr(type, bytes, "weight_rows")));
}

/// The [N, K] weight rows a product reads, in their storage type, and for
/// int8 storage the f32 scale of each row ([N]).
struct WeightRows {
  Value rows;
  Value scales;
  explicit operator bool() const { return bool(rows); }
};

/// f32 to IEEE half, rounded to nearest even, as APFloat converts but at
/// a few instructions an element: the table of a 128k vocabulary is 0.3 G
/// of them.
uint16_t toHalf(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  uint32_t sign = (bits >> 16) & 0x8000, magnitude = bits & 0x7fffffff;
  if (magnitude >= 0x7f800000) // inf, or NaN kept quiet
    return sign | (magnitude > 0x7f800000 ? 0x7e00 : 0x7c00);
  if (magnitude >= 0x477ff000) // rounds past 65504
    return sign | 0x7c00;
  if (magnitude < 0x38800000) { // below 2^-14: a subnormal half, exactly scaled
    float a;
    std::memcpy(&a, &magnitude, sizeof(a));
    return sign | uint16_t(std::nearbyint(a * 16777216.0f));
  }
  uint32_t rounded = magnitude + 0xfff + ((magnitude >> 13) & 1);
  return sign | uint16_t((rounded - 0x38000000) >> 13);
}

/// f32 to bfloat16, rounded to nearest even (NaN stays NaN).
uint16_t toBFloat16(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  if ((bits & 0x7fffffff) > 0x7f800000)
    return uint16_t((bits >> 16) | 0x40);
  return uint16_t((bits + 0x7fff + ((bits >> 16) & 1)) >> 16);
}

/// `rows` ([N, K] f32) stored as `storage`: f32 as is, f16/bf16 rounded to
/// nearest, i8 as round(w / s) with s = max|row| / 127 per row (llama.cpp's
/// Q8 head, at one scale per row instead of per block of 32).
WeightRows rowsConstant(PatternRewriter &rewriter, Location loc,
                        ArrayRef<float> rows, int64_t n, int64_t k,
                        Type storage) {
  auto type = RankedTensorType::get({n, k}, storage);
  auto asBytes = [](const auto &v) {
    return ArrayRef<char>(reinterpret_cast<const char *>(v.data()),
                          v.size() * sizeof(v[0]));
  };
  if (storage.isF32())
    return {bytesConstant(rewriter, loc, type, asBytes(rows)), {}};
  if (storage.isInteger(8)) {
    std::vector<int8_t> q(rows.size());
    std::vector<float> scales(n);
    for (int64_t r = 0; r < n; ++r) {
      float max = 0;
      for (int64_t i = 0; i < k; ++i)
        max = std::max(max, std::fabs(rows[r * k + i]));
      float s = max > 0 ? max / 127.0f : 1.0f;
      scales[r] = s;
      for (int64_t i = 0; i < k; ++i)
        q[r * k + i] = int8_t(std::lround(rows[r * k + i] / s));
    }
    auto scaleType = RankedTensorType::get({n}, rewriter.getF32Type());
    return {bytesConstant(rewriter, loc, type, asBytes(q)),
            bytesConstant(rewriter, loc, scaleType, asBytes(scales))};
  }
  std::vector<uint16_t> narrow(rows.size());
  bool half = storage.isF16();
  for (size_t i = 0; i < rows.size(); ++i)
    narrow[i] = half ? toHalf(rows[i]) : toBFloat16(rows[i]);
  return {bytesConstant(rewriter, loc, type, asBytes(narrow)), {}};
}

/// The narrowed copies of the f32 tables that lookups and products read,
/// made once per table and function and shared by every reader: a tied
/// model's embedding and head are one table.
struct FloatWeightTables {
  explicit FloatWeightTables(Type storage) : storage(storage) {}
  Type storage;
  DenseMap<std::pair<Attribute, Operation *>, WeightRows> narrowed;
};

FunctionOpInterface enclosingFunction(Value value) {
  Operation *parent = value.getParentRegion()->getParentOp();
  if (auto function = dyn_cast<FunctionOpInterface>(parent))
    return function;
  return parent->getParentOfType<FunctionOpInterface>();
}


/// Whether constant B ([K, N] f32) holds `table` ([N, K] f32) transposed,
/// bit for bit. Compared in 64 x 64 blocks, so that both sides stay in
/// cache, and without a transposed copy: a tied head is the vocabulary
/// times the width.
bool isTransposeOf(ElementsAttr b, ArrayRef<char> table, int64_t k, int64_t n) {
  std::optional<ArrayRef<char>> raw = rawFloats(b);
  if (!raw || raw->size() != table.size())
    return false;
  auto at = [](ArrayRef<char> bytes, int64_t i) {
    uint32_t bits;
    std::memcpy(&bits, bytes.data() + i * sizeof(float), sizeof(bits));
    return bits;
  };
  constexpr int64_t kBlock = 64;
  for (int64_t i0 = 0; i0 < k; i0 += kBlock)
    for (int64_t j0 = 0; j0 < n; j0 += kBlock)
      for (int64_t i = i0; i < std::min(k, i0 + kBlock); ++i)
        for (int64_t j = j0; j < std::min(n, j0 + kBlock); ++j)
          if (at(*raw, i * n + j) != at(table, j * k + i))
            return false;
  return true;
}

/// A constant [N, K] f32 table of `function` whose transpose is constant
/// B ([K, N]): the embedding, when an exporter folded the tied head's
/// transpose into an initializer of its own.
Value findEqualTable(FunctionOpInterface function, ElementsAttr b, int64_t k,
                     int64_t n) {
  auto type = RankedTensorType::get({n, k}, Float32Type::get(function.getContext()));
  Value found;
  function.walk([&](Operation *op) {
    ElementsAttr attr;
    if (op->getNumResults() != 1 || op->getResult(0).getType() != type ||
        !matchPattern(op->getResult(0), m_Constant(&attr)))
      return WalkResult::advance();
    std::optional<ArrayRef<char>> raw = rawFloats(attr);
    if (raw && isTransposeOf(b, *raw, k, n)) {
      found = op->getResult(0);
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return found;
}

/// The [N, K] transpose of constant B ([K, N] f32); empty if B is not one.
std::vector<float> transposedFloats(ElementsAttr attr, int64_t k, int64_t n) {
  std::vector<float> values = readFloats(attr);
  if (int64_t(values.size()) != k * n)
    return {};
  std::vector<float> rows(values.size());
  for (int64_t i = 0; i < k; ++i)
    for (int64_t j = 0; j < n; ++j)
      rows[j * k + i] = values[i * n + j];
  return rows;
}

/// Whether a MatMul of `function` reads `table` ([N, K] f32) as its weight
/// rows: the head of a tied model, through a Transpose or a folded copy.
bool isHeadTable(FunctionOpInterface function, Value table) {
  auto type = cast<RankedTensorType>(table.getType());
  ElementsAttr tableAttr;
  if (!matchPattern(table, m_Constant(&tableAttr)))
    return false;
  std::optional<ArrayRef<char>> tableBytes = rawFloats(tableAttr);
  bool tied = false;
  function.walk([&](onnx::MatMulOp matmul) {
    Value b = matmul.getB();
    if (auto t = b.getDefiningOp<onnx::TransposeOp>()) {
      ElementsAttr attr;
      tied = matchPattern(t.getData(), m_Constant(&attr)) && attr == tableAttr;
    } else if (auto bType = dyn_cast<RankedTensorType>(b.getType());
               tableBytes && bType && bType.getRank() == 2 &&
               bType.getDimSize(0) == type.getDimSize(1) &&
               bType.getDimSize(1) == type.getDimSize(0)) {
      ElementsAttr attr;
      tied = matchPattern(b, m_Constant(&attr)) &&
             isTransposeOf(attr, *tableBytes, bType.getDimSize(0),
                           bType.getDimSize(1));
    }
    return tied ? WalkResult::interrupt() : WalkResult::advance();
  });
  return tied;
}

/// The rows of `constant` ([N, K] f32, a table or the operand of a
/// transpose that makes B): itself when stored as f32, else the narrowed
/// copy, placed at the top of the function so that every reader sees it.
WeightRows tableRows(PatternRewriter &rewriter, Value constant,
                     FloatWeightTables &tables) {
  ElementsAttr attr;
  auto type = dyn_cast<RankedTensorType>(constant.getType());
  if (!type || type.getRank() != 2 || !type.getElementType().isF32() ||
      !matchPattern(constant, m_Constant(&attr)))
    return {};
  if (tables.storage.isF32())
    return {constant, {}};
  FunctionOpInterface function = enclosingFunction(constant);
  if (!function)
    return {};
  auto key = std::make_pair(Attribute(attr), function.getOperation());
  auto cached = tables.narrowed.find(key);
  if (cached != tables.narrowed.end())
    return cached->second;
  // Narrowed from the constant's own bytes where they are floats in
  // place; a copy (of a table of the vocabulary's size) otherwise.
  std::vector<float> copy;
  ArrayRef<float> rows;
  std::optional<ArrayRef<char>> raw = rawFloats(attr);
  if (raw && reinterpret_cast<uintptr_t>(raw->data()) % alignof(float) == 0) {
    rows = ArrayRef<float>(reinterpret_cast<const float *>(raw->data()),
                           raw->size() / sizeof(float));
  } else {
    copy = readFloats(attr);
    rows = copy;
  }
  if (int64_t(rows.size()) != attr.getNumElements())
    return {};
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPointToStart(&function.getFunctionBody().front());
  WeightRows narrowed =
      rowsConstant(rewriter, constant.getLoc(), rows, type.getDimSize(0),
                   type.getDimSize(1), tables.storage);
  tables.narrowed[key] = narrowed;
  return narrowed;
}

/// W = B^T as [N, K] rows of `storage` type: the constant under a
/// Transpose of B (read in place when it is f32 already), or a transposed
/// copy of constant B; null when B is not known.
WeightRows weightRows(PatternRewriter &rewriter, Location loc, Value b,
                      FloatWeightTables &tables) {
  auto bType = cast<RankedTensorType>(b.getType());
  if (auto t = b.getDefiningOp<onnx::TransposeOp>()) {
    auto perm = t.getPerm();
    bool swaps = !perm || (perm->size() == 2 &&
                           cast<IntegerAttr>((*perm)[0]).getInt() == 1);
    if (swaps)
      if (WeightRows rows = tableRows(rewriter, t.getData(), tables))
        return rows;
  }
  // The walk may have lowered the Transpose already.
  if (auto t = b.getDefiningOp<linalg::TransposeOp>())
    if (t.getPermutation() == ArrayRef<int64_t>{1, 0})
      if (WeightRows rows = tableRows(rewriter, t.getInput(), tables))
        return rows;
  ElementsAttr attr;
  if (!matchPattern(b, m_Constant(&attr)))
    return {};
  int64_t k = bType.getDimSize(0), n = bType.getDimSize(1);
  if (FunctionOpInterface function = enclosingFunction(b))
    if (Value table = findEqualTable(function, attr, k, n))
      if (WeightRows shared = tableRows(rewriter, table, tables))
        return shared;
  std::vector<float> rows = transposedFloats(attr, k, n);
  if (rows.empty())
    return {};
  return rowsConstant(rewriter, loc, rows, n, k, tables.storage);
}

/// sum over k of x[t, k] * w[n, k], times the row's scale if it has one;
/// prefetching the rows ahead from `stream` if given.
Value rowDot(OpBuilder &b, Location loc, Value x, const WeightRows &w,
             Value t, Value n, int64_t k, Value stream = {}) {
  Value sum = buildLaneDot(b, loc, x, t, w.rows, n, k, stream);
  if (!w.scales)
    return sum;
  Value scale = tensor::ExtractOp::create(b, loc, w.scales, ValueRange{n});
  return arith::MulFOp::create(b, loc, sum, scale);
}

/// x [T, K] times the rows into `init` [T, N], one dot per (row, token):
/// decode's GEMV, which streams each row once.
Value rowDotsPerToken(OpBuilder &rewriter, Location loc, Value x,
                      const WeightRows &w, Value init, int64_t k) {
  Value stream = flatRowsBuffer(rewriter, loc, w.rows);
  auto product = linalg::GenericOp::create(
      rewriter, loc, init.getType(), ValueRange{}, ValueRange{init},
      // Loops (output, token): a weight row serves every token while it
      // is in L1.
      SmallVector<AffineMap>{AffineMap::get(
          2, 0, {rewriter.getAffineDimExpr(1), rewriter.getAffineDimExpr(0)},
          rewriter.getContext())},
      SmallVector<utils::IteratorType>(2, utils::IteratorType::parallel),
      [&](OpBuilder &b, Location l, ValueRange) {
        Value row = linalg::IndexOp::create(b, l, 0);
        Value t = linalg::IndexOp::create(b, l, 1);
        linalg::YieldOp::create(b, l, rowDot(b, l, x, w, t, row, k, stream));
      });
  product->setAttr(kParallelKernelAttrName, rewriter.getUnitAttr());
  return product.getResult(0);
}

/// y = x @ B for f32 x [..., K] and compile-time B [K, N].
struct WeightMatMulToVector : OpRewritePattern<onnx::MatMulOp> {
  WeightMatMulToVector(MLIRContext *context,
                       std::shared_ptr<FloatWeightTables> tables)
      : OpRewritePattern(context, /*benefit=*/2), tables(std::move(tables)) {}
  std::shared_ptr<FloatWeightTables> tables;

  LogicalResult matchAndRewrite(onnx::MatMulOp op,
                                PatternRewriter &rewriter) const override {
    auto aType = dyn_cast<RankedTensorType>(op.getA().getType());
    auto bType = dyn_cast<RankedTensorType>(op.getB().getType());
    auto yType = dyn_cast<RankedTensorType>(op.getType());
    if (!aType || !bType || !yType || aType.getRank() < 2 ||
        bType.getRank() != 2 || !bType.hasStaticShape() ||
        !aType.getElementType().isF32() || !bType.getElementType().isF32() ||
        !yType.getElementType().isF32() || yType.getRank() != aType.getRank() ||
        aType.getShape().back() != bType.getDimSize(0))
      return rewriter.notifyMatchFailure(op, "needs f32 x [..., K], B [K, N]");
    Location loc = op.getLoc();
    WeightRows w = weightRows(rewriter, loc, op.getB(), *tables);
    if (!w)
      return rewriter.notifyMatchFailure(op, "B is not known at compile time");
    int64_t k = bType.getDimSize(0), n = bType.getDimSize(1);

    // [..., K] as [T, K]; the result [T, N] back as [..., N].
    int64_t rank = aType.getRank();
    ReassociationIndices leading;
    for (int64_t i = 0; i + 1 < rank; ++i)
      leading.push_back(i);
    SmallVector<ReassociationIndices> groups = {leading, {rank - 1}};
    Value x = rank == 2 ? op.getA()
                        : Value(tensor::CollapseShapeOp::create(
                              rewriter, loc, op.getA(), groups));
    auto xType = cast<RankedTensorType>(x.getType());
    int64_t tokens = xType.getDimSize(0);
    SmallVector<Value> dynamic;
    if (ShapedType::isDynamic(tokens))
      dynamic.push_back(tensor::DimOp::create(rewriter, loc, x, 0));
    Value init = tensor::EmptyOp::create(
        rewriter, loc, ArrayRef<int64_t>{tokens, n}, rewriter.getF32Type(),
        dynamic);
    int64_t elementBytes =
        cast<ShapedType>(w.rows.getType()).getElementTypeBitWidth() / 8;
    DotTile tile = chooseDotTile(op, k, elementBytes);
    // Per token below a tile's worth of tokens, register-blocked from
    // there on.
    Value y = selectByTokenCount(
        rewriter, loc, x, tile.tokens,
        [&](OpBuilder &b, Location l) {
          return rowDotsPerToken(b, l, x, w, init, k);
        },
        [&](OpBuilder &b, Location l) {
          return buildBlockedRowDots(b, l, x, w.rows, w.scales, init, tile);
        });
    if (rank > 2) {
      SmallVector<OpFoldResult> sizes;
      for (int64_t i = 0; i + 1 < rank; ++i)
        sizes.push_back(tensor::getMixedSize(rewriter, loc, op.getA(), i));
      sizes.push_back(rewriter.getIndexAttr(n));
      SmallVector<int64_t> shape(aType.getShape());
      shape.back() = n;
      y = tensor::ExpandShapeOp::create(
          rewriter, loc, RankedTensorType::get(shape, rewriter.getF32Type()), y,
          groups, sizes);
    }
    if (y.getType() != yType)
      y = tensor::CastOp::create(rewriter, loc, yType, y);
    rewriter.replaceOp(op, y);
    return success();
  }
};

/// out[i..., j] = table[indices[i...], j] from a constant f32 table
/// ([V, H]) stored narrow: the element widened back to f32 (times the row's
/// scale for i8). An f32 table is left to the generic Gather.
struct EmbeddingGatherFromRows : OpRewritePattern<onnx::GatherOp> {
  static constexpr int64_t kMinEmbeddingRows = 16384;
  EmbeddingGatherFromRows(MLIRContext *context,
                          std::shared_ptr<FloatWeightTables> tables)
      : OpRewritePattern(context, /*benefit=*/2), tables(std::move(tables)) {}
  std::shared_ptr<FloatWeightTables> tables;

  LogicalResult matchAndRewrite(onnx::GatherOp op,
                                PatternRewriter &rewriter) const override {
    auto idxType = dyn_cast<RankedTensorType>(op.getIndices().getType());
    auto type = dyn_cast<RankedTensorType>(op.getType());
    if (tables->storage.isF32() || op.getAxis().value_or(0) != 0 || !idxType ||
        !type || !type.getElementType().isF32() ||
        !idxType.getElementType().isSignlessInteger())
      return rewriter.notifyMatchFailure(op, "not a narrowed table lookup");
    // The embedding, not every table: a tied one, whose narrow copy the
    // head needs anyway, or one of a vocabulary's size. Small lookups
    // (rotary sines by position) stay exact.
    auto dataType = dyn_cast<RankedTensorType>(op.getData().getType());
    FunctionOpInterface function = enclosingFunction(op.getData());
    if (!dataType || dataType.getRank() != 2 || !function ||
        (dataType.getDimSize(0) < kMinEmbeddingRows &&
         !isHeadTable(function, op.getData())))
      return rewriter.notifyMatchFailure(op, "not an embedding table");
    WeightRows table = tableRows(rewriter, op.getData(), *tables);
    if (!table)
      return rewriter.notifyMatchFailure(op, "the table is not a constant");
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    int64_t rank = type.getRank(), idxRank = idxType.getRank();
    SmallVector<Value> sizes = getDimSizes(rewriter, loc, op.getIndices());
    sizes.push_back(getDimSize(rewriter, loc, table.rows, 1));
    Value init = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                         rewriter.getF32Type(),
                                         dynamicSizesOf(type, sizes));
    Value vocab = getDimSize(rewriter, loc, table.rows, 0);
    SmallVector<AffineMap> maps = {
        AffineMap::getMultiDimIdentityMap(rank, ctx).getMajorSubMap(idxRank),
        AffineMap::getMultiDimIdentityMap(rank, ctx)};
    auto generic = linalg::GenericOp::create(
        rewriter, loc, type, ValueRange{op.getIndices()}, ValueRange{init},
        maps,
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value row = gatherIndex(b, l, args[0], vocab);
          Value column = linalg::IndexOp::create(b, l, rank - 1);
          Value v = tensor::ExtractOp::create(b, l, table.rows,
                                              ValueRange{row, column});
          Type f32 = b.getF32Type();
          if (!table.scales) {
            linalg::YieldOp::create(b, l,
                                    Value(arith::ExtFOp::create(b, l, f32, v)));
            return;
          }
          Value q = arith::SIToFPOp::create(b, l, f32, v);
          Value scale =
              tensor::ExtractOp::create(b, l, table.scales, ValueRange{row});
          linalg::YieldOp::create(b, l,
                                  Value(arith::MulFOp::create(b, l, q, scale)));
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

} // namespace

void mlir::bitnet::populateWeightMatMulToVectorPatterns(
    RewritePatternSet &patterns, Type storage) {
  auto tables = std::make_shared<FloatWeightTables>(storage);
  patterns.add<WeightMatMulToVector, EmbeddingGatherFromRows>(
      patterns.getContext(), tables);
}
