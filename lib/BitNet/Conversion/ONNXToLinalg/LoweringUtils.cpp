//===- LoweringUtils.cpp - shared helpers of onnx-to-linalg ---------------===//

#include "LoweringUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;

Value bitnet::cIndex(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

Value bitnet::getDimSize(OpBuilder &b, Location loc, Value v, int64_t dim) {
  auto type = cast<RankedTensorType>(v.getType());
  if (!type.isDynamicDim(dim))
    return arith::ConstantIndexOp::create(b, loc, type.getDimSize(dim));
  return tensor::DimOp::create(b, loc, v, dim);
}

SmallVector<Value> bitnet::getDimSizes(OpBuilder &b, Location loc, Value v) {
  SmallVector<Value> sizes;
  for (int64_t i = 0, e = cast<RankedTensorType>(v.getType()).getRank(); i < e;
       ++i)
    sizes.push_back(getDimSize(b, loc, v, i));
  return sizes;
}

std::optional<SmallVector<int64_t>> bitnet::getConstantInts(Value t) {
  DenseIntElementsAttr dense;
  if (!matchPattern(t, m_Constant(&dense)))
    return std::nullopt;
  SmallVector<int64_t> values;
  for (const APInt &x : dense.getValues<APInt>())
    values.push_back(x.getSExtValue());
  return values;
}

Value bitnet::extractIndex(OpBuilder &b, Location loc, Value t, int64_t i) {
  if (std::optional<SmallVector<int64_t>> values = getConstantInts(t))
    return arith::ConstantIndexOp::create(
        b, loc, values->size() == 1 ? (*values)[0] : (*values)[i]);
  auto type = cast<RankedTensorType>(t.getType());
  SmallVector<Value> indices;
  if (type.getRank() == 1)
    indices.push_back(arith::ConstantIndexOp::create(
        b, loc, type.getDimSize(0) == 1 ? 0 : i));
  Value element = tensor::ExtractOp::create(b, loc, t, indices);
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), element);
}

Value bitnet::gatherIndex(OpBuilder &b, Location loc, Value index,
                          Value size) {
  Value i = arith::IndexCastOp::create(b, loc, b.getIndexType(), index);
  Value negative = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, i,
                                         cIndex(b, loc, 0));
  return arith::SelectOp::create(b, loc, negative,
                                 arith::AddIOp::create(b, loc, i, size), i);
}

SmallVector<Value> bitnet::dynamicSizesOf(RankedTensorType type,
                                          ArrayRef<Value> sizes) {
  SmallVector<Value> dynamic;
  for (int64_t i = 0; i < type.getRank(); ++i)
    if (type.isDynamicDim(i))
      dynamic.push_back(sizes[i]);
  return dynamic;
}

Value bitnet::reshapeTo(OpBuilder &b, Location loc, Value source,
                        RankedTensorType type, ArrayRef<Value> sizes) {
  if (source.getType() == type)
    return source;
  SmallVector<Value> elements;
  for (int64_t i = 0; i < type.getRank(); ++i)
    elements.push_back(type.isDynamicDim(i) ? sizes[i]
                                            : Value(arith::ConstantIndexOp::create(
                                                  b, loc, type.getDimSize(i))));
  auto shapeType = RankedTensorType::get({type.getRank()}, b.getIndexType());
  Value shape = tensor::FromElementsOp::create(b, loc, shapeType, elements);
  return tensor::ReshapeOp::create(b, loc, type, source, shape);
}
