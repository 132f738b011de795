//===- TernaryTypes.td - ternary dialect types -------------*- tablegen -*-===//

#ifndef BITNET_DIALECT_TERNARY_IR_TERNARYTYPES_TD
#define BITNET_DIALECT_TERNARY_IR_TERNARYTYPES_TD

include "BitNet/Dialect/Ternary/IR/TernaryDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/BuiltinTypeInterfaces.td"

def Ternary_WeightsType : TypeDef<Ternary_Dialect, "Weights"> {
  let mnemonic = "weights";
  let summary = "a ternary [out, in] matrix with its dequantization scale";
  let description = [{
    `!ternary.weights<OUTxINxF>` is a static `OUT x IN` matrix of trits in
    {-1, 0, +1} with a dequantization scale of float type `F`. The scale
    granularity is part of the type because lowering depends on it:

    ```mlir
    !ternary.weights<2560x6912xf32>                  // one scale
    !ternary.weights<2560x6912xf32, per_channel>     // one scale per row
    !ternary.weights<2560x6912xf32, group = 128>     // per row, per 128 columns
    ```

    The matching scale tensor has shape `[]`, `[OUT]` and
    `[OUT, IN / group]` respectively.

    How the trits are stored is part of the type too, since kernels read
    the bytes (BitNet/Support/TernaryPacking.h): the packing, `base4` (2
    bits a trit, the default) or `base3` (5 trits a byte), and the row
    alignment in bytes (default 1), to which rows are padded with zero
    trits. `ternary-repack` sets both to what the target's kernel reads:

    ```mlir
    !ternary.weights<1536x4096xf32, per_channel, packing = base3, row_align = 32>
    ```
  }];
  let parameters = (ins
    "int64_t":$outFeatures,
    "int64_t":$inFeatures,
    "::mlir::FloatType":$scaleType,
    "int64_t":$groupSize,
    "::mlir::bitnet::TritPacking":$packing,
    "int64_t":$rowAlign
  );
  let skipDefaultBuilders = 1;
  let builders = [
    TypeBuilderWithInferredContext<(ins "int64_t":$outFeatures,
        "int64_t":$inFeatures, "::mlir::FloatType":$scaleType,
        "int64_t":$groupSize,
        CArg<"::mlir::bitnet::TritLayout", "{}">:$layout), [{
      return $_get(scaleType.getContext(), outFeatures, inFeatures, scaleType,
                   groupSize, layout.packing, layout.rowAlign);
    }]>
  ];
  let genVerifyDecl = 1;
  let hasCustomAssemblyFormat = 1;
  let extraClassDeclaration = [{
    /// groupSize is 0 for one scale per tensor and equals inFeatures for one
    /// scale per output channel; otherwise it is the number of input columns
    /// that share a scale.
    static constexpr int64_t kPerTensor = 0;

    bool isPerTensor() const { return getGroupSize() == kPerTensor; }
    bool isPerChannel() const { return getGroupSize() == getInFeatures(); }
    bool isPerGroup() const { return !isPerTensor() && !isPerChannel(); }

    ::mlir::bitnet::TritLayout getLayout() const {
      return {getPacking(), getRowAlign()};
    }
    /// The same weights stored in `layout`.
    WeightsType withLayout(::mlir::bitnet::TritLayout layout) const {
      return get(getOutFeatures(), getInFeatures(), getScaleType(),
                 getGroupSize(), layout);
    }

    /// The shape of the scale tensor this granularity needs.
    ::llvm::SmallVector<int64_t> getScaleShape() const;
    ::mlir::RankedTensorType getScaleTensorType() const;
    /// tensor<OUT x rowBytes x i8>: how constants store the trits, rowBytes
    /// per getLayout().
    ::mlir::RankedTensorType getPackedTensorType() const;
    /// tensor<OUT x IN x i8>: the trits one per byte.
    ::mlir::RankedTensorType getTritTensorType() const;
    /// tensor<OUT x IN x F>: the dequantized matrix.
    ::mlir::RankedTensorType getDequantizedTensorType() const;
  }];
}

#endif // BITNET_DIALECT_TERNARY_IR_TERNARYTYPES_TD
