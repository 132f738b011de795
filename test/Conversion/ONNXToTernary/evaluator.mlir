// RUN: bitnet-opt %s -convert-onnx-to-ternary -split-input-file 2>/dev/null | FileCheck %s

// The same ternary matrix, unpacked the ways exporters spell it: whatever
// ops compute the weights, they fold to one ternary.constant and no op of
// the weight subgraph is left. W ([out=4, in=3]) is
//   [[1, 0, -1], [0, 1, 1], [-1, -1, 0], [1, 1, 1]],
// whose fields W + 1, packed four rows per byte (row i in bits 2i..2i+1,
// transformers' BitLinear layout), are the bytes [134, 137, 152].

// transformers' unpack_weights under torch.export: a zero buffer filled by
// slice assignment (ScatterND), fields masked with BitwiseAnd and shifted.
// CHECK-LABEL: func.func @scatter_nd_unpacking
// CHECK: %[[W:.*]] = ternary.constant dense<{{\[\[}}1, 0, -1], [0, 1, 1], [-1, -1, 0], [1, 1, 1]]> : tensor<4x3xi8>, scale dense<1.000000e+00> : tensor<f32> -> !ternary.weights<4x3xf32>
// CHECK: ternary.dequantize %[[W]]
// CHECK-NOT: onnx.ScatterND
// CHECK-NOT: onnx.BitwiseAnd
// CHECK-NOT: onnx.BitShift
func.func @scatter_nd_unpacking(%x: tensor<2x3xf32>) -> tensor<2x4xf32> {
  %packed = arith.constant dense<[[134, 137, 152]]> : tensor<1x3xui8>
  %zeros = arith.constant dense<0> : tensor<4x3xui8>
  %one = arith.constant dense<1.0> : tensor<f32>
  %m0 = arith.constant dense<3> : tensor<ui8>
  %m1 = arith.constant dense<12> : tensor<ui8>
  %m2 = arith.constant dense<48> : tensor<ui8>
  %m3 = arith.constant dense<192> : tensor<ui8>
  %s0 = arith.constant dense<0> : tensor<ui8>
  %s1 = arith.constant dense<2> : tensor<ui8>
  %s2 = arith.constant dense<4> : tensor<ui8>
  %s3 = arith.constant dense<6> : tensor<ui8>
  %i0 = arith.constant dense<[[0]]> : tensor<1x1xi64>
  %i1 = arith.constant dense<[[1]]> : tensor<1x1xi64>
  %i2 = arith.constant dense<[[2]]> : tensor<1x1xi64>
  %i3 = arith.constant dense<[[3]]> : tensor<1x1xi64>
  %a0 = "onnx.BitwiseAnd"(%packed, %m0) : (tensor<1x3xui8>, tensor<ui8>) -> tensor<1x3xui8>
  %f0 = "onnx.BitShift"(%a0, %s0) <{direction = "RIGHT"}> : (tensor<1x3xui8>, tensor<ui8>) -> tensor<1x3xui8>
  %a1 = "onnx.BitwiseAnd"(%packed, %m1) : (tensor<1x3xui8>, tensor<ui8>) -> tensor<1x3xui8>
  %f1 = "onnx.BitShift"(%a1, %s1) <{direction = "RIGHT"}> : (tensor<1x3xui8>, tensor<ui8>) -> tensor<1x3xui8>
  %a2 = "onnx.BitwiseAnd"(%packed, %m2) : (tensor<1x3xui8>, tensor<ui8>) -> tensor<1x3xui8>
  %f2 = "onnx.BitShift"(%a2, %s2) <{direction = "RIGHT"}> : (tensor<1x3xui8>, tensor<ui8>) -> tensor<1x3xui8>
  %a3 = "onnx.BitwiseAnd"(%packed, %m3) : (tensor<1x3xui8>, tensor<ui8>) -> tensor<1x3xui8>
  %f3 = "onnx.BitShift"(%a3, %s3) <{direction = "RIGHT"}> : (tensor<1x3xui8>, tensor<ui8>) -> tensor<1x3xui8>
  %u0 = "onnx.ScatterND"(%zeros, %i0, %f0) : (tensor<4x3xui8>, tensor<1x1xi64>, tensor<1x3xui8>) -> tensor<4x3xui8>
  %u1 = "onnx.ScatterND"(%u0, %i1, %f1) : (tensor<4x3xui8>, tensor<1x1xi64>, tensor<1x3xui8>) -> tensor<4x3xui8>
  %u2 = "onnx.ScatterND"(%u1, %i2, %f2) : (tensor<4x3xui8>, tensor<1x1xi64>, tensor<1x3xui8>) -> tensor<4x3xui8>
  %u3 = "onnx.ScatterND"(%u2, %i3, %f3) : (tensor<4x3xui8>, tensor<1x1xi64>, tensor<1x3xui8>) -> tensor<4x3xui8>
  %wf = "onnx.Cast"(%u3) <{to = 1 : i64}> : (tensor<4x3xui8>) -> tensor<4x3xf32>
  %w = "onnx.Sub"(%wf, %one) : (tensor<4x3xf32>, tensor<f32>) -> tensor<4x3xf32>
  %wt = "onnx.Transpose"(%w) <{perm = [1, 0]}> : (tensor<4x3xf32>) -> tensor<3x4xf32>
  %y = "onnx.MatMul"(%x, %wt) : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// Rows picked by GatherND at run-of-Range indices, trits chosen by Where
// over comparisons, a NaN guard, and a round trip through f16.
// CHECK-LABEL: func.func @gather_nd_where
// CHECK: %[[W:.*]] = ternary.constant dense<{{\[\[}}1, 0, -1], [0, 1, 1], [-1, -1, 0], [1, 1, 1]]> : tensor<4x3xi8>, scale dense<1.000000e+00> : tensor<f32> -> !ternary.weights<4x3xf32>
// CHECK-NOT: onnx.GatherND
// CHECK-NOT: onnx.Where
// CHECK-NOT: onnx.IsNaN
// CHECK-NOT: onnx.Range
func.func @gather_nd_where(%x: tensor<2x3xf32>) -> tensor<2x4xf32> {
  // The fields, rows stored in reverse order.
  %table = arith.constant dense<[[2, 2, 2], [0, 0, 1], [1, 2, 2], [2, 1, 0]]> : tensor<4x3xi64>
  %start = arith.constant dense<0> : tensor<i64>
  %limit = arith.constant dense<4> : tensor<i64>
  %delta = arith.constant dense<1> : tensor<i64>
  %three = arith.constant dense<3> : tensor<i64>
  %last = arith.constant dense<[-1]> : tensor<1xi64>
  %zero = arith.constant dense<0> : tensor<i64>
  %two = arith.constant dense<2> : tensor<i64>
  %fp1 = arith.constant dense<1.0> : tensor<f32>
  %fm1 = arith.constant dense<-1.0> : tensor<f32>
  %f0 = arith.constant dense<0.0> : tensor<f32>
  %r = "onnx.Range"(%start, %limit, %delta) : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<4xi64>
  %rev = "onnx.Sub"(%three, %r) : (tensor<i64>, tensor<4xi64>) -> tensor<4xi64>
  %idx = "onnx.Unsqueeze"(%rev, %last) : (tensor<4xi64>, tensor<1xi64>) -> tensor<4x1xi64>
  %fields = "onnx.GatherND"(%table, %idx) : (tensor<4x3xi64>, tensor<4x1xi64>) -> tensor<4x3xi64>
  %isneg = "onnx.Equal"(%fields, %zero) : (tensor<4x3xi64>, tensor<i64>) -> tensor<4x3xi1>
  %ispos = "onnx.Equal"(%fields, %two) : (tensor<4x3xi64>, tensor<i64>) -> tensor<4x3xi1>
  %posorzero = "onnx.Where"(%ispos, %fp1, %f0) : (tensor<4x3xi1>, tensor<f32>, tensor<f32>) -> tensor<4x3xf32>
  %t = "onnx.Where"(%isneg, %fm1, %posorzero) : (tensor<4x3xi1>, tensor<f32>, tensor<4x3xf32>) -> tensor<4x3xf32>
  %nan = "onnx.IsNaN"(%t) : (tensor<4x3xf32>) -> tensor<4x3xi1>
  %clean = "onnx.Where"(%nan, %f0, %t) : (tensor<4x3xi1>, tensor<f32>, tensor<4x3xf32>) -> tensor<4x3xf32>
  %h = "onnx.Cast"(%clean) <{to = 10 : i64}> : (tensor<4x3xf32>) -> tensor<4x3xf16>
  %w = "onnx.Cast"(%h) <{to = 1 : i64}> : (tensor<4x3xf16>) -> tensor<4x3xf32>
  %wt = "onnx.Transpose"(%w) <{perm = [1, 0]}> : (tensor<4x3xf32>) -> tensor<3x4xf32>
  %y = "onnx.MatMul"(%x, %wt) : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// Older exporters: integer Div by powers of four and Mod instead of shifts
// and masks, bytes arriving as i32 that wrap when cast to uint8, a CumSum
// that builds the divisors, and Not/Xor that cancel.
// CHECK-LABEL: func.func @div_mod_casts
// CHECK: %[[W:.*]] = ternary.constant dense<{{\[\[}}1, 0, -1], [0, 1, 1], [-1, -1, 0], [1, 1, 1]]> : tensor<4x3xi8>, scale dense<5.000000e-01> : tensor<f32> -> !ternary.weights<4x3xf32>
// CHECK-NOT: onnx.Mod
// CHECK-NOT: onnx.CumSum
// CHECK-NOT: onnx.BitwiseNot
func.func @div_mod_casts(%x: tensor<2x3xf32>) -> tensor<2x4xf32> {
  // 134 + 256, 137 - 256, 152 + 512: the same bytes modulo 256.
  %wide = arith.constant dense<[[390, -119, 664]]> : tensor<1x3xi32>
  // log4 of the divisors, as a running sum of [0, 1, 1, 1].
  %steps = arith.constant dense<[[0], [1], [1], [1]]> : tensor<4x1xi64>
  %axis = arith.constant dense<0> : tensor<i64>
  %four = arith.constant dense<4> : tensor<i64>
  %one = arith.constant dense<1.0> : tensor<f32>
  %half = arith.constant dense<0.5> : tensor<f32>
  %bytes = "onnx.Cast"(%wide) <{to = 2 : i64}> : (tensor<1x3xi32>) -> tensor<1x3xui8>
  %flip = "onnx.BitwiseNot"(%bytes) : (tensor<1x3xui8>) -> tensor<1x3xui8>
  %back = "onnx.BitwiseNot"(%flip) : (tensor<1x3xui8>) -> tensor<1x3xui8>
  %b64 = "onnx.Cast"(%back) <{to = 7 : i64}> : (tensor<1x3xui8>) -> tensor<1x3xi64>
  %exps = "onnx.CumSum"(%steps, %axis) : (tensor<4x1xi64>, tensor<i64>) -> tensor<4x1xi64>
  %divs = "onnx.Pow"(%four, %exps) : (tensor<i64>, tensor<4x1xi64>) -> tensor<4x1xi64>
  %q = "onnx.Div"(%b64, %divs) : (tensor<1x3xi64>, tensor<4x1xi64>) -> tensor<4x3xi64>
  %fields = "onnx.Mod"(%q, %four) : (tensor<4x3xi64>, tensor<i64>) -> tensor<4x3xi64>
  %ff = "onnx.Cast"(%fields) <{to = 1 : i64}> : (tensor<4x3xi64>) -> tensor<4x3xf32>
  %t = "onnx.Sub"(%ff, %one) : (tensor<4x3xf32>, tensor<f32>) -> tensor<4x3xf32>
  %w = "onnx.Mul"(%t, %half) : (tensor<4x3xf32>, tensor<f32>) -> tensor<4x3xf32>
  %wt = "onnx.Transpose"(%w) <{perm = [1, 0]}> : (tensor<4x3xf32>) -> tensor<3x4xf32>
  %y = "onnx.MatMul"(%x, %wt) : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// Out-of-range indices do not evaluate: the weights stay a float MatMul
// and nothing is folded from a read outside the table.
// CHECK-LABEL: func.func @gather_out_of_range
// CHECK-NOT: ternary.constant
// CHECK: onnx.GatherND
func.func @gather_out_of_range(%x: tensor<2x3xf32>) -> tensor<2x4xf32> {
  %table = arith.constant dense<1.0> : tensor<4x3xf32>
  %idx = arith.constant dense<[[0], [1], [2], [4]]> : tensor<4x1xi64>
  %w = "onnx.GatherND"(%table, %idx) : (tensor<4x3xf32>, tensor<4x1xi64>) -> tensor<4x3xf32>
  %wt = "onnx.Transpose"(%w) <{perm = [1, 0]}> : (tensor<4x3xf32>) -> tensor<3x4xf32>
  %y = "onnx.MatMul"(%x, %wt) : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// A splat is a few bytes at any declared size: one of 2^40 elements is not
// expanded (the compiler would run out of memory), and the layer stays.
// CHECK-LABEL: func.func @huge_splat
// CHECK-NOT: ternary.constant
// CHECK: onnx.MatMul
func.func @huge_splat(%x: tensor<2x1048576xf32>) -> tensor<2x1048576xf32> {
  %w = arith.constant dense<1.0> : tensor<1048576x1048576xf32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %v = "onnx.Sub"(%w, %one) : (tensor<1048576x1048576xf32>, tensor<f32>) -> tensor<1048576x1048576xf32>
  %y = "onnx.MatMul"(%x, %v) : (tensor<2x1048576xf32>, tensor<1048576x1048576xf32>) -> tensor<2x1048576xf32>
  return %y : tensor<2x1048576xf32>
}
