// RUN: bitnet-opt %s -bitnet-export-model-entry -split-input-file -verify-diagnostics

// Only private functions: nothing the runtime could call.
// expected-error@+1 {{no model entry: expected a function @main_graph or exactly one public function, found 0}}
module {
  func.func private @helper(%x: tensor<4xf32>) -> tensor<4xf32> {
    return %x : tensor<4xf32>
  }
  func.func private @external(tensor<4xf32>) -> tensor<4xf32>
}

// -----

// Two public functions and no @main_graph: which one is the model?
// expected-error@+1 {{no model entry: expected a function @main_graph or exactly one public function, found 2}}
module {
  func.func @encoder(%x: tensor<4xf32>) -> tensor<4xf32> {
    return %x : tensor<4xf32>
  }
  func.func @decoder(%x: tensor<4xf32>) -> tensor<4xf32> {
    return %x : tensor<4xf32>
  }
}

// -----

// The runtime passes f32 and i64 buffers only.
// expected-error@+1 {{input 1 has type 'tensor<4xf16>'; a model entry takes and returns ranked f32 or i64 tensors}}
func.func @main_graph(%ids: tensor<1x?xi64>, %x: tensor<4xf16>) -> tensor<4xf16> {
  return %x : tensor<4xf16>
}

// -----

// expected-error@+1 {{input 0 has type 'tensor<?xi32>'; a model entry takes and returns ranked f32 or i64 tensors}}
func.func @main_graph(%ids: tensor<?xi32>) -> tensor<?xi32> {
  return %ids : tensor<?xi32>
}

// -----

// Not a tensor at all.
// expected-error@+1 {{input 1 has type 'index'; a model entry takes and returns ranked f32 or i64 tensors}}
func.func @main_graph(%x: tensor<4xf32>, %n: index) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}

// -----

// expected-error@+1 {{input 0 has type 'memref<4xf32>'; a model entry takes and returns ranked f32 or i64 tensors}}
func.func @forward(%x: memref<4xf32>) {
  return
}

// -----

// Unranked tensors have no layout to describe.
// expected-error@+1 {{input 0 has type 'tensor<*xf32>'; a model entry takes and returns ranked f32 or i64 tensors}}
func.func @main_graph(%x: tensor<*xf32>) -> tensor<*xf32> {
  return %x : tensor<*xf32>
}

// -----

// Results are checked the same way.
// expected-error@+1 {{output 1 has type 'tensor<2xi1>'; a model entry takes and returns ranked f32 or i64 tensors}}
func.func @main_graph(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xi1>) {
  %c = arith.constant dense<[true, false]> : tensor<2xi1>
  return %x, %c : tensor<2xf32>, tensor<2xi1>
}
