// RUN: bitnet-opt %s -convert-ternary-to-linalg -split-input-file -verify-diagnostics

func.func @runtime_weights(%x: tensor<4x8xf32>, %w: !ternary.weights<2x8xf32>) -> tensor<4x2xf32> {
  // expected-error @+1 {{'ternary.bitlinear' op cannot be lowered: its weights are not known at compile time (expected ternary.constant)}}
  %y = ternary.bitlinear %x, %w : tensor<4x8xf32>, !ternary.weights<2x8xf32> -> tensor<4x2xf32>
  return %y : tensor<4x2xf32>
}

// -----

func.func @odd_groups(%x: tensor<4x12xf32>) -> tensor<4x1xf32> {
  %w = ternary.constant dense<0> : tensor<1x12xi8>, scale dense<1.0> : tensor<1x2xf32> -> !ternary.weights<1x12xf32, group = 6>
  // expected-error @+1 {{'ternary.bitlinear' op cannot be lowered: groups of 6 inputs split packed bytes; the group size must be a multiple of 4}}
  %y = ternary.bitlinear %x, %w : tensor<4x12xf32>, !ternary.weights<1x12xf32, group = 6> -> tensor<4x1xf32>
  return %y : tensor<4x1xf32>
}

// -----

func.func @dynamic_features(%x: tensor<4x?xf32>) -> (tensor<4x?xi8>, tensor<4x1xf32>) {
  // expected-error @+1 {{'ternary.absmax_quant' op cannot be lowered: the quantized dimension must be static}}
  %q, %s = ternary.absmax_quant %x : tensor<4x?xf32> -> tensor<4x?xi8>, tensor<4x1xf32>
  return %q, %s : tensor<4x?xi8>, tensor<4x1xf32>
}
