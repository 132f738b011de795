// RUN: bitnet-opt %s -convert-onnx-to-linalg -canonicalize -cse -split-input-file | FileCheck %s
// The lowering alone: only the ops of @left_alone survive.
// RUN: bitnet-opt %s -convert-onnx-to-linalg -split-input-file | FileCheck %s --check-prefix=RAW

// RAW-NOT: onnx.{{[A-Z]}}
// RAW-LABEL: func.func @left_alone
// RAW: onnx.ReduceSum
// RAW: onnx.ReduceMean
// RAW: onnx.ReduceMax
// RAW-NOT: onnx.{{[A-Z]}}

// RMSNorm's mean of squares: ReduceMean over the last axis, keepdims=1.
// The sum goes into the kept dims, is divided by the (static) count, and
// the size-1 dim is put back by a reshape.
// CHECK-DAG: #[[$ID3:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[$KEPT:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[$ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @mean_keepdims
// CHECK-SAME: (%[[X:.*]]: tensor<?x?x64xf32>)
// CHECK-DAG: %[[N:.*]] = arith.constant 6.400000e+01 : f32
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[D0:.*]] = tensor.dim %[[X]], %[[C0]]
// CHECK: %[[D1:.*]] = tensor.dim %[[X]], %[[C1]]
// CHECK: %[[EMPTY:.*]] = tensor.empty(%[[D0]], %[[D1]]) : tensor<?x?xf32>
// CHECK: %[[ACC:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[EMPTY]] : tensor<?x?xf32>)
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[$ID3]], #[[$KEPT]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[X]] : tensor<?x?x64xf32>) outs(%[[ACC]] : tensor<?x?xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %[[OUT:.*]]: f32):
// CHECK-NEXT: %[[ADD:.*]] = arith.addf %[[OUT]], %[[IN]] : f32
// CHECK-NEXT: linalg.yield %[[ADD]]
// CHECK: %[[MEAN:.*]] = linalg.generic {indexing_maps = [#[[$ID2]], #[[$ID2]]], iterator_types = ["parallel", "parallel"]} ins(%[[SUM]] : tensor<?x?xf32>)
// CHECK-NEXT: ^bb0(%[[S:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[DIV:.*]] = arith.divf %[[S]], %[[N]] : f32
// CHECK-NEXT: linalg.yield %[[DIV]]
// CHECK: %[[SHAPE:.*]] = tensor.from_elements %[[D0]], %[[D1]], %[[C1]] : tensor<3xindex>
// CHECK: %[[R:.*]] = tensor.reshape %[[MEAN]](%[[SHAPE]]) : (tensor<?x?xf32>, tensor<3xindex>) -> tensor<?x?x1xf32>
// CHECK: return %[[R]]
// CHECK-NOT: onnx.ReduceMean
func.func @mean_keepdims(%x: tensor<?x?x64xf32>) -> tensor<?x?x1xf32> {
  %axes = arith.constant dense<-1> : tensor<1xi64>
  %r = onnx.ReduceMean %x, %axes {keepdims = 1 : i64} : (tensor<?x?x64xf32>, tensor<1xi64>) -> tensor<?x?x1xf32>
  return %r : tensor<?x?x1xf32>
}

// -----

// keepdims=0 over a dynamic axis: the count is read at run time and the
// reduced dim is gone (no reshape).
// CHECK-DAG: #[[$IN:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[$KEPT:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @mean_dropdims
// CHECK-SAME: (%[[X:.*]]: tensor<2x?x64xf32>)
// CHECK: %[[C1:.*]] = arith.constant 1 : index
// CHECK: %[[D1:.*]] = tensor.dim %[[X]], %[[C1]]
// CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<2x64xf32>
// CHECK: %[[ACC:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[EMPTY]] : tensor<2x64xf32>)
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[$IN]], #[[$KEPT]]], iterator_types = ["parallel", "reduction", "parallel"]} ins(%[[X]] : tensor<2x?x64xf32>) outs(%[[ACC]] : tensor<2x64xf32>)
// CHECK: %[[COUNT:.*]] = arith.index_castui %[[D1]] : index to i64
// CHECK: %[[COUNTF:.*]] = arith.uitofp %[[COUNT]] : i64 to f32
// CHECK: %[[MEAN:.*]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<2x64xf32>)
// CHECK: arith.divf %{{.*}}, %[[COUNTF]] : f32
// CHECK: return %[[MEAN]] : tensor<2x64xf32>
// CHECK-NOT: tensor.reshape
func.func @mean_dropdims(%x: tensor<2x?x64xf32>) -> tensor<2x64xf32> {
  %axes = arith.constant dense<1> : tensor<1xi64>
  %r = onnx.ReduceMean %x, %axes {keepdims = 0 : i64} : (tensor<2x?x64xf32>, tensor<1xi64>) -> tensor<2x64xf32>
  return %r : tensor<2x64xf32>
}

// -----

// No axes: every dim is reduced, here to a 0-d tensor.
// CHECK-DAG: #[[$SCALAR:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @sum_all
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>)
// CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<f32>
// CHECK: %[[ACC:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[EMPTY]] : tensor<f32>)
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#{{.*}}, #[[$SCALAR]]], iterator_types = ["reduction", "reduction"]} ins(%[[X]] : tensor<4x8xf32>) outs(%[[ACC]] : tensor<f32>)
// CHECK: arith.addf
// CHECK: return %[[R]] : tensor<f32>
func.func @sum_all(%x: tensor<4x8xf32>) -> tensor<f32> {
  %r = onnx.ReduceSum %x {keepdims = 0 : i64} : (tensor<4x8xf32>) -> tensor<f32>
  return %r : tensor<f32>
}

// -----

// ReduceMax starts from -inf, ReduceMin from +inf; keepdims defaults to 1.
// CHECK-LABEL: func.func @max_min
// CHECK-DAG: %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK-DAG: %[[POSINF:.*]] = arith.constant 0x7F800000 : f32
// CHECK: linalg.fill ins(%[[NEGINF]] : f32)
// CHECK: arith.maximumf
// CHECK: tensor.reshape {{.*}} -> tensor<4x1xf32>
// CHECK: linalg.fill ins(%[[POSINF]] : f32)
// CHECK: arith.minimumf
// CHECK: tensor.reshape {{.*}} -> tensor<4x1xf32>
func.func @max_min(%x: tensor<4x8xf32>) -> (tensor<4x1xf32>, tensor<4x1xf32>) {
  %axes = arith.constant dense<1> : tensor<1xi64>
  %a = onnx.ReduceMax %x, %axes : (tensor<4x8xf32>, tensor<1xi64>) -> tensor<4x1xf32>
  %b = onnx.ReduceMin %x, %axes : (tensor<4x8xf32>, tensor<1xi64>) -> tensor<4x1xf32>
  return %a, %b : tensor<4x1xf32>, tensor<4x1xf32>
}

// -----

// Not lowered: integer reductions, run-time axes and axes out of range.
// (Empty axes with noop_with_empty_axes are the input: @noop_reduction.)
// CHECK-LABEL: func.func @left_alone
// CHECK: onnx.ReduceSum
// CHECK: onnx.ReduceMean
// CHECK-NOT: onnx.ReduceMean
// CHECK: onnx.ReduceMax
func.func @left_alone(%i: tensor<4x8xi64>, %x: tensor<4x8xf32>, %axes: tensor<1xi64>) -> (tensor<4x1xi64>, tensor<?x?xf32>, tensor<4x8xf32>, tensor<4x8xf32>) {
  %one = arith.constant dense<1> : tensor<1xi64>
  %a = onnx.ReduceSum %i, %one : (tensor<4x8xi64>, tensor<1xi64>) -> tensor<4x1xi64>
  %b = onnx.ReduceMean %x, %axes : (tensor<4x8xf32>, tensor<1xi64>) -> tensor<?x?xf32>
  %none = arith.constant dense<> : tensor<0xi64>
  %c = onnx.ReduceMean %x, %none {noop_with_empty_axes = 1 : i64} : (tensor<4x8xf32>, tensor<0xi64>) -> tensor<4x8xf32>
  %nine = arith.constant dense<9> : tensor<1xi64>
  %d = onnx.ReduceMax %x, %nine : (tensor<4x8xf32>, tensor<1xi64>) -> tensor<4x8xf32>
  return %a, %b, %c, %d : tensor<4x1xi64>, tensor<?x?xf32>, tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// No axes with noop_with_empty_axes: the input itself.
// CHECK-LABEL: func.func @noop_reduction
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NEXT: return %[[X]], %[[X]]
func.func @noop_reduction(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %empty = arith.constant dense<> : tensor<0xi64>
  %a = onnx.ReduceSum %x {noop_with_empty_axes = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %b = onnx.ReduceMax %x, %empty {noop_with_empty_axes = 1 : i64} : (tensor<2x3xf32>, tensor<0xi64>) -> tensor<2x3xf32>
  return %a, %b : tensor<2x3xf32>, tensor<2x3xf32>
}
