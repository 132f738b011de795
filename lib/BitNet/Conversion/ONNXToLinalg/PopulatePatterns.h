//===- PopulatePatterns.h - the onnx-to-linalg pattern families -*- C++ -*-===//
//
// One file per op family (element-wise, reductions, data movement, ...);
// the pass collects them.
//
//===----------------------------------------------------------------------===//

#ifndef BITNET_LIB_CONVERSION_ONNXTOLINALG_POPULATEPATTERNS_H
#define BITNET_LIB_CONVERSION_ONNXTOLINALG_POPULATEPATTERNS_H

#include "mlir/IR/PatternMatch.h"

namespace mlir::bitnet {

void populateContractionToLinalgPatterns(RewritePatternSet &patterns);
void populateDataMovementToLinalgPatterns(RewritePatternSet &patterns);
void populateElementwiseToLinalgPatterns(RewritePatternSet &patterns);
void populateReductionToLinalgPatterns(RewritePatternSet &patterns);
void populateShapeToTensorPatterns(RewritePatternSet &patterns);
/// Attention's MatMuls against the KV cache as vector code that reads the
/// cache in place, through the Transpose and the grouped-query repeat that
/// feed them (applied before anything else is lowered, while those are
/// still onnx ops).
void populateBatchMatMulToVectorPatterns(RewritePatternSet &patterns);
/// MatMuls by compile-time weights as row dot products (benefit 2: before
/// the generic MatMul lowering), the weights stored as `storage` (f32, f16,
/// bf16, or i8 with a scale per row), and lookups in constant tables
/// (embeddings) from the same stored rows.
void populateWeightMatMulToVectorPatterns(RewritePatternSet &patterns,
                                          Type storage);

} // namespace mlir::bitnet

#endif // BITNET_LIB_CONVERSION_ONNXTOLINALG_POPULATEPATTERNS_H
