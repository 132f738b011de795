//===- TernaryKernels.cpp - SIMD kernels of the ternary product -----------===//

#include "TernaryKernels.h"

#include "BitNet/Support/KernelAttributes.h"
#include "BitNet/Conversion/RegisterTiles.h"
#include "BitNet/Conversion/StreamPrefetch.h"
#include "BitNet/Support/TernaryPacking.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::bitnet;

namespace {

/// Group steps an i16 lane can sum: each adds at most |-128|.
constexpr int64_t kStepsPerI16Block = 128;
/// Group steps an i16 pair-sum lane can take: each adds at most 2 * 2 * 128.
constexpr int64_t kStepsPerPairBlock = 63;
/// Independent accumulators of the grouped dot kernel: the latency of the
/// instruction a back end makes of one chunk (VNNI's vpdpbusd: 5 cycles on
/// Ice Lake through Emerald Rapids) over its throughput (1 per cycle),
/// rounded down to leave registers for the chunk's operands.
constexpr int64_t kDotAccumulators = 4;

Value index(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

Value splat(OpBuilder &b, Location loc, VectorType type, int64_t v) {
  return arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(type, b.getIntegerAttr(
                                               type.getElementType(), v)));
}

/// `q`'s first `chunks` chunks with each chunk's trits reordered from
/// (byte, field) to (field, byte), so that a group's activations are
/// contiguous: [T, chunks * fmt.trits()].
Value permuteActivations(OpBuilder &b, Location loc, Value q, int64_t chunks,
                         const ChunkFormat &fmt) {
  int64_t chunkBytes = fmt.bytes, perByte = tritsPerByte(fmt.packing);
  auto type = cast<RankedTensorType>(q.getType());
  Type i8 = type.getElementType();
  int64_t tokens = type.getDimSize(0);
  OpFoldResult t = tensor::getMixedSize(b, loc, q, 0);
  Value main = tensor::ExtractSliceOp::create(
      b, loc, RankedTensorType::get({tokens, chunks * fmt.trits()}, i8), q,
      ArrayRef<OpFoldResult>{b.getIndexAttr(0), b.getIndexAttr(0)},
      ArrayRef<OpFoldResult>{t, b.getIndexAttr(chunks * fmt.trits())},
      ArrayRef<OpFoldResult>{b.getIndexAttr(1), b.getIndexAttr(1)});
  Value split = tensor::ExpandShapeOp::create(
      b, loc,
      RankedTensorType::get({tokens, chunks, chunkBytes, perByte}, i8), main,
      SmallVector<ReassociationIndices>{{0}, {1, 2, 3}},
      ArrayRef<OpFoldResult>{t, b.getIndexAttr(chunks),
                             b.getIndexAttr(chunkBytes),
                             b.getIndexAttr(perByte)});
  SmallVector<Value> dynamic;
  if (ShapedType::isDynamic(tokens))
    dynamic.push_back(tensor::DimOp::create(b, loc, q, 0));
  Value init = tensor::EmptyOp::create(
      b, loc, ArrayRef<int64_t>{tokens, chunks, perByte, chunkBytes}, i8,
      dynamic);
  Value swapped =
      linalg::TransposeOp::create(b, loc, split, init,
                                  ArrayRef<int64_t>{0, 1, 3, 2})
          ->getResult(0);
  return tensor::CollapseShapeOp::create(
      b, loc, swapped, SmallVector<ReassociationIndices>{{0}, {1, 2, 3}});
}

/// Per-token sums of the first `trits` activations of `q` ([T] int32): the
/// dot kernel's correction for fields being trit + 1.
Value tokenSums(OpBuilder &b, Location loc, Value q, int64_t trits) {
  MLIRContext *ctx = b.getContext();
  auto type = cast<RankedTensorType>(q.getType());
  Type i32 = b.getI32Type();
  int64_t tokens = type.getDimSize(0);
  SmallVector<Value> dynamic;
  if (ShapedType::isDynamic(tokens))
    dynamic.push_back(tensor::DimOp::create(b, loc, q, 0));
  Value zero = arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(0));
  Value empty = tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{tokens},
                                        i32, dynamic);
  Value init = linalg::FillOp::create(b, loc, zero, empty).getResult(0);
  Value main = tensor::ExtractSliceOp::create(
      b, loc, RankedTensorType::get({tokens, trits}, type.getElementType()), q,
      ArrayRef<OpFoldResult>{b.getIndexAttr(0), b.getIndexAttr(0)},
      ArrayRef<OpFoldResult>{tensor::getMixedSize(b, loc, q, 0),
                             b.getIndexAttr(trits)},
      ArrayRef<OpFoldResult>{b.getIndexAttr(1), b.getIndexAttr(1)});
  AffineMap tk = AffineMap::getMultiDimIdentityMap(2, ctx);
  AffineMap t = AffineMap::get(2, 0, {getAffineDimExpr(0, ctx)}, ctx);
  return linalg::GenericOp::create(
             b, loc, init.getType(), ValueRange{main}, ValueRange{init},
             ArrayRef<AffineMap>{tk, t},
             ArrayRef{utils::IteratorType::parallel,
                      utils::IteratorType::reduction},
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               Value x = arith::ExtSIOp::create(nb, nl, i32, args[0]);
               linalg::YieldOp::create(
                   nb, nl, Value(arith::AddIOp::create(nb, nl, args[1], x)));
             })
      .getResult(0);
}

/// The four fields of 16 packed bytes as 64 unsigned bytes, grouped by
/// field: (bytes >> 2f) & 3 for f = 0..3. The shift is done in 16-bit
/// lanes: x86 has no per-byte shift (LLVM would widen to words and narrow
/// back, a dozen instructions), and the bits a word shift pulls into a byte
/// from its neighbour land above bit 1, where the mask clears them.
Value decodeFields(OpBuilder &b, Location loc, Value bytes) {
  int64_t chunkBytes = cast<VectorType>(bytes.getType()).getNumElements();
  int64_t trits = chunkBytes * kTritsPerByte;
  auto i8x64 = VectorType::get({trits}, b.getI8Type());
  auto i16x32 = VectorType::get({trits / 2}, b.getI16Type());
  SmallVector<int64_t> repeat;
  SmallVector<int16_t> shifts;
  for (int64_t f = 0; f < kTritsPerByte; ++f) {
    for (int64_t i = 0; i < chunkBytes; ++i)
      repeat.push_back(i);
    shifts.append(chunkBytes / 2, int16_t(2 * f));
  }
  Value wide = vector::ShuffleOp::create(b, loc, bytes, bytes, repeat);
  Value words = vector::BitCastOp::create(b, loc, i16x32, wide);
  Value amounts = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(i16x32, ArrayRef(shifts)));
  Value shifted = vector::BitCastOp::create(
      b, loc, i8x64, arith::ShRUIOp::create(b, loc, words, amounts));
  return arith::AndIOp::create(b, loc, shifted, splat(b, loc, i8x64, 3));
}

/// The base-3 digits of the bytes `x` ({0, 1, 2} each): the carry of
/// x * 3 out of a byte, (x >= 86) + (x >= 171), two unsigned compares.
Value base3Digits(OpBuilder &b, Location loc, Value x) {
  auto type = cast<VectorType>(x.getType());
  auto atLeast = [&](int64_t v) -> Value {
    Value cmp = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::uge, x,
                                      splat(b, loc, type, v));
    return arith::ExtUIOp::create(b, loc, type, cmp);
  };
  return arith::AddIOp::create(b, loc, atLeast(86), atLeast(171));
}

/// The fields of group `g` of a chunk whose bytes are `state`. Groups are
/// decoded in order: for base3, `state` becomes the bytes the next group's
/// digits are the carries of (x * 3 mod 256, as two byte adds: x86 has no
/// byte multiply).
Value decodeGroup(OpBuilder &b, Location loc, const ChunkFormat &fmt,
                  Value &state, int64_t g) {
  if (fmt.packing == TritPacking::Base4)
    return decodeFields(b, loc, state);
  if (g > 0) {
    Value twice = arith::AddIOp::create(b, loc, state, state);
    state = arith::AddIOp::create(b, loc, twice, state);
  }
  return base3Digits(b, loc, state);
}

/// One chunk of the add/subtract kernel: acc + sum of +x, -x or 0 per lane.
Value addSubChunk(OpBuilder &b, Location loc, Value acc, Value fields,
                  Value x) {
  auto i8x64 = cast<VectorType>(fields.getType());
  auto i16x64 = cast<VectorType>(acc.getType());
  Value wide = arith::ExtSIOp::create(b, loc, i16x64, x);
  Value zero = splat(b, loc, i16x64, 0);
  Value plus = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, fields,
                                     splat(b, loc, i8x64, 2));
  Value minus = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                      fields, splat(b, loc, i8x64, 0));
  Value added = arith::AddIOp::create(
      b, loc, acc, arith::SelectOp::create(b, loc, plus, wide, zero));
  return arith::SubIOp::create(
      b, loc, added, arith::SelectOp::create(b, loc, minus, wide, zero));
}

/// acc + the products of unsigned fields and signed activations, summed in
/// groups of `group` adjacent lanes of type `lane`.
Value groupedDotChunk(OpBuilder &b, Location loc, Value acc, Value fields,
                      Value x, Type lane, int64_t group) {
  int64_t trits = cast<VectorType>(fields.getType()).getNumElements();
  auto wide = VectorType::get({trits}, lane);
  auto grouped = VectorType::get({trits / group, group}, lane);
  Value products = arith::MulIOp::create(
      b, loc, arith::ExtUIOp::create(b, loc, wide, fields),
      arith::ExtSIOp::create(b, loc, wide, x));
  Value groups = vector::ShapeCastOp::create(b, loc, grouped, products);
  return vector::MultiDimReductionOp::create(
      b, loc, groups, acc, ArrayRef<bool>{false, true},
      vector::CombiningKind::ADD);
}

/// One chunk of the dot kernel: each i32 lane adds the products of four
/// adjacent unsigned fields and signed activations, the shape of VNNI's
/// vpdpbusd, written in arith. The x86 back end turns this form into
/// vpdpbusd, or AVX2's vpmaddubsw + vpmaddwd (bitnet-x86-int8-dot), after
/// bufferization; LLVM alone would widen it to i32 multiplies.
Value dotChunk(OpBuilder &b, Location loc, Value acc, Value fields, Value x) {
  return groupedDotChunk(b, loc, acc, fields, x, b.getI32Type(), 4);
}

/// One chunk of the dot kernel for AVX2: each i16 lane adds the products
/// of two adjacent unsigned fields and signed activations, vpmaddubsw's
/// shape, so a chunk costs no vpmaddwd; the lanes are widened once per
/// block of kStepsPerPairBlock group steps instead.
Value pairDotChunk(OpBuilder &b, Location loc, Value acc, Value fields,
                   Value x) {
  return groupedDotChunk(b, loc, acc, fields, x, b.getI16Type(), 2);
}

/// One chunk of the dot kernel for AArch64's dotprod: the signed trits
/// (field - 1) times the activations, summed into the scalar `acc`. LLVM
/// selects a reduction of products of sign-extended bytes as four chained
/// `sdot`s and one `addv`; the grouped multi_reduction of dotChunk becomes
/// shuffles there, and unsigned fields times signed bytes would need i8mm's
/// usdot (LLVM knows fields are non-negative and keeps them unsigned). The
/// trits being signed, no per-token correction is needed.
Value signedDotChunk(OpBuilder &b, Location loc, Value acc, Value fields,
                     Value x) {
  auto i8x64 = cast<VectorType>(fields.getType());
  auto i32x64 = VectorType::get(i8x64.getShape(), b.getI32Type());
  Value trits = arith::SubIOp::create(b, loc, fields, splat(b, loc, i8x64, 1));
  Value products = arith::MulIOp::create(
      b, loc, arith::ExtSIOp::create(b, loc, i32x64, trits),
      arith::ExtSIOp::create(b, loc, i32x64, x));
  Value sum = vector::ReductionOp::create(b, loc, vector::CombiningKind::ADD,
                                          products);
  return arith::AddIOp::create(b, loc, acc, sum);
}

/// `width` bytes of row `row` of the i8 tensor `t` from column
/// c * stride + offset.
Value readBytes(OpBuilder &b, Location loc, Value t, Value row, Value c,
                int64_t stride, int64_t offset, int64_t width) {
  Value zero8 = arith::ConstantOp::create(b, loc, b.getI8IntegerAttr(0));
  Value column = arith::AddIOp::create(
      b, loc, arith::MulIOp::create(b, loc, c, index(b, loc, stride)),
      index(b, loc, offset));
  return vector::TransferReadOp::create(
      b, loc, VectorType::get({width}, b.getI8Type()), t,
      ValueRange{row, column}, zero8, ArrayRef<bool>{true});
}

/// What a kernel walks: the packed rows, the permuted activations, and how
/// the rows are chunked.
struct Operands {
  Value packed;
  Value xPerm;
  ChunkFormat fmt;
  /// The packed rows as one flat buffer, where the kernel prefetches.
  Value flatPacked = {};

  /// Chunk `c` of the packed row `n`.
  Value readPacked(OpBuilder &b, Location loc, Value n, Value c) const {
    return readBytes(b, loc, packed, n, c, fmt.bytes, 0, fmt.bytes);
  }
  /// Group `g` of chunk `c` of the permuted token `t`.
  Value readActivations(OpBuilder &b, Location loc, Value t, Value c,
                        int64_t g) const {
    return readBytes(b, loc, xPerm, t, c, fmt.trits(), g * fmt.groupTrits,
                     fmt.groupTrits);
  }
};

using ChunkStep = Value (*)(OpBuilder &, Location, Value acc, Value fields,
                            Value x);

/// `acc` through every group of chunk `c` of row `n` against token `t`.
Value stepChunk(OpBuilder &b, Location loc, const Operands &ops, Value n,
                Value t, Value c, Value acc, ChunkStep step) {
  Value state = ops.readPacked(b, loc, n, c);
  for (int64_t g = 0; g < ops.fmt.groups; ++g) {
    Value fields = decodeGroup(b, loc, ops.fmt, state, g);
    acc = step(b, loc, acc, fields, ops.readActivations(b, loc, t, c, g));
  }
  return acc;
}

/// acc through chunks [first, last) of row `n` against token `t`.
Value sumChunks(OpBuilder &b, Location loc, const Operands &ops, Value n,
                Value t, Value first, Value last, Value init, ChunkStep step) {
  return scf::ForOp::create(
             b, loc, first, last, index(b, loc, 1), ValueRange{init},
             [&](OpBuilder &nb, Location nl, Value c, ValueRange iter) {
               scf::YieldOp::create(
                   nb, nl, stepChunk(nb, nl, ops, n, t, c, iter[0], step));
             })
      .getResult(0);
}

/// Prefetches ahead of chunks [c, c + chunks) of row `n`, when the kernel
/// streams its rows (decode).
void prefetchAhead(OpBuilder &b, Location loc, const Operands &ops, Value n,
                   Value c, int64_t chunks) {
  if (!ops.flatPacked)
    return;
  int64_t rowBytes = cast<RankedTensorType>(ops.packed.getType()).getDimSize(1);
  Value at = arith::AddIOp::create(
      b, loc, arith::MulIOp::create(b, loc, n, index(b, loc, rowBytes)),
      arith::MulIOp::create(b, loc, c, index(b, loc, ops.fmt.bytes)));
  prefetchStream(b, loc, ops.flatPacked, at, chunks * ops.fmt.bytes);
}

/// Chunks [0, chunks) of row `n` against token `t` into `ways` vector
/// accumulators that take turns, summed at the end: an instruction of
/// several cycles' latency (vpdpbusd: 5) would otherwise wait on its own
/// result every chunk.
Value sumChunksInterleaved(OpBuilder &b, Location loc, const Operands &ops,
                           Value n, Value t, int64_t chunks, Value zero,
                           ChunkStep step, int64_t ways) {
  int64_t whole = chunks / ways * ways;
  if (whole == 0)
    return sumChunks(b, loc, ops, n, t, index(b, loc, 0),
                     index(b, loc, chunks), zero, step);
  SmallVector<Value> inits(ways, zero);
  auto loop = scf::ForOp::create(
      b, loc, index(b, loc, 0), index(b, loc, whole), index(b, loc, ways),
      inits, [&](OpBuilder &nb, Location nl, Value c, ValueRange iter) {
        prefetchAhead(nb, nl, ops, n, c, ways);
        SmallVector<Value> next;
        for (int64_t w = 0; w < ways; ++w) {
          Value cw = arith::AddIOp::create(nb, nl, c, index(nb, nl, w));
          next.push_back(stepChunk(nb, nl, ops, n, t, cw, iter[w], step));
        }
        scf::YieldOp::create(nb, nl, next);
      });
  Value acc = loop.getResult(0);
  for (int64_t w = 1; w < ways; ++w)
    acc = arith::AddIOp::create(b, loc, acc, loop.getResult(w));
  if (whole == chunks)
    return acc;
  return sumChunks(b, loc, ops, n, t, index(b, loc, whole),
                   index(b, loc, chunks), acc, step);
}

/// The scalar tail of one (t, n) sum: bytes [first, last) of the row.
Value scalarTailSum(OpBuilder &b, Location loc, Value packed, Value q, Value n,
                    Value t, int64_t first, int64_t last, Value sum) {
  Type i32 = b.getI32Type();
  auto c32 = [&](OpBuilder &nb, Location nl, int64_t v) -> Value {
    return arith::ConstantOp::create(nb, nl, nb.getI32IntegerAttr(v));
  };
  return scf::ForOp::create(
             b, loc, index(b, loc, first), index(b, loc, last),
             index(b, loc, 1), ValueRange{sum},
             [&](OpBuilder &nb, Location nl, Value byteIndex, ValueRange iter) {
               Value byte = arith::ExtUIOp::create(
                   nb, nl, i32,
                   tensor::ExtractOp::create(nb, nl, packed,
                                             ValueRange{n, byteIndex}));
               Value acc = iter[0];
               for (int64_t f = 0; f < kTritsPerByte; ++f) {
                 Value k = arith::AddIOp::create(
                     nb, nl,
                     arith::MulIOp::create(nb, nl, byteIndex,
                                           index(nb, nl, kTritsPerByte)),
                     index(nb, nl, f));
                 Value x = arith::ExtSIOp::create(
                     nb, nl, i32,
                     tensor::ExtractOp::create(nb, nl, q, ValueRange{t, k}));
                 Value field = arith::AndIOp::create(
                     nb, nl,
                     arith::ShRUIOp::create(nb, nl, byte, c32(nb, nl, 2 * f)),
                     c32(nb, nl, 3));
                 // trit * x = (field - 1) * x, with field in {0, 1, 2}:
                 // select rather than multiply, as the vector body does.
                 Value plus = arith::CmpIOp::create(
                     nb, nl, arith::CmpIPredicate::eq, field, c32(nb, nl, 2));
                 Value minus = arith::CmpIOp::create(
                     nb, nl, arith::CmpIPredicate::eq, field, c32(nb, nl, 0));
                 Value zero = c32(nb, nl, 0);
                 acc = arith::AddIOp::create(
                     nb, nl, acc,
                     arith::SelectOp::create(nb, nl, plus, x, zero));
                 acc = arith::SubIOp::create(
                     nb, nl, acc,
                     arith::SelectOp::create(nb, nl, minus, x, zero));
               }
               scf::YieldOp::create(nb, nl, acc);
             })
      .getResult(0);
}

/// Chunks [first, last) of rows `ns` against tokens `ts` into one
/// accumulator per (row, token), inits[i * ts.size() + j]: each row's chunk
/// is decoded once and serves every token of the tile.
SmallVector<Value> tileChunkLoop(OpBuilder &b, Location loc,
                                 const Operands &ops, ArrayRef<Value> ns,
                                 ArrayRef<Value> ts, Value first, Value last,
                                 ValueRange inits, ChunkStep step) {
  auto loop = scf::ForOp::create(
      b, loc, first, last, index(b, loc, 1), inits,
      [&](OpBuilder &nb, Location nl, Value c, ValueRange iter) {
        SmallVector<Value> states;
        for (Value n : ns) {
          prefetchAhead(nb, nl, ops, n, c, 1);
          states.push_back(ops.readPacked(nb, nl, n, c));
        }
        SmallVector<Value> next(iter);
        // Group by group, so that a row holds one group's fields at a time.
        for (int64_t g = 0; g < ops.fmt.groups; ++g) {
          SmallVector<Value> fields;
          for (Value &state : states)
            fields.push_back(decodeGroup(nb, nl, ops.fmt, state, g));
          for (auto [j, t] : llvm::enumerate(ts)) {
            Value x = ops.readActivations(nb, nl, t, c, g);
            for (size_t i = 0; i < ns.size(); ++i) {
              Value &acc = next[i * ts.size() + j];
              acc = step(nb, nl, acc, fields[i], x);
            }
          }
        }
        scf::YieldOp::create(nb, nl, next);
      });
  return SmallVector<Value>(loop.getResults().begin(), loop.getResults().end());
}

/// The vector part of a tile's sums: chunks [0, chunks) of rows `ns`
/// against tokens `ts`, one i32 scalar per (row, token).
SmallVector<Value> tileVectorSums(OpBuilder &b, Location loc,
                                  const Operands &ops, ArrayRef<Value> ns,
                                  ArrayRef<Value> ts, int64_t chunks,
                                  TernaryKernel kind) {
  int64_t lanes = ops.fmt.groupTrits;
  size_t count = ns.size() * ts.size();
  Value first = index(b, loc, 0), last = index(b, loc, chunks);
  auto reduceAll = [&](ValueRange accs) {
    SmallVector<Value> out;
    for (Value acc : accs)
      out.push_back(vector::ReductionOp::create(
          b, loc, vector::CombiningKind::ADD, acc));
    return out;
  };
  if (kind == TernaryKernel::SignedDot) {
    Value zero = arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(0));
    return tileChunkLoop(b, loc, ops, ns, ts, first, last,
                         SmallVector<Value>(count, zero), signedDotChunk);
  }
  if (kind == TernaryKernel::Dot) {
    // The tile's sums are independent chains: no interleaving needed.
    auto quads = VectorType::get({lanes / 4}, b.getI32Type());
    return reduceAll(tileChunkLoop(
        b, loc, ops, ns, ts, first, last,
        SmallVector<Value>(count, splat(b, loc, quads, 0)), dotChunk));
  }
  // i16 sums per block of chunks, widened into i32 between blocks: the
  // add/subtract kernel's lanes, or AVX2's pair sums.
  bool pairs = kind == TernaryKernel::PairDot;
  int64_t sums = pairs ? lanes / 2 : lanes;
  int64_t perBlock =
      (pairs ? kStepsPerPairBlock : kStepsPerI16Block) / ops.fmt.groups;
  ChunkStep step = pairs ? pairDotChunk : addSubChunk;
  auto narrow = VectorType::get({sums}, b.getI16Type());
  auto wide = VectorType::get({sums}, b.getI32Type());
  int64_t blocks = (chunks + perBlock - 1) / perBlock;
  auto outer = scf::ForOp::create(
      b, loc, index(b, loc, 0), index(b, loc, blocks), index(b, loc, 1),
      SmallVector<Value>(count, splat(b, loc, wide, 0)),
      [&](OpBuilder &ob, Location ol, Value block, ValueRange totals) {
        Value from =
            arith::MulIOp::create(ob, ol, block, index(ob, ol, perBlock));
        Value to = arith::MinSIOp::create(
            ob, ol, arith::AddIOp::create(ob, ol, from, index(ob, ol, perBlock)),
            index(ob, ol, chunks));
        SmallVector<Value> partial = tileChunkLoop(
            ob, ol, ops, ns, ts, from, to,
            SmallVector<Value>(count, splat(ob, ol, narrow, 0)), step);
        SmallVector<Value> next;
        for (auto [total, part] : llvm::zip(totals, partial))
          next.push_back(arith::AddIOp::create(
              ob, ol, total, arith::ExtSIOp::create(ob, ol, wide, part)));
        scf::YieldOp::create(ob, ol, next);
      });
  return reduceAll(outer.getResults());
}

/// The vector part of one (t, n) sum: chunks [0, chunks) as an i32 scalar.
/// Alone, a vpdpbusd chain would wait on its own latency every chunk, so
/// the dot kernel takes turns between accumulators. AVX2's pair sums take
/// the same quad form here: a lone row streams from memory, and the
/// unrolled quads measured 3-17% faster at decode on Zen 3 (the pairs win
/// in tiles, where the multiplies are the limit).
Value vectorRowSum(OpBuilder &b, Location loc, const Operands &ops, Value n,
                   Value t, int64_t chunks, TernaryKernel kind) {
  if (kind != TernaryKernel::Dot && kind != TernaryKernel::PairDot)
    return tileVectorSums(b, loc, ops, {n}, {t}, chunks, kind)[0];
  auto quads = VectorType::get({ops.fmt.groupTrits / 4}, b.getI32Type());
  Value acc = sumChunksInterleaved(b, loc, ops, n, t, chunks,
                                   splat(b, loc, quads, 0), dotChunk,
                                   kDotAccumulators);
  return vector::ReductionOp::create(b, loc, vector::CombiningKind::ADD, acc);
}

/// The registers a tile's sum, a row's decoded chunk and a token's chunk
/// take on `target`: the tiling of the ternary kernel `kind`.
RegisterTile ternaryTile(const TargetRegisters &target, TernaryKernel kind,
                         const ChunkFormat &fmt, int64_t bytesPerRow) {
  auto regs = [&](int64_t bits) {
    return std::max<int64_t>(1, bits / target.vectorBits);
  };
  int64_t lanes = fmt.groupTrits;
  int64_t groupRegs = regs(lanes * 8);
  // A base3 row also keeps the bytes the next group's digits come from.
  int64_t rowRegs =
      groupRegs + (fmt.packing == TritPacking::Base3 ? regs(fmt.bytes * 8) : 0);
  int64_t accRegs = kind == TernaryKernel::Dot       ? regs(lanes / 4 * 32)
                    : kind == TernaryKernel::PairDot ? regs(lanes / 2 * 16)
                    : kind == TernaryKernel::AddSub  ? regs(lanes * 16)
                                                     : 1;
  return chooseRegisterTile(target, accRegs, rowRegs, groupRegs, bytesPerRow);
}

/// The rest of a (row, token) sum after its vector chunks.
using FinishSum =
    function_ref<Value(OpBuilder &, Location, Value sum, Value row, Value t)>;

/// One linalg.generic element per (row, token): decode's GEMV, below a
/// tile's worth of tokens.
Value perTokenProduct(OpBuilder &b, Location loc, Operands ops, Value init,
                      int64_t chunks, TernaryKernel kind, FinishSum finish) {
  MLIRContext *ctx = b.getContext();
  // The rows are streamed once each: prefetched ahead of the loads.
  ops.flatPacked = flatRowsBuffer(b, loc, ops.packed);
  // Loops (output, token): one packed row serves the few tokens while it
  // is in L1.
  AffineMap out = AffineMap::get(
      2, 0, {getAffineDimExpr(1, ctx), getAffineDimExpr(0, ctx)}, ctx);
  auto product = linalg::GenericOp::create(
             b, loc, init.getType(), ValueRange{}, ValueRange{init},
             ArrayRef<AffineMap>{out},
             ArrayRef{utils::IteratorType::parallel,
                      utils::IteratorType::parallel},
             [&](OpBuilder &nb, Location nl, ValueRange args) {
               Value row = linalg::IndexOp::create(nb, nl, 0);
               Value t = linalg::IndexOp::create(nb, nl, 1);
               Value sum = chunks ? vectorRowSum(nb, nl, ops, row, t, chunks,
                                                 kind)
                                  : Value(arith::ConstantOp::create(
                                        nb, nl, nb.getI32IntegerAttr(0)));
               linalg::YieldOp::create(nb, nl, finish(nb, nl, sum, row, t));
             });
  // Outputs (and tokens) are independent: the back end may run them on
  // threads.
  product->setAttr(kParallelKernelAttrName, b.getUnitAttr());
  return product.getResult(0);
}
} // namespace

Value mlir::bitnet::buildVectorTernaryProduct(OpBuilder &b, Location loc,
                                              Value q, Value packed,
                                              TritPacking packing,
                                              TernaryKernel kind,
                                              const TargetRegisters &target) {
  auto qType = cast<RankedTensorType>(q.getType());
  auto packedType = cast<RankedTensorType>(packed.getType());
  int64_t tokens = qType.getDimSize(0);
  int64_t n = packedType.getDimSize(0), bytesPerRow = packedType.getDimSize(1);
  ChunkFormat fmt = ChunkFormat::of(packing);
  int64_t chunks = bytesPerRow / fmt.bytes;
  assert((packing == TritPacking::Base4 || chunks * fmt.bytes == bytesPerRow) &&
         "base3 rows come in whole chunks");

  Operands ops{packed,
               chunks ? permuteActivations(b, loc, q, chunks, fmt) : Value(),
               fmt};
  Value sums = (kind == TernaryKernel::Dot || kind == TernaryKernel::PairDot) &&
                       chunks
                   ? tokenSums(b, loc, q, chunks * fmt.trits())
                   : Value();
  SmallVector<Value> dynamic;
  if (ShapedType::isDynamic(tokens))
    dynamic.push_back(tensor::DimOp::create(b, loc, q, 0));
  Value init = tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{tokens, n},
                                       b.getI32Type(), dynamic);
  // (row, token) sum: the vector chunks, the dot kernel's correction, and
  // the scalar tail of the bytes past the last whole chunk.
  auto finish = [&](OpBuilder &nb, Location nl, Value sum, Value row,
                    Value t) {
    if (chunks && sums)
      sum = arith::SubIOp::create(
          nb, nl, sum, tensor::ExtractOp::create(nb, nl, sums, ValueRange{t}));
    if (chunks * fmt.bytes < bytesPerRow)
      sum = scalarTailSum(nb, nl, packed, q, row, t, chunks * fmt.bytes,
                          bytesPerRow, sum);
    return sum;
  };
  RegisterTile tile = ternaryTile(target, kind, fmt, bytesPerRow);
  auto tiled = [&](OpBuilder &nb, Location nl) {
    return buildTiledProduct(
        nb, nl, init,
        ShapedType::isDynamic(tokens)
            ? Value(tensor::DimOp::create(nb, nl, q, 0))
            : index(nb, nl, tokens),
        tile,
        [&](OpBuilder &ib, Location il, ArrayRef<Value> ns,
            ArrayRef<Value> ts) {
          SmallVector<Value> out =
              chunks ? tileVectorSums(ib, il, ops, ns, ts, chunks, kind)
                     : SmallVector<Value>(
                           ns.size() * ts.size(),
                           arith::ConstantOp::create(ib, il,
                                                     ib.getI32IntegerAttr(0)));
          for (auto [i, row] : llvm::enumerate(ns))
            for (auto [j, t] : llvm::enumerate(ts)) {
              Value &sum = out[i * ts.size() + j];
              sum = finish(ib, il, sum, row, t);
            }
          return out;
        });
  };
  return selectByTokenCount(
      b, loc, q, tile.tokens,
      [&](OpBuilder &nb, Location nl) {
        return perTokenProduct(nb, nl, ops, init, chunks, kind, finish);
      },
      tiled);
}

