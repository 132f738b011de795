// Numerics of the ternary lowering, run on the CPU: BitLinear against values
// computed with numpy by the reference algorithm (per-token absmax int8,
// ternary sums, rescale). Four significant digits are checked: the float
// rescale may differ from numpy's in the last bit.
//
// RUN: bitnet-opt %s --bitnet-cpu-pipeline \
// RUN:   | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils,%libomp \
// RUN:   | FileCheck %s

func.func private @printMemrefF32(tensor<*xf32>)

// Batched [2, 3, 6] input, K = 6 (padded to whole bytes), per-row scales.
func.func @batched_per_channel() {
  %x = arith.constant dense<[
    [[2.04, -2.56, 0.42, -0.57, -0.45, -0.22], [-2.02, -0.23, -0.87, 3.32, 0.23, -0.35], [-0.28, -0.67, -1.06, -0.39, 0.48, -0.24]],
    [[0.96, -0.2, 0.02, 1.55, 0.55, -0.51], [-0.18, 0.54, 1.94, -0.27, -0.24, 1.0], [-0.89, -0.29, 0.88, 0.58, 0.09, 0.67]]]> : tensor<2x3x6xf32>
  %w = ternary.constant dense<[[1, 0, -1, 1, 0, 0], [0, 1, 1, -1, 1, 0], [-1, -1, 0, 0, 1, 1], [1, 1, 1, 1, -1, -1]]> : tensor<4x6xi8>,
         scale dense<[0.5, 1.0, 2.0, 0.25]> : tensor<4xf32> -> !ternary.weights<4x6xf32, per_channel>
  %y = ternary.bitlinear %x, %w : tensor<2x3x6xf32>, !ternary.weights<4x6xf32, per_channel> -> tensor<2x3x4xf32>
  %u = tensor.cast %y : tensor<2x3x4xf32> to tensor<*xf32>
  call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  return
}

// Scales per group of 4 inputs.
func.func @per_group() {
  %x = arith.constant dense<[
    [-2.83, 1.02, -0.96, -1.67, 0.28, 0.7, -0.44, -1.08],
    [0.03, -0.05, 1.41, 0.75, 0.19, 1.11, -0.21, -0.93],
    [0.58, 0.58, -0.21, -0.78, 0.23, -2.49, 0.69, 0.49]]> : tensor<3x8xf32>
  %w = ternary.constant dense<[[1, 0, -1, 1, 0, 0, 1, -1], [0, 1, 1, -1, 1, 0, 0, 0]]> : tensor<2x8xi8>,
         scale dense<[[0.5, 1.0], [2.0, 4.0]]> : tensor<2x2xf32> -> !ternary.weights<2x8xf32, group = 4>
  %y = ternary.bitlinear %x, %w : tensor<3x8xf32>, !ternary.weights<2x8xf32, group = 4> -> tensor<3x2xf32>
  %u = tensor.cast %y : tensor<3x2xf32> to tensor<*xf32>
  call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  return
}

func.func @main() {
  call @batched_per_channel() : () -> ()
  call @per_group() : () -> ()
  return
}

// CHECK: sizes = [2, 3, 4]
// CHECK:      {{\[\[\[}}0.5240{{[0-9]*}}, {{ *}}-2.015{{[0-9]*}}, {{ *}}-0.2822{{[0-9]*}}, {{ *}}0],
// CHECK-NEXT:   [1.084{{[0-9]*}}, {{ *}}-4.182{{[0-9]*}}, {{ *}}4.287{{[0-9]*}}, {{ *}}0.07842{{[0-9]*}}],
// CHECK-NEXT:   [0.1919{{[0-9]*}}, {{ *}}-0.8513{{[0-9]*}}, {{ *}}2.387{{[0-9]*}}, {{ *}}-0.6614{{[0-9]*}}]],
// CHECK-NEXT:  {{\[\[}}1.244{{[0-9]*}}, {{ *}}-1.171{{[0-9]*}}, {{ *}}-1.464{{[0-9]*}}, {{ *}}0.5766{{[0-9]*}}],
// CHECK-NEXT:   [-1.199{{[0-9]*}}, {{ *}}2.505{{[0-9]*}}, {{ *}}0.7943{{[0-9]*}}, {{ *}}0.3169{{[0-9]*}}],
// CHECK-NEXT:   [-0.5956{{[0-9]*}}, {{ *}}0.1051{{[0-9]*}}, {{ *}}3.882{{[0-9]*}}, {{ *}}-0.1191{{[0-9]*}}]]]
// CHECK: sizes = [3, 2]
// CHECK:      {{\[\[}}-1.147{{[0-9]*}}, {{ *}}4.634{{[0-9]*}}],
// CHECK-NEXT:  [0.4107{{[0-9]*}}, {{ *}}1.954{{[0-9]*}}],
// CHECK-NEXT:  [0.2058{{[0-9]*}}, {{ *}}3.254{{[0-9]*}}]]
