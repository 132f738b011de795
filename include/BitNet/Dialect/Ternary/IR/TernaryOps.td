//===- TernaryOps.td - ternary dialect operations ----------*- tablegen -*-===//
//
// The BitNet b1.58 computation as ops: where ternary weights come from
// (constant, absmean quantization, packing of trits), how activations are
// quantized, and the layer that uses both.
//
//===----------------------------------------------------------------------===//

#ifndef BITNET_DIALECT_TERNARY_IR_TERNARYOPS_TD
#define BITNET_DIALECT_TERNARY_IR_TERNARYOPS_TD

include "BitNet/Dialect/Ternary/IR/TernaryDialect.td"
include "BitNet/Dialect/Ternary/IR/TernaryTypes.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Ternary_Weights : Type<
    CPred<"::llvm::isa<::mlir::bitnet::ternary::WeightsType>($_self)">,
    "ternary weights", "::mlir::bitnet::ternary::WeightsType">;

//===----------------------------------------------------------------------===//
// Where weights come from
//===----------------------------------------------------------------------===//

def Ternary_ConstantOp : Ternary_Op<"constant", [Pure]> {
  let summary = "ternary weights known at compile time";
  let description = [{
    Holds packed trits (`packed`, of type `tensor<OUT x rowBytes x i8>` in
    the layout the result type names: by default four to a byte, the 2-bit
    field at bits `2*(k%4)` of byte `k/4` holding `trit + 1`) and the
    dequantization scale (`scale`, of the shape the result type's
    granularity asks for).

    Small weights print as their trits, large ones as the packed storage,
    which is normally a `dense_resource` blob:

    ```mlir
    %w = ternary.constant dense<[[1, 0, -1], [0, 1, 1]]> : tensor<2x3xi8>,
           scale dense<5.000000e-01> : tensor<f32> -> !ternary.weights<2x3xf32>
    %big = ternary.constant packed dense_resource<w0> : tensor<4096x1024xi8>,
           scale dense<2.0e-02> : tensor<f32> -> !ternary.weights<4096x4096xf32>
    ```
  }];
  let arguments = (ins ElementsAttr:$packed, ElementsAttr:$scale);
  let results = (outs Ternary_Weights:$result);
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
  let builders = [
    // Packs `trits` (row-major, OUT x IN values in {-1, 0, 1}); storage
    // becomes a resource blob above a size threshold.
    OpBuilder<(ins "WeightsType":$type, "::llvm::ArrayRef<int8_t>":$trits,
                   "::mlir::ElementsAttr":$scale)>
  ];
  let extraClassDeclaration = [{
    WeightsType getType() {
      return ::llvm::cast<WeightsType>(getResult().getType());
    }
    /// The packed bytes, wherever they are stored. A splat is expanded into
    /// `splatStorage`; otherwise the bytes are the attribute's own.
    ::llvm::ArrayRef<uint8_t> readPackedBytes(
        ::llvm::SmallVectorImpl<uint8_t> &splatStorage);
    /// Storage for packed bytes: a dense attribute when small, a
    /// `dense_resource` blob otherwise.
    static ::mlir::ElementsAttr buildPackedStorage(
        WeightsType type, ::llvm::ArrayRef<uint8_t> bytes);
    /// The trits, one per element, row-major OUT x IN.
    ::llvm::SmallVector<int8_t> unpackTrits();
    /// Storage of the same trits in `layout` (the constant's own when it
    /// is stored so): what ternary-repack and the lowering's fallback
    /// build.
    ::mlir::ElementsAttr getPackedIn(::mlir::bitnet::TritLayout layout);
  }];
}

def Ternary_AbsMeanQuantOp : Ternary_Op<"absmean_quant", [Pure]> {
  let summary = "absmean quantization of float weights to ternary";
  let description = [{
    BitNet b1.58's weight quantizer. For each scale group (the whole tensor,
    a row, or `group` columns of a row, per the result type),
    `gamma = max(mean(|W|), epsilon)`, `trit = clip(round(W * (1 / gamma)),
    -1, 1)` (rounding half to even, as `torch.round` and ONNX `Round` do),
    and the dequantization scale is `gamma`.

    ```mlir
    %w = ternary.absmean_quant %latent : tensor<64x64xf32>
           -> !ternary.weights<64x64xf32>
    ```

    Of a constant, it folds to `ternary.constant`.
  }];
  let arguments = (ins RankedTensorOf<[AnyFloat]>:$input,
                       DefaultValuedAttr<F64Attr, "1.0e-5">:$epsilon);
  let results = (outs Ternary_Weights:$result);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` qualified(type($result))
  }];
  let hasVerifier = 1;
  let hasCanonicalizer = 1;
}

def Ternary_PackOp : Ternary_Op<"pack", [Pure]> {
  let summary = "ternary weights from trits and their scale";
  let description = [{
    Builds weights from a tensor of trits, one per `i8`, and a scale tensor
    of the shape the result's granularity asks for. Trit values outside
    {-1, 0, +1} are undefined behaviour; of constants, the op folds to
    `ternary.constant`, and refuses to when a value is not a trit.

    ```mlir
    %w = ternary.pack %trits, %scale : tensor<8x16xi8>, tensor<8xf32>
           -> !ternary.weights<8x16xf32, per_channel>
    ```
  }];
  let arguments = (ins RankedTensorOf<[I8]>:$trits,
                       RankedTensorOf<[AnyFloat]>:$scale);
  let results = (outs Ternary_Weights:$result);
  let assemblyFormat = [{
    $trits `,` $scale attr-dict `:` type($trits) `,` type($scale)
    `->` qualified(type($result))
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Ternary_UnpackOp : Ternary_Op<"unpack", [Pure]> {
  let summary = "the trits and scale of ternary weights";
  let description = [{
    The inverse of `ternary.pack`.

    ```mlir
    %trits, %scale = ternary.unpack %w : !ternary.weights<8x16xf32>
                       -> tensor<8x16xi8>, tensor<f32>
    ```
  }];
  let arguments = (ins Ternary_Weights:$weights);
  let results = (outs RankedTensorOf<[I8]>:$trits,
                      RankedTensorOf<[AnyFloat]>:$scale);
  let assemblyFormat = [{
    $weights attr-dict `:` qualified(type($weights)) `->` type($trits) `,` type($scale)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Ternary_DequantizeOp : Ternary_Op<"dequantize", [Pure]> {
  let summary = "ternary weights as a float matrix";
  let description = [{
    `result[n, k] = trit[n, k] * scale(n, k)`: the float weights a
    non-ternary path (or a reference) multiplies by.

    ```mlir
    %f = ternary.dequantize %w : !ternary.weights<8x16xf32> -> tensor<8x16xf32>
    ```
  }];
  let arguments = (ins Ternary_Weights:$weights);
  let results = (outs RankedTensorOf<[AnyFloat]>:$result);
  let assemblyFormat = [{
    $weights attr-dict `:` qualified(type($weights)) `->` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Activations and the layer
//===----------------------------------------------------------------------===//

def Ternary_AbsMaxQuantOp : Ternary_Op<"absmax_quant", [Pure]> {
  let summary = "per-token absmax quantization of activations to int8";
  let description = [{
    For each token (all indices but the last), with
    `m = max(max(|x|), epsilon)` over the last dimension:
    `quantized = clip(round(x * (127 / m)), -128, 127)` and
    `scale = m / 127`, so that `x ~ quantized * scale`. The scale keeps the
    input's rank with a last dimension of 1.

    ```mlir
    %q, %s = ternary.absmax_quant %x : tensor<?x2560xf32>
               -> tensor<?x2560xi8>, tensor<?x1xf32>
    ```
  }];
  let arguments = (ins RankedTensorOf<[AnyFloat]>:$input,
                       DefaultValuedAttr<F64Attr, "1.0e-5">:$epsilon);
  let results = (outs RankedTensorOf<[I8]>:$quantized,
                      RankedTensorOf<[AnyFloat]>:$scale);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($quantized) `,` type($scale)
  }];
  let hasVerifier = 1;
}

def Ternary_MatMulOp : Ternary_Op<"matmul", [Pure]> {
  let summary = "int8 activations times ternary weights, summed in int32";
  let description = [{
    `result[..., n] = sum_k input[..., k] * trit[n, k]`: additions and
    subtractions only, scales not applied. Weights scaled per group cannot
    be used here (each group's partial sum needs its own scale); use
    `ternary.bitlinear`.

    ```mlir
    %acc = ternary.matmul %q, %w : tensor<?x64xi8>, !ternary.weights<32x64xf32>
             -> tensor<?x32xi32>
    ```
  }];
  let arguments = (ins RankedTensorOf<[I8]>:$input, Ternary_Weights:$weights);
  let results = (outs RankedTensorOf<[I32]>:$result);
  let assemblyFormat = [{
    $input `,` $weights attr-dict `:` type($input) `,` qualified(type($weights))
    `->` type($result)
  }];
  let hasVerifier = 1;
}

def Ternary_BitLinearOp : Ternary_Op<"bitlinear", [Pure]> {
  let summary = "BitNet b1.58 linear layer: float in, float out";
  let description = [{
    Quantizes `input` per token as `ternary.absmax_quant` does (with
    `epsilon`), multiplies by the ternary weights as `ternary.matmul` does,
    and rescales every output by the token's activation scale and the
    weights' scale:

    `result[..., n] = sum_k q[..., k] * trit[n, k] * scale_x[...] * scale_w(n, k)`

    ```mlir
    %y = ternary.bitlinear %x, %w : tensor<1x?x2560xf32>,
           !ternary.weights<6912x2560xf32> -> tensor<1x?x6912xf32>
    ```
  }];
  let arguments = (ins RankedTensorOf<[AnyFloat]>:$input,
                       Ternary_Weights:$weights,
                       DefaultValuedAttr<F64Attr, "1.0e-5">:$epsilon);
  let results = (outs RankedTensorOf<[AnyFloat]>:$result);
  let assemblyFormat = [{
    $input `,` $weights attr-dict `:` type($input) `,` qualified(type($weights))
    `->` type($result)
  }];
  let hasVerifier = 1;
}

#endif // BITNET_DIALECT_TERNARY_IR_TERNARYOPS_TD
