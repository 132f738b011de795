//===- X86Int8Dot.cpp - grouped int8 dot products as x86 instructions -----===//
//
// bitnet-x86-int8-dot: the dot kernel's target-independent chunk (a
// multi_reduction of byte products in groups of four) becomes vpdpbusd or
// vpmaddubsw + vpmaddwd, as the module's target has them; AVX2's pair form
// (groups of two in i16 lanes) becomes vpmaddubsw alone. The shared kernel
// stays the same for every target; only this tail knows x86.
//
//===----------------------------------------------------------------------===//

#include "BitNet/Target/Passes.h"
#include "BitNet/Target/TargetInfo.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::bitnet {
#define GEN_PASS_DEF_X86INT8DOTPASS
#include "BitNet/Target/Passes.h.inc"
} // namespace mlir::bitnet

#include <optional>

using namespace mlir;
using namespace mlir::bitnet;

namespace {

/// acc[g] + sum over j < 4 of unsignedBytes[4g + j] * signedBytes[4g + j]
/// in i32 lanes, or, for `pairs`, over j < 2 in i16 lanes (the AVX2 dot
/// kernel's form, vpmaddubsw alone).
struct GroupedDot {
  Value acc;
  /// Both vector<4G x i8> (vector<2G x i8> for pairs).
  Value unsignedBytes, signedBytes;
  bool pairs = false;
};

/// The bytes `v` was extended from by an `Ext` op, or null.
template <typename Ext> Value extendedBytes(Value v) {
  auto ext = v.getDefiningOp<Ext>();
  if (!ext)
    return {};
  auto type = dyn_cast<VectorType>(ext.getIn().getType());
  return type && type.getElementType().isInteger(8) ? ext.getIn() : Value();
}

FailureOr<GroupedDot> matchGroupedDot(vector::MultiDimReductionOp op) {
  auto source = dyn_cast<VectorType>(op.getSource().getType());
  if (op.getKind() != vector::CombiningKind::ADD || !source ||
      source.getRank() != 2 || op.getReductionDims() != ArrayRef<int64_t>{1} ||
      source.isScalable())
    return failure();
  bool quads = source.getDimSize(1) == 4 && source.getElementType().isInteger(32);
  bool pairs = source.getDimSize(1) == 2 && source.getElementType().isInteger(16);
  if (!quads && !pairs)
    return failure();
  auto cast = op.getSource().getDefiningOp<vector::ShapeCastOp>();
  auto mul = cast ? cast.getSource().getDefiningOp<arith::MulIOp>() : nullptr;
  if (!mul || cast.getSourceVectorType().getRank() != 1)
    return failure();
  for (auto [u, s] : {std::pair(mul.getLhs(), mul.getRhs()),
                      std::pair(mul.getRhs(), mul.getLhs())}) {
    Value ub = extendedBytes<arith::ExtUIOp>(u);
    Value sb = extendedBytes<arith::ExtSIOp>(s);
    if (ub && sb)
      return GroupedDot{op.getAcc(), ub, sb, pairs};
  }
  return failure();
}

/// An upper bound of the unsigned bytes of `v`, where its producers show
/// one: an `andi` with a splat mask (base4 fields), a zero-extended i1, or
/// a sum of bounded values (base3 digits, two extended compares).
std::optional<uint64_t> byteBound(Value v, int depth = 0) {
  DenseIntElementsAttr bits;
  if (matchPattern(v, m_Constant(&bits)) && bits.isSplat())
    return bits.getSplatValue<APInt>().getZExtValue();
  if (depth > 3)
    return std::nullopt;
  if (auto ext = v.getDefiningOp<arith::ExtUIOp>()) {
    auto from = dyn_cast<VectorType>(ext.getIn().getType());
    if (from && from.getElementType().isInteger(1))
      return 1;
    return std::nullopt;
  }
  if (auto mask = v.getDefiningOp<arith::AndIOp>()) {
    std::optional<uint64_t> l = byteBound(mask.getLhs(), depth + 1);
    std::optional<uint64_t> r = byteBound(mask.getRhs(), depth + 1);
    if (l && r)
      return std::min(*l, *r);
    return l ? l : r;
  }
  if (auto add = v.getDefiningOp<arith::AddIOp>()) {
    std::optional<uint64_t> l = byteBound(add.getLhs(), depth + 1);
    std::optional<uint64_t> r = byteBound(add.getRhs(), depth + 1);
    if (l && r && *l + *r <= 255)
      return *l + *r;
  }
  return std::nullopt;
}

/// Whether every byte of `v` is at most 127, so that vpmaddubsw's 16-bit
/// pair sums cannot saturate (2 * 127 * 128 < 2^15).
bool bytesBelow128(Value v) {
  std::optional<uint64_t> bound = byteBound(v);
  return bound && *bound <= 127;
}

/// The instruction sequence for one group of `lanes` i32 lanes.
enum class X86Dot { VNNI512, VNNI256, AVX2 };

/// The accumulator lanes one instruction sequence of `kind` fills: i32
/// lanes, or i16 ones for pairs.
int64_t lanesOf(X86Dot kind, bool pairs) {
  if (pairs)
    return 16;
  return kind == X86Dot::VNNI512 ? 16 : 8;
}

Value call(OpBuilder &b, Location loc, Type result, StringRef name,
           ValueRange args) {
  return LLVM::CallIntrinsicOp::create(b, loc, result, b.getStringAttr(name),
                                       args)
      .getResult(0);
}

/// acc + the grouped dot of `u` and `s` (vector<4L x i8> each, L = lanes of
/// acc) as one instruction sequence of `kind`. (LLVM 22's vpdpbusd takes
/// its bytes as bytes, not as words.)
Value emitDot(OpBuilder &b, Location loc, X86Dot kind, Value acc, Value u,
              Value s, bool pairs) {
  Type accType = acc.getType();
  // i16 pair sums, added as they are: no lane can saturate (the kernel
  // widens them before it could).
  if (pairs)
    return arith::AddIOp::create(
        b, loc, acc,
        call(b, loc, accType, "llvm.x86.avx2.pmadd.ub.sw", {u, s}));
  if (kind == X86Dot::VNNI512)
    return call(b, loc, accType, "llvm.x86.avx512.vpdpbusd.512", {acc, u, s});
  if (kind == X86Dot::VNNI256)
    return call(b, loc, accType, "llvm.x86.avx512.vpdpbusd.256", {acc, u, s});
  // Pairs of byte products into i16, pairs of those into i32.
  auto i16x16 = VectorType::get({16}, b.getI16Type());
  Value pairSums = call(b, loc, i16x16, "llvm.x86.avx2.pmadd.ub.sw", {u, s});
  Value ones = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(i16x16, b.getI16IntegerAttr(1)));
  Value quads =
      call(b, loc, accType, "llvm.x86.avx2.pmadd.wd", {pairSums, ones});
  return arith::AddIOp::create(b, loc, acc, quads);
}

/// Rewrites `op` (matched as `dot`) in slices of the instruction's width.
void rewrite(IRRewriter &rewriter, vector::MultiDimReductionOp op,
             const GroupedDot &dot, X86Dot kind) {
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  auto accType = cast<VectorType>(dot.acc.getType());
  int64_t groups = accType.getDimSize(0);
  int64_t lanes = lanesOf(kind, dot.pairs);
  int64_t width = dot.pairs ? 2 : 4;
  Value result = dot.acc;
  for (int64_t g = 0; g < groups; g += lanes) {
    auto bytes = [&](Value v) -> Value {
      if (lanes == groups)
        return v;
      return vector::ExtractStridedSliceOp::create(
          rewriter, loc, v, ArrayRef<int64_t>{width * g},
          ArrayRef<int64_t>{width * lanes}, ArrayRef<int64_t>{1});
    };
    Value acc = lanes == groups
                    ? dot.acc
                    : vector::ExtractStridedSliceOp::create(
                          rewriter, loc, dot.acc, ArrayRef<int64_t>{g},
                          ArrayRef<int64_t>{lanes}, ArrayRef<int64_t>{1});
    Value part = emitDot(rewriter, loc, kind, acc, bytes(dot.unsignedBytes),
                         bytes(dot.signedBytes), dot.pairs);
    result = lanes == groups ? part
                             : vector::InsertStridedSliceOp::create(
                                   rewriter, loc, part, result,
                                   ArrayRef<int64_t>{g}, ArrayRef<int64_t>{1});
  }
  rewriter.replaceOp(op, result);
}

struct X86Int8DotPass
    : bitnet::impl::X86Int8DotPassBase<X86Int8DotPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (!module->hasAttr(kTargetAttrName))
      return;
    FailureOr<TargetInfo> target = TargetInfo::get(module);
    if (failed(target))
      return signalPassFailure();
    if (!StringRef(target->triple).starts_with("x86_64"))
      return;
    std::optional<X86Dot> kind;
    if (target->int8Dot == "avx512-vnni")
      kind = X86Dot::VNNI512;
    else if (target->int8Dot == "avx-vnni")
      kind = X86Dot::VNNI256;
    else if (target->int8Dot == "avx2")
      kind = X86Dot::AVX2;
    if (!kind)
      return;
    IRRewriter rewriter(&getContext());
    SmallVector<vector::MultiDimReductionOp> reductions;
    module.walk([&](vector::MultiDimReductionOp op) { reductions.push_back(op); });
    for (vector::MultiDimReductionOp op : reductions) {
      FailureOr<GroupedDot> dot = matchGroupedDot(op);
      if (failed(dot) || cast<VectorType>(dot->acc.getType()).getDimSize(0) %
                                 lanesOf(*kind, dot->pairs) !=
                             0)
        continue;
      // Pair sums are the AVX2 kernel's; VNNI targets get quads.
      if (dot->pairs && *kind != X86Dot::AVX2)
        continue;
      if (*kind == X86Dot::AVX2 && !bytesBelow128(dot->unsignedBytes))
        continue;
      rewrite(rewriter, op, *dot, *kind);
    }
  }
};

} // namespace
