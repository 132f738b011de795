// RUN: bitnet-opt %s -bitnet-export-model-entry -split-input-file | FileCheck %s

// @main_graph is the entry even beside other public functions. Its
// signature is recorded with the ONNX names (a position-based name where
// there is none), the names leave the function, other argument attributes
// stay, and the entry asks for the C interface.
// CHECK-LABEL: module attributes {bitnet.model_entry = {function = "main_graph", inputs = [{name = "input_ids", type = tensor<1x?xi64>}, {name = "mask", type = tensor<?x4xf32>}], {{(max_context = [0-9]+ : i64, )?}}outputs = [{name = "logits", type = tensor<1x?x256xf32>}, {name = "output1", type = tensor<f32>}]}}
// CHECK: func.func private @helper(%{{.*}}: tensor<4xf32>) -> tensor<4xf32> {
// CHECK: func.func @main_graph(%{{.*}}: tensor<1x?xi64>, %{{.*}}: tensor<?x4xf32> {foo.keep}) -> (tensor<1x?x256xf32>, tensor<f32>) attributes {llvm.emit_c_interface} {
// CHECK: func.func @other(%{{.*}}: tensor<4xf32> {onnx.name = "not_the_entry"}) -> tensor<4xf32> {
// CHECK-NOT: llvm.emit_c_interface
func.func private @helper(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
func.func @main_graph(%ids: tensor<1x?xi64> {onnx.name = "input_ids"}, %m: tensor<?x4xf32> {onnx.name = "mask", foo.keep}) -> (tensor<1x?x256xf32> {onnx.name = "logits"}, tensor<f32>) {
  %c = arith.constant dense<0.0> : tensor<1x2x256xf32>
  %cast = tensor.cast %c : tensor<1x2x256xf32> to tensor<1x?x256xf32>
  %s = arith.constant dense<0.0> : tensor<f32>
  return %cast, %s : tensor<1x?x256xf32>, tensor<f32>
}
func.func @other(%x: tensor<4xf32> {onnx.name = "not_the_entry"}) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}

// -----

// Without @main_graph, the only public function with a body is the entry:
// private functions and declarations do not count.
// CHECK-LABEL: module attributes {bitnet.model_entry = {function = "forward", inputs = [{name = "input0", type = tensor<2x4xf32>}], {{(max_context = [0-9]+ : i64, )?}}outputs = [{name = "output0", type = tensor<2x4xf32>}]}}
// CHECK: func.func private @decl(tensor<4xf32>) -> tensor<4xf32>{{$}}
// CHECK: func.func private @helper(%{{.*}}: tensor<4xf32>) -> tensor<4xf32> {
// CHECK: func.func @forward(%{{.*}}: tensor<2x4xf32>) -> tensor<2x4xf32> attributes {llvm.emit_c_interface} {
func.func private @decl(%x: tensor<4xf32>) -> tensor<4xf32>
func.func private @helper(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
func.func @forward(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  return %x : tensor<2x4xf32>
}

// -----

// An entry without inputs (the graph of constants) is fine.
// CHECK-LABEL: module attributes {bitnet.model_entry = {function = "main_graph", inputs = [], {{(max_context = [0-9]+ : i64, )?}}outputs = [{name = "y", type = tensor<3xi64>}]}}
// CHECK: func.func @main_graph() -> tensor<3xi64> attributes {llvm.emit_c_interface}
// CHECK-NOT: onnx.name
func.func @main_graph() -> (tensor<3xi64> {onnx.name = "y"}) {
  %c = arith.constant dense<[1, 2, 3]> : tensor<3xi64>
  return %c : tensor<3xi64>
}
