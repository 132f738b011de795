// RUN: bitnet-opt %s -onnx-eliminate-ste | FileCheck %s

// CHECK-LABEL: func.func @ste
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK: %[[F:.*]] = onnx.Round %[[X]]
// CHECK-NOT: onnx.Sub
// CHECK-NOT: onnx.Add
// CHECK: return %[[F]], %[[F]]
func.func @ste(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %f = onnx.Round %x : (tensor<4xf32>) -> tensor<4xf32>
  %d = onnx.Sub %f, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %a = onnx.Add %x, %d : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %b = onnx.Add %d, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %a, %b : tensor<4xf32>, tensor<4xf32>
}

// Not an estimator: the subtrahend is another value.
// CHECK-LABEL: func.func @not_ste
// CHECK: onnx.Sub
// CHECK: onnx.Add
func.func @not_ste(%x: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  %f = onnx.Round %x : (tensor<4xf32>) -> tensor<4xf32>
  %d = onnx.Sub %f, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %a = onnx.Add %x, %d : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %a : tensor<4xf32>
}
