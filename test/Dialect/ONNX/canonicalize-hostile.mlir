// RUN: bitnet-opt %s -canonicalize -split-input-file | FileCheck %s

// The folds hold on any well-typed IR, however hostile: steps and bounds at
// the ends of int64, empty dimensions and enormous ones. They fold
// correctly or not at all; none may overflow or allocate by a declared
// size.

// A step so large that the next index overflows int64: one element. The
// old fold stepped past INT64_MAX and read out of bounds (the crash in
// SliceOp::fold of issue 12).
// CHECK-LABEL: func.func @slice_step_overflow
// CHECK: %[[C:.*]] = arith.constant dense<20> : tensor<1xi64>
// CHECK: return %[[C]]
func.func @slice_step_overflow() -> tensor<1xi64> {
  %data = arith.constant dense<[10, 20, 30, 40]> : tensor<4xi64>
  %start = arith.constant dense<1> : tensor<1xi64>
  %end = arith.constant dense<9223372036854775807> : tensor<1xi64>
  %axes = arith.constant dense<0> : tensor<1xi64>
  %step = arith.constant dense<9223372036854775807> : tensor<1xi64>
  %r = onnx.Slice %data, %start, %end, axes %axes, steps %step : (tensor<4xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
  return %r : tensor<1xi64>
}

// -----

// The most negative step, from the end backwards: one element.
// CHECK-LABEL: func.func @slice_most_negative_step
// CHECK: %[[C:.*]] = arith.constant dense<40> : tensor<1xi64>
// CHECK: return %[[C]]
func.func @slice_most_negative_step() -> tensor<1xi64> {
  %data = arith.constant dense<[10, 20, 30, 40]> : tensor<4xi64>
  %start = arith.constant dense<-1> : tensor<1xi64>
  %end = arith.constant dense<-9223372036854775808> : tensor<1xi64>
  %axes = arith.constant dense<0> : tensor<1xi64>
  %step = arith.constant dense<-9223372036854775808> : tensor<1xi64>
  %r = onnx.Slice %data, %start, %end, axes %axes, steps %step : (tensor<4xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
  return %r : tensor<1xi64>
}

// -----

// A backward slice of an empty dimension (clamping into [0, -1] was
// undefined).
// CHECK-LABEL: func.func @slice_empty_backward
// CHECK: %[[C:.*]] = arith.constant dense<> : tensor<0xi64>
// CHECK: return %[[C]]
func.func @slice_empty_backward() -> tensor<0xi64> {
  %data = arith.constant dense<> : tensor<0xi64>
  %start = arith.constant dense<-1> : tensor<1xi64>
  %end = arith.constant dense<-9223372036854775808> : tensor<1xi64>
  %axes = arith.constant dense<0> : tensor<1xi64>
  %step = arith.constant dense<-1> : tensor<1xi64>
  %r = onnx.Slice %data, %start, %end, axes %axes, steps %step : (tensor<0xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<0xi64>
  return %r : tensor<0xi64>
}

// -----

// Two elements of a splat of 2^40: a splat result, with no index list of
// the whole dimension.
// CHECK-LABEL: func.func @slice_huge_splat
// CHECK: %[[C:.*]] = arith.constant dense<1.000000e+00> : tensor<2xf32>
// CHECK: return %[[C]]
func.func @slice_huge_splat() -> tensor<2xf32> {
  %data = arith.constant dense<1.0> : tensor<1099511627776xf32>
  %start = arith.constant dense<0> : tensor<1xi64>
  %end = arith.constant dense<2> : tensor<1xi64>
  %r = onnx.Slice %data, %start, %end : (tensor<1099511627776xf32>, tensor<1xi64>, tensor<1xi64>) -> tensor<2xf32>
  return %r : tensor<2xf32>
}

// -----

// A static shape whose element count overflows int64: Size does not fold.
// CHECK-LABEL: func.func @size_overflow
// CHECK: onnx.Size
func.func @size_overflow(%x: tensor<4294967296x4294967296x4294967296xf32>) -> tensor<i64> {
  %n = onnx.Size %x : (tensor<4294967296x4294967296x4294967296xf32>) -> tensor<i64>
  return %n : tensor<i64>
}
