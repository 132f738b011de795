//===- Passes.td - bitnet-mlir conversion passes -----------*- tablegen -*-===//

#ifndef BITNET_CONVERSION_PASSES_TD
#define BITNET_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertTernaryToLinalgPass : Pass<"convert-ternary-to-linalg"> {
  let summary = "Lower ternary ops to linalg on tensors: add/subtract loops "
                "over packed trits";
  let description = [{
    Rewrites the ternary dialect into target-independent structured ops:

    - `ternary.absmax_quant` becomes a max-reduction over each token and an
      elementwise quantization (multiply by `127 / max`, round half to even,
      clamp to int8);
    - `ternary.matmul` becomes a `linalg.generic` over (token, output, input)
      that reads each trit's 2-bit field from the packed bytes and adds,
      subtracts or skips the int8 activation, accumulating in int32: no
      multiplication is left in the loop;
    - `ternary.bitlinear` is both, then one rescale per output by the
      token's and the weights' scales (per tensor, row or group);
    - `ternary.dequantize` becomes the float matrix `trit * scale`.

    Weights must be known at compile time (`ternary.constant`); their packed
    bytes and scales become `arith.constant`s, so large weights stay in
    their resource blobs.

    `kernel` picks the body of the ternary product: `loops` (the scalar
    generic above), `addsub` (vector code over a chunk of trits at a time
    that selects +x, -x or 0 and never multiplies) or `dot` (int8 dot
    products of the fields in groups of four, the shape of x86 VNNI and Arm
    dotprod). `auto` takes the module's `bitnet.ternary_kernel` if set,
    else the target's measured default (docs/Kernels.md). The vector
    kernels read the weights' packing (base4 or base3); rows not yet in
    whole chunks (`ternary-repack` pads them) are copied into them.
  }];
  let options = [
    Option<"kernel", "kernel", "std::string", /*default=*/"\"auto\"",
           "Ternary product kernel: auto, loops, addsub or dot">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect"
  ];
}

def TernaryRepackPass : Pass<"ternary-repack", "::mlir::ModuleOp"> {
  let summary = "Store each ternary constant in the layout the target's "
                "kernel reads";
  let description = [{
    Rewrites every `ternary.constant` (and the type of its uses) into the
    layout the module's ternary product kernel reads (the kernel
    `convert-ternary-to-linalg` will pick for the same `bitnet.target` and
    `kernel` option): rows padded with zero trits to the kernel's chunk (16
    bytes for base4, 32 for base3), in the packing chosen below. The
    lowering would otherwise copy the weights into that layout itself; here
    the layout is in the IR, for the op report and the model library to see.

    `packing` is `base4` (2 bits a trit), `base3` (5 trits a byte, 20% fewer
    bytes) or `auto`: the module's `bitnet.ternary_packing` (bitnet-opt
    --ternary-packing) if set, else the target's choice for the shape
    (docs/Kernels.md). Weights used by anything but ternary ops, and groups
    (which the loops read), keep their layout.

    ```mlir
    %w = ternary.constant ... -> !ternary.weights<8x100xf32>
    // becomes, for the dot kernel and packing=base3:
    %w = ternary.constant ... -> !ternary.weights<8x100xf32, packing = base3, row_align = 32>
    ```
  }];
  let options = [
    Option<"packing", "packing", "std::string", /*default=*/"\"auto\"",
           "Trit packing: auto, base4 or base3">,
    Option<"kernel", "kernel", "std::string", /*default=*/"\"auto\"",
           "The ternary product kernel the layout is for, as "
           "convert-ternary-to-linalg's option">
  ];
  let dependentDialects = ["::mlir::bitnet::ternary::TernaryDialect"];
}

def ConvertONNXToTernaryPass : Pass<"convert-onnx-to-ternary"> {
  let summary = "Recognize BitNet layers: ternary weights and per-token "
                "int8 activations become ternary.bitlinear";
  let description = [{
    For every `onnx.MatMul` whose weights depend only on constants, the
    weight subgraph (absmean quantization of latent weights, or unpacking
    of 2-bit packed bytes) is evaluated at compile time. Weights holding
    only {-a, 0, +a} (one `a` per tensor or per output channel) become a
    packed `ternary.constant`; if the activations come through BitNet's
    per-token absmax quantization, the layer becomes `ternary.bitlinear`.
    Weights that are not ternary stay on the float path, with a remark
    that says so. Run `onnx-eliminate-ste` and `onnx-infer-shapes` first
    (the pipelines do): the matcher reads static shapes, and the evaluator
    must not see straight-through estimators.
  }];
  let dependentDialects = ["::mlir::bitnet::ternary::TernaryDialect"];
}

def ConvertONNXToLinalgPass : Pass<"convert-onnx-to-linalg"> {
  let summary = "Lower onnx ops to linalg, tensor, arith and math";
  let description = [{
    The float part of a model (everything but ternary.bitlinear) on upstream
    dialects. Element-wise ops become one `linalg.generic` each, with
    ONNX's (numpy's) broadcasting: an operand dimension that is statically 1
    against a larger result dimension is broadcast; dynamic dimensions are
    taken to match, as exported models guarantee. MatMuls by compile-time
    f32 weights become row dot products over W = B^T (16-lane FMAs, one
    parallel element per output; a tied head reads the embedding table in
    place). `weights=f16` or `bf16` stores those weights at half width (half
    the bytes a decode step reads, at that type's rounding of the weights),
    converting to f32 in registers; `i8` stores round(w / s) with one f32
    scale s = max|row| / 127 per row (a quarter of the bytes); `f32` (the
    default) keeps them exact.
    Ops not lowered yet stay as they are, so the pass can run on any
    module.
  }];
  let options = [
    Option<"weights", "weights", "std::string", /*default=*/"\"\"",
           "Storage of compile-time float weights: f32, f16, bf16 or i8 "
           "(default: the module's bitnet.float_weights, else f32)">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect"
  ];
}

#endif // BITNET_CONVERSION_PASSES_TD
