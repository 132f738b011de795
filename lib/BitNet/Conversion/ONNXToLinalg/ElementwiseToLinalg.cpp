//===- ElementwiseToLinalg.cpp - element-wise onnx ops to linalg ----------===//
//
// One linalg.generic per element-wise op, with numpy broadcasting expressed
// in the indexing maps: an operand dim that is statically 1 against a
// larger result dim reads index 0. Unsigned integer tensors (ONNX's uint8
// weights) are left alone: arith works on signless integers, and those
// tensors only feed weight subgraphs, which are evaluated at compile time.
//
//===----------------------------------------------------------------------===//

#include "PopulatePatterns.h"

#include "BitNet/Dialect/ONNX/IR/ONNXOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

#include <cmath>

using namespace mlir;

namespace {

Value floatConstant(OpBuilder &b, Location loc, Type type, double v) {
  return arith::ConstantOp::create(b, loc, b.getFloatAttr(type, v));
}

/// `v` converted to `to` with ONNX Cast's rules: bools are 0 and 1,
/// float to integer truncates toward zero.
Value convertScalar(OpBuilder &b, Location loc, Value v, Type to) {
  Type from = v.getType();
  if (from == to)
    return v;
  auto fromInt = dyn_cast<IntegerType>(from);
  auto toInt = dyn_cast<IntegerType>(to);
  auto fromFloat = dyn_cast<FloatType>(from);
  auto toFloat = dyn_cast<FloatType>(to);
  if (fromInt && toFloat)
    return fromInt.getWidth() == 1
               ? Value(arith::UIToFPOp::create(b, loc, to, v))
               : Value(arith::SIToFPOp::create(b, loc, to, v));
  if (fromFloat && toInt)
    return toInt.getWidth() == 1
               ? Value(arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE,
                                             v, floatConstant(b, loc, from, 0)))
               : Value(arith::FPToSIOp::create(b, loc, to, v));
  if (fromFloat && toFloat && fromFloat.getWidth() == toFloat.getWidth())
    // f16 <-> bf16: neither holds the other, so through f32.
    return arith::TruncFOp::create(
        b, loc, to, arith::ExtFOp::create(b, loc, b.getF32Type(), v));
  if (fromFloat && toFloat)
    return fromFloat.getWidth() < toFloat.getWidth()
               ? Value(arith::ExtFOp::create(b, loc, to, v))
               : Value(arith::TruncFOp::create(b, loc, to, v));
  if (fromInt && toInt) {
    if (toInt.getWidth() == 1)
      return arith::CmpIOp::create(
          b, loc, arith::CmpIPredicate::ne, v,
          arith::ConstantOp::create(b, loc, b.getIntegerAttr(from, 0)));
    if (fromInt.getWidth() < toInt.getWidth())
      return fromInt.getWidth() == 1
                 ? Value(arith::ExtUIOp::create(b, loc, to, v))
                 : Value(arith::ExtSIOp::create(b, loc, to, v));
    return arith::TruncIOp::create(b, loc, to, v);
  }
  return {};
}

/// The scalar body of an element-wise onnx op, or null where the op or its
/// element type is not handled.
Value buildScalar(OpBuilder &b, Location loc, Operation *op, ValueRange args,
                  Type resultType) {
  StringRef name = op->getName().getStringRef();
  Type t = args[0].getType();
  bool isFloat = isa<FloatType>(t);
  auto fl = [&](auto tag, auto... vs) -> Value {
    using OpTy = decltype(tag);
    return isFloat ? Value(OpTy::create(b, loc, vs...)) : Value();
  };
  auto cmp = [&](arith::CmpFPredicate f, arith::CmpIPredicate i) -> Value {
    return isFloat ? Value(arith::CmpFOp::create(b, loc, f, args[0], args[1]))
                   : Value(arith::CmpIOp::create(b, loc, i, args[0], args[1]));
  };
  // Ops with a float and a signless-integer form.
  auto either = [&](auto floatTag, auto intTag) -> Value {
    using FOp = decltype(floatTag);
    using IOp = decltype(intTag);
    return isFloat ? Value(FOp::create(b, loc, args[0], args[1]))
                   : Value(IOp::create(b, loc, args[0], args[1]));
  };
  if (name == "onnx.Add")
    return either(arith::AddFOp(), arith::AddIOp());
  if (name == "onnx.Sub")
    return either(arith::SubFOp(), arith::SubIOp());
  if (name == "onnx.Mul")
    return either(arith::MulFOp(), arith::MulIOp());
  if (name == "onnx.Div")
    return either(arith::DivFOp(), arith::DivSIOp());
  // Variadic ops fold their operands left to right; one operand is itself.
  auto fold = [&](auto floatTag, auto intTag) -> Value {
    using FOp = decltype(floatTag);
    using IOp = decltype(intTag);
    Value acc = args[0];
    for (Value v : args.drop_front())
      acc = isFloat ? Value(FOp::create(b, loc, acc, v))
                    : Value(IOp::create(b, loc, acc, v));
    return acc;
  };
  if (name == "onnx.Max")
    return fold(arith::MaximumFOp(), arith::MaxSIOp());
  if (name == "onnx.Min")
    return fold(arith::MinimumFOp(), arith::MinSIOp());
  if (name == "onnx.Sum")
    return fold(arith::AddFOp(), arith::AddIOp());
  if (name == "onnx.Mean" && isFloat) {
    Value sum = fold(arith::AddFOp(), arith::AddIOp());
    return arith::DivFOp::create(b, loc, sum,
                                 floatConstant(b, loc, t, double(args.size())));
  }
  if (name == "onnx.Pow") {
    // An integer exponent of a float base is converted; integer bases
    // have no lowering.
    if (!isFloat)
      return {};
    // A constant exponent of 1 or 2 (RMSNorm's square) is exact without
    // powf, which costs a libm call per element.
    DenseElementsAttr constant;
    if (matchPattern(op->getOperand(1), m_Constant(&constant)) &&
        constant.isSplat()) {
      Type et = constant.getElementType();
      std::optional<double> e;
      if (et.isSignlessInteger() && et.getIntOrFloatBitWidth() > 1)
        e = double(constant.getSplatValue<APInt>().getSExtValue());
      else if (isa<FloatType>(et) &&
               constant.getSplatValue<APFloat>().isInteger())
        e = constant.getSplatValue<APFloat>().convertToDouble();
      if (e == 1.0)
        return args[0];
      if (e == 2.0)
        return arith::MulFOp::create(b, loc, args[0], args[0]);
    }
    Value exponent = args[1];
    if (isa<IntegerType>(exponent.getType()))
      exponent = arith::SIToFPOp::create(b, loc, t, exponent);
    else if (exponent.getType() != t)
      exponent = convertScalar(b, loc, exponent, t);
    return math::PowFOp::create(b, loc, args[0], exponent);
  }
  if (name == "onnx.Abs")
    return isFloat ? Value(math::AbsFOp::create(b, loc, args[0]))
                   : Value(math::AbsIOp::create(b, loc, args[0]));
  if (name == "onnx.Neg")
    return isFloat ? Value(arith::NegFOp::create(b, loc, args[0]))
                   : Value(arith::SubIOp::create(
                         b, loc,
                         arith::ConstantOp::create(b, loc,
                                                   b.getIntegerAttr(t, 0)),
                         args[0]));
  if (name == "onnx.Sqrt")
    return fl(math::SqrtOp(), args[0]);
  if (name == "onnx.Exp")
    return fl(math::ExpOp(), args[0]);
  if (name == "onnx.Log")
    return fl(math::LogOp(), args[0]);
  if (name == "onnx.Sin")
    return fl(math::SinOp(), args[0]);
  if (name == "onnx.Cos")
    return fl(math::CosOp(), args[0]);
  if (name == "onnx.Tanh")
    return fl(math::TanhOp(), args[0]);
  if (name == "onnx.Erf")
    return fl(math::ErfOp(), args[0]);
  if (name == "onnx.Floor")
    return fl(math::FloorOp(), args[0]);
  if (name == "onnx.Ceil")
    return fl(math::CeilOp(), args[0]);
  if (name == "onnx.Round")
    return fl(math::RoundEvenOp(), args[0]);
  if (name == "onnx.Reciprocal" && isFloat)
    return arith::DivFOp::create(b, loc, floatConstant(b, loc, t, 1.0),
                                 args[0]);
  if (name == "onnx.Relu" && isFloat)
    return arith::MaximumFOp::create(b, loc, args[0],
                                     floatConstant(b, loc, t, 0.0));
  if (name == "onnx.Sigmoid" && isFloat) {
    Value one = floatConstant(b, loc, t, 1.0);
    Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, args[0]));
    return arith::DivFOp::create(b, loc, one,
                                 arith::AddFOp::create(b, loc, one, e));
  }
  if (name == "onnx.Equal")
    return cmp(arith::CmpFPredicate::OEQ, arith::CmpIPredicate::eq);
  if (name == "onnx.Less")
    return cmp(arith::CmpFPredicate::OLT, arith::CmpIPredicate::slt);
  if (name == "onnx.LessOrEqual")
    return cmp(arith::CmpFPredicate::OLE, arith::CmpIPredicate::sle);
  if (name == "onnx.Greater")
    return cmp(arith::CmpFPredicate::OGT, arith::CmpIPredicate::sgt);
  if (name == "onnx.GreaterOrEqual")
    return cmp(arith::CmpFPredicate::OGE, arith::CmpIPredicate::sge);
  if (t.isInteger(1)) {
    if (name == "onnx.And")
      return arith::AndIOp::create(b, loc, args[0], args[1]);
    if (name == "onnx.Or")
      return arith::OrIOp::create(b, loc, args[0], args[1]);
    if (name == "onnx.Xor")
      return arith::XOrIOp::create(b, loc, args[0], args[1]);
    if (name == "onnx.Not")
      return arith::XOrIOp::create(
          b, loc, args[0],
          arith::ConstantOp::create(b, loc, b.getIntegerAttr(t, 1)));
  }
  if (name == "onnx.Cast")
    return convertScalar(b, loc, args[0], resultType);
  if (auto clip = dyn_cast<bitnet::onnx::ClipOp>(op)) {
    // min(max(x, lo), hi); absent bounds are empty operand segments.
    Value v = args[0];
    unsigned next = 1;
    if (clip.getMin())
      v = isFloat ? Value(arith::MaximumFOp::create(b, loc, v, args[next++]))
                  : Value(arith::MaxSIOp::create(b, loc, v, args[next++]));
    if (clip.getMax())
      v = isFloat ? Value(arith::MinimumFOp::create(b, loc, v, args[next++]))
                  : Value(arith::MinSIOp::create(b, loc, v, args[next++]));
    return v;
  }
  if (name == "onnx.IsNaN" && isFloat)
    return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, args[0],
                                 args[0]);
  if (auto isInf = dyn_cast<bitnet::onnx::IsInfOp>(op); isInf && isFloat) {
    bool negative = isInf.getDetectNegative().value_or(1) != 0;
    bool positive = isInf.getDetectPositive().value_or(1) != 0;
    auto equals = [&](double v) -> Value {
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, args[0],
                                   floatConstant(b, loc, t, v));
    };
    if (negative && positive)
      return arith::OrIOp::create(b, loc, equals(INFINITY), equals(-INFINITY));
    if (negative || positive)
      return equals(positive ? INFINITY : -INFINITY);
    return arith::ConstantOp::create(b, loc, b.getBoolAttr(false));
  }
  if (name == "onnx.Sign" && isFloat) {
    Value zero = floatConstant(b, loc, t, 0.0);
    Value pos = arith::UIToFPOp::create(
        b, loc, t,
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, args[0], zero));
    Value neg = arith::UIToFPOp::create(
        b, loc, t,
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, args[0], zero));
    return arith::SubFOp::create(b, loc, pos, neg);
  }
  if (!isFloat && !t.isInteger(1)) {
    if (name == "onnx.BitwiseAnd")
      return arith::AndIOp::create(b, loc, args[0], args[1]);
    if (name == "onnx.BitwiseOr")
      return arith::OrIOp::create(b, loc, args[0], args[1]);
    if (name == "onnx.BitwiseXor")
      return arith::XOrIOp::create(b, loc, args[0], args[1]);
    if (name == "onnx.BitwiseNot")
      return arith::XOrIOp::create(
          b, loc, args[0],
          arith::ConstantOp::create(b, loc, b.getIntegerAttr(t, -1)));
  }
  if (name == "onnx.Where")
    return arith::SelectOp::create(b, loc, args[0], args[1], args[2]);
  return {};
}

/// Element-wise onnx ops on ranked tensors of float or signless types.
struct ElementwiseToLinalg : RewritePattern {
  ElementwiseToLinalg(MLIRContext *context)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, context) {}

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (!isa<bitnet::onnx::ONNXDialect>(op->getDialect()) ||
        op->getNumResults() != 1 || op->getNumOperands() == 0)
      return failure();
    auto resultType = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    if (!resultType)
      return failure();
    SmallVector<RankedTensorType> operandTypes;
    for (Value operand : op->getOperands()) {
      auto type = dyn_cast<RankedTensorType>(operand.getType());
      if (!type || type.getRank() > resultType.getRank() ||
          type.getElementType().isUnsignedInteger() ||
          type.getElementType().isSignedInteger())
        return failure();
      operandTypes.push_back(type);
    }
    if (resultType.getElementType().isUnsignedInteger())
      return failure();

    // Check the scalar body can be built before touching the IR.
    {
      OpBuilder probe(op->getContext());
      Block block;
      SmallVector<Value> args;
      for (RankedTensorType type : operandTypes)
        args.push_back(block.addArgument(type.getElementType(), op->getLoc()));
      probe.setInsertionPointToStart(&block);
      if (!buildScalar(probe, op->getLoc(), op, args,
                       resultType.getElementType()))
        return failure();
    }

    Location loc = op->getLoc();
    int64_t rank = resultType.getRank();
    MLIRContext *ctx = rewriter.getContext();
    SmallVector<AffineMap> maps;
    for (RankedTensorType type : operandTypes) {
      SmallVector<AffineExpr> exprs;
      int64_t offset = rank - type.getRank();
      for (int64_t j = 0; j < type.getRank(); ++j) {
        bool broadcast = type.getDimSize(j) == 1 &&
                         resultType.getDimSize(j + offset) != 1;
        exprs.push_back(broadcast ? getAffineConstantExpr(0, ctx)
                                  : getAffineDimExpr(j + offset, ctx));
      }
      maps.push_back(AffineMap::get(rank, 0, exprs, ctx));
    }
    maps.push_back(AffineMap::getMultiDimIdentityMap(rank, ctx));

    // Dynamic result dims come from an operand that is not broadcast there.
    SmallVector<Value> dynSizes;
    for (int64_t i = 0; i < rank; ++i) {
      if (!resultType.isDynamicDim(i))
        continue;
      Value size;
      for (auto [operand, type] : llvm::zip(op->getOperands(), operandTypes)) {
        int64_t j = i - (rank - type.getRank());
        if (j >= 0 && type.getDimSize(j) != 1) {
          size = tensor::DimOp::create(rewriter, loc, operand, j);
          break;
        }
      }
      if (!size)
        size = arith::ConstantIndexOp::create(rewriter, loc, 1);
      dynSizes.push_back(size);
    }
    Value init = tensor::EmptyOp::create(rewriter, loc, resultType.getShape(),
                                         resultType.getElementType(), dynSizes);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, resultType, op->getOperands(), ValueRange{init}, maps,
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value v = buildScalar(b, l, op, args.drop_back(),
                                resultType.getElementType());
          linalg::YieldOp::create(b, l, v);
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

} // namespace

void mlir::bitnet::populateElementwiseToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<ElementwiseToLinalg>(patterns.getContext());
}
