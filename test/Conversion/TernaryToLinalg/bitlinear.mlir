// RUN: bitnet-opt %s -convert-ternary-to-linalg=kernel=loops -split-input-file | FileCheck %s
// RUN: bitnet-opt %s -convert-ternary-to-linalg=kernel=loops -split-input-file \
// RUN:   -one-shot-bufferize="bufferize-function-boundaries" -convert-linalg-to-loops \
// RUN:   | FileCheck %s --check-prefix=LOOPS

// Per-tensor weights: quantize tokens, sum trits by add/subtract, rescale.

// CHECK-LABEL: func.func @per_tensor
// CHECK-SAME: (%[[X:.*]]: tensor<?x8xf32>)
// CHECK-DAG: %[[PACKED:.*]] = arith.constant dense<{{.*}}> : tensor<4x2xi8>
// CHECK-DAG: %[[WSCALE:.*]] = arith.constant dense<5.000000e-01> : tensor<f32>
// Per-token max |x|:
// CHECK: %[[MAX:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%[[X]] : tensor<?x8xf32>)
// CHECK: math.absf
// CHECK: arith.maximumf
// Multiplier 127/m and scale m/127:
// CHECK: %[[TOK:.*]]:2 = linalg.generic {{.*}} ins(%[[MAX]] : tensor<?xf32>)
// CHECK: %[[Q:.*]] = linalg.generic {{.*}} ins(%[[X]], %[[TOK]]#0 : tensor<?x8xf32>, tensor<?xf32>)
// CHECK: math.roundeven
// CHECK: arith.fptosi {{.*}} to i8
// CHECK: %[[Q4:.*]] = tensor.expand_shape %[[Q]] {{\[\[}}0], [1, 2, 3]] output_shape [{{.*}}, 1, 2, 4] : tensor<?x8xi8> into tensor<?x1x2x4xi8>
// CHECK: %[[W3:.*]] = tensor.expand_shape %[[PACKED]] {{\[\[}}0], [1, 2]] output_shape [4, 1, 2] : tensor<4x2xi8> into tensor<4x1x2xi8>
// CHECK: %[[ACC:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%[[Q4]], %[[W3]] : tensor<?x1x2x4xi8>, tensor<4x1x2xi8>) outs(%{{.*}} : tensor<?x4xi32>)
// CHECK: ^bb0(%[[XV:.*]]: i8, %[[BYTE:.*]]: i8, %[[SUM:.*]]: i32):
// CHECK: %[[FIELD_IDX:.*]] = linalg.index 4
// CHECK: arith.shrui
// CHECK: %[[XI:.*]] = arith.extsi %[[XV]] : i8 to i32
// CHECK: %[[PLUS:.*]] = arith.addi %[[SUM]], %[[XI]]
// CHECK: %[[MINUS:.*]] = arith.subi %[[SUM]], %[[XI]]
// CHECK-NOT: arith.muli
// CHECK: linalg.yield
// CHECK: %[[Y:.*]] = linalg.generic {{.*}} ins(%[[ACC]], %[[TOK]]#1, %[[WSCALE]] : tensor<?x4xi32>, tensor<?xf32>, tensor<f32>)
// CHECK: arith.sitofp
// CHECK: return %[[Y]]
// CHECK-NOT: ternary.

// After bufferization and loops, the innermost loop (over the four fields of
// a packed byte) adds and subtracts: no multiply.
// LOOPS-LABEL: func.func @per_tensor
// LOOPS: scf.for
// LOOPS: scf.for %[[F:.*]] =
// LOOPS-NOT: arith.muli
// LOOPS: arith.shrui
// LOOPS: arith.addi
// LOOPS: arith.subi
// LOOPS: arith.select
// LOOPS-NOT: arith.muli
// LOOPS: memref.store
func.func @per_tensor(%x: tensor<?x8xf32>) -> tensor<?x4xf32> {
  %w = ternary.constant dense<[[1, 0, -1, 1, 0, 0, 1, -1],
                               [0, 1, 1, -1, 1, 0, 0, 0],
                               [-1, -1, 0, 0, 1, 1, 0, 1],
                               [1, 1, 1, 1, -1, -1, -1, -1]]> : tensor<4x8xi8>,
         scale dense<0.5> : tensor<f32> -> !ternary.weights<4x8xf32>
  %y = ternary.bitlinear %x, %w : tensor<?x8xf32>, !ternary.weights<4x8xf32> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// Batched input, K = 6 (not whole bytes: padded), per-channel scales.
// CHECK-LABEL: func.func @batched_per_channel
// CHECK-SAME: (%[[X:.*]]: tensor<2x?x6xf32>)
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %[[X]] {{\[\[}}0, 1], [2]] : tensor<2x?x6xf32> into tensor<?x6xf32>
// CHECK: %[[PAD:.*]] = tensor.pad
// CHECK: tensor<?x6xi8> to tensor<?x8xi8>
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<?x3xi32>, tensor<?xf32>, tensor<3xf32>)
// CHECK: %[[OUT:.*]] = tensor.expand_shape %{{.*}} {{\[\[}}0, 1], [2]] output_shape [2, %{{.*}}, 3] : tensor<?x3xf32> into tensor<2x?x3xf32>
// CHECK: return %[[OUT]]
func.func @batched_per_channel(%x: tensor<2x?x6xf32>) -> tensor<2x?x3xf32> {
  %w = ternary.constant dense<[[1, 0, -1, 1, 0, 0],
                               [0, 1, 1, -1, 1, 0],
                               [-1, -1, 0, 0, 1, 1]]> : tensor<3x6xi8>,
         scale dense<[0.5, 1.0, 2.0]> : tensor<3xf32> -> !ternary.weights<3x6xf32, per_channel>
  %y = ternary.bitlinear %x, %w : tensor<2x?x6xf32>, !ternary.weights<3x6xf32, per_channel> -> tensor<2x?x3xf32>
  return %y : tensor<2x?x3xf32>
}

// -----

// Groups of 4 inputs: one int32 partial sum per group, reduced in float.
// CHECK-LABEL: func.func @per_group
// CHECK: %[[ACC:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction"]} {{.*}} outs(%{{.*}} : tensor<3x2x2xi32>)
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[ACC]], %{{.*}}, %{{.*}} : tensor<3x2x2xi32>, tensor<3xf32>, tensor<2x2xf32>)
func.func @per_group(%x: tensor<3x8xf32>) -> tensor<3x2xf32> {
  %w = ternary.constant dense<[[1, 0, -1, 1, 0, 0, 1, -1],
                               [0, 1, 1, -1, 1, 0, 0, 0]]> : tensor<2x8xi8>,
         scale dense<[[0.5, 1.0], [2.0, 4.0]]> : tensor<2x2xf32> -> !ternary.weights<2x8xf32, group = 4>
  %y = ternary.bitlinear %x, %w : tensor<3x8xf32>, !ternary.weights<2x8xf32, group = 4> -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

// The parts on their own: quantization, integer matmul, dequantization.
// CHECK-LABEL: func.func @parts
// CHECK-SAME: (%[[X:.*]]: tensor<5xf32>)
// CHECK: tensor.expand_shape %[[X]] {{\[\[}}0, 1]] output_shape [1, 5] : tensor<5xf32> into tensor<1x5xf32>
// CHECK: %[[Q:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1]] : tensor<1x5xi8> into tensor<5xi8>
// CHECK: %[[S:.*]] = tensor.expand_shape %{{.*}} {{\[\[}}0, 1]] output_shape [1, 1] : tensor<1xf32> into tensor<1x1xf32>
// CHECK: %[[SCALE:.*]] = tensor.collapse_shape %[[S]] {{\[\[}}0, 1]] : tensor<1x1xf32> into tensor<1xf32>
// CHECK: %[[ACC:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1]] : tensor<1x2xi32> into tensor<2xi32>
// CHECK: %[[F:.*]] = linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<2x2xi8>, tensor<2xf32>) outs(%{{.*}} : tensor<2x5xf32>)
// CHECK: return %[[Q]], %[[SCALE]], %[[ACC]], %[[F]]
// CHECK-NOT: ternary.
func.func @parts(%x: tensor<5xf32>) -> (tensor<5xi8>, tensor<1xf32>, tensor<2xi32>, tensor<2x5xf32>) {
  %w = ternary.constant dense<[[1, 0, -1, 1, 0], [0, 1, 1, -1, 1]]> : tensor<2x5xi8>,
         scale dense<[0.5, 2.0]> : tensor<2xf32> -> !ternary.weights<2x5xf32, per_channel>
  %q, %s = ternary.absmax_quant %x : tensor<5xf32> -> tensor<5xi8>, tensor<1xf32>
  %acc = ternary.matmul %q, %w : tensor<5xi8>, !ternary.weights<2x5xf32, per_channel> -> tensor<2xi32>
  %f = ternary.dequantize %w : !ternary.weights<2x5xf32, per_channel> -> tensor<2x5xf32>
  return %q, %s, %acc, %f : tensor<5xi8>, tensor<1xf32>, tensor<2xi32>, tensor<2x5xf32>
}
