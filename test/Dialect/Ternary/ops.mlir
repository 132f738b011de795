// RUN: bitnet-opt %s | bitnet-opt | FileCheck %s
// RUN: bitnet-opt %s --mlir-print-op-generic | bitnet-opt | FileCheck %s
// RUN: bitnet-opt %s --emit-bytecode | bitnet-opt | FileCheck %s

// Every op of the ternary dialect, printed back in its custom form.

// CHECK-LABEL: func.func @small_constant
// CHECK: %[[W:.*]] = ternary.constant dense<{{\[}}[1, 0, -1], [0, 1, 1]]> : tensor<2x3xi8>, scale dense<5.000000e-01> : tensor<f32> -> !ternary.weights<2x3xf32>
// CHECK: return %[[W]]
func.func @small_constant() -> !ternary.weights<2x3xf32> {
  %w = ternary.constant dense<[[1, 0, -1], [0, 1, 1]]> : tensor<2x3xi8>,
         scale dense<0.5> : tensor<f32> -> !ternary.weights<2x3xf32>
  return %w : !ternary.weights<2x3xf32>
}

// Written packed, printed as trits: 0x46 = 0b01'00'01'10 is fields 2, 1, 0, 1
// from the low end, the trits 1, 0, -1, 0.
// CHECK-LABEL: func.func @packed_small_constant
// CHECK: ternary.constant dense<{{\[}}[1, 0, -1, 0, 0], [-1, -1, -1, -1, 1]]> : tensor<2x5xi8>, scale dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32> -> !ternary.weights<2x5xf32, per_channel>
func.func @packed_small_constant() -> !ternary.weights<2x5xf32, per_channel> {
  %w = ternary.constant packed dense<[[0x46, 0x55], [0x00, 0x56]]> : tensor<2x2xi8>,
         scale dense<[1.0, 2.0]> : tensor<2xf32> -> !ternary.weights<2x5xf32, per_channel>
  return %w : !ternary.weights<2x5xf32, per_channel>
}

// A splat of packed bytes: 0x55 is four zero trits.
// CHECK-LABEL: func.func @splat_packed_constant
// CHECK: ternary.constant dense<0> : tensor<2x8xi8>, scale dense<1.000000e+00> : tensor<2x2xf16> -> !ternary.weights<2x8xf16, group = 4>
func.func @splat_packed_constant() -> !ternary.weights<2x8xf16, group = 4> {
  %w = ternary.constant packed dense<85> : tensor<2x2xi8>,
         scale dense<1.0> : tensor<2x2xf16> -> !ternary.weights<2x8xf16, group = 4>
  return %w : !ternary.weights<2x8xf16, group = 4>
}

// Beyond 1024 trits the packed storage is printed, not the trits.
// CHECK-LABEL: func.func @large_constant
// CHECK: ternary.constant packed dense<85> : tensor<64x8xi8>, scale dense<2.500000e-01> : tensor<f32> -> !ternary.weights<64x32xf32>
func.func @large_constant() -> !ternary.weights<64x32xf32> {
  %w = ternary.constant packed dense<85> : tensor<64x8xi8>,
         scale dense<0.25> : tensor<f32> -> !ternary.weights<64x32xf32>
  return %w : !ternary.weights<64x32xf32>
}

// CHECK-LABEL: func.func @quantize_and_layers
// CHECK-SAME: (%[[LATENT:.*]]: tensor<8x16xf32>, %[[X:.*]]: tensor<?x16xf32>)
// CHECK: %[[W:.*]] = ternary.absmean_quant %[[LATENT]] : tensor<8x16xf32> -> !ternary.weights<8x16xf32>
// CHECK: %[[W2:.*]] = ternary.absmean_quant %[[LATENT]] {epsilon = 1.000000e-03 : f64} : tensor<8x16xf32> -> !ternary.weights<8x16xf32, group = 8>
// CHECK: %[[Q:.*]], %[[S:.*]] = ternary.absmax_quant %[[X]] : tensor<?x16xf32> -> tensor<?x16xi8>, tensor<?x1xf32>
// CHECK: %[[ACC:.*]] = ternary.matmul %[[Q]], %[[W]] : tensor<?x16xi8>, !ternary.weights<8x16xf32> -> tensor<?x8xi32>
// CHECK: %[[Y:.*]] = ternary.bitlinear %[[X]], %[[W]] : tensor<?x16xf32>, !ternary.weights<8x16xf32> -> tensor<?x8xf32>
// CHECK: %[[Y2:.*]] = ternary.bitlinear %[[X]], %[[W2]] {epsilon = 1.250000e-01 : f64} : tensor<?x16xf32>, !ternary.weights<8x16xf32, group = 8> -> tensor<?x8xf32>
// CHECK: return %[[ACC]], %[[S]], %[[Y]], %[[Y2]]
func.func @quantize_and_layers(%latent: tensor<8x16xf32>, %x: tensor<?x16xf32>)
    -> (tensor<?x8xi32>, tensor<?x1xf32>, tensor<?x8xf32>, tensor<?x8xf32>) {
  %w = ternary.absmean_quant %latent : tensor<8x16xf32> -> !ternary.weights<8x16xf32>
  %w2 = ternary.absmean_quant %latent {epsilon = 1.0e-3 : f64} : tensor<8x16xf32> -> !ternary.weights<8x16xf32, group = 8>
  %q, %s = ternary.absmax_quant %x : tensor<?x16xf32> -> tensor<?x16xi8>, tensor<?x1xf32>
  %acc = ternary.matmul %q, %w : tensor<?x16xi8>, !ternary.weights<8x16xf32> -> tensor<?x8xi32>
  %y = ternary.bitlinear %x, %w : tensor<?x16xf32>, !ternary.weights<8x16xf32> -> tensor<?x8xf32>
  %y2 = ternary.bitlinear %x, %w2 {epsilon = 0.125 : f64} : tensor<?x16xf32>, !ternary.weights<8x16xf32, group = 8> -> tensor<?x8xf32>
  return %acc, %s, %y, %y2 : tensor<?x8xi32>, tensor<?x1xf32>, tensor<?x8xf32>, tensor<?x8xf32>
}

// CHECK-LABEL: func.func @pack_unpack_dequantize
// CHECK-SAME: (%[[T:.*]]: tensor<4x6xi8>, %[[SC:.*]]: tensor<4xf32>, %[[B:.*]]: tensor<2x3x6xf32>)
// CHECK: %[[W:.*]] = ternary.pack %[[T]], %[[SC]] : tensor<4x6xi8>, tensor<4xf32> -> !ternary.weights<4x6xf32, per_channel>
// CHECK: %[[TR:.*]], %[[SR:.*]] = ternary.unpack %[[W]] : !ternary.weights<4x6xf32, per_channel> -> tensor<4x6xi8>, tensor<4xf32>
// CHECK: %[[F:.*]] = ternary.dequantize %[[W]] : !ternary.weights<4x6xf32, per_channel> -> tensor<4x6xf32>
// CHECK: %[[Y:.*]] = ternary.bitlinear %[[B]], %[[W]] : tensor<2x3x6xf32>, !ternary.weights<4x6xf32, per_channel> -> tensor<2x3x4xf32>
func.func @pack_unpack_dequantize(%t: tensor<4x6xi8>, %s: tensor<4xf32>, %batched: tensor<2x3x6xf32>)
    -> (tensor<4x6xi8>, tensor<4xf32>, tensor<4x6xf32>, tensor<2x3x4xf32>) {
  %w = ternary.pack %t, %s : tensor<4x6xi8>, tensor<4xf32> -> !ternary.weights<4x6xf32, per_channel>
  %t2, %s2 = ternary.unpack %w : !ternary.weights<4x6xf32, per_channel> -> tensor<4x6xi8>, tensor<4xf32>
  %f = ternary.dequantize %w : !ternary.weights<4x6xf32, per_channel> -> tensor<4x6xf32>
  %y = ternary.bitlinear %batched, %w : tensor<2x3x6xf32>, !ternary.weights<4x6xf32, per_channel> -> tensor<2x3x4xf32>
  return %t2, %s2, %f, %y : tensor<4x6xi8>, tensor<4xf32>, tensor<4x6xf32>, tensor<2x3x4xf32>
}

// The layout is part of the type; trits print the same whatever the
// packing. In base3, 253 (-3) holds the digits 2, 2, 2, 2, 0 (the carries
// of x * 3 for x = 253, 247, 229, 175, 13), the trits 1, 1, 1, 1, -1, and
// 128 (-128) five zero trits.
// CHECK-LABEL: func.func @base3_constant
// CHECK: ternary.constant dense<{{\[}}[1, 1, 1, 1, -1, 0, 0]]> : tensor<1x7xi8>, scale dense<1.000000e+00> : tensor<1xf32> -> !ternary.weights<1x7xf32, per_channel, packing = base3, row_align = 4>
func.func @base3_constant() -> !ternary.weights<1x7xf32, per_channel, packing = base3, row_align = 4> {
  %w = ternary.constant packed dense<[[-3, -128, -128, -128]]> : tensor<1x4xi8>,
         scale dense<1.0> : tensor<1xf32> -> !ternary.weights<1x7xf32, per_channel, packing = base3, row_align = 4>
  return %w : !ternary.weights<1x7xf32, per_channel, packing = base3, row_align = 4>
}

// Trits written in the text are packed in the type's layout and read back.
// CHECK-LABEL: func.func @base3_from_trits
// CHECK: ternary.constant dense<{{\[}}[-1, 0, 1, 1, 0, -1, -1, 1]]> : tensor<1x8xi8>, scale dense<5.000000e-01> : tensor<f32> -> !ternary.weights<1x8xf32, packing = base3>
func.func @base3_from_trits() -> !ternary.weights<1x8xf32, packing = base3> {
  %w = ternary.constant dense<[[-1, 0, 1, 1, 0, -1, -1, 1]]> : tensor<1x8xi8>,
         scale dense<0.5> : tensor<f32> -> !ternary.weights<1x8xf32, packing = base3>
  return %w : !ternary.weights<1x8xf32, packing = base3>
}
