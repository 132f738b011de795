//===- KVCacheInPlace.cpp - decode steps append to the caller's cache -----===//
//
// present = Concat(past, new) copies the whole cache on every step, and the
// caller then hands that copy back as the next past. Here the past input
// becomes a buffer with room for more rows, the new rows are inserted into
// it in place, and the present output disappears (see Passes.td).
//
//===----------------------------------------------------------------------===//

#include "BitNet/Dialect/ONNX/IR/ONNXOps.h"
#include "BitNet/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/ADT/BitVector.h"

namespace mlir::bitnet {
#define GEN_PASS_DEF_KVCACHEINPLACEPASS
#include "BitNet/Transforms/Passes.h.inc"
} // namespace mlir::bitnet

using namespace mlir;
namespace onnx = mlir::bitnet::onnx;

namespace {

constexpr llvm::StringLiteral kPastPrefix = "past_key_values.";
constexpr llvm::StringLiteral kLengthName = "bitnet.past_length";

/// One past input whose only consumer of its rows is a Concat along the
/// sequence that the entry returns, once, as a present.
struct CachePair {
  BlockArgument past;
  onnx::ConcatOp concat;
  unsigned result;
};

std::optional<CachePair> matchPair(func::FuncOp entry, unsigned arg,
                                   func::ReturnOp ret) {
  auto name = entry.getArgAttrOfType<StringAttr>(arg, "onnx.name");
  BlockArgument past = entry.getArgument(arg);
  auto type = dyn_cast<RankedTensorType>(past.getType());
  if (!name || !name.getValue().starts_with(kPastPrefix) || !type ||
      type.getRank() != 4 || !type.getElementType().isF32() ||
      !type.isDynamicDim(2) || type.isDynamicDim(0) || type.isDynamicDim(1) ||
      type.isDynamicDim(3))
    return std::nullopt;
  onnx::ConcatOp concat;
  for (Operation *user : past.getUsers()) {
    auto c = dyn_cast<onnx::ConcatOp>(user);
    if (!c)
      continue;
    int64_t axis = int64_t(c.getAxis());
    axis = axis < 0 ? axis + 4 : axis;
    if (concat || axis != 2 || c.getInputs().size() != 2 ||
        c.getInputs()[0] != past || c.getInputs()[1] == past ||
        c.getType() != past.getType())
      return std::nullopt;
    concat = c;
  }
  if (!concat)
    return std::nullopt;
  std::optional<unsigned> result;
  for (OpOperand &use : concat->getUses()) {
    if (use.getOwner() != ret)
      continue;
    if (result)
      return std::nullopt;
    result = use.getOperandNumber();
  }
  if (!result)
    return std::nullopt;
  // The new rows must have the cache's heads and head size.
  auto added = dyn_cast<RankedTensorType>(concat.getInputs()[1].getType());
  if (!added || added.getRank() != 4 || added.getDimSize(1) != type.getDimSize(1) ||
      added.getDimSize(3) != type.getDimSize(3))
    return std::nullopt;
  return CachePair{past, concat, *result};
}

/// [0, 0, `start`, 0] .. sizes [B, H, `rows`, D] of a rank-4 tensor.
void rowsOf(OpBuilder &b, Location loc, Value t, OpFoldResult start,
            OpFoldResult rows, SmallVectorImpl<OpFoldResult> &offsets,
            SmallVectorImpl<OpFoldResult> &sizes,
            SmallVectorImpl<OpFoldResult> &strides) {
  offsets.assign({b.getIndexAttr(0), b.getIndexAttr(0), start, b.getIndexAttr(0)});
  sizes.assign({tensor::getMixedSize(b, loc, t, 0),
                tensor::getMixedSize(b, loc, t, 1), rows,
                tensor::getMixedSize(b, loc, t, 3)});
  strides.assign(4, b.getIndexAttr(1));
}

struct KVCacheInPlacePass
    : bitnet::impl::KVCacheInPlacePassBase<KVCacheInPlacePass> {
  void runOnOperation() override {
    func::FuncOp entry = bitnet::findModelEntry(getOperation());
    if (!entry || entry.isExternal())
      return;
    auto ret = cast<func::ReturnOp>(entry.getBody().front().getTerminator());
    SmallVector<CachePair> pairs;
    for (unsigned i = 0; i < entry.getNumArguments(); ++i)
      if (std::optional<CachePair> pair = matchPair(entry, i, ret))
        pairs.push_back(*pair);
    if (pairs.empty())
      return;
    for (unsigned i = 0; i < entry.getNumArguments(); ++i)
      if (auto name = entry.getArgAttrOfType<StringAttr>(i, "onnx.name");
          name && name.getValue() == kLengthName) {
        entry.emitError() << "the model already has an input named '"
                          << kLengthName << "'";
        return signalPassFailure();
      }

    OpBuilder b(&getContext());
    Location loc = entry.getLoc();
    unsigned lengthArg = entry.getNumArguments();
    auto lengthType = RankedTensorType::get({}, b.getI64Type());
    if (failed(entry.insertArgument(
            lengthArg, lengthType,
            b.getDictionaryAttr(
                b.getNamedAttr("onnx.name", b.getStringAttr(kLengthName))),
            loc)))
      return signalPassFailure();
    b.setInsertionPointToStart(&entry.getBody().front());
    Value length = arith::IndexCastOp::create(
        b, loc, b.getIndexType(),
        tensor::ExtractOp::create(b, loc, entry.getArgument(lengthArg),
                                  ValueRange{}));

    llvm::BitVector dropped(entry.getNumResults());
    SmallVector<OpFoldResult> offsets, sizes, strides;
    for (CachePair &pair : pairs) {
      BlockArgument buffer = pair.past;
      // Everything but the in-place insert reads the filled rows only.
      b.setInsertionPointAfterValue(length);
      rowsOf(b, loc, buffer, b.getIndexAttr(0), length, offsets, sizes,
             strides);
      auto filled = tensor::ExtractSliceOp::create(
          b, loc, cast<RankedTensorType>(buffer.getType()), buffer, offsets,
          sizes, strides);
      buffer.replaceAllUsesExcept(filled.getResult(), filled);

      b.setInsertionPoint(pair.concat);
      Location at = pair.concat.getLoc();
      Value added = pair.concat.getInputs()[1];
      Value rows = tensor::DimOp::create(b, at, added, 2);
      rowsOf(b, at, added, length, rows, offsets, sizes, strides);
      Value updated = tensor::InsertSliceOp::create(b, at, added, buffer,
                                                    offsets, sizes, strides);
      Value total = arith::AddIOp::create(b, at, length, rows);
      rowsOf(b, at, updated, b.getIndexAttr(0), total, offsets, sizes,
             strides);
      Value present = tensor::ExtractSliceOp::create(
          b, at, cast<RankedTensorType>(pair.concat.getType()), updated, offsets,
          sizes, strides);
      pair.concat.getResult().replaceAllUsesWith(present);
      pair.concat.erase();
      entry.setArgAttr(buffer.getArgNumber(),
                       bufferization::BufferizationDialect::kWritableAttrName,
                       b.getBoolAttr(true));
      dropped.set(pair.result);
    }
    // The present outputs are the buffers now.
    for (int i = dropped.size() - 1; i >= 0; --i)
      if (dropped.test(i))
        ret->eraseOperand(i);
    if (failed(entry.eraseResults(dropped)))
      return signalPassFailure();
  }
};

} // namespace
