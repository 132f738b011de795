//===- StreamPrefetch.h - prefetching compile-time rows ahead ---*- C++ -*-===//
//
// A decode step reads every weight once, row after row, at the speed of
// memory. The hardware prefetchers of the x86 cores measured (Zen 3) stop
// at each 4 KiB page and ramp up again, so a third of the ternary kernels'
// decode time waited on the first load of a chunk. Kernels that stream
// compile-time rows ask for the bytes a few pages ahead themselves.
//
//===----------------------------------------------------------------------===//

#ifndef BITNET_CONVERSION_STREAMPREFETCH_H
#define BITNET_CONVERSION_STREAMPREFETCH_H

#include "mlir/IR/Builders.h"

namespace mlir::bitnet {

/// How far ahead of its loads a streaming kernel prefetches. Measured on
/// bitnet-700m decode (Zen 3, dot kernel): none 25.6 tok/s, 1 KiB 27.9,
/// 4 KiB 31.5, 16 KiB 30.0 with 1 thread; 36.8, 40.4, 42.4, 42.1 with 2.
inline constexpr int64_t kStreamPrefetchBytes = 4096;

/// The static [N, K] tensor `rows` (compile-time weights) as a flat
/// read-only buffer of N * K elements, for prefetchStream.
Value flatRowsBuffer(OpBuilder &b, Location loc, Value rows);

/// Prefetches, one per 64-byte line, the `bytes` bytes that start
/// kStreamPrefetchBytes past element `at` of `flat`, clamped to its last
/// element.
void prefetchStream(OpBuilder &b, Location loc, Value flat, Value at,
                    int64_t bytes);

} // namespace mlir::bitnet

#endif // BITNET_CONVERSION_STREAMPREFETCH_H
