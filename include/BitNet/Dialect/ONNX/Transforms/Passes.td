//===- Passes.td - onnx dialect transformations ------------*- tablegen -*-===//

#ifndef BITNET_DIALECT_ONNX_TRANSFORMS_PASSES_TD
#define BITNET_DIALECT_ONNX_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def ONNXInferShapesPass : Pass<"onnx-infer-shapes", "::mlir::ModuleOp"> {
  let summary = "Refine onnx result types: ranks, static dims, shape values";
  let description = [{
    ONNX's own inference (which the importer runs) leaves many results
    unranked or with unknown dims, and lowering needs ranks. This pass walks
    each function in order and computes every onnx result type from its
    operands' types and from the values of small i64 shape tensors, which
    it tracks element by element even where some elements are only known at
    run time (`Concat(Shape(x)[0], 4, 32)` is `[?, 4, 32]`). A type only ever
    gets more precise; function results take the refined types. Between
    sweeps, canonicalization folds the shape arithmetic that became static.

    `batch-size` binds dimension 0 of every function argument of rank >= 1
    (the batch of models exported with dynamic batch) before inference.
  }];
  let options = [
    Option<"batchSize", "batch-size", "int64_t", /*default=*/"0",
           "Bind dim 0 of every tensor argument to this size (0: keep)">
  ];
}

def ONNXEliminateSTEPass : Pass<"onnx-eliminate-ste"> {
  let summary = "Remove straight-through estimators: x + (f(x) - x) to f(x)";
  let description = [{
    Training exports the straight-through estimator as `x + (f(x) - x)`,
    which is `f(x)` in exact arithmetic but not in floats: evaluated
    naively, it would turn exact ternary values into near-ternary ones.
    Runs before ternary recognition, which evaluates weight subgraphs.
  }];
}

#endif // BITNET_DIALECT_ONNX_TRANSFORMS_PASSES_TD
