// RUN: bitnet-opt %s -canonicalize -split-input-file | FileCheck %s

// Folds of the shape arithmetic exporters emit. Constants fold when they
// are small (at most 4096 elements, or splats) and the op's result type is
// static: a fold never makes a type more precise than the op declared.

// torch.onnx.export's reshape target, with the sequence length (dim 1)
// read from the input: static here, so the whole chain is one constant.
// CHECK-LABEL: func.func @torch_reshape_chain
// CHECK-SAME: (%[[X:.*]]: tensor<?x8x64xf32>)
// CHECK-NOT: onnx.Shape
// CHECK-NOT: onnx.Gather
// CHECK-NOT: onnx.Unsqueeze
// CHECK-NOT: onnx.Concat
// CHECK: %[[TARGET:.*]] = arith.constant dense<[-1, 8, 4, 16]> : tensor<4xi64>
// CHECK: %[[Y:.*]] = onnx.Reshape %[[X]], %[[TARGET]] : (tensor<?x8x64xf32>, tensor<4xi64>) -> tensor<?x8x4x16xf32>
// CHECK: return %[[Y]]
func.func @torch_reshape_chain(%x: tensor<?x8x64xf32>) -> tensor<?x8x4x16xf32> {
  %shape = onnx.Shape %x : (tensor<?x8x64xf32>) -> tensor<3xi64>
  %one = arith.constant dense<1> : tensor<i64>
  %seq = onnx.Gather %shape, %one {axis = 0 : i64} : (tensor<3xi64>, tensor<i64>) -> tensor<i64>
  %zero = arith.constant dense<0> : tensor<1xi64>
  %seq1 = onnx.Unsqueeze %seq, %zero : (tensor<i64>, tensor<1xi64>) -> tensor<1xi64>
  %batch = arith.constant dense<-1> : tensor<1xi64>
  %heads = arith.constant dense<[4, 16]> : tensor<2xi64>
  %target = onnx.Concat %batch, %seq1, %heads {axis = 0 : i64} : (tensor<1xi64>, tensor<1xi64>, tensor<2xi64>) -> tensor<4xi64>
  %y = onnx.Reshape %x, %target : (tensor<?x8x64xf32>, tensor<4xi64>) -> tensor<?x8x4x16xf32>
  return %y : tensor<?x8x4x16xf32>
}

// -----

// The same chain reading the dynamic batch: the static entry folds, the
// dynamic one and what depends on it stay.
// CHECK-LABEL: func.func @dynamic_entry_stays
// CHECK-SAME: (%[[X:.*]]: tensor<?x8x64xf32>)
// CHECK-DAG: %[[ZERO:.*]] = arith.constant dense<0> : tensor<i64>
// CHECK-DAG: %[[AXES:.*]] = arith.constant dense<0> : tensor<1xi64>
// CHECK-DAG: %[[SEQ:.*]] = arith.constant dense<8> : tensor<1xi64>
// CHECK-DAG: %[[HEADS:.*]] = arith.constant dense<[4, 16]> : tensor<2xi64>
// CHECK: %[[SHAPE:.*]] = onnx.Shape %[[X]]
// CHECK: %[[B:.*]] = onnx.Gather %[[SHAPE]], %[[ZERO]]
// CHECK: %[[B1:.*]] = onnx.Unsqueeze %[[B]], %[[AXES]]
// CHECK: %[[T:.*]] = onnx.Concat %[[B1]], %[[SEQ]], %[[HEADS]] {axis = 0 : i64}
// CHECK: onnx.Reshape %[[X]], %[[T]]
func.func @dynamic_entry_stays(%x: tensor<?x8x64xf32>) -> tensor<?x8x4x16xf32> {
  %shape = onnx.Shape %x : (tensor<?x8x64xf32>) -> tensor<3xi64>
  %zero = arith.constant dense<0> : tensor<i64>
  %one = arith.constant dense<1> : tensor<i64>
  %batch = onnx.Gather %shape, %zero {axis = 0 : i64} : (tensor<3xi64>, tensor<i64>) -> tensor<i64>
  %seq = onnx.Gather %shape, %one {axis = 0 : i64} : (tensor<3xi64>, tensor<i64>) -> tensor<i64>
  %axes = arith.constant dense<0> : tensor<1xi64>
  %b1 = onnx.Unsqueeze %batch, %axes : (tensor<i64>, tensor<1xi64>) -> tensor<1xi64>
  %s1 = onnx.Unsqueeze %seq, %axes : (tensor<i64>, tensor<1xi64>) -> tensor<1xi64>
  %heads = arith.constant dense<[4, 16]> : tensor<2xi64>
  %target = onnx.Concat %b1, %s1, %heads {axis = 0 : i64} : (tensor<1xi64>, tensor<1xi64>, tensor<2xi64>) -> tensor<4xi64>
  %y = onnx.Reshape %x, %target : (tensor<?x8x64xf32>, tensor<4xi64>) -> tensor<?x8x4x16xf32>
  return %y : tensor<?x8x4x16xf32>
}

// -----

// CHECK-LABEL: func.func @shape_static
// CHECK-DAG: %[[ALL:.*]] = arith.constant dense<[2, 3, 4]> : tensor<3xi64>
// CHECK-DAG: %[[MID:.*]] = arith.constant dense<3> : tensor<1xi64>
// CHECK-DAG: %[[N:.*]] = arith.constant dense<24> : tensor<i64>
// CHECK-NOT: onnx.
// CHECK: return %[[ALL]], %[[MID]], %[[N]]
func.func @shape_static(%x: tensor<2x3x4xf32>) -> (tensor<3xi64>, tensor<1xi64>, tensor<i64>) {
  %all = onnx.Shape %x : (tensor<2x3x4xf32>) -> tensor<3xi64>
  %mid = onnx.Shape %x {start = -2 : i64, end = -1 : i64} : (tensor<2x3x4xf32>) -> tensor<1xi64>
  %n = onnx.Size %x : (tensor<2x3x4xf32>) -> tensor<i64>
  return %all, %mid, %n : tensor<3xi64>, tensor<1xi64>, tensor<i64>
}

// -----

// Dimensions [1, 3) of a shape whose dimension 0 is dynamic are known.
// CHECK-LABEL: func.func @shape_slice
// CHECK-DAG: %[[TAIL:.*]] = arith.constant dense<[8, 64]> : tensor<2xi64>
// CHECK-DAG: %[[SHAPE:.*]] = onnx.Shape
// CHECK-DAG: %[[HEAD:.*]] = onnx.Slice %[[SHAPE]]
// CHECK: return %[[TAIL]], %[[HEAD]]
func.func @shape_slice(%x: tensor<?x8x64xf32>) -> (tensor<2xi64>, tensor<1xi64>) {
  %shape = onnx.Shape %x : (tensor<?x8x64xf32>) -> tensor<3xi64>
  %one = arith.constant dense<1> : tensor<1xi64>
  %zero = arith.constant dense<0> : tensor<1xi64>
  %end = arith.constant dense<9223372036854775807> : tensor<1xi64>
  %tail = onnx.Slice %shape, %one, %end, axes %zero : (tensor<3xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<2xi64>
  %head = onnx.Slice %shape, %zero, %one : (tensor<3xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
  return %tail, %head : tensor<2xi64>, tensor<1xi64>
}

// -----

// Shapes of dynamic dimensions stay.
// CHECK-LABEL: func.func @shape_dynamic
// CHECK: onnx.Shape
// CHECK: onnx.Size
func.func @shape_dynamic(%x: tensor<?x3xf32>, %u: tensor<*xf32>) -> (tensor<2xi64>, tensor<i64>) {
  %shape = onnx.Shape %x : (tensor<?x3xf32>) -> tensor<2xi64>
  %n = onnx.Size %u : (tensor<*xf32>) -> tensor<i64>
  return %shape, %n : tensor<2xi64>, tensor<i64>
}

// -----

// Gather along axis 1 with a negative index, and a 2-D index tensor.
// CHECK-LABEL: func.func @gather_constant
// CHECK-DAG: %[[COLS:.*]] = arith.constant dense<{{\[}}[3, 1], [6, 4]]> : tensor<2x2xi64>
// CHECK-DAG: %[[ROWS:.*]] = arith.constant dense<{{\[}}{{\[}}[4, 5, 6]], {{\[}}[1, 2, 3]]]> : tensor<2x1x3xi64>
// CHECK-NOT: onnx.Gather
// CHECK: return %[[COLS]], %[[ROWS]]
func.func @gather_constant() -> (tensor<2x2xi64>, tensor<2x1x3xi64>) {
  %data = arith.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi64>
  %cols = arith.constant dense<[-1, 0]> : tensor<2xi32>
  %rows = arith.constant dense<[[1], [0]]> : tensor<2x1xi64>
  %0 = onnx.Gather %data, %cols {axis = 1 : i64} : (tensor<2x3xi64>, tensor<2xi32>) -> tensor<2x2xi64>
  %1 = onnx.Gather %data, %rows : (tensor<2x3xi64>, tensor<2x1xi64>) -> tensor<2x1x3xi64>
  return %0, %1 : tensor<2x2xi64>, tensor<2x1x3xi64>
}

// -----

// An index out of range is left for the runtime to report.
// CHECK-LABEL: func.func @gather_out_of_range
// CHECK: onnx.Gather
func.func @gather_out_of_range() -> tensor<i64> {
  %data = arith.constant dense<[1, 2, 3]> : tensor<3xi64>
  %index = arith.constant dense<3> : tensor<i64>
  %0 = onnx.Gather %data, %index : (tensor<3xi64>, tensor<i64>) -> tensor<i64>
  return %0 : tensor<i64>
}

// -----

// CHECK-LABEL: func.func @concat_constants
// CHECK: %[[C:.*]] = arith.constant dense<{{\[}}[1, 2, 5], [3, 4, 6]]> : tensor<2x3xi32>
// CHECK-NOT: onnx.Concat
// CHECK: return %[[C]]
func.func @concat_constants() -> tensor<2x3xi32> {
  %a = arith.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi32>
  %b = arith.constant dense<[[5], [6]]> : tensor<2x1xi32>
  %0 = onnx.Concat %a, %b {axis = -1 : i64} : (tensor<2x2xi32>, tensor<2x1xi32>) -> tensor<2x3xi32>
  return %0 : tensor<2x3xi32>
}

// -----

// A result of dynamic shape does not fold, even of constants.
// CHECK-LABEL: func.func @concat_dynamic_result
// CHECK: onnx.Concat
func.func @concat_dynamic_result() -> tensor<?xi64> {
  %a = arith.constant dense<[1, 2]> : tensor<2xi64>
  %0 = onnx.Concat %a, %a {axis = 0 : i64} : (tensor<2xi64>, tensor<2xi64>) -> tensor<?xi64>
  return %0 : tensor<?xi64>
}

// -----

// Ops that keep the elements in order reshape constants.
// CHECK-LABEL: func.func @reshape_like
// CHECK-DAG: %[[R:.*]] = arith.constant dense<{{\[}}[1, 2], [3, 4], [5, 6]]> : tensor<3x2xi64>
// CHECK-DAG: %[[U:.*]] = arith.constant dense<{{\[}}[1, 2, 3, 4, 5, 6]]> : tensor<1x6xi64>
// CHECK-DAG: %[[S:.*]] = arith.constant dense<7> : tensor<i64>
// CHECK-NOT: onnx.
// CHECK: return %[[R]], %[[U]], %[[S]], %[[U]]
func.func @reshape_like() -> (tensor<3x2xi64>, tensor<1x6xi64>, tensor<i64>, tensor<1x6xi64>) {
  %data = arith.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi64>
  %shape = arith.constant dense<[3, -1]> : tensor<2xi64>
  %r = onnx.Reshape %data, %shape : (tensor<2x3xi64>, tensor<2xi64>) -> tensor<3x2xi64>
  %flat = arith.constant dense<[1, 2, 3, 4, 5, 6]> : tensor<6xi64>
  %zero = arith.constant dense<0> : tensor<1xi64>
  %u = onnx.Unsqueeze %flat, %zero : (tensor<6xi64>, tensor<1xi64>) -> tensor<1x6xi64>
  %seven = arith.constant dense<7> : tensor<1xi64>
  %s = onnx.Squeeze %seven : (tensor<1xi64>) -> tensor<i64>
  %f = onnx.Flatten %data {axis = 0 : i64} : (tensor<2x3xi64>) -> tensor<1x6xi64>
  return %r, %u, %s, %f : tensor<3x2xi64>, tensor<1x6xi64>, tensor<i64>, tensor<1x6xi64>
}

// -----

// Reshape, Expand and Cast to the input's own static type, and Identity,
// are the input.
// CHECK-LABEL: func.func @no_ops
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>, %[[S:.*]]: tensor<2xi64>, %[[D:.*]]: tensor<?x3xf32>)
// CHECK-NOT: onnx.Reshape
// CHECK-NOT: onnx.Expand
// CHECK-NOT: onnx.Cast
// CHECK-NOT: onnx.Identity
// CHECK: return %[[X]], %[[X]], %[[X]], %[[D]]
func.func @no_ops(%x: tensor<2x3xf32>, %s: tensor<2xi64>, %d: tensor<?x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<?x3xf32>) {
  %r = onnx.Reshape %x, %s : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<2x3xf32>
  %e = onnx.Expand %r, %s : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<2x3xf32>
  %c = onnx.Cast %e {to = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %i = onnx.Identity %d : (tensor<?x3xf32>) -> tensor<?x3xf32>
  return %r, %e, %c, %i : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<?x3xf32>
}

// -----

// Only a static reshape is known to be the identity.
// CHECK-LABEL: func.func @dynamic_reshape_stays
// CHECK: onnx.Reshape
func.func @dynamic_reshape_stays(%x: tensor<?x?xf32>, %s: tensor<2xi64>) -> tensor<?x?xf32> {
  %r = onnx.Reshape %x, %s : (tensor<?x?xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

// -----

// Integer arithmetic broadcasts; division truncates toward zero.
// CHECK-LABEL: func.func @integer_arithmetic
// CHECK-DAG: %[[ADD:.*]] = arith.constant dense<{{\[}}[11, 12], [13, 14]]> : tensor<2x2xi64>
// CHECK-DAG: %[[SUB:.*]] = arith.constant dense<[-9, -8]> : tensor<2xi64>
// CHECK-DAG: %[[MUL:.*]] = arith.constant dense<[10, 20]> : tensor<2xi64>
// CHECK-DAG: %[[DIV:.*]] = arith.constant dense<[-3, 3]> : tensor<2xi64>
// CHECK-DAG: %[[NEG:.*]] = arith.constant dense<[-1, -2]> : tensor<2xi64>
// CHECK-NOT: onnx.
// CHECK: return %[[ADD]], %[[SUB]], %[[MUL]], %[[DIV]], %[[NEG]]
func.func @integer_arithmetic() -> (tensor<2x2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>) {
  %a = arith.constant dense<[1, 2]> : tensor<2xi64>
  %col = arith.constant dense<[[10], [12]]> : tensor<2x1xi64>
  %ten = arith.constant dense<10> : tensor<i64>
  %add = onnx.Add %a, %col : (tensor<2xi64>, tensor<2x1xi64>) -> tensor<2x2xi64>
  %sub = onnx.Sub %a, %ten : (tensor<2xi64>, tensor<i64>) -> tensor<2xi64>
  %mul = onnx.Mul %a, %ten : (tensor<2xi64>, tensor<i64>) -> tensor<2xi64>
  %num = arith.constant dense<[-7, 7]> : tensor<2xi64>
  %two = arith.constant dense<2> : tensor<i64>
  %div = onnx.Div %num, %two : (tensor<2xi64>, tensor<i64>) -> tensor<2xi64>
  %neg = onnx.Neg %a : (tensor<2xi64>) -> tensor<2xi64>
  return %add, %sub, %mul, %div, %neg : tensor<2x2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>
}

// -----

// CHECK-LABEL: func.func @division_by_zero
// CHECK: onnx.Div
func.func @division_by_zero() -> tensor<2xi64> {
  %a = arith.constant dense<[1, 2]> : tensor<2xi64>
  %b = arith.constant dense<[1, 0]> : tensor<2xi64>
  %div = onnx.Div %a, %b : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  return %div : tensor<2xi64>
}

// -----

// The cheap float operators fold too; splats stay splats.
// CHECK-LABEL: func.func @float_arithmetic
// CHECK-DAG: %[[MUL:.*]] = arith.constant dense<[1.000000e+00, -3.000000e+00]> : tensor<2xf32>
// CHECK-DAG: %[[ABS:.*]] = arith.constant dense<1.500000e+00> : tensor<64x64xf16>
// CHECK-DAG: %[[MAX:.*]] = arith.constant dense<[5.000000e-01, 1.500000e+00]> : tensor<2xf32>
// CHECK-NOT: onnx.
// CHECK: return %[[MUL]], %[[ABS]], %[[MAX]]
func.func @float_arithmetic() -> (tensor<2xf32>, tensor<64x64xf16>, tensor<2xf32>) {
  %a = arith.constant dense<[0.5, -1.5]> : tensor<2xf32>
  %two = arith.constant dense<2.0> : tensor<f32>
  %mul = onnx.Mul %a, %two : (tensor<2xf32>, tensor<f32>) -> tensor<2xf32>
  %big = arith.constant dense<-1.5> : tensor<64x64xf16>
  %abs = onnx.Abs %big : (tensor<64x64xf16>) -> tensor<64x64xf16>
  %neg = onnx.Neg %a : (tensor<2xf32>) -> tensor<2xf32>
  %max = onnx.Max %a, %neg : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %mul, %abs, %max : tensor<2xf32>, tensor<64x64xf16>, tensor<2xf32>
}

// -----

// torch's expand pattern: where(shape == -1, 1, shape).
// CHECK-LABEL: func.func @compare_and_select
// CHECK-DAG: %[[EQ:.*]] = arith.constant dense<[false, true, false]> : tensor<3xi1>
// CHECK-DAG: %[[SEL:.*]] = arith.constant dense<[2, 1, 4]> : tensor<3xi64>
// CHECK-DAG: %[[LT:.*]] = arith.constant dense<[true, true, false]> : tensor<3xi1>
// CHECK-DAG: %[[GE:.*]] = arith.constant dense<[false, false, true]> : tensor<3xi1>
// CHECK-NOT: onnx.
// CHECK: return %[[EQ]], %[[SEL]], %[[LT]], %[[GE]]
func.func @compare_and_select() -> (tensor<3xi1>, tensor<3xi64>, tensor<3xi1>, tensor<3xi1>) {
  %shape = arith.constant dense<[2, -1, 4]> : tensor<3xi64>
  %minus1 = arith.constant dense<-1> : tensor<i64>
  %one = arith.constant dense<1> : tensor<i64>
  %eq = onnx.Equal %shape, %minus1 : (tensor<3xi64>, tensor<i64>) -> tensor<3xi1>
  %sel = onnx.Where %eq, %one, %shape : (tensor<3xi1>, tensor<i64>, tensor<3xi64>) -> tensor<3xi64>
  %three = arith.constant dense<3> : tensor<i64>
  %lt = onnx.Less %shape, %three : (tensor<3xi64>, tensor<i64>) -> tensor<3xi1>
  %ge = onnx.Not %lt : (tensor<3xi1>) -> tensor<3xi1>
  return %eq, %sel, %lt, %ge : tensor<3xi1>, tensor<3xi64>, tensor<3xi1>, tensor<3xi1>
}

// -----

// A uniform condition selects an operand, constant or not.
// CHECK-LABEL: func.func @where_splat_condition
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>, %[[Y:.*]]: tensor<4xf32>)
// CHECK-NOT: onnx.Where
// CHECK: return %[[Y]]
func.func @where_splat_condition(%x: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  %false = arith.constant dense<false> : tensor<4xi1>
  %0 = onnx.Where %false, %x, %y : (tensor<4xi1>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @logic
// CHECK-DAG: %[[AND:.*]] = arith.constant dense<[true, false, false, false]> : tensor<4xi1>
// CHECK-DAG: %[[OR:.*]] = arith.constant dense<[true, true, true, false]> : tensor<4xi1>
// CHECK-DAG: %[[XOR:.*]] = arith.constant dense<[false, true, true, false]> : tensor<4xi1>
// CHECK: return %[[AND]], %[[OR]], %[[XOR]]
func.func @logic() -> (tensor<4xi1>, tensor<4xi1>, tensor<4xi1>) {
  %a = arith.constant dense<[true, true, false, false]> : tensor<4xi1>
  %b = arith.constant dense<[true, false, true, false]> : tensor<4xi1>
  %and = onnx.And %a, %b : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  %or = onnx.Or %a, %b : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  %xor = onnx.Xor %a, %b : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  return %and, %or, %xor : tensor<4xi1>, tensor<4xi1>, tensor<4xi1>
}

// -----

// Cast: floats to integers toward zero, anything to BOOL as "nonzero",
// unsigned integers zero-extended.
// CHECK-LABEL: func.func @cast
// CHECK-DAG: %[[F:.*]] = arith.constant dense<[3.000000e+00, -1.000000e+00]> : tensor<2xf32>
// CHECK-DAG: %[[I:.*]] = arith.constant dense<[2, -2]> : tensor<2xi32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[true, false]> : tensor<2xi1>
// CHECK-DAG: %[[U:.*]] = arith.constant dense<[255, 1]> : tensor<2xi64>
// CHECK-DAG: %[[H:.*]] = arith.constant dense<[2.500000e+00, -2.500000e+00]> : tensor<2xf16>
// CHECK-NOT: onnx.Cast
// CHECK: return %[[F]], %[[I]], %[[B]], %[[U]], %[[H]]
func.func @cast() -> (tensor<2xf32>, tensor<2xi32>, tensor<2xi1>, tensor<2xi64>, tensor<2xf16>) {
  %i = arith.constant dense<[3, -1]> : tensor<2xi64>
  %f = onnx.Cast %i {to = 1 : i64} : (tensor<2xi64>) -> tensor<2xf32>
  %x = arith.constant dense<[2.7, -2.7]> : tensor<2xf32>
  %t = onnx.Cast %x {to = 6 : i64} : (tensor<2xf32>) -> tensor<2xi32>
  %z = arith.constant dense<[5, 0]> : tensor<2xi64>
  %b = onnx.Cast %z {to = 9 : i64} : (tensor<2xi64>) -> tensor<2xi1>
  %u8 = arith.constant dense<[255, 1]> : tensor<2xui8>
  %u = onnx.Cast %u8 {to = 7 : i64} : (tensor<2xui8>) -> tensor<2xi64>
  %like = arith.constant dense<0.0> : tensor<1xf16>
  %y = arith.constant dense<[2.5, -2.5]> : tensor<2xf32>
  %h = onnx.CastLike %y, %like : (tensor<2xf32>, tensor<1xf16>) -> tensor<2xf16>
  return %f, %t, %b, %u, %h : tensor<2xf32>, tensor<2xi32>, tensor<2xi1>, tensor<2xi64>, tensor<2xf16>
}

// -----

// NaN has no integer value.
// CHECK-LABEL: func.func @cast_nan
// CHECK: onnx.Cast
func.func @cast_nan() -> tensor<i32> {
  %nan = arith.constant dense<0x7FC00000> : tensor<f32>
  %0 = onnx.Cast %nan {to = 6 : i64} : (tensor<f32>) -> tensor<i32>
  return %0 : tensor<i32>
}

// -----

// CHECK-LABEL: func.func @range
// CHECK-DAG: %[[UP:.*]] = arith.constant dense<[0, 3, 6, 9]> : tensor<4xi64>
// CHECK-DAG: %[[DOWN:.*]] = arith.constant dense<[5, 3, 1]> : tensor<3xi32>
// CHECK-DAG: %[[F:.*]] = arith.constant dense<[0.000000e+00, 5.000000e-01, 1.000000e+00]> : tensor<3xf32>
// CHECK-NOT: onnx.Range
// CHECK: return %[[UP]], %[[DOWN]], %[[F]]
func.func @range() -> (tensor<4xi64>, tensor<3xi32>, tensor<3xf32>) {
  %zero = arith.constant dense<0> : tensor<i64>
  %ten = arith.constant dense<10> : tensor<i64>
  %three = arith.constant dense<3> : tensor<i64>
  %up = onnx.Range %zero, %ten, %three : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<4xi64>
  %five = arith.constant dense<5> : tensor<i32>
  %zero32 = arith.constant dense<0> : tensor<i32>
  %minus2 = arith.constant dense<-2> : tensor<i32>
  %down = onnx.Range %five, %zero32, %minus2 : (tensor<i32>, tensor<i32>, tensor<i32>) -> tensor<3xi32>
  %fs = arith.constant dense<0.0> : tensor<f32>
  %fl = arith.constant dense<1.5> : tensor<f32>
  %fd = arith.constant dense<0.5> : tensor<f32>
  %f = onnx.Range %fs, %fl, %fd : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<3xf32>
  return %up, %down, %f : tensor<4xi64>, tensor<3xi32>, tensor<3xf32>
}

// -----

// Beyond 4096 elements a non-splat result is not computed here.
// CHECK-LABEL: func.func @range_too_large
// CHECK: onnx.Range
func.func @range_too_large() -> tensor<5000xi64> {
  %zero = arith.constant dense<0> : tensor<i64>
  %limit = arith.constant dense<5000> : tensor<i64>
  %one = arith.constant dense<1> : tensor<i64>
  %0 = onnx.Range %zero, %limit, %one : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<5000xi64>
  return %0 : tensor<5000xi64>
}

// -----

// Weights in resource blobs are never read by folds.
// CHECK-LABEL: func.func @resource_not_read
// CHECK: onnx.Reshape
func.func @resource_not_read(%s: tensor<2xi64>) -> tensor<2x2xf32> {
  %w = arith.constant dense_resource<weights> : tensor<4xf32>
  %0 = onnx.Reshape %w, %s : (tensor<4xf32>, tensor<2xi64>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      weights: "0x040000000000803F000000400000404000008040"
    }
  }
#-}

// -----

// ConstantOfShape of a static result type is a splat, whatever its size.
// CHECK-LABEL: func.func @constant_of_shape
// CHECK-DAG: %[[ONES:.*]] = arith.constant dense<1> : tensor<128x128xi64>
// CHECK-DAG: %[[ZEROS:.*]] = arith.constant dense<0.000000e+00> : tensor<2x3xf32>
// CHECK: %[[DYN:.*]] = onnx.ConstantOfShape
// CHECK: return %[[ONES]], %[[ZEROS]], %[[DYN]]
func.func @constant_of_shape(%s: tensor<2xi64>) -> (tensor<128x128xi64>, tensor<2x3xf32>, tensor<?x?xf32>) {
  %ones = onnx.ConstantOfShape %s {value = dense<1> : tensor<1xi64>} : (tensor<2xi64>) -> tensor<128x128xi64>
  %zeros = onnx.ConstantOfShape %s : (tensor<2xi64>) -> tensor<2x3xf32>
  %dyn = onnx.ConstantOfShape %s : (tensor<2xi64>) -> tensor<?x?xf32>
  return %ones, %zeros, %dyn : tensor<128x128xi64>, tensor<2x3xf32>, tensor<?x?xf32>
}

// -----

// CHECK-LABEL: func.func @expand
// CHECK-DAG: %[[ROWS:.*]] = arith.constant dense<{{\[}}[1, 2], [1, 2], [1, 2]]> : tensor<3x2xi64>
// CHECK-DAG: %[[SPLAT:.*]] = arith.constant dense<7> : tensor<100x100xi64>
// CHECK-NOT: onnx.Expand
// CHECK: return %[[ROWS]], %[[SPLAT]]
func.func @expand(%s: tensor<2xi64>) -> (tensor<3x2xi64>, tensor<100x100xi64>) {
  %row = arith.constant dense<[1, 2]> : tensor<2xi64>
  %rows = onnx.Expand %row, %s : (tensor<2xi64>, tensor<2xi64>) -> tensor<3x2xi64>
  %seven = arith.constant dense<7> : tensor<1xi64>
  %splat = onnx.Expand %seven, %s : (tensor<1xi64>, tensor<2xi64>) -> tensor<100x100xi64>
  return %rows, %splat : tensor<3x2xi64>, tensor<100x100xi64>
}

// -----

// Slice with a negative step, and along the second axis.
// CHECK-LABEL: func.func @slice_constant
// CHECK-DAG: %[[REV:.*]] = arith.constant dense<[5, 3, 1]> : tensor<3xi64>
// CHECK-DAG: %[[COLS:.*]] = arith.constant dense<{{\[}}[2, 3], [5, 6]]> : tensor<2x2xi64>
// CHECK-NOT: onnx.Slice
// CHECK: return %[[REV]], %[[COLS]]
func.func @slice_constant() -> (tensor<3xi64>, tensor<2x2xi64>) {
  %v = arith.constant dense<[0, 1, 2, 3, 4, 5]> : tensor<6xi64>
  %start = arith.constant dense<-1> : tensor<1xi64>
  %end = arith.constant dense<-9223372036854775808> : tensor<1xi64>
  %step = arith.constant dense<-2> : tensor<1xi64>
  %rev = onnx.Slice %v, %start, %end, steps %step : (tensor<6xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<3xi64>
  %m = arith.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi64>
  %one = arith.constant dense<1> : tensor<1xi32>
  %big = arith.constant dense<100> : tensor<1xi32>
  %cols = onnx.Slice %m, %one, %big, axes %one : (tensor<2x3xi64>, tensor<1xi32>, tensor<1xi32>, tensor<1xi32>) -> tensor<2x2xi64>
  return %rev, %cols : tensor<3xi64>, tensor<2x2xi64>
}
