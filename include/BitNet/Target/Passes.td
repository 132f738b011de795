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

#endif // BITNET_TARGET_PASSES_TD
