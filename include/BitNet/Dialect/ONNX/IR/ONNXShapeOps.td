//===- ONNXShapeOps.td - onnx data movement and shapes -----*- tablegen -*-===//
//
// ONNX operators that convert, move, select or generate data, including
// the shape arithmetic exporters emit (Shape, Gather, Concat, Reshape...).
// Included by ONNXOps.td.
//
//===----------------------------------------------------------------------===//

#ifndef BITNET_DIALECT_ONNX_IR_ONNXSHAPEOPS_TD
#define BITNET_DIALECT_ONNX_IR_ONNXSHAPEOPS_TD

include "mlir/IR/OpBase.td"

//===----------------------------------------------------------------------===//
// Conversions
//===----------------------------------------------------------------------===//

def ONNX_CastOp : ONNX_Op<"Cast"> {
  let summary = "conversion to the element type `to` names";
  let description = [{
    `to` is a TensorProto data type code (1 FLOAT, 6 INT32, 7 INT64, 9 BOOL,
    10 FLOAT16, 16 BFLOAT16...); the result's element type must be the one
    the code maps to.
  }];
  let arguments = (ins AnyTensor:$input, I64Attr:$to,
                       OptionalAttr<I64Attr>:$saturate);
  let results = (outs AnyTensor:$output);
  let hasVerifier = 1;
  let hasFolder = 1;
}

def ONNX_CastLikeOp : ONNX_Op<"CastLike"> {
  let summary = "conversion to the element type of `target_type`";
  let arguments = (ins AnyTensor:$input, AnyTensor:$target_type,
                       OptionalAttr<I64Attr>:$saturate);
  let results = (outs AnyTensor:$output);
  let hasFolder = 1;
}

def ONNX_IdentityOp : ONNX_Op<"Identity"> {
  let summary = "the input, unchanged";
  let arguments = (ins AnyTensor:$input);
  let results = (outs AnyTensor:$output);
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Shapes
//===----------------------------------------------------------------------===//

def ONNX_ShapeOp : ONNX_Op<"Shape"> {
  let summary = "the input's dimensions [start, end) as a 1-D i64 tensor";
  let description = [{
    `start` and `end` count from the back when negative and are clamped to
    `[0, rank]`; they default to the whole shape. Folds to a constant when
    the selected dimensions are static.
  }];
  let arguments = (ins AnyTensor:$data, OptionalAttr<I64Attr>:$start,
                       OptionalAttr<I64Attr>:$end);
  let results = (outs ONNX_I64Tensor:$shape);
  let extraClassDeclaration = [{
    /// The dimensions [first, second) of a rank-`rank` input that the
    /// result lists.
    std::pair<int64_t, int64_t> getDimRange(int64_t rank);
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def ONNX_SizeOp : ONNX_Op<"Size"> {
  let summary = "the number of elements, as an i64 scalar";
  let arguments = (ins AnyTensor:$data);
  let results = (outs ONNX_I64Tensor:$size);
  let hasVerifier = 1;
  let hasFolder = 1;
}

def ONNX_ReshapeOp : ONNX_Op<"Reshape"> {
  let summary = "the data with the shape `shape` gives";
  let description = [{
    In `shape`, -1 is inferred from the element count and 0 copies the
    input's dimension (or is a zero dimension when `allowzero = 1`).
  }];
  let arguments = (ins AnyTensor:$data, ONNX_I64Tensor:$shape,
                       OptionalAttr<I64Attr>:$allowzero);
  let results = (outs AnyTensor:$reshaped);
  let extraClassDeclaration = ONNX_I64Default<"Allowzero", "0">.decl;
  let hasFolder = 1;
}

def ONNX_FlattenOp : ONNX_Op<"Flatten"> {
  let summary = "a matrix of dims [0, axis) by dims [axis, rank)";
  let arguments = (ins AnyTensor:$input, OptionalAttr<I64Attr>:$axis);
  let results = (outs AnyTensor:$output);
  let extraClassDeclaration = ONNX_I64Default<"Axis", "1">.decl;
  let hasVerifier = 1;
  let hasFolder = 1;
}

def ONNX_SqueezeOp : ONNX_Op<"Squeeze"> {
  let summary = "removes the size-1 dimensions `axes` lists (or all)";
  let arguments = (ins AnyTensor:$data, Optional<ONNX_I64Tensor>:$axes);
  let results = (outs AnyTensor:$squeezed);
  let hasFolder = 1;
}

def ONNX_UnsqueezeOp : ONNX_Op<"Unsqueeze"> {
  let summary = "inserts size-1 dimensions at `axes` of the result";
  let arguments = (ins AnyTensor:$data, ONNX_I64Tensor:$axes);
  let results = (outs AnyTensor:$expanded);
  let hasFolder = 1;
}

def ONNX_TransposeOp : ONNX_Op<"Transpose"> {
  let summary = "permutes the dimensions (reverses them without `perm`)";
  let arguments = (ins AnyTensor:$data, OptionalAttr<I64ArrayAttr>:$perm);
  let results = (outs AnyTensor:$transposed);
  let hasVerifier = 1;
}

def ONNX_ExpandOp : ONNX_Op<"Expand"> {
  let summary = "broadcasts the input to `shape`";
  let arguments = (ins AnyTensor:$input, ONNX_I64Tensor:$shape);
  let results = (outs AnyTensor:$output);
  let hasFolder = 1;
}

def ONNX_TileOp : ONNX_Op<"Tile"> {
  let summary = "repeats the input `repeats[i]` times along dimension i";
  let arguments = (ins AnyTensor:$input, ONNX_I64Tensor:$repeats);
  let results = (outs AnyTensor:$output);
}

//===----------------------------------------------------------------------===//
// Joining, splitting and selecting
//===----------------------------------------------------------------------===//

def ONNX_ConcatOp : ONNX_Op<"Concat", [SameOperandsAndResultElementType]> {
  let summary = "joins the inputs along `axis`";
  let arguments = (ins Variadic<AnyTensor>:$inputs, I64Attr:$axis);
  let results = (outs AnyTensor:$concat_result);
  let hasVerifier = 1;
  let hasFolder = 1;
}

def ONNX_SplitOp : ONNX_Op<"Split"> {
  let summary = "splits the input along `axis` into the results";
  let description = [{
    The parts have the sizes the `split` input lists, or are `num_outputs`
    (opset 18) or as many as there are results, of equal size but the
    last.
  }];
  let arguments = (ins AnyTensor:$input, Optional<ONNX_I64Tensor>:$split,
                       OptionalAttr<I64Attr>:$axis,
                       OptionalAttr<I64Attr>:$num_outputs);
  let results = (outs Variadic<AnyTensor>:$outputs);
  let extraClassDeclaration = ONNX_I64Default<"Axis", "0">.decl;
  let hasVerifier = 1;
}

def ONNX_SliceOp : ONNX_Op<"Slice", [AttrSizedOperandSegments]> {
  let summary = "the elements from `starts` to `ends` by `steps` on `axes`";
  let description = [{
    `axes` and `steps` are optional, and either may be given without the
    other, so they are named where they appear:

    ```mlir
    %y = onnx.Slice %x, %starts, %ends, steps %steps
           : (tensor<8xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>)
           -> tensor<4xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$data, ONNX_IndexTensor:$starts,
                       ONNX_IndexTensor:$ends,
                       Optional<ONNX_IndexTensor>:$axes,
                       Optional<ONNX_IndexTensor>:$steps);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = [{
    $data `,` $starts `,` $ends
    `` custom<TaggedOptionals>($axes, $steps, "\"axes\"", "\"steps\"")
    attr-dict `:` functional-type(operands, results)
  }];
  let hasFolder = 1;
}

def ONNX_GatherOp : ONNX_Op<"Gather"> {
  let summary = "takes the `indices` entries of `data` along `axis`";
  let arguments = (ins AnyTensor:$data, ONNX_IndexTensor:$indices,
                       OptionalAttr<I64Attr>:$axis);
  let results = (outs AnyTensor:$output);
  let extraClassDeclaration = ONNX_I64Default<"Axis", "0">.decl;
  let hasVerifier = 1;
  let hasFolder = 1;
}

def ONNX_GatherElementsOp : ONNX_Op<"GatherElements"> {
  let summary = "takes one element of `data` per index, along `axis`";
  let arguments = (ins AnyTensor:$data, ONNX_IndexTensor:$indices,
                       OptionalAttr<I64Attr>:$axis);
  let results = (outs AnyTensor:$output);
  let extraClassDeclaration = ONNX_I64Default<"Axis", "0">.decl;
  let hasVerifier = 1;
}

def ONNX_GatherNDOp : ONNX_Op<"GatherND"> {
  let summary = "takes the slices of `data` that index tuples address";
  let arguments = (ins AnyTensor:$data, ONNX_I64Tensor:$indices,
                       OptionalAttr<I64Attr>:$batch_dims);
  let results = (outs AnyTensor:$output);
  let extraClassDeclaration = ONNX_I64Default<"BatchDims", "0">.decl;
}

def ONNX_ScatterElementsOp : ONNX_Op<"ScatterElements"> {
  let summary = "writes `updates` into `data` at `indices` along `axis`";
  let arguments = (ins AnyTensor:$data, ONNX_IndexTensor:$indices,
                       AnyTensor:$updates, OptionalAttr<I64Attr>:$axis,
                       OptionalAttr<StrAttr>:$reduction);
  let results = (outs AnyTensor:$output);
  let extraClassDeclaration = ONNX_I64Default<"Axis", "0">.decl;
  let hasVerifier = 1;
}

def ONNX_ScatterNDOp : ONNX_Op<"ScatterND"> {
  let summary = "writes `updates` into the slices index tuples address";
  let arguments = (ins AnyTensor:$data, ONNX_I64Tensor:$indices,
                       AnyTensor:$updates, OptionalAttr<StrAttr>:$reduction);
  let results = (outs AnyTensor:$output);
  let hasVerifier = 1;
}

def ONNX_WhereOp : ONNX_Op<"Where"> {
  let summary = "X where `condition` holds, else Y (broadcasting)";
  let arguments = (ins ONNX_BoolTensor:$condition, AnyTensor:$X,
                       AnyTensor:$Y);
  let results = (outs AnyTensor:$output);
  let hasVerifier = 1;
  let hasFolder = 1;
}

def ONNX_TriluOp : ONNX_Op<"Trilu"> {
  let summary = "the upper or lower triangle of the last two dimensions";
  let arguments = (ins AnyTensor:$input, Optional<ONNX_I64Tensor>:$k,
                       OptionalAttr<I64Attr>:$upper);
  let results = (outs AnyTensor:$output);
  let extraClassDeclaration = ONNX_I64Default<"Upper", "1">.decl;
  let hasVerifier = 1;
}

def ONNX_ClipOp : ONNX_Op<"Clip", [AttrSizedOperandSegments]> {
  let summary = "clamps the input to [min, max]";
  let description = [{
    Either bound may be omitted, so bounds are named where they appear:

    ```mlir
    %y = onnx.Clip %x, max %six : (tensor<?x4xf32>, tensor<f32>) -> tensor<?x4xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$input, Optional<AnyTensor>:$min,
                       Optional<AnyTensor>:$max);
  let results = (outs AnyTensor:$output);
  let assemblyFormat = [{
    $input `` custom<TaggedOptionals>($min, $max, "\"min\"", "\"max\"")
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def ONNX_PadOp : ONNX_Op<"Pad"> {
  let summary = "pads the data by `pads` (begins, then ends)";
  let description = [{
    The optional inputs `constant_value` and `axes` (opset 18) are one
    variadic group, `none` where `constant_value` is omitted but `axes`
    is not, so that the op does not depend on how many inputs an opset
    declares.
  }];
  let arguments = (ins AnyTensor:$data, ONNX_I64Tensor:$pads,
                       Variadic<ONNX_TensorOrNone>:$constant_value_and_axes,
                       OptionalAttr<StrAttr>:$mode);
  let results = (outs AnyTensor:$output);
  let extraClassDeclaration = [{
    /// The optional inputs; null where omitted.
    ::mlir::Value getConstantValue();
    ::mlir::Value getAxes();
    ::llvm::StringRef getModeOrDefault() {
      return getMode() ? *getMode() : "constant";
    }
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Generators
//===----------------------------------------------------------------------===//

def ONNX_ConstantOfShapeOp : ONNX_Op<"ConstantOfShape"> {
  let summary = "a tensor of the given shape filled with `value`";
  let description = [{
    `value` is a one-element tensor; without it the fill is 0.0 : f32.
  }];
  let arguments = (ins ONNX_I64Tensor:$input,
                       OptionalAttr<ElementsAttr>:$value);
  let results = (outs AnyTensor:$output);
  let hasVerifier = 1;
  let hasFolder = 1;
}

def ONNX_RangeOp : ONNX_Op<"Range", [SameOperandsAndResultElementType]> {
  let summary = "start, start + delta, ... up to and excluding limit";
  let arguments = (ins AnyTensor:$start, AnyTensor:$limit, AnyTensor:$delta);
  let results = (outs AnyTensor:$output);
  let hasVerifier = 1;
  let hasFolder = 1;
}

#endif // BITNET_DIALECT_ONNX_IR_ONNXSHAPEOPS_TD
