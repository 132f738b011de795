// RUN: bitnet-opt %s -convert-onnx-to-linalg -split-input-file | FileCheck %s

// Cast follows ONNX: float to integer truncates toward zero, bools read as
// 0 and 1, and anything nonzero is true.

// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @f32_to_i64
// CHECK-SAME: (%[[X:.*]]: tensor<?x4xf32>)
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[D0:.*]] = tensor.dim %[[X]], %[[C0]]
// CHECK: %[[INIT:.*]] = tensor.empty(%[[D0]]) : tensor<?x4xi64>
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[X]] : tensor<?x4xf32>) outs(%[[INIT]] : tensor<?x4xi64>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: i64):
// CHECK-NEXT: %[[V:.*]] = arith.fptosi %[[IN]] : f32 to i64
// CHECK-NEXT: linalg.yield %[[V]] : i64
// CHECK: return %[[R]]
// CHECK-NOT: onnx.Cast
func.func @f32_to_i64(%x: tensor<?x4xf32>) -> tensor<?x4xi64> {
  %r = onnx.Cast %x {to = 7 : i64} : (tensor<?x4xf32>) -> tensor<?x4xi64>
  return %r : tensor<?x4xi64>
}

// -----

// CHECK-LABEL: func.func @i64_to_f32
// CHECK-SAME: (%[[X:.*]]: tensor<3xi64>)
// CHECK: %[[INIT:.*]] = tensor.empty() : tensor<3xf32>
// CHECK: linalg.generic {{.*}} ins(%[[X]] : tensor<3xi64>) outs(%[[INIT]] : tensor<3xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: i64, %{{.*}}: f32):
// CHECK-NEXT: %[[V:.*]] = arith.sitofp %[[IN]] : i64 to f32
// CHECK-NEXT: linalg.yield %[[V]] : f32
// CHECK-NOT: onnx.Cast
func.func @i64_to_f32(%x: tensor<3xi64>) -> tensor<3xf32> {
  %r = onnx.Cast %x {to = 1 : i64} : (tensor<3xi64>) -> tensor<3xf32>
  return %r : tensor<3xf32>
}

// -----

// Bools are unsigned: true is 1, not -1.
// CHECK-LABEL: func.func @bool_to_f32_and_i64
// CHECK-SAME: (%[[B:.*]]: tensor<?xi1>)
// CHECK: linalg.generic {{.*}} ins(%[[B]] : tensor<?xi1>) outs(%{{.*}} : tensor<?xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: i1, %{{.*}}: f32):
// CHECK-NEXT: %[[F:.*]] = arith.uitofp %[[IN]] : i1 to f32
// CHECK-NEXT: linalg.yield %[[F]] : f32
// CHECK: linalg.generic {{.*}} ins(%[[B]] : tensor<?xi1>) outs(%{{.*}} : tensor<?xi64>)
// CHECK-NEXT: ^bb0(%[[IN2:.*]]: i1, %{{.*}}: i64):
// CHECK-NEXT: %[[I:.*]] = arith.extui %[[IN2]] : i1 to i64
// CHECK-NEXT: linalg.yield %[[I]] : i64
// CHECK-NOT: onnx.Cast
func.func @bool_to_f32_and_i64(%b: tensor<?xi1>) -> (tensor<?xf32>, tensor<?xi64>) {
  %f = onnx.Cast %b {to = 1 : i64} : (tensor<?xi1>) -> tensor<?xf32>
  %i = onnx.Cast %b {to = 7 : i64} : (tensor<?xi1>) -> tensor<?xi64>
  return %f, %i : tensor<?xf32>, tensor<?xi64>
}

// -----

// To bool: compare with zero (unordered for floats, so NaN is true).
// CHECK-LABEL: func.func @to_bool
// CHECK-SAME: (%[[X:.*]]: tensor<3xf32>, %[[Y:.*]]: tensor<3xi64>)
// CHECK: linalg.generic {{.*}} ins(%[[X]] : tensor<3xf32>) outs(%{{.*}} : tensor<3xi1>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: i1):
// CHECK-NEXT: %[[FZ:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %[[F:.*]] = arith.cmpf une, %[[IN]], %[[FZ]] : f32
// CHECK-NEXT: linalg.yield %[[F]] : i1
// CHECK: linalg.generic {{.*}} ins(%[[Y]] : tensor<3xi64>) outs(%{{.*}} : tensor<3xi1>)
// CHECK-NEXT: ^bb0(%[[IN2:.*]]: i64, %{{.*}}: i1):
// CHECK-NEXT: %[[IZ:.*]] = arith.constant 0 : i64
// CHECK-NEXT: %[[I:.*]] = arith.cmpi ne, %[[IN2]], %[[IZ]] : i64
// CHECK-NEXT: linalg.yield %[[I]] : i1
// CHECK-NOT: onnx.Cast
func.func @to_bool(%x: tensor<3xf32>, %y: tensor<3xi64>) -> (tensor<3xi1>, tensor<3xi1>) {
  %a = onnx.Cast %x {to = 9 : i64} : (tensor<3xf32>) -> tensor<3xi1>
  %b = onnx.Cast %y {to = 9 : i64} : (tensor<3xi64>) -> tensor<3xi1>
  return %a, %b : tensor<3xi1>, tensor<3xi1>
}

// -----

// Narrowing and widening among integers and floats; f16 and bf16, where
// neither holds the other, convert through f32.
// CHECK-LABEL: func.func @widths
// CHECK: arith.trunci %{{.*}} : i64 to i32
// CHECK: arith.extsi %{{.*}} : i32 to i64
// CHECK: arith.truncf %{{.*}} : f32 to f16
// CHECK: arith.extf %{{.*}} : f16 to f32
// CHECK: ^bb0(%[[H:.*]]: f16, %{{.*}}: bf16):
// CHECK-NEXT: %[[W:.*]] = arith.extf %[[H]] : f16 to f32
// CHECK-NEXT: %[[BF:.*]] = arith.truncf %[[W]] : f32 to bf16
// CHECK-NEXT: linalg.yield %[[BF]] : bf16
// CHECK-NOT: onnx.Cast
func.func @widths(%i: tensor<3xi64>, %f: tensor<3xf32>) -> (tensor<3xi64>, tensor<3xf32>, tensor<3xbf16>) {
  %a = onnx.Cast %i {to = 6 : i64} : (tensor<3xi64>) -> tensor<3xi32>
  %b = onnx.Cast %a {to = 7 : i64} : (tensor<3xi32>) -> tensor<3xi64>
  %c = onnx.Cast %f {to = 10 : i64} : (tensor<3xf32>) -> tensor<3xf16>
  %d = onnx.Cast %c {to = 1 : i64} : (tensor<3xf16>) -> tensor<3xf32>
  %e = onnx.Cast %c {to = 16 : i64} : (tensor<3xf16>) -> tensor<3xbf16>
  return %b, %d, %e : tensor<3xi64>, tensor<3xf32>, tensor<3xbf16>
}

// -----

// Unsigned (packed weight) tensors are not lowered.
// CHECK-LABEL: func.func @unsigned_stays
// CHECK: onnx.Cast
func.func @unsigned_stays(%x: tensor<3xui8>) -> tensor<3xf32> {
  %r = onnx.Cast %x {to = 1 : i64} : (tensor<3xui8>) -> tensor<3xf32>
  return %r : tensor<3xf32>
}
