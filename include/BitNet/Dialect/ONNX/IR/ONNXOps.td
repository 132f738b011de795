//===- ONNXOps.td - onnx dialect operations ----------------*- tablegen -*-===//
//
// The ONNX operators that LLaMA-style BitNet exports use (opsets 13-21),
// one op each. This file has the element-wise operators, linear algebra,
// normalization and reductions; ONNXShapeOps.td has the operators that
// move data or compute shapes.
//
//===----------------------------------------------------------------------===//

#ifndef BITNET_DIALECT_ONNX_IR_ONNXOPS_TD
#define BITNET_DIALECT_ONNX_IR_ONNXOPS_TD

include "BitNet/Dialect/ONNX/IR/ONNXDialect.td"

// `int64_t get<Name>OrDefault()`: the value of the optional i64 attribute
// <Name>, or ONNX's default when the node omits it.
class ONNX_I64Default<string name, string value> {
  string decl = "int64_t get" # name # "OrDefault() {\n"
    # "  auto attr = get" # name # "Attr();\n"
    # "  return attr ? attr.getInt() : " # value # ";\n}\n";
}

// `float get<Name>OrDefault()`, for optional f32 attributes.
class ONNX_F32Default<string name, string value> {
  string decl = "float get" # name # "OrDefault() {\n"
    # "  auto attr = get" # name # "Attr();\n"
    # "  return attr ? attr.getValue().convertToFloat() : " # value # ";\n}\n";
}

//===----------------------------------------------------------------------===//
// Element-wise operators
//===----------------------------------------------------------------------===//

class ONNX_UnaryOp<string mnemonic, string brief, list<Trait> traits = []>
    : ONNX_Op<mnemonic, !listconcat([SameOperandsAndResultElementType],
                                    traits)> {
  let summary = brief;
  let arguments = (ins AnyTensor:$X);
  let results = (outs AnyTensor:$Y);
}

def ONNX_AbsOp : ONNX_UnaryOp<"Abs", "absolute value"> { let hasFolder = 1; }
def ONNX_CeilOp : ONNX_UnaryOp<"Ceil", "round toward +infinity">;
def ONNX_CosOp : ONNX_UnaryOp<"Cos", "cosine">;
def ONNX_ErfOp : ONNX_UnaryOp<"Erf", "Gauss error function">;
def ONNX_ExpOp : ONNX_UnaryOp<"Exp", "exponential">;
def ONNX_FloorOp : ONNX_UnaryOp<"Floor", "round toward -infinity">;
def ONNX_LogOp : ONNX_UnaryOp<"Log", "natural logarithm">;
def ONNX_NegOp : ONNX_UnaryOp<"Neg", "negation"> { let hasFolder = 1; }
def ONNX_ReciprocalOp : ONNX_UnaryOp<"Reciprocal", "1 / x">;
def ONNX_ReluOp : ONNX_UnaryOp<"Relu", "max(x, 0)">;
def ONNX_RoundOp : ONNX_UnaryOp<"Round", "round half to even">;
def ONNX_SigmoidOp : ONNX_UnaryOp<"Sigmoid", "1 / (1 + exp(-x))">;
def ONNX_SignOp : ONNX_UnaryOp<"Sign", "-1, 0 or 1 by the sign of x">;
def ONNX_SinOp : ONNX_UnaryOp<"Sin", "sine">;
def ONNX_SqrtOp : ONNX_UnaryOp<"Sqrt", "square root">;
def ONNX_TanhOp : ONNX_UnaryOp<"Tanh", "hyperbolic tangent">;
def ONNX_BitwiseNotOp : ONNX_UnaryOp<"BitwiseNot", "bitwise complement">;

def ONNX_NotOp : ONNX_Op<"Not"> {
  let summary = "logical negation";
  let arguments = (ins ONNX_BoolTensor:$X);
  let results = (outs ONNX_BoolTensor:$Y);
  let hasFolder = 1;
}

def ONNX_IsNaNOp : ONNX_Op<"IsNaN"> {
  let summary = "whether each element is NaN";
  let arguments = (ins AnyTensor:$X);
  let results = (outs ONNX_BoolTensor:$Y);
}

def ONNX_IsInfOp : ONNX_Op<"IsInf"> {
  let summary = "whether each element is an infinity";
  let arguments = (ins AnyTensor:$X,
                       OptionalAttr<I64Attr>:$detect_negative,
                       OptionalAttr<I64Attr>:$detect_positive);
  let results = (outs ONNX_BoolTensor:$Y);
}

// Binary operators broadcast their operands numpy-style.
class ONNX_BinaryOp<string mnemonic, string brief, list<Trait> traits = []>
    : ONNX_Op<mnemonic, !listconcat([SameOperandsAndResultElementType],
                                    traits)> {
  let summary = brief;
  let arguments = (ins AnyTensor:$A, AnyTensor:$B);
  let results = (outs AnyTensor:$C);
}

def ONNX_AddOp : ONNX_BinaryOp<"Add", "A + B"> { let hasFolder = 1; }
def ONNX_SubOp : ONNX_BinaryOp<"Sub", "A - B"> { let hasFolder = 1; }
def ONNX_MulOp : ONNX_BinaryOp<"Mul", "A * B"> { let hasFolder = 1; }
def ONNX_DivOp : ONNX_BinaryOp<"Div", "A / B (integers: toward zero)"> {
  let hasFolder = 1;
}
def ONNX_BitwiseAndOp : ONNX_BinaryOp<"BitwiseAnd", "A & B">;
def ONNX_BitwiseOrOp : ONNX_BinaryOp<"BitwiseOr", "A | B">;
def ONNX_BitwiseXorOp : ONNX_BinaryOp<"BitwiseXor", "A ^ B">;

def ONNX_ModOp : ONNX_BinaryOp<"Mod", "remainder"> {
  let description = [{
    With `fmod = 0` (the default) the remainder takes the divisor's sign,
    as Python's `%`; with `fmod = 1` the dividend's, as C's `fmod`. Floats
    need `fmod = 1`.
  }];
  let arguments = (ins AnyTensor:$A, AnyTensor:$B,
                       OptionalAttr<I64Attr>:$fmod);
  let extraClassDeclaration = ONNX_I64Default<"Fmod", "0">.decl;
  let hasVerifier = 1;
}

class ONNX_LogicalOp<string mnemonic, string brief>
    : ONNX_Op<mnemonic, [SameOperandsAndResultElementType]> {
  let summary = brief;
  let arguments = (ins ONNX_BoolTensor:$A, ONNX_BoolTensor:$B);
  let results = (outs ONNX_BoolTensor:$C);
  let hasFolder = 1;
}

def ONNX_AndOp : ONNX_LogicalOp<"And", "logical and">;
def ONNX_OrOp : ONNX_LogicalOp<"Or", "logical or">;
def ONNX_XorOp : ONNX_LogicalOp<"Xor", "logical exclusive or">;

class ONNX_CompareOp<string mnemonic, string brief>
    : ONNX_Op<mnemonic, [SameOperandsElementType]> {
  let summary = brief;
  let arguments = (ins AnyTensor:$A, AnyTensor:$B);
  let results = (outs ONNX_BoolTensor:$C);
  let hasFolder = 1;
}

def ONNX_EqualOp : ONNX_CompareOp<"Equal", "A == B">;
def ONNX_GreaterOp : ONNX_CompareOp<"Greater", "A > B">;
def ONNX_GreaterOrEqualOp : ONNX_CompareOp<"GreaterOrEqual", "A >= B">;
def ONNX_LessOp : ONNX_CompareOp<"Less", "A < B">;
def ONNX_LessOrEqualOp : ONNX_CompareOp<"LessOrEqual", "A <= B">;

def ONNX_PowOp : ONNX_Op<"Pow"> {
  let summary = "X to the power Y (the types may differ)";
  let arguments = (ins AnyTensor:$X, AnyTensor:$Y);
  let results = (outs AnyTensor:$Z);
}

def ONNX_BitShiftOp : ONNX_Op<"BitShift", [SameOperandsAndResultElementType]> {
  let summary = "shift of unsigned integers, LEFT or RIGHT";
  let arguments = (ins AnyTensor:$X, AnyTensor:$Y, StrAttr:$direction);
  let results = (outs AnyTensor:$Z);
  let hasVerifier = 1;
}

// Sum, Mean, Max and Min take one or more inputs.
class ONNX_VariadicOp<string mnemonic, string brief>
    : ONNX_Op<mnemonic, [SameOperandsAndResultElementType]> {
  let summary = brief;
  let arguments = (ins Variadic<AnyTensor>:$data_0);
}

def ONNX_SumOp : ONNX_VariadicOp<"Sum", "element-wise sum of the inputs"> {
  let results = (outs AnyTensor:$sum);
}
def ONNX_MeanOp : ONNX_VariadicOp<"Mean", "element-wise mean of the inputs"> {
  let results = (outs AnyTensor:$mean);
}
def ONNX_MaxOp : ONNX_VariadicOp<"Max", "element-wise maximum of the inputs"> {
  let results = (outs AnyTensor:$max);
  let hasFolder = 1;
}
def ONNX_MinOp : ONNX_VariadicOp<"Min", "element-wise minimum of the inputs"> {
  let results = (outs AnyTensor:$min);
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Linear algebra and normalization
//===----------------------------------------------------------------------===//

def ONNX_MatMulOp : ONNX_Op<"MatMul"> {
  let summary = "numpy.matmul";
  let arguments = (ins AnyTensor:$A, AnyTensor:$B);
  let results = (outs AnyTensor:$Y);
}

def ONNX_GemmOp : ONNX_Op<"Gemm"> {
  let summary = "alpha * op(A) * op(B) + beta * C on matrices";
  let arguments = (ins AnyTensor:$A, AnyTensor:$B, Optional<AnyTensor>:$C,
                       OptionalAttr<F32Attr>:$alpha,
                       OptionalAttr<F32Attr>:$beta,
                       OptionalAttr<I64Attr>:$transA,
                       OptionalAttr<I64Attr>:$transB);
  let results = (outs AnyTensor:$Y);
  let extraClassDeclaration = ONNX_F32Default<"Alpha", "1.0f">.decl
    # ONNX_F32Default<"Beta", "1.0f">.decl
    # ONNX_I64Default<"TransA", "0">.decl # ONNX_I64Default<"TransB", "0">.decl;
  let hasVerifier = 1;
}

class ONNX_SoftmaxOp<string mnemonic, string brief> : ONNX_Op<mnemonic> {
  let summary = brief;
  let arguments = (ins AnyTensor:$input, OptionalAttr<I64Attr>:$axis);
  let results = (outs AnyTensor:$output);
  let extraClassDeclaration = ONNX_I64Default<"Axis", "-1">.decl;
  let hasVerifier = 1;
}

def ONNX_SoftmaxOp : ONNX_SoftmaxOp<"Softmax", "softmax along one axis">;
def ONNX_LogSoftmaxOp
    : ONNX_SoftmaxOp<"LogSoftmax", "log of softmax along one axis">;

def ONNX_LayerNormalizationOp : ONNX_Op<"LayerNormalization"> {
  let summary = "normalization over the dimensions from `axis` on";
  let description = [{
    The optional outputs `Mean` and `InvStdDev` are one variadic group,
    `statistics`: nodes that ask for neither have the single result `Y`.
  }];
  let arguments = (ins AnyTensor:$X, AnyTensor:$Scale, Optional<AnyTensor>:$B,
                       OptionalAttr<I64Attr>:$axis,
                       OptionalAttr<F32Attr>:$epsilon,
                       OptionalAttr<I64Attr>:$stash_type);
  let results = (outs AnyTensor:$Y, Variadic<AnyTensor>:$statistics);
  let extraClassDeclaration = ONNX_I64Default<"Axis", "-1">.decl
    # ONNX_F32Default<"Epsilon", "1.0e-5f">.decl
    # ONNX_I64Default<"StashType", "1">.decl # [{
    /// The optional results; null where the node does not produce them.
    ::mlir::Value getMean() {
      auto stats = getStatistics();
      return stats.empty() ? ::mlir::Value() : stats[0];
    }
    ::mlir::Value getInvStdDev() {
      auto stats = getStatistics();
      return stats.size() < 2 ? ::mlir::Value() : stats[1];
    }
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

// Opset 18's form: `axes` is an input. Without it, all axes are reduced,
// unless `noop_with_empty_axes` says the op is then the identity.
class ONNX_ReduceOp<string mnemonic, string brief> : ONNX_Op<mnemonic> {
  let summary = brief;
  let arguments = (ins AnyTensor:$data, Optional<ONNX_I64Tensor>:$axes,
                       OptionalAttr<I64Attr>:$keepdims,
                       OptionalAttr<I64Attr>:$noop_with_empty_axes);
  let results = (outs AnyTensor:$reduced);
  let extraClassDeclaration = ONNX_I64Default<"Keepdims", "1">.decl
    # ONNX_I64Default<"NoopWithEmptyAxes", "0">.decl;
}

def ONNX_ReduceL2Op : ONNX_ReduceOp<"ReduceL2", "L2 norm over axes">;
def ONNX_ReduceMaxOp : ONNX_ReduceOp<"ReduceMax", "maximum over axes">;
def ONNX_ReduceMeanOp : ONNX_ReduceOp<"ReduceMean", "mean over axes">;
def ONNX_ReduceMinOp : ONNX_ReduceOp<"ReduceMin", "minimum over axes">;
def ONNX_ReduceProdOp : ONNX_ReduceOp<"ReduceProd", "product over axes">;
def ONNX_ReduceSumOp : ONNX_ReduceOp<"ReduceSum", "sum over axes">;

def ONNX_ArgMaxOp : ONNX_Op<"ArgMax"> {
  let summary = "index of the maximum along one axis";
  let arguments = (ins AnyTensor:$data, OptionalAttr<I64Attr>:$axis,
                       OptionalAttr<I64Attr>:$keepdims,
                       OptionalAttr<I64Attr>:$select_last_index);
  let results = (outs ONNX_I64Tensor:$reduced);
  let extraClassDeclaration = ONNX_I64Default<"Axis", "0">.decl
    # ONNX_I64Default<"Keepdims", "1">.decl
    # ONNX_I64Default<"SelectLastIndex", "0">.decl;
  let hasVerifier = 1;
}

def ONNX_TopKOp : ONNX_Op<"TopK"> {
  let summary = "the K largest (or smallest) elements along one axis";
  let arguments = (ins AnyTensor:$X, ONNX_I64Tensor:$K,
                       OptionalAttr<I64Attr>:$axis,
                       OptionalAttr<I64Attr>:$largest,
                       OptionalAttr<I64Attr>:$sorted);
  let results = (outs AnyTensor:$Values, ONNX_I64Tensor:$Indices);
  let extraClassDeclaration = ONNX_I64Default<"Axis", "-1">.decl
    # ONNX_I64Default<"Largest", "1">.decl # ONNX_I64Default<"Sorted", "1">.decl;
  let hasVerifier = 1;
}

def ONNX_CumSumOp : ONNX_Op<"CumSum"> {
  let summary = "cumulative sum along the axis given as an input";
  let arguments = (ins AnyTensor:$x, ONNX_IndexTensor:$axis,
                       OptionalAttr<I64Attr>:$exclusive,
                       OptionalAttr<I64Attr>:$reverse);
  let results = (outs AnyTensor:$y);
  let extraClassDeclaration = ONNX_I64Default<"Exclusive", "0">.decl
    # ONNX_I64Default<"Reverse", "0">.decl;
}

//===----------------------------------------------------------------------===//
// Omitted inputs
//===----------------------------------------------------------------------===//

def ONNX_NoValueOp : ONNX_Op<"NoValue"> {
  let summary = "an omitted optional input";
  let description = [{
    Stands for an empty input name in the middle of a node's inputs, so
    that the inputs after it keep their positions:

    ```mlir
    %none = onnx.NoValue
    %y = onnx.Pad %x, %pads, %none, %axes
           : (tensor<4x4xf32>, tensor<2xi64>, none, tensor<1xi64>)
           -> tensor<6x4xf32>
    ```
  }];
  let results = (outs NoneType:$none);
  let assemblyFormat = "attr-dict";
}

include "BitNet/Dialect/ONNX/IR/ONNXShapeOps.td"

#endif // BITNET_DIALECT_ONNX_IR_ONNXOPS_TD
