//===- TernaryDialect.td - the ternary dialect -------------*- tablegen -*-===//
//
// The `ternary` dialect holds the BitNet b1.58 computation: ternary weights
// stored packed with their scales, absmean weight quantization, per-token
// absmax activation quantization, the int8 x ternary matmul, and the fused
// `bitlinear` layer.
//
//===----------------------------------------------------------------------===//

#ifndef BITNET_DIALECT_TERNARY_IR_TERNARYDIALECT_TD
#define BITNET_DIALECT_TERNARY_IR_TERNARYDIALECT_TD

include "mlir/IR/OpBase.td"

def Ternary_Dialect : Dialect {
  let name = "ternary";
  let summary = "Ternary ({-1, 0, +1}) weights and the BitNet b1.58 layer ops";
  let description = [{
    Values of type `!ternary.weights` are ternary matrices `[out, in]` whose
    entries are -1, 0 or +1, together with a floating-point scale (per tensor,
    per output channel or per group of input columns). Dequantized, entry
    `(n, k)` is `trit(n, k) * scale(n, k / group)`.

    Constants keep the trits packed four to a byte (2-bit fields holding
    `trit + 1`, little end first along the input dimension), in a builtin
    elements attribute; large weights live in `dense_resource` blobs so that
    they travel through bytecode and never through the text printer.
  }];
  let cppNamespace = "::mlir::bitnet::ternary";
  let useDefaultTypePrinterParser = 1;
  let extraClassDeclaration = [{
    void registerTypes();
  }];
}

class Ternary_Op<string mnemonic, list<Trait> traits = []>
    : Op<Ternary_Dialect, mnemonic, traits>;

#endif // BITNET_DIALECT_TERNARY_IR_TERNARYDIALECT_TD
