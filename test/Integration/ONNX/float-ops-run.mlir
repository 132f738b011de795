// The float ops lowered from the onnx dialect, run on the CPU against values
// worked out by hand.
//
// RUN: bitnet-opt %s --convert-onnx-to-linalg --bitnet-cpu-pipeline \
// RUN:   | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils,%libomp \
// RUN:   | FileCheck %s

func.func private @printMemrefF32(tensor<*xf32>)

func.func @main() {
  %a = arith.constant dense<[[[1.0, 2.0], [3.0, 4.0]]]> : tensor<1x2x2xf32>
  %b = arith.constant dense<[[0.5, -1.0, 2.0], [1.0, 0.0, -2.0]]> : tensor<2x3xf32>
  %bias = arith.constant dense<[1.0, 1.0, 1.0]> : tensor<3xf32>
  // [[1*0.5 + 2*1, -1, 2 - 4], [1.5 + 4, -3, 6 - 8]] = [[2.5, -1, -2], [5.5, -3, -2]]
  %m = onnx.MatMul %a, %b : (tensor<1x2x2xf32>, tensor<2x3xf32>) -> tensor<1x2x3xf32>
  %y = onnx.Add %m, %bias : (tensor<1x2x3xf32>, tensor<3xf32>) -> tensor<1x2x3xf32>
  %u = tensor.cast %y : tensor<1x2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  // softmax([0, ln 3]) = [0.25, 0.75]
  %x = arith.constant dense<[[0.0, 1.0986123]]> : tensor<1x2xf32>
  %s = onnx.Softmax %x {axis = -1 : i64} : (tensor<1x2xf32>) -> tensor<1x2xf32>
  %v = tensor.cast %s : tensor<1x2xf32> to tensor<*xf32>
  call @printMemrefF32(%v) : (tensor<*xf32>) -> ()
  return
}

// CHECK: sizes = [1, 2, 3]
// CHECK: {{\[\[\[}}3.5, {{ *}}0, {{ *}}-1],
// CHECK-NEXT: [6.5, {{ *}}-2, {{ *}}-1]]]
// CHECK: sizes = [1, 2]
// CHECK: {{\[\[}}0.25, {{ *}}0.75]]
