// RUN: bitnet-opt %s -onnx-eliminate-ste -convert-onnx-to-ternary -split-input-file -verify-diagnostics | FileCheck %s

// The training form: latent weights through absmean quantization and a
// straight-through estimator, activations through per-token absmax int8.
// W = [[0.5, -1.5], [0.0, 2.0], [0.1, -0.2]] ([K=3, N=2]); mean|W| = 0.716..
// W * (1/mean): [[0.70, -2.09], [0, 2.79], [0.14, -0.28]] -> trits
// [[1, -1], [0, 1], [0, 0]]; transposed to [N, K]: [[1, 0, 0], [-1, 1, 0]].

// CHECK-LABEL: func.func @training_form
// CHECK-SAME: (%[[X:.*]]: tensor<?x3xf32>)
// CHECK: %[[W:.*]] = ternary.constant dense<{{\[\[}}1, 0, 0], [-1, 1, 0]]> : tensor<2x3xi8>, scale dense<0.716666{{[0-9]*}}> : tensor<f32> -> !ternary.weights<2x3xf32>
// CHECK: %[[Y:.*]] = ternary.bitlinear %[[X]], %[[W]] {epsilon = 9.99999974{{[0-9]*}}E-6 : f64} : tensor<?x3xf32>, !ternary.weights<2x3xf32> -> tensor<?x2xf32>
// CHECK: return %[[Y]]
// CHECK-NOT: onnx.
func.func @training_form(%x: tensor<?x3xf32>) -> tensor<?x2xf32> {
  %w = arith.constant dense<[[0.5, -1.5], [0.0, 2.0], [0.1, -0.2]]> : tensor<3x2xf32>
  %eps = arith.constant dense<1.0e-5> : tensor<f32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %minus1 = arith.constant dense<-1.0> : tensor<f32>
  %c127 = arith.constant dense<127.0> : tensor<f32>
  %lo = arith.constant dense<-128.0> : tensor<f32>
  %hi = arith.constant dense<127.0> : tensor<f32>
  %last = arith.constant dense<-1> : tensor<1xi64>
  // Weights: q = clip(round(W * s), -1, 1) / s, s = 1 / clip(mean|W|, eps).
  %abs = onnx.Abs %w : (tensor<3x2xf32>) -> tensor<3x2xf32>
  %mean = onnx.ReduceMean %abs {keepdims = 0 : i64} : (tensor<3x2xf32>) -> tensor<f32>
  %clamped = onnx.Clip %mean, min %eps : (tensor<f32>, tensor<f32>) -> tensor<f32>
  %recip = onnx.Reciprocal %clamped : (tensor<f32>) -> tensor<f32>
  %s = onnx.Mul %recip, %one : (tensor<f32>, tensor<f32>) -> tensor<f32>
  %scaled = onnx.Mul %w, %s : (tensor<3x2xf32>, tensor<f32>) -> tensor<3x2xf32>
  %rounded = onnx.Round %scaled : (tensor<3x2xf32>) -> tensor<3x2xf32>
  %trits = onnx.Clip %rounded, min %minus1, max %one : (tensor<3x2xf32>, tensor<f32>, tensor<f32>) -> tensor<3x2xf32>
  %q = onnx.Div %trits, %s : (tensor<3x2xf32>, tensor<f32>) -> tensor<3x2xf32>
  %diff = onnx.Sub %q, %w : (tensor<3x2xf32>, tensor<3x2xf32>) -> tensor<3x2xf32>
  %ste = onnx.Add %w, %diff : (tensor<3x2xf32>, tensor<3x2xf32>) -> tensor<3x2xf32>
  // Activations: qx = clip(round(x * sx), -128, 127) / sx.
  %ax = onnx.Abs %x : (tensor<?x3xf32>) -> tensor<?x3xf32>
  %mx = onnx.ReduceMax %ax, %last {keepdims = 1 : i64} : (tensor<?x3xf32>, tensor<1xi64>) -> tensor<?x1xf32>
  %mc = onnx.Clip %mx, min %eps : (tensor<?x1xf32>, tensor<f32>) -> tensor<?x1xf32>
  %mr = onnx.Reciprocal %mc : (tensor<?x1xf32>) -> tensor<?x1xf32>
  %sx = onnx.Mul %mr, %c127 : (tensor<?x1xf32>, tensor<f32>) -> tensor<?x1xf32>
  %xs = onnx.Mul %x, %sx : (tensor<?x3xf32>, tensor<?x1xf32>) -> tensor<?x3xf32>
  %xr = onnx.Round %xs : (tensor<?x3xf32>) -> tensor<?x3xf32>
  %xc = onnx.Clip %xr, min %lo, max %hi : (tensor<?x3xf32>, tensor<f32>, tensor<f32>) -> tensor<?x3xf32>
  %qx = onnx.Div %xc, %sx : (tensor<?x3xf32>, tensor<?x1xf32>) -> tensor<?x3xf32>
  %y = onnx.MatMul %qx, %ste : (tensor<?x3xf32>, tensor<3x2xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// The packed inference form: 2-bit fields (value + 1) of uint8 bytes,
// unpacked with shifts and Mod, times a per-tensor scale, transposed.
// Column 0 is byte 24 = 0b00'01'10'00 (fields 0, 2, 1 from the low end:
// trits -1, 1, 0 for rows 0..2); column 1 is 36 = 0b00'10'01'00 (-1, 0, 1).
// CHECK-LABEL: func.func @packed_form
// CHECK: %[[W:.*]] = ternary.constant dense<{{\[\[}}-1, -1], [1, 0], [0, 1]]> : tensor<3x2xi8>, scale dense<2.500000e-01> : tensor<f32> -> !ternary.weights<3x2xf32>
// CHECK: ternary.dequantize %[[W]]
// CHECK-NOT: onnx.BitShift
func.func @packed_form(%x: tensor<4x2xf32>) -> tensor<4x3xf32> {
  // Rows of the [out=3, in=2] matrix, one packed byte per input column,
  // fields 0..2 hold rows 0..2.
  %packed = arith.constant dense<[24, 36]> : tensor<2xui8>
  %shifts = arith.constant dense<[[0], [2], [4]]> : tensor<3x1xui8>
  %four = arith.constant dense<4> : tensor<ui8>
  %one = arith.constant dense<1.0> : tensor<f32>
  %scale = arith.constant dense<0.25> : tensor<f32>
  %sh = onnx.BitShift %packed, %shifts {direction = "RIGHT"} : (tensor<2xui8>, tensor<3x1xui8>) -> tensor<3x2xui8>
  %fields = onnx.Mod %sh, %four : (tensor<3x2xui8>, tensor<ui8>) -> tensor<3x2xui8>
  %f = onnx.Cast %fields {to = 1 : i64} : (tensor<3x2xui8>) -> tensor<3x2xf32>
  %t = onnx.Sub %f, %one : (tensor<3x2xf32>, tensor<f32>) -> tensor<3x2xf32>
  %w = onnx.Mul %t, %scale : (tensor<3x2xf32>, tensor<f32>) -> tensor<3x2xf32>
  %wt = onnx.Transpose %w {perm = [1, 0]} : (tensor<3x2xf32>) -> tensor<2x3xf32>
  // expected-remark @+1 {{weights are ternary but the activations are not quantized per token}}
  %y = onnx.MatMul %x, %wt : (tensor<4x2xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
  return %y : tensor<4x3xf32>
}

// -----

// Per-output-channel magnitudes give per-channel scales.
// CHECK-LABEL: func.func @per_channel
// CHECK: ternary.constant dense<{{\[\[}}1, 0], [-1, -1]]> : tensor<2x2xi8>, scale dense<[5.000000e-01, 2.000000e+00]> : tensor<2xf32> -> !ternary.weights<2x2xf32, per_channel>
func.func @per_channel(%x: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %w = arith.constant dense<[[0.5, -2.0], [0.0, -2.0]]> : tensor<2x2xf32>
  // expected-remark @+1 {{weights are ternary but the activations are not quantized per token}}
  %y = onnx.MatMul %x, %w : (tensor<4x2xf32>, tensor<2x2xf32>) -> tensor<4x2xf32>
  return %y : tensor<4x2xf32>
}

// -----

// transformers' packed BitLinear: the int8 values themselves reach the
// MatMul (cast to int8 and back), and the layer divides by
// (input_scale * weight_scale) afterwards. weight_scale (4.0, that is
// 1 / mean|W|) folds into the ternary scale (0.25); the rescaling Div is
// the layer's output.
// CHECK-LABEL: func.func @integer_form
// CHECK-SAME: (%[[X:.*]]: tensor<1x?x2xf32>)
// CHECK: %[[W:.*]] = ternary.constant dense<{{\[\[}}1, 0], [-1, 1], [0, -1]]> : tensor<3x2xi8>, scale dense<2.500000e-01> : tensor<f32> -> !ternary.weights<3x2xf32>
// CHECK: %[[Y:.*]] = ternary.bitlinear %[[X]], %[[W]] {epsilon = 9.99999974{{[0-9]*}}E-6 : f64} : tensor<1x?x2xf32>, !ternary.weights<3x2xf32> -> tensor<1x?x3xf32>
// CHECK: return %[[Y]]
// CHECK-NOT: onnx.
func.func @integer_form(%x: tensor<1x?x2xf32>) -> tensor<1x?x3xf32> {
  // W is [out=3, in=2] = [[1, 0], [-1, 1], [0, -1]]; F.linear is x @ W^T.
  %w = arith.constant dense<[[1.0, 0.0], [-1.0, 1.0], [0.0, -1.0]]> : tensor<3x2xf32>
  %ws = arith.constant dense<[4.0]> : tensor<1xf32>
  %eps = arith.constant dense<1.0e-5> : tensor<f32>
  %c127 = arith.constant dense<127.0> : tensor<f32>
  %lo = arith.constant dense<-128.0> : tensor<f32>
  %last = arith.constant dense<-1> : tensor<1xi64>
  %wt = onnx.Transpose %w {perm = [1, 0]} : (tensor<3x2xf32>) -> tensor<2x3xf32>
  %ax = onnx.Abs %x : (tensor<1x?x2xf32>) -> tensor<1x?x2xf32>
  %mx = onnx.ReduceMax %ax, %last {keepdims = 1 : i64} : (tensor<1x?x2xf32>, tensor<1xi64>) -> tensor<1x?x1xf32>
  // clamp(min=eps) spelled as Max, 127 / m spelled as a Div.
  %mc = onnx.Max %mx, %eps : (tensor<1x?x1xf32>, tensor<f32>) -> tensor<1x?x1xf32>
  %sx = onnx.Div %c127, %mc : (tensor<f32>, tensor<1x?x1xf32>) -> tensor<1x?x1xf32>
  %xs = onnx.Mul %x, %sx : (tensor<1x?x2xf32>, tensor<1x?x1xf32>) -> tensor<1x?x2xf32>
  %xr = onnx.Round %xs : (tensor<1x?x2xf32>) -> tensor<1x?x2xf32>
  %xc = onnx.Clip %xr, min %lo, max %c127 : (tensor<1x?x2xf32>, tensor<f32>, tensor<f32>) -> tensor<1x?x2xf32>
  %i8 = onnx.Cast %xc {to = 3 : i64} : (tensor<1x?x2xf32>) -> tensor<1x?x2xi8>
  %qf = onnx.Cast %i8 {to = 1 : i64} : (tensor<1x?x2xi8>) -> tensor<1x?x2xf32>
  %mm = onnx.MatMul %qf, %wt : (tensor<1x?x2xf32>, tensor<2x3xf32>) -> tensor<1x?x3xf32>
  %d = onnx.Mul %ws, %sx : (tensor<1xf32>, tensor<1x?x1xf32>) -> tensor<1x?x1xf32>
  %y = onnx.Div %mm, %d : (tensor<1x?x3xf32>, tensor<1x?x1xf32>) -> tensor<1x?x3xf32>
  return %y : tensor<1x?x3xf32>
}

// -----

// A divisor of higher rank broadcasts the layer's output: no BitLinear can
// stand for the Div, so the layer stays a float MatMul.
// CHECK-LABEL: func.func @integer_form_broadcast_divisor
// CHECK-NOT: ternary.bitlinear
// CHECK: ternary.dequantize
// CHECK: onnx.Div
func.func @integer_form_broadcast_divisor(%x: tensor<1x?x2xf32>) -> tensor<1x1x?x3xf32> {
  %w = arith.constant dense<[[1.0, 0.0], [-1.0, 1.0], [0.0, -1.0]]> : tensor<3x2xf32>
  %ws = arith.constant dense<4.0> : tensor<1x1x1x1xf32>
  %eps = arith.constant dense<1.0e-5> : tensor<f32>
  %c127 = arith.constant dense<127.0> : tensor<f32>
  %lo = arith.constant dense<-128.0> : tensor<f32>
  %last = arith.constant dense<-1> : tensor<1xi64>
  %wt = onnx.Transpose %w {perm = [1, 0]} : (tensor<3x2xf32>) -> tensor<2x3xf32>
  %ax = onnx.Abs %x : (tensor<1x?x2xf32>) -> tensor<1x?x2xf32>
  %mx = onnx.ReduceMax %ax, %last {keepdims = 1 : i64} : (tensor<1x?x2xf32>, tensor<1xi64>) -> tensor<1x?x1xf32>
  %mc = onnx.Max %mx, %eps : (tensor<1x?x1xf32>, tensor<f32>) -> tensor<1x?x1xf32>
  %sx = onnx.Div %c127, %mc : (tensor<f32>, tensor<1x?x1xf32>) -> tensor<1x?x1xf32>
  %xs = onnx.Mul %x, %sx : (tensor<1x?x2xf32>, tensor<1x?x1xf32>) -> tensor<1x?x2xf32>
  %xr = onnx.Round %xs : (tensor<1x?x2xf32>) -> tensor<1x?x2xf32>
  %xc = onnx.Clip %xr, min %lo, max %c127 : (tensor<1x?x2xf32>, tensor<f32>, tensor<f32>) -> tensor<1x?x2xf32>
  %i8 = onnx.Cast %xc {to = 3 : i64} : (tensor<1x?x2xf32>) -> tensor<1x?x2xi8>
  %qf = onnx.Cast %i8 {to = 1 : i64} : (tensor<1x?x2xi8>) -> tensor<1x?x2xf32>
  // expected-remark @+1 {{weights are ternary but the activations are not quantized per token}}
  %mm = onnx.MatMul %qf, %wt : (tensor<1x?x2xf32>, tensor<2x3xf32>) -> tensor<1x?x3xf32>
  %d = onnx.Mul %ws, %sx : (tensor<1x1x1x1xf32>, tensor<1x?x1xf32>) -> tensor<1x1x?x1xf32>
  %y = onnx.Div %mm, %d : (tensor<1x?x3xf32>, tensor<1x1x?x1xf32>) -> tensor<1x1x?x3xf32>
  return %y : tensor<1x1x?x3xf32>
}
