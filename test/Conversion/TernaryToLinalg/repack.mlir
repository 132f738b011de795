// ternary-repack stores each constant in the layout the kernel reads: rows
// padded with zero trits to the kernel's chunk, in the packing asked for.
// RUN: bitnet-opt %s -split-input-file -ternary-repack="kernel=dot packing=base3" | FileCheck %s --check-prefix=BASE3
// RUN: bitnet-opt %s -split-input-file -ternary-repack="kernel=addsub" | FileCheck %s --check-prefix=BASE4
// RUN: bitnet-opt %s -split-input-file -ternary-repack="kernel=loops packing=base3" | FileCheck %s --check-prefix=LOOPS
// RUN: bitnet-opt %s -split-input-file -ternary-repack="kernel=dot" | FileCheck %s --check-prefix=BASE4
// RUN: not bitnet-opt %s -split-input-file -ternary-repack="packing=base2" 2>&1 | FileCheck %s --check-prefix=BAD

// 80 trits are 16 base3 bytes (one 32-byte chunk) or 20 base4 bytes (two
// 16-byte chunks); the trits (printed one per byte in hex: -1, 1, 1, -1, 0,
// ...) read back the same.
// BASE3-LABEL: func.func @product
// BASE3: %[[W:.*]] = ternary.constant dense<"0xFF0101FF0001000101FF01FF{{.*}}"> : tensor<3x80xi8>, scale {{.*}} -> !ternary.weights<3x80xf32, packing = base3, row_align = 32>
// BASE3: ternary.matmul %{{.*}}, %[[W]] : tensor<?x80xi8>, !ternary.weights<3x80xf32, packing = base3, row_align = 32>
// BASE3-NOT: !ternary.weights<3x80xf32>
// BASE4-LABEL: func.func @product
// BASE4: ternary.constant dense<"0xFF0101FF0001000101FF01FF{{.*}}"> : tensor<3x80xi8>, scale {{.*}} -> !ternary.weights<3x80xf32, row_align = 16>
// BASE4-NOT: !ternary.weights<3x80xf32>
// The loops read unpadded base4: nothing to do.
// LOOPS-LABEL: func.func @product
// LOOPS: ternary.matmul %{{.*}}, %{{.*}} : tensor<?x80xi8>, !ternary.weights<3x80xf32> ->
// LOOPS-NOT: weights<{{.*}}packing =
// LOOPS-NOT: weights<{{.*}}row_align =

// BAD: error: unknown trit packing 'base2' (auto, base4 or base3)

func.func @product(%x: tensor<?x80xi8>) -> tensor<?x3xi32> {
  %w = ternary.constant dense<[[-1, 1, 1, -1, 0, 1, 0, 1, 1, -1, 1, -1, 0, 0, 1, -1, -1, 1, 0, 1, 1, 0, 0, 1, -1, -1, 1, -1, 1, 0, 1, -1, 1, -1, -1, 1, -1, 0, -1, 0, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0, -1, 0, -1, -1, -1, 0, -1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1, 1, 0, 1, -1, 0, 1, -1, 0, 1, 1, 1, -1], [1, 0, 1, 1, 1, -1, 1, 1, -1, 1, 1, 0, 0, -1, -1, 0, 1, 0, -1, 0, -1, 0, -1, -1, 0, 0, 0, -1, -1, 1, 1, -1, 0, 1, 1, 0, 1, 0, 1, -1, -1, 0, -1, -1, -1, 1, 1, -1, -1, 0, 0, 1, 0, -1, 1, -1, 0, 0, 0, -1, 0, 0, 0, 1, 0, 1, 1, 1, 1, -1, 1, 1, 0, 0, 1, 1, 1, -1, 0, 0], [0, 1, 0, 1, 0, -1, 0, 1, 0, -1, 0, 1, 1, 1, -1, -1, 1, 1, 0, 0, 0, 1, 0, 1, 1, 0, 1, 0, -1, 1, -1, 1, -1, 0, 0, 1, 0, 0, 1, 1, 0, -1, 0, -1, 0, 0, 1, 0, 0, 0, -1, -1, 1, 1, 1, -1, 0, 1, -1, 1, 0, -1, 0, -1, 1, 0, 1, 1, -1, -1, 1, 0, 0, 1, -1, 0, -1, -1, 0, 1]]> : tensor<3x80xi8>,
         scale dense<1.0> : tensor<f32> -> !ternary.weights<3x80xf32>
  %acc = ternary.matmul %x, %w : tensor<?x80xi8>, !ternary.weights<3x80xf32> -> tensor<?x3xi32>
  return %acc : tensor<?x3xi32>
}

// -----

// Groups stay on the loops, in base4.
// BASE3-LABEL: func.func @groups
// BASE3: ternary.bitlinear {{.*}} !ternary.weights<2x8xf32, group = 4> ->
// BASE3-NOT: packing = base3
func.func @groups(%x: tensor<1x8xf32>) -> tensor<1x2xf32> {
  %w = ternary.constant dense<[[1, 0, -1, 1, 0, 0, 1, -1], [0, 1, 1, -1, -1, 0, 0, 1]]> : tensor<2x8xi8>,
         scale dense<1.0> : tensor<2x2xf32> -> !ternary.weights<2x8xf32, group = 4>
  %y = ternary.bitlinear %x, %w : tensor<1x8xf32>, !ternary.weights<2x8xf32, group = 4> -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// Weights that leave the ternary dialect keep the type their users expect.
// BASE3-LABEL: func.func @escapes
// BASE3: ternary.constant {{.*}} -> !ternary.weights<1x4xf32>
// BASE3-NOT: packing = base3
func.func @escapes() -> !ternary.weights<1x4xf32> {
  %w = ternary.constant dense<[[1, 0, -1, 1]]> : tensor<1x4xi8>,
         scale dense<1.0> : tensor<f32> -> !ternary.weights<1x4xf32>
  return %w : !ternary.weights<1x4xf32>
}

// -----

// The driver's choice, as bitnet-opt --ternary-packing writes it, stands
// where the pass's option says auto.
// BASE3-LABEL: func.func @forced
// BASE4-LABEL: func.func @forced
// BASE4: -> !ternary.weights<1x4xf32, packing = base3, row_align = 32>
module attributes {bitnet.ternary_packing = "base3"} {
  func.func @forced(%x: tensor<1x4xi8>) -> tensor<1x1xi32> {
    %w = ternary.constant dense<[[1, 0, -1, 1]]> : tensor<1x4xi8>,
           scale dense<1.0> : tensor<f32> -> !ternary.weights<1x4xf32>
    %acc = ternary.matmul %x, %w : tensor<1x4xi8>, !ternary.weights<1x4xf32> -> tensor<1x1xi32>
    return %acc : tensor<1x1xi32>
  }
}
