// RUN: bitnet-opt %s -bitnet-reject-unlowered -split-input-file -verify-diagnostics
// RUN: bitnet-opt %s -bitnet-reject-unlowered=dialects=ternary -split-input-file | FileCheck %s --check-prefix=TERNARY

// Leftover onnx ops are errors. Imported ops are also named by their node
// (test/Target/unsupported-op.onnxtxt); these have no name.
func.func @leftover(%x: tensor<4xf32>, %k: tensor<1xi64>) -> tensor<2xf32> {
  // expected-error @+1 {{(TopK): cannot be compiled: no lowering for this op with operands (tensor<4xf32>, tensor<1xi64>) and results (tensor<2xf32>, tensor<2xi64>)}}
  %v, %i = onnx.TopK %x, %k {axis = 0 : i64} : (tensor<4xf32>, tensor<1xi64>) -> (tensor<2xf32>, tensor<2xi64>)
  return %v : tensor<2xf32>
}

// -----

// Unranked results say that shape inference is what failed.
func.func @unranked(%x: tensor<*xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{(Relu): cannot be compiled: the rank of result 0 could not be inferred (tensor<*xf32>); lowering needs ranked tensors}}
  %y = onnx.Relu %x : (tensor<*xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

// Lowered IR passes untouched.
// TERNARY-LABEL: func.func @lowered
// TERNARY: arith.addf
func.func @lowered(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = arith.addf %x, %x : tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// A weight subgraph that nothing folded says so.
func.func @constant_only(%x: tensor<4xf32>) -> tensor<4xui8> {
  %d = arith.constant dense<0> : tensor<4xui8>
  %i = arith.constant dense<[[1]]> : tensor<1x1xi64>
  %u = arith.constant dense<[7]> : tensor<1xui8>
  // expected-error @+1 {{(ScatterND): cannot be compiled: it computes on constants only, and no lowering takes its operands (tensor<4xui8>, tensor<1x1xi64>, tensor<1xui8>); weight subgraphs fold at compile time only where they feed an f32 MatMul}}
  %s = "onnx.ScatterND"(%d, %i, %u) : (tensor<4xui8>, tensor<1x1xi64>, tensor<1xui8>) -> tensor<4xui8>
  return %s : tensor<4xui8>
}
