// RUN: bitnet-opt %s -onnx-eliminate-ste -convert-onnx-to-ternary -split-input-file -verify-diagnostics | FileCheck %s

// A high-precision head stays a float matmul, and says so.
// CHECK-LABEL: func.func @float_head
// CHECK: %[[W:.*]] = arith.constant dense<{{.*}}> : tensor<2x3xf32>
// CHECK: onnx.MatMul %{{.*}}, %[[W]]
// CHECK-NOT: ternary.
func.func @float_head(%x: tensor<?x2xf32>) -> tensor<?x3xf32> {
  %w = arith.constant dense<[[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]> : tensor<2x3xf32>
  // expected-remark @+1 {{weights are not ternary (output 0 mixes magnitudes 0.100000 and 0.400000); the layer stays a float matmul}}
  %y = onnx.MatMul %x, %w : (tensor<?x2xf32>, tensor<2x3xf32>) -> tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}

// -----

// A tied head (the embedding, transposed) keeps reading the embedding: no
// transposed copy is folded, so the lowering can use the table in place.
// CHECK-LABEL: func.func @tied_head
// CHECK: %[[E:.*]] = arith.constant dense<{{\[\[}}1.000000e-01, 2.000000e-01], [3.000000e-01, 4.000000e-01]]> : tensor<2x2xf32>
// CHECK: %[[W:.*]] = onnx.Transpose %[[E]]
// CHECK: onnx.MatMul %{{.*}}, %[[W]]
// CHECK-NOT: arith.constant
func.func @tied_head(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %embed = arith.constant dense<[[0.1, 0.2], [0.3, 0.4]]> : tensor<2x2xf32>
  %w = onnx.Transpose %embed {perm = [1, 0]} : (tensor<2x2xf32>) -> tensor<2x2xf32>
  // expected-remark @+1 {{weights are not ternary}}
  %y = onnx.MatMul %x, %w : (tensor<?x2xf32>, tensor<2x2xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// Activations times activations (attention scores) are left alone.
// CHECK-LABEL: func.func @activations
// CHECK: onnx.MatMul %arg0, %arg1
func.func @activations(%q: tensor<?x4xf32>, %k: tensor<4x?xf32>) -> tensor<?x?xf32> {
  %s = onnx.MatMul %q, %k : (tensor<?x4xf32>, tensor<4x?xf32>) -> tensor<?x?xf32>
  return %s : tensor<?x?xf32>
}

// -----

// A weight subgraph the evaluator cannot make sense of (ends shorter than
// starts) is left alone, not guessed at.
// CHECK-LABEL: func.func @bad_slice
// CHECK: onnx.Slice
// CHECK: onnx.MatMul
func.func @bad_slice(%x: tensor<4x2xf32>) -> tensor<4x?xf32> {
  %w = arith.constant dense<[[1.0, -1.0, 0.0], [0.0, 1.0, 1.0]]> : tensor<2x3xf32>
  %starts = arith.constant dense<[0, 0]> : tensor<2xi64>
  %ends = arith.constant dense<[1]> : tensor<1xi64>
  %s = onnx.Slice %w, %starts, %ends : (tensor<2x3xf32>, tensor<2xi64>, tensor<1xi64>) -> tensor<2x?xf32>
  %y = onnx.MatMul %x, %s : (tensor<4x2xf32>, tensor<2x?xf32>) -> tensor<4x?xf32>
  return %y : tensor<4x?xf32>
}
