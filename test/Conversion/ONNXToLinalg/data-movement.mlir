// RUN: bitnet-opt %s -convert-onnx-to-linalg -canonicalize -cse -split-input-file | FileCheck %s
// The lowering alone: only the ops of @left_alone survive.
// RUN: bitnet-opt %s -convert-onnx-to-linalg -split-input-file | FileCheck %s --check-prefix=RAW

// RAW-NOT: onnx.{{[A-Z]}}
// RAW-LABEL: func.func @left_alone
// RAW: onnx.Slice
// RAW: onnx.Slice
// RAW: onnx.Gather
// RAW-NOT: onnx.{{[A-Z]}}

// The embedding lookup: a dynamic [batch, seq] of ids into a [16, 8] table.
// A negative id counts from the end of the gathered axis.
// CHECK-DAG: #[[$IDS:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[$OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @gather_embedding
// CHECK-SAME: (%[[W:.*]]: tensor<16x8xf32>, %[[IDS:.*]]: tensor<?x?xi64>)
// CHECK-DAG: %[[C16:.*]] = arith.constant 16 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[B:.*]] = tensor.dim %[[IDS]], %[[C0]]
// CHECK: %[[S:.*]] = tensor.dim %[[IDS]], %[[C1]]
// CHECK: %[[INIT:.*]] = tensor.empty(%[[B]], %[[S]]) : tensor<?x?x8xf32>
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[$IDS]], #[[$OUT]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[IDS]] : tensor<?x?xi64>) outs(%[[INIT]] : tensor<?x?x8xf32>)
// CHECK-NEXT: ^bb0(%[[ID:.*]]: i64, %{{.*}}: f32):
// CHECK-NEXT: %[[I:.*]] = arith.index_cast %[[ID]] : i64 to index
// CHECK-NEXT: %[[NEG:.*]] = arith.cmpi slt, %[[I]], %[[C0]] : index
// CHECK-NEXT: %[[WRAP:.*]] = arith.addi %[[I]], %[[C16]] : index
// CHECK-NEXT: %[[ROW:.*]] = arith.select %[[NEG]], %[[WRAP]], %[[I]] : index
// CHECK-NEXT: %[[COL:.*]] = linalg.index 2 : index
// CHECK-NEXT: %[[V:.*]] = tensor.extract %[[W]][%[[ROW]], %[[COL]]] : tensor<16x8xf32>
// CHECK-NEXT: linalg.yield %[[V]] : f32
// CHECK: return %[[R]]
// CHECK-NOT: onnx.Gather
func.func @gather_embedding(%w: tensor<16x8xf32>, %ids: tensor<?x?xi64>) -> tensor<?x?x8xf32> {
  %e = onnx.Gather %w, %ids {axis = 0 : i64} : (tensor<16x8xf32>, tensor<?x?xi64>) -> tensor<?x?x8xf32>
  return %e : tensor<?x?x8xf32>
}

// -----

// A scalar index -1 on axis -2 (the last row): the axis disappears.
// CHECK-DAG: #[[$SCALAR:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @gather_negative_scalar
// CHECK-SAME: (%[[X:.*]]: tensor<?x4x8xf32>)
// CHECK-DAG: %[[C4:.*]] = arith.constant 4 : index
// CHECK-DAG: %[[MINUS1:.*]] = arith.constant dense<-1> : tensor<i64>
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[B:.*]] = tensor.dim %[[X]], %[[C0]]
// CHECK: %[[INIT:.*]] = tensor.empty(%[[B]]) : tensor<?x8xf32>
// CHECK: linalg.generic {indexing_maps = [#[[$SCALAR]], {{.*}}]{{.*}} ins(%[[MINUS1]] : tensor<i64>) outs(%[[INIT]] : tensor<?x8xf32>)
// CHECK: %[[I:.*]] = arith.index_cast
// CHECK: %[[NEG:.*]] = arith.cmpi slt, %[[I]], %[[C0]] : index
// CHECK: %[[WRAP:.*]] = arith.addi %[[I]], %[[C4]] : index
// CHECK: %[[ROW:.*]] = arith.select %[[NEG]], %[[WRAP]], %[[I]] : index
// CHECK: %[[D0:.*]] = linalg.index 0 : index
// CHECK: %[[D1:.*]] = linalg.index 1 : index
// CHECK: tensor.extract %[[X]][%[[D0]], %[[ROW]], %[[D1]]] : tensor<?x4x8xf32>
func.func @gather_negative_scalar(%x: tensor<?x4x8xf32>) -> tensor<?x8xf32> {
  %i = arith.constant dense<-1> : tensor<i64>
  %e = onnx.Gather %x, %i {axis = -2 : i64} : (tensor<?x4x8xf32>, tensor<i64>) -> tensor<?x8xf32>
  return %e : tensor<?x8xf32>
}

// -----

// Gather along axis 1 with dynamic indices and a dynamic leading dim.
// CHECK-DAG: #[[$IDX:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @gather_axis1
// CHECK-SAME: (%[[X:.*]]: tensor<?x6xf32>, %[[I:.*]]: tensor<?xi64>)
// CHECK-DAG: %[[C6:.*]] = arith.constant 6 : index
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[D0:.*]] = tensor.dim %[[X]], %[[C0]]
// CHECK: %[[N:.*]] = tensor.dim %[[I]], %[[C0]]
// CHECK: %[[INIT:.*]] = tensor.empty(%[[D0]], %[[N]]) : tensor<?x?xf32>
// CHECK: linalg.generic {indexing_maps = [#[[$IDX]], {{.*}}]{{.*}} ins(%[[I]] : tensor<?xi64>)
// CHECK: arith.addi %{{.*}}, %[[C6]] : index
// CHECK: %[[ROW:.*]] = linalg.index 0 : index
// CHECK: tensor.extract %[[X]][%[[ROW]], %{{.*}}] : tensor<?x6xf32>
func.func @gather_axis1(%x: tensor<?x6xf32>, %i: tensor<?xi64>) -> tensor<?x?xf32> {
  %r = onnx.Gather %x, %i {axis = 1 : i64} : (tensor<?x6xf32>, tensor<?xi64>) -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

// -----

// x[:, 32:INT64_MAX]: the end is clamped to the dim, the static result size
// is taken from the type.
// CHECK-LABEL: func.func @slice_clamped_static
// CHECK-SAME: (%[[X:.*]]: tensor<?x64xf32>)
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[B:.*]] = tensor.dim %[[X]], %[[C0]]
// CHECK: %[[R:.*]] = tensor.extract_slice %[[X]][0, 32] [%[[B]], 32] [1, 1] : tensor<?x64xf32> to tensor<?x32xf32>
// CHECK: return %[[R]]
// CHECK-NOT: onnx.Slice
func.func @slice_clamped_static(%x: tensor<?x64xf32>) -> tensor<?x32xf32> {
  %s = arith.constant dense<32> : tensor<1xi64>
  %e = arith.constant dense<9223372036854775807> : tensor<1xi64>
  %a = arith.constant dense<1> : tensor<1xi64>
  %r = onnx.Slice %x, %s, %e, axes %a : (tensor<?x64xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?x32xf32>
  return %r : tensor<?x32xf32>
}

// -----

// x[:, -3:INT64_MAX] on a dynamic dim: start = clamp(dim - 3, 0, dim), the
// size is dim - start.
// CHECK-LABEL: func.func @slice_clamped_dynamic
// CHECK-SAME: (%[[X:.*]]: tensor<?x?xf32>)
// CHECK-DAG: %[[CM3:.*]] = arith.constant -3 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[D0:.*]] = tensor.dim %[[X]], %[[C0]]
// CHECK: %[[D1:.*]] = tensor.dim %[[X]], %[[C1]]
// CHECK: %[[A:.*]] = arith.addi %[[D1]], %[[CM3]] : index
// CHECK: %[[LO:.*]] = arith.maxsi %[[A]], %[[C0]] : index
// CHECK: %[[START:.*]] = arith.minsi %[[LO]], %[[D1]] : index
// CHECK: %[[SPAN:.*]] = arith.subi %[[D1]], %[[START]] : index
// CHECK: %[[SIZE:.*]] = arith.maxsi %[[SPAN]], %[[C0]] : index
// CHECK: tensor.extract_slice %[[X]][0, %[[START]]] [%[[D0]], %[[SIZE]]] [1, 1] : tensor<?x?xf32> to tensor<?x?xf32>
func.func @slice_clamped_dynamic(%x: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %s = arith.constant dense<-3> : tensor<1xi64>
  %e = arith.constant dense<9223372036854775807> : tensor<1xi64>
  %a = arith.constant dense<1> : tensor<1xi64>
  %r = onnx.Slice %x, %s, %e, axes %a : (tensor<?x?xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

// -----

// A run-time end on axis -2 (the KV cache's sequence window): read,
// wrapped if negative, clamped to [0, dim].
// CHECK-LABEL: func.func @slice_dynamic_end
// CHECK-SAME: (%[[X:.*]]: tensor<1x?x16xf32>, %[[E:.*]]: tensor<1xi64>)
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK: %[[D:.*]] = tensor.dim %[[X]], %[[C1]]
// CHECK: %[[START:.*]] = arith.minsi %{{.*}}, %[[D]] : index
// CHECK: %[[EV:.*]] = tensor.extract %[[E]][%[[C0]]] : tensor<1xi64>
// CHECK: %[[END0:.*]] = arith.index_cast %[[EV]] : i64 to index
// CHECK: %[[NEG:.*]] = arith.cmpi slt, %[[END0]], %[[C0]] : index
// CHECK: %[[WRAP:.*]] = arith.addi %[[END0]], %[[D]] : index
// CHECK: %[[END1:.*]] = arith.select %[[NEG]], %[[WRAP]], %[[END0]] : index
// CHECK: %[[END2:.*]] = arith.maxsi %[[END1]], %[[C0]] : index
// CHECK: %[[END:.*]] = arith.minsi %[[END2]], %[[D]] : index
// CHECK: %[[SPAN:.*]] = arith.subi %[[END]], %[[START]] : index
// CHECK: %[[SIZE:.*]] = arith.maxsi %[[SPAN]], %[[C0]] : index
// CHECK: tensor.extract_slice %[[X]][0, %[[START]], 0] [1, %[[SIZE]], 16] [1, 1, 1] : tensor<1x?x16xf32> to tensor<1x?x16xf32>
func.func @slice_dynamic_end(%x: tensor<1x?x16xf32>, %e: tensor<1xi64>) -> tensor<1x?x16xf32> {
  %s = arith.constant dense<-4> : tensor<1xi64>
  %a = arith.constant dense<-2> : tensor<1xi64>
  %r = onnx.Slice %x, %s, %e, axes %a : (tensor<1x?x16xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<1x?x16xf32>
  return %r : tensor<1x?x16xf32>
}

// -----

// Positive steps become strides; default axes are 0, 1, ...
// CHECK-LABEL: func.func @slice_steps
// CHECK-SAME: (%[[X:.*]]: tensor<8x6xf32>)
// CHECK: %[[R:.*]] = tensor.extract_slice %[[X]][0, 1] [4, 3] [2, 2] : tensor<8x6xf32> to tensor<4x3xf32>
// CHECK: return %[[R]]
func.func @slice_steps(%x: tensor<8x6xf32>) -> tensor<4x3xf32> {
  %s = arith.constant dense<[0, 1]> : tensor<2xi64>
  %e = arith.constant dense<[8, 6]> : tensor<2xi64>
  %st = arith.constant dense<[2, 2]> : tensor<2xi64>
  %r = onnx.Slice %x, %s, %e, steps %st : (tensor<8x6xf32>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>) -> tensor<4x3xf32>
  return %r : tensor<4x3xf32>
}

// -----

// i32 starts and ends, read at run time.
// CHECK-LABEL: func.func @slice_i32_bounds
// CHECK-SAME: (%[[X:.*]]: tensor<8x6xf32>, %[[S:.*]]: tensor<2xi32>, %[[E:.*]]: tensor<2xi32>)
// CHECK: tensor.extract %[[S]]
// CHECK: arith.index_cast %{{.*}} : i32 to index
// CHECK: tensor.extract_slice %[[X]][%{{.*}}, %{{.*}}] [%{{.*}}, %{{.*}}] [1, 1] : tensor<8x6xf32> to tensor<?x?xf32>
func.func @slice_i32_bounds(%x: tensor<8x6xf32>, %s: tensor<2xi32>, %e: tensor<2xi32>) -> tensor<?x?xf32> {
  %r = onnx.Slice %x, %s, %e : (tensor<8x6xf32>, tensor<2xi32>, tensor<2xi32>) -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

// -----

// Concat along a dim that is static in one input, dynamic in the other.
// CHECK-LABEL: func.func @concat_dynamic
// CHECK-SAME: (%[[A:.*]]: tensor<?x2x4xf32>, %[[B:.*]]: tensor<?x?x4xf32>)
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[N:.*]] = tensor.dim %[[A]], %[[C0]]
// CHECK: %[[BN:.*]] = tensor.dim %[[B]], %[[C1]]
// CHECK: %[[TOTAL:.*]] = arith.addi %[[BN]], %[[C2]] : index
// CHECK: %[[INIT:.*]] = tensor.empty(%[[N]], %[[TOTAL]]) : tensor<?x?x4xf32>
// CHECK: %[[R0:.*]] = tensor.insert_slice %[[A]] into %[[INIT]][0, 0, 0] [%[[N]], 2, 4] [1, 1, 1] : tensor<?x2x4xf32> into tensor<?x?x4xf32>
// CHECK: %[[BB:.*]] = tensor.dim %[[B]], %[[C0]]
// CHECK: %[[R1:.*]] = tensor.insert_slice %[[B]] into %[[R0]][0, 2, 0] [%[[BB]], %[[BN]], 4] [1, 1, 1] : tensor<?x?x4xf32> into tensor<?x?x4xf32>
// CHECK: return %[[R1]]
// CHECK-NOT: onnx.Concat
func.func @concat_dynamic(%a: tensor<?x2x4xf32>, %b: tensor<?x?x4xf32>) -> tensor<?x?x4xf32> {
  %r = onnx.Concat %a, %b {axis = 1 : i64} : (tensor<?x2x4xf32>, tensor<?x?x4xf32>) -> tensor<?x?x4xf32>
  return %r : tensor<?x?x4xf32>
}

// -----

// Static shapes, negative axis: the shape-tensor case.
// CHECK-LABEL: func.func @concat_static
// CHECK-SAME: (%[[A:.*]]: tensor<2xi64>, %[[B:.*]]: tensor<1xi64>)
// CHECK: %[[INIT:.*]] = tensor.empty() : tensor<3xi64>
// CHECK: %[[R0:.*]] = tensor.insert_slice %[[A]] into %[[INIT]][0] [2] [1] : tensor<2xi64> into tensor<3xi64>
// CHECK: %[[R1:.*]] = tensor.insert_slice %[[B]] into %[[R0]][2] [1] [1] : tensor<1xi64> into tensor<3xi64>
// CHECK: return %[[R1]]
func.func @concat_static(%a: tensor<2xi64>, %b: tensor<1xi64>) -> tensor<3xi64> {
  %r = onnx.Concat %a, %b {axis = -1 : i64} : (tensor<2xi64>, tensor<1xi64>) -> tensor<3xi64>
  return %r : tensor<3xi64>
}

// -----

// Transpose with a perm, and without one (reversed dims).
// CHECK-LABEL: func.func @transpose
// CHECK-SAME: (%[[X:.*]]: tensor<2x?x4x8xf32>)
// CHECK: %[[C1:.*]] = arith.constant 1 : index
// CHECK: %[[D:.*]] = tensor.dim %[[X]], %[[C1]]
// CHECK: %[[I0:.*]] = tensor.empty(%[[D]]) : tensor<2x4x?x8xf32>
// CHECK: %[[T0:.*]] = linalg.transpose ins(%[[X]] : tensor<2x?x4x8xf32>) outs(%[[I0]] : tensor<2x4x?x8xf32>) permutation = [0, 2, 1, 3]
// CHECK: %[[I1:.*]] = tensor.empty(%[[D]]) : tensor<8x4x?x2xf32>
// CHECK: %[[T1:.*]] = linalg.transpose ins(%[[X]] : tensor<2x?x4x8xf32>) outs(%[[I1]] : tensor<8x4x?x2xf32>) permutation = [3, 2, 1, 0]
// CHECK: return %[[T0]], %[[T1]]
// CHECK-NOT: onnx.Transpose
func.func @transpose(%x: tensor<2x?x4x8xf32>) -> (tensor<2x4x?x8xf32>, tensor<8x4x?x2xf32>) {
  %a = onnx.Transpose %x {perm = [0, 2, 1, 3]} : (tensor<2x?x4x8xf32>) -> tensor<2x4x?x8xf32>
  %b = onnx.Transpose %x : (tensor<2x?x4x8xf32>) -> tensor<8x4x?x2xf32>
  return %a, %b : tensor<2x4x?x8xf32>, tensor<8x4x?x2xf32>
}

// -----

// Not lowered: negative and run-time steps, gathers from unsigned
// (packed-weight) tensors.
// CHECK-LABEL: func.func @left_alone
// CHECK: onnx.Slice {{.*}} steps
// CHECK: onnx.Slice {{.*}} steps
// CHECK: onnx.Gather
func.func @left_alone(%x: tensor<8xf32>, %st: tensor<1xi64>, %p: tensor<16x4xui8>, %i: tensor<2xi64>) -> (tensor<8xf32>, tensor<?xf32>, tensor<2x4xui8>) {
  %s = arith.constant dense<-1> : tensor<1xi64>
  %e = arith.constant dense<-9223372036854775807> : tensor<1xi64>
  %m1 = arith.constant dense<-1> : tensor<1xi64>
  %a = arith.constant dense<0> : tensor<1xi64>
  %rev = onnx.Slice %x, %s, %e, axes %a, steps %m1 : (tensor<8xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<8xf32>
  %zero = arith.constant dense<0> : tensor<1xi64>
  %end = arith.constant dense<8> : tensor<1xi64>
  %dyn = onnx.Slice %x, %zero, %end, axes %a, steps %st : (tensor<8xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?xf32>
  %g = onnx.Gather %p, %i {axis = 0 : i64} : (tensor<16x4xui8>, tensor<2xi64>) -> tensor<2x4xui8>
  return %rev, %dyn, %g : tensor<8xf32>, tensor<?xf32>, tensor<2x4xui8>
}
