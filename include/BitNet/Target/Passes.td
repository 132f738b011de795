//===- Passes.td - target selection ------------------------*- tablegen -*-===//

#ifndef BITNET_TARGET_PASSES_TD
#define BITNET_TARGET_PASSES_TD

include "mlir/Pass/PassBase.td"

def SetTargetPass : Pass<"bitnet-set-target", "::mlir::ModuleOp"> {
  let summary = "Stamp the target (triple, CPU, ISA features, vector width, "
                "cache sizes) on the module";
  let description = [{
    Writes `bitnet.target`, which the target-dependent passes and the back
    end read. Without options it keeps a target already on the module, and
    stamps the host otherwise. `triple` and `cpu` name another target; the
    CPU's features, vector width and int8 dot-product support come from
    LLVM's description of it.
  }];
  let options = [
    Option<"triple", "triple", "std::string", /*default=*/"\"\"",
           "LLVM target triple (default: the host)">,
    Option<"cpu", "cpu", "std::string", /*default=*/"\"\"",
           "CPU name (default: the host CPU for the host, else generic)">
  ];
}

def X86Int8DotPass : Pass<"bitnet-x86-int8-dot", "::mlir::ModuleOp"> {
  let summary = "Grouped int8 dot products as the x86 target's instructions";
  let description = [{
    The ternary dot kernel writes each 64-trit chunk as
    `vector.multi_reduction <add>` over `vector<Gx4xi32>` of products of
    zero-extended and sign-extended bytes: four adjacent byte products per
    i32 lane, the shape of VNNI's `vpdpbusd`. LLVM does not recognise it
    (it widens to i32 and multiplies), so this pass rewrites it into calls
    of the instruction the module's `bitnet.target` has (`int8_dot`):

    - `avx512-vnni`: `vpdpbusd` on 512-bit vectors;
    - `avx-vnni`: `vpdpbusd` on 256-bit halves;
    - `avx2`: `vpmaddubsw` then `vpmaddwd` by ones on 256-bit halves, only
      where the unsigned bytes are masked to at most 127 (the ternary
      fields are), since `vpmaddubsw` saturates its 16-bit pair sums.

    Other targets, and reductions of other shapes, are left alone. It runs
    after bufferization: calls of LLVM intrinsics have unknown memory
    effects, which one-shot bufferization refuses.
  }];
  let dependentDialects = [
    "::mlir::LLVM::LLVMDialect",
    "::mlir::vector::VectorDialect"
  ];
}

#endif // BITNET_TARGET_PASSES_TD
