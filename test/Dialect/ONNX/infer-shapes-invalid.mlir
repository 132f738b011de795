// RUN: bitnet-opt %s -onnx-infer-shapes=batch-size=-1 -verify-diagnostics

// A negative batch size is refused before anything changes.
// expected-error@+1 {{onnx-infer-shapes: batch-size must be >= 0}}
module {
  func.func @f(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
    %y = onnx.Relu %x : (tensor<?x8xf32>) -> tensor<?x8xf32>
    return %y : tensor<?x8xf32>
  }
}
