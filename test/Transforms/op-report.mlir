// RUN: bitnet-opt %s -bitnet-op-report-table -o /dev/null | FileCheck %s

// One BitLinear of 2 outputs x 3 inputs with 3 non-zero trits: 3 int8
// additions, 2 rescaling multiplications, 2 packed bytes (one per row); a
// float head of 2 x 2 by a constant: 4 multiply-adds, 16 bytes. Energy at
// 7 nm: 3 * 0.007 + 2 * 0.34 + 4 * (0.34 + 0.16) = 2.701 pJ; FP16: (6 + 4) *
// 0.5 = 5 pJ.
// CHECK: BitNet op report: per generated token, linear layers only
// CHECK: layer kind out x in adds muls weights pJ
// CHECK-NEXT: proj bitlinear 2x3 3 2 0.0 kB 0.7
// CHECK-NEXT: head float 2x2 4 4 0.0 kB 2.0
// CHECK-NEXT: total: 2 layers, 7 additions (3 of int8 activations), 6 multiplications (4 in float layers, 2 rescaling BitLinear outputs), 0.0 kB of weights read
// CHECK-NEXT: energy (7 nm): 0.0 nJ per token; an FP16 model of the same shape: 0.0 nJ (1.9x), 0.0 kB of weights
// CHECK-NEXT: BitLinear layers alone: 0.0 nJ against 0.0 nJ in FP16 (4.3x)
func.func @model(%x: tensor<1x3xf32>) -> tensor<1x2xf32> {
  %w = ternary.constant dense<[[1, 0, -1], [0, 1, 0]]> : tensor<2x3xi8>,
         scale dense<0.5> : tensor<f32> -> !ternary.weights<2x3xf32>
  %y = ternary.bitlinear %x, %w : tensor<1x3xf32>, !ternary.weights<2x3xf32> -> tensor<1x2xf32> loc("proj")
  %h = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %z = onnx.MatMul %y, %h : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32> loc("head")
  return %z : tensor<1x2xf32>
}
