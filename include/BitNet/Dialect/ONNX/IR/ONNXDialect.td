//===- ONNXDialect.td - the onnx dialect -------------------*- tablegen -*-===//
//
// The `onnx` dialect mirrors ONNX operators one to one, as the importer
// produces them (docs/ONNXImport.md). This file holds the dialect and the
// op classes and type constraints the op files share.
//
//===----------------------------------------------------------------------===//

#ifndef BITNET_DIALECT_ONNX_IR_ONNXDIALECT_TD
#define BITNET_DIALECT_ONNX_IR_ONNXDIALECT_TD

include "mlir/IR/OpBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def ONNX_Dialect : Dialect {
  let name = "onnx";
  let summary = "ONNX operators, one op per op_type, as imported";
  let description = [{
    Each op is named after its ONNX `op_type` (`onnx.Add`, `onnx.ReduceMean`)
    and has the operator's newest form (opset 21): where older opsets took
    an attribute that became an input (`axes` of the reductions), the
    importer passes the input. Operands, results and attributes keep their
    ONNX names; attributes a node omits are omitted here too, and the ops'
    C++ accessors supply ONNX's defaults.

    An omitted optional input in the middle of a node's inputs is the `none`
    result of `onnx.NoValue`, except on ops that size their operand groups
    (`onnx.Clip`, `onnx.Slice`), where it is an empty group.

    Folders evaluate the small integer arithmetic that exporters emit to
    compute shapes; constants are `arith.constant`.
  }];
  let cppNamespace = "::mlir::bitnet::onnx";
  let dependentDialects = ["::mlir::arith::ArithDialect"];
  let hasConstantMaterializer = 1;
}

// Every ONNX operator is a function of its inputs. The generic format keeps
// the IR close to the ONNX graph; ops with several optional operand groups
// override it.
class ONNX_Op<string mnemonic, list<Trait> traits = []>
    : Op<ONNX_Dialect, mnemonic, !listconcat([Pure], traits)> {
  let assemblyFormat = [{
    operands attr-dict `:` functional-type(operands, results)
  }];
}

// An optional input that may be omitted in the middle of the input list.
def ONNX_TensorOrNone : AnyTypeOf<[AnyTensor, NoneType], "tensor or none">;

def ONNX_IndexTensor : TensorOf<[I32, I64]>;
def ONNX_I64Tensor : TensorOf<[I64]>;
def ONNX_BoolTensor : TensorOf<[I1]>;

#endif // BITNET_DIALECT_ONNX_IR_ONNXDIALECT_TD
