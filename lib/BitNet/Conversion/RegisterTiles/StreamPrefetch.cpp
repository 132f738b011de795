//===- StreamPrefetch.cpp - prefetching compile-time rows ahead -----------===//

#include "BitNet/Conversion/StreamPrefetch.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;
using namespace mlir::bitnet;

Value mlir::bitnet::flatRowsBuffer(OpBuilder &b, Location loc, Value rows) {
  auto type = cast<RankedTensorType>(rows.getType());
  // Read-only: bufferization gives the constant's own buffer, no copy.
  Value buffer = bufferization::ToBufferOp::create(
      b, loc, MemRefType::get(type.getShape(), type.getElementType()), rows,
      /*read_only=*/true);
  return memref::CollapseShapeOp::create(
      b, loc, buffer, SmallVector<ReassociationIndices>{{0, 1}});
}

void mlir::bitnet::prefetchStream(OpBuilder &b, Location loc, Value flat,
                                  Value at, int64_t bytes) {
  auto type = cast<MemRefType>(flat.getType());
  int64_t elementBytes =
      std::max<int64_t>(1, type.getElementTypeBitWidth() / 8);
  Value last =
      arith::ConstantIndexOp::create(b, loc, type.getDimSize(0) - 1);
  for (int64_t line = 0; line < bytes; line += 64) {
    Value ahead = arith::ConstantIndexOp::create(
        b, loc, (kStreamPrefetchBytes + line) / elementBytes);
    Value index = arith::MinUIOp::create(
        b, loc, arith::AddIOp::create(b, loc, at, ahead), last);
    memref::PrefetchOp::create(b, loc, flat, ValueRange{index},
                               /*isWrite=*/false, /*localityHint=*/3,
                               /*isDataCache=*/true);
  }
}
