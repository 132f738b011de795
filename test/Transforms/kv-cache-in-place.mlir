// RUN: bitnet-opt %s -bitnet-kv-cache-in-place -split-input-file -verify-diagnostics | FileCheck %s

// The past becomes a writable buffer; its filled rows are what the Shape
// reads; the new rows go in after them; the present output is gone.
// CHECK-LABEL: func.func @main_graph
// CHECK-SAME: %[[PAST:[^:]*]]: tensor<1x2x?x4xf32> {bufferization.writable = true, onnx.name = "past_key_values.0.key"}
// CHECK-SAME: %[[LEN:[^:]*]]: tensor<i64> {onnx.name = "bitnet.past_length"}
// CHECK-SAME: -> (tensor<1x2x?x?xf32> {onnx.name = "logits"}, tensor<4xi64> {onnx.name = "shape"})
// CHECK: %[[N:.*]] = arith.index_cast %{{.*}} : i64 to index
// CHECK: %[[FILLED:.*]] = tensor.extract_slice %[[PAST]][0, 0, 0, 0] [1, 2, %[[N]], 4]
// CHECK: onnx.Shape %[[FILLED]]
// CHECK: %[[ROWS:.*]] = tensor.dim %[[NEW:.*]], %c2
// CHECK: %[[UPDATED:.*]] = tensor.insert_slice %[[NEW]] into %[[PAST]][0, 0, %[[N]], 0] [1, 2, %[[ROWS]], 4]
// CHECK: %[[TOTAL:.*]] = arith.addi %[[N]], %[[ROWS]]
// CHECK: %[[PRESENT:.*]] = tensor.extract_slice %[[UPDATED]][0, 0, 0, 0] [1, 2, %[[TOTAL]], 4]
// CHECK-NOT: onnx.Concat
// CHECK: onnx.MatMul %{{.*}}, %[[PRESENT]]
// CHECK: return %{{.*}}, %{{.*}} : tensor<1x2x?x?xf32>, tensor<4xi64>
func.func @main_graph(%past: tensor<1x2x?x4xf32> {onnx.name = "past_key_values.0.key"},
                      %new: tensor<1x2x?x4xf32> {onnx.name = "input_ids"},
                      %q: tensor<1x2x?x4xf32> {onnx.name = "q"})
    -> (tensor<1x2x?x?xf32> {onnx.name = "logits"}, tensor<1x2x?x4xf32> {onnx.name = "present.0.key"}, tensor<4xi64> {onnx.name = "shape"}) {
  %s = onnx.Shape %past : (tensor<1x2x?x4xf32>) -> tensor<4xi64>
  %present = onnx.Concat %past, %new {axis = 2 : i64} : (tensor<1x2x?x4xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x4xf32>
  %t = onnx.Transpose %present {perm = [0, 1, 3, 2]} : (tensor<1x2x?x4xf32>) -> tensor<1x2x4x?xf32>
  %y = onnx.MatMul %q, %present : (tensor<1x2x?x4xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x?xf32>
  return %y, %present, %s : tensor<1x2x?x?xf32>, tensor<1x2x?x4xf32>, tensor<4xi64>
}

// -----

// A Concat that is not returned is not a cache update: nothing changes.
// CHECK-LABEL: func.func @main_graph
// CHECK-NOT: bitnet.past_length
// CHECK: onnx.Concat
func.func @main_graph(%past: tensor<1x2x?x4xf32> {onnx.name = "past_key_values.0.key"},
                      %new: tensor<1x2x?x4xf32> {onnx.name = "input_ids"})
    -> (tensor<1x2x?x4xf32> {onnx.name = "logits"}) {
  %c = onnx.Concat %past, %new {axis = 2 : i64} : (tensor<1x2x?x4xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x4xf32>
  %y = onnx.Relu %c : (tensor<1x2x?x4xf32>) -> tensor<1x2x?x4xf32>
  return %y : tensor<1x2x?x4xf32>
}

// -----

// Nor is one along another axis.
// CHECK-LABEL: func.func @main_graph
// CHECK-NOT: bitnet.past_length
// CHECK: onnx.Concat
func.func @main_graph(%past: tensor<1x2x?x4xf32> {onnx.name = "past_key_values.0.key"},
                      %new: tensor<1x2x?x4xf32> {onnx.name = "input_ids"})
    -> (tensor<1x2x?x8xf32> {onnx.name = "present.0.key"}) {
  %c = onnx.Concat %past, %new {axis = 3 : i64} : (tensor<1x2x?x4xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x8xf32>
  return %c : tensor<1x2x?x8xf32>
}

// -----

// The name the pass adds must be free.
// expected-error @+1 {{the model already has an input named 'bitnet.past_length'}}
func.func @main_graph(%past: tensor<1x2x?x4xf32> {onnx.name = "past_key_values.0.key"},
                      %new: tensor<1x2x?x4xf32> {onnx.name = "bitnet.past_length"})
    -> (tensor<1x2x?x4xf32> {onnx.name = "present.0.key"}) {
  %c = onnx.Concat %past, %new {axis = 2 : i64} : (tensor<1x2x?x4xf32>, tensor<1x2x?x4xf32>) -> tensor<1x2x?x4xf32>
  return %c : tensor<1x2x?x4xf32>
}
