// RUN: bitnet-opt %s -canonicalize -split-input-file | FileCheck %s

// absmean quantization of constant weights happens at compile time.
// W = [[0.5, -1.5, 0, 2], [0.1, -0.2, 1, -0.9]]; mean|W| = 0.775.

// CHECK-LABEL: func.func @absmean_per_tensor
// CHECK-NOT: ternary.absmean_quant
// CHECK-NOT: arith.constant
// CHECK: %[[W:.*]] = ternary.constant dense<{{\[}}[1, -1, 0, 1], [0, 0, 1, -1]]> : tensor<2x4xi8>, scale dense<0.774999976> : tensor<f32> -> !ternary.weights<2x4xf32>
// CHECK: return %[[W]]
func.func @absmean_per_tensor() -> !ternary.weights<2x4xf32> {
  %f = arith.constant dense<[[0.5, -1.5, 0.0, 2.0], [0.1, -0.2, 1.0, -0.9]]> : tensor<2x4xf32>
  %w = ternary.absmean_quant %f : tensor<2x4xf32> -> !ternary.weights<2x4xf32>
  return %w : !ternary.weights<2x4xf32>
}

// Per row: row 0 has mean 1, so 0.5 is a tie and rounds to even (0); row 1
// has mean 0.55.
// CHECK-LABEL: func.func @absmean_per_channel
// CHECK: %[[W:.*]] = ternary.constant dense<{{\[}}[0, -1, 0, 1], [0, 0, 1, -1]]> : tensor<2x4xi8>, scale dense<[1.000000e+00, 5.500000e-01]> : tensor<2xf32> -> !ternary.weights<2x4xf32, per_channel>
// CHECK: return %[[W]]
func.func @absmean_per_channel() -> !ternary.weights<2x4xf32, per_channel> {
  %f = arith.constant dense<[[0.5, -1.5, 0.0, 2.0], [0.1, -0.2, 1.0, -0.9]]> : tensor<2x4xf32>
  %w = ternary.absmean_quant %f : tensor<2x4xf32> -> !ternary.weights<2x4xf32, per_channel>
  return %w : !ternary.weights<2x4xf32, per_channel>
}

// Per two columns: means 1, 1 in row 0 and 0.15, 0.95 in row 1.
// CHECK-LABEL: func.func @absmean_per_group
// CHECK: ternary.constant dense<{{\[}}[0, -1, 0, 1], [1, -1, 1, -1]]> : tensor<2x4xi8>, scale dense<{{\[}}[1.000000e+00, 1.000000e+00], [1.500000e-01, 0.949999988]]> : tensor<2x2xf32> -> !ternary.weights<2x4xf32, group = 2>
func.func @absmean_per_group() -> !ternary.weights<2x4xf32, group = 2> {
  %f = arith.constant dense<[[0.5, -1.5, 0.0, 2.0], [0.1, -0.2, 1.0, -0.9]]> : tensor<2x4xf32>
  %w = ternary.absmean_quant %f : tensor<2x4xf32> -> !ternary.weights<2x4xf32, group = 2>
  return %w : !ternary.weights<2x4xf32, group = 2>
}

// All-zero weights: gamma is epsilon, every trit 0.
// CHECK-LABEL: func.func @absmean_zeros
// CHECK: ternary.constant dense<0> : tensor<3x5xi8>, scale dense<2.500000e-01> : tensor<f32> -> !ternary.weights<3x5xf32>
func.func @absmean_zeros() -> !ternary.weights<3x5xf32> {
  %f = arith.constant dense<0.0> : tensor<3x5xf32>
  %w = ternary.absmean_quant %f {epsilon = 0.25 : f64} : tensor<3x5xf32> -> !ternary.weights<3x5xf32>
  return %w : !ternary.weights<3x5xf32>
}

// f16 weights quantize to an f16 scale.
// CHECK-LABEL: func.func @absmean_f16
// CHECK: ternary.constant dense<{{\[}}[1, -1]]> : tensor<1x2xi8>, scale dense<2.000000e+00> : tensor<f16> -> !ternary.weights<1x2xf16>
func.func @absmean_f16() -> !ternary.weights<1x2xf16> {
  %f = arith.constant dense<[[2.0, -2.0]]> : tensor<1x2xf16>
  %w = ternary.absmean_quant %f : tensor<1x2xf16> -> !ternary.weights<1x2xf16>
  return %w : !ternary.weights<1x2xf16>
}

// Imported initializers arrive as resource blobs: [[1, -3]], mean 2.
// CHECK-LABEL: func.func @absmean_resource
// CHECK: ternary.constant dense<{{\[}}[0, -1]]> : tensor<1x2xi8>, scale dense<2.000000e+00> : tensor<f32> -> !ternary.weights<1x2xf32>
func.func @absmean_resource() -> !ternary.weights<1x2xf32> {
  %f = arith.constant dense_resource<latent> : tensor<1x2xf32>
  %w = ternary.absmean_quant %f : tensor<1x2xf32> -> !ternary.weights<1x2xf32>
  return %w : !ternary.weights<1x2xf32>
}
{-#
  dialect_resources: {
    builtin: {
      latent: "0x040000000000803F000040C0"
    }
  }
#-}

// -----

// CHECK-LABEL: func.func @absmean_of_argument
// CHECK: ternary.absmean_quant %{{.*}} : tensor<2x4xf32>
func.func @absmean_of_argument(%f: tensor<2x4xf32>) -> !ternary.weights<2x4xf32> {
  %w = ternary.absmean_quant %f : tensor<2x4xf32> -> !ternary.weights<2x4xf32>
  return %w : !ternary.weights<2x4xf32>
}

// -----

// CHECK-LABEL: func.func @pack_constants
// CHECK-NOT: ternary.pack
// CHECK: %[[W:.*]] = ternary.constant dense<{{\[}}[-1, 0, 1]]> : tensor<1x3xi8>, scale dense<3.000000e+00> : tensor<1xf32> -> !ternary.weights<1x3xf32, per_channel>
// CHECK: return %[[W]]
func.func @pack_constants() -> !ternary.weights<1x3xf32, per_channel> {
  %t = arith.constant dense<[[-1, 0, 1]]> : tensor<1x3xi8>
  %s = arith.constant dense<[3.0]> : tensor<1xf32>
  %w = ternary.pack %t, %s : tensor<1x3xi8>, tensor<1xf32> -> !ternary.weights<1x3xf32, per_channel>
  return %w : !ternary.weights<1x3xf32, per_channel>
}

// A 2 is no trit: the pack is left for the user to see.
// CHECK-LABEL: func.func @pack_not_trits
// CHECK: %[[W:.*]] = ternary.pack
// CHECK: return %[[W]]
func.func @pack_not_trits() -> !ternary.weights<1x3xf32> {
  %t = arith.constant dense<[[-1, 2, 1]]> : tensor<1x3xi8>
  %s = arith.constant dense<3.0> : tensor<f32>
  %w = ternary.pack %t, %s : tensor<1x3xi8>, tensor<f32> -> !ternary.weights<1x3xf32>
  return %w : !ternary.weights<1x3xf32>
}

// -----

// CHECK-LABEL: func.func @unpack_of_pack
// CHECK-SAME: (%[[T:.*]]: tensor<4x8xi8>, %[[S:.*]]: tensor<f32>)
// CHECK-NOT: ternary.pack
// CHECK-NOT: ternary.unpack
// CHECK: return %[[T]], %[[S]]
func.func @unpack_of_pack(%t: tensor<4x8xi8>, %s: tensor<f32>) -> (tensor<4x8xi8>, tensor<f32>) {
  %w = ternary.pack %t, %s : tensor<4x8xi8>, tensor<f32> -> !ternary.weights<4x8xf32>
  %t2, %s2 = ternary.unpack %w : !ternary.weights<4x8xf32> -> tensor<4x8xi8>, tensor<f32>
  return %t2, %s2 : tensor<4x8xi8>, tensor<f32>
}

// CHECK-LABEL: func.func @pack_of_unpack
// CHECK-SAME: (%[[W:.*]]: !ternary.weights<4x8xf32>)
// CHECK-NOT: ternary.pack
// CHECK-NOT: ternary.unpack
// CHECK: return %[[W]]
func.func @pack_of_unpack(%w: !ternary.weights<4x8xf32>) -> !ternary.weights<4x8xf32> {
  %t, %s = ternary.unpack %w : !ternary.weights<4x8xf32> -> tensor<4x8xi8>, tensor<f32>
  %w2 = ternary.pack %t, %s : tensor<4x8xi8>, tensor<f32> -> !ternary.weights<4x8xf32>
  return %w2 : !ternary.weights<4x8xf32>
}

// Unpacking different weights' trits with another scale is not a round trip.
// CHECK-LABEL: func.func @pack_of_unpack_other_scale
// CHECK: ternary.unpack
// CHECK: %[[W2:.*]] = ternary.pack
// CHECK: return %[[W2]]
func.func @pack_of_unpack_other_scale(%w: !ternary.weights<4x8xf32>, %s2: tensor<f32>) -> !ternary.weights<4x8xf32> {
  %t, %s = ternary.unpack %w : !ternary.weights<4x8xf32> -> tensor<4x8xi8>, tensor<f32>
  %w2 = ternary.pack %t, %s2 : tensor<4x8xi8>, tensor<f32> -> !ternary.weights<4x8xf32>
  return %w2 : !ternary.weights<4x8xf32>
}
