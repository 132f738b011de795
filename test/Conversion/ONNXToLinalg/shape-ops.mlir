// RUN: bitnet-opt %s -convert-onnx-to-linalg -canonicalize -cse -split-input-file | FileCheck %s
// The lowering alone, before the folders could hide an op it left behind:
// only the ops of @left_alone survive.
// RUN: bitnet-opt %s -convert-onnx-to-linalg -split-input-file | FileCheck %s --check-prefix=RAW

// RAW-NOT: onnx.{{[A-Z]}}
// RAW-LABEL: func.func @left_alone
// RAW: onnx.Unsqueeze
// RAW: onnx.Reshape
// RAW-NOT: onnx.{{[A-Z]}}

// Shape: static dims are constants, dynamic ones tensor.dim; start/end
// pick a window.
// CHECK-LABEL: func.func @shape
// CHECK-SAME: (%[[X:.*]]: tensor<2x?x64xf32>)
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : i64
// CHECK-DAG: %[[C64:.*]] = arith.constant 64 : i64
// CHECK: %[[D1:.*]] = tensor.dim %[[X]], %[[C1]] : tensor<2x?x64xf32>
// CHECK: %[[D1I:.*]] = arith.index_cast %[[D1]] : index to i64
// CHECK: %[[ALL:.*]] = tensor.from_elements %[[C2]], %[[D1I]], %[[C64]] : tensor<3xi64>
// CHECK: %[[MID:.*]] = tensor.from_elements %[[D1I]] : tensor<1xi64>
// CHECK: return %[[ALL]], %[[MID]]
// CHECK-NOT: onnx.Shape
func.func @shape(%x: tensor<2x?x64xf32>) -> (tensor<3xi64>, tensor<1xi64>) {
  %s = onnx.Shape %x : (tensor<2x?x64xf32>) -> tensor<3xi64>
  %t = onnx.Shape %x {start = 1 : i64, end = -1 : i64} : (tensor<2x?x64xf32>) -> tensor<1xi64>
  return %s, %t : tensor<3xi64>, tensor<1xi64>
}

// -----

// Reshape with a constant target [0, -1, 4, 16]: 0 copies dim 0 (static 2),
// -1 is what is left of 2 * ? * 64 after 2 * 4 * 16 = 128.
// CHECK-LABEL: func.func @reshape_zero_and_minus_one
// CHECK-SAME: (%[[X:.*]]: tensor<2x?x64xf32>)
// CHECK-DAG: %[[C128:.*]] = arith.constant 128 : index
// CHECK-DAG: %[[C16:.*]] = arith.constant 16 : index
// CHECK-DAG: %[[C4:.*]] = arith.constant 4 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
// CHECK: %[[D1:.*]] = tensor.dim %[[X]], %[[C1]]
// CHECK: %[[TOTAL:.*]] = arith.muli %[[D1]], %[[C128]] : index
// CHECK: %[[REST:.*]] = arith.divui %[[TOTAL]], %[[C128]] : index
// CHECK: %[[SHAPE:.*]] = tensor.from_elements %[[C2]], %[[REST]], %[[C4]], %[[C16]] : tensor<4xindex>
// CHECK: %[[R:.*]] = tensor.reshape %[[X]](%[[SHAPE]]) : (tensor<2x?x64xf32>, tensor<4xindex>) -> tensor<2x?x4x16xf32>
// CHECK: return %[[R]]
// CHECK-NOT: onnx.Reshape
func.func @reshape_zero_and_minus_one(%x: tensor<2x?x64xf32>) -> tensor<2x?x4x16xf32> {
  %shape = arith.constant dense<[0, -1, 4, 16]> : tensor<4xi64>
  %r = onnx.Reshape %x, %shape : (tensor<2x?x64xf32>, tensor<4xi64>) -> tensor<2x?x4x16xf32>
  return %r : tensor<2x?x4x16xf32>
}

// -----

// A target only known at run time: each element is read, 0 selects the
// input dim, and -1 selects the quotient of the element counts.
// CHECK-LABEL: func.func @reshape_runtime_target
// CHECK-SAME: (%[[X:.*]]: tensor<?x?x64xf32>, %[[T:.*]]: tensor<3xi64>)
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[CM1:.*]] = arith.constant -1 : index
// CHECK: %[[E0:.*]] = tensor.extract %[[T]][%[[C0]]] : tensor<3xi64>
// CHECK: %[[V0:.*]] = arith.index_cast %[[E0]] : i64 to index
// CHECK: %[[Z0:.*]] = arith.cmpi eq, %[[V0]], %[[C0]] : index
// CHECK: %[[D0:.*]] = tensor.dim %[[X]], %[[C0]]
// CHECK: %[[S0:.*]] = arith.select %[[Z0]], %[[D0]], %[[V0]] : index
// CHECK: tensor.extract %[[T]]
// CHECK: tensor.extract %[[T]]
// CHECK: %[[INF0:.*]] = arith.cmpi eq, %[[S0]], %[[CM1]] : index
// CHECK: %[[REST:.*]] = arith.divui
// CHECK: %[[R0:.*]] = arith.select %[[INF0]], %[[REST]], %[[S0]] : index
// CHECK: %[[SHAPE:.*]] = tensor.from_elements %[[R0]], %{{.*}}, %{{.*}} : tensor<3xindex>
// CHECK: tensor.reshape %[[X]](%[[SHAPE]]) : (tensor<?x?x64xf32>, tensor<3xindex>) -> tensor<?x?x?xf32>
func.func @reshape_runtime_target(%x: tensor<?x?x64xf32>, %shape: tensor<3xi64>) -> tensor<?x?x?xf32> {
  %r = onnx.Reshape %x, %shape : (tensor<?x?x64xf32>, tensor<3xi64>) -> tensor<?x?x?xf32>
  return %r : tensor<?x?x?xf32>
}

// -----

// All static: the target folds to a constant shape.
// CHECK-LABEL: func.func @reshape_static
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK: %[[SHAPE:.*]] = arith.constant dense<[6, 4]> : tensor<2xindex>
// CHECK: %[[R:.*]] = tensor.reshape %[[X]](%[[SHAPE]]) : (tensor<2x3x4xf32>, tensor<2xindex>) -> tensor<6x4xf32>
// CHECK: return %[[R]]
func.func @reshape_static(%x: tensor<2x3x4xf32>) -> tensor<6x4xf32> {
  %shape = arith.constant dense<[-1, 4]> : tensor<2xi64>
  %r = onnx.Reshape %x, %shape : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<6x4xf32>
  return %r : tensor<6x4xf32>
}

// -----

// Unsqueeze at 0 and -1 (of the result rank); a scalar becomes [1].
// CHECK-LABEL: func.func @unsqueeze
// CHECK-SAME: (%[[X:.*]]: tensor<?x8xf32>, %[[S:.*]]: tensor<i64>)
// CHECK-DAG: %[[C8:.*]] = arith.constant 8 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[ONE:.*]] = arith.constant dense<1> : tensor<1xindex>
// CHECK: %[[D0:.*]] = tensor.dim %[[X]], %[[C0]]
// CHECK: %[[SHAPE:.*]] = tensor.from_elements %[[C1]], %[[D0]], %[[C8]], %[[C1]] : tensor<4xindex>
// CHECK: %[[U:.*]] = tensor.reshape %[[X]](%[[SHAPE]]) : (tensor<?x8xf32>, tensor<4xindex>) -> tensor<1x?x8x1xf32>
// CHECK: %[[V:.*]] = tensor.reshape %[[S]](%[[ONE]]) : (tensor<i64>, tensor<1xindex>) -> tensor<1xi64>
// CHECK: return %[[U]], %[[V]]
// CHECK-NOT: onnx.Unsqueeze
func.func @unsqueeze(%x: tensor<?x8xf32>, %s: tensor<i64>) -> (tensor<1x?x8x1xf32>, tensor<1xi64>) {
  %axes = arith.constant dense<[0, -1]> : tensor<2xi64>
  %u = onnx.Unsqueeze %x, %axes : (tensor<?x8xf32>, tensor<2xi64>) -> tensor<1x?x8x1xf32>
  %zero = arith.constant dense<0> : tensor<1xi64>
  %v = onnx.Unsqueeze %s, %zero : (tensor<i64>, tensor<1xi64>) -> tensor<1xi64>
  return %u, %v : tensor<1x?x8x1xf32>, tensor<1xi64>
}

// -----

// Squeeze without axes drops the static 1s; with axes, only those.
// CHECK-LABEL: func.func @squeeze
// CHECK-SAME: (%[[X:.*]]: tensor<1x?x1x8xf32>)
// CHECK-DAG: %[[C8:.*]] = arith.constant 8 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK: %[[D1:.*]] = tensor.dim %[[X]], %[[C1]]
// CHECK: %[[S1:.*]] = tensor.from_elements %[[D1]], %[[C8]] : tensor<2xindex>
// CHECK: %[[A:.*]] = tensor.reshape %[[X]](%[[S1]]) : (tensor<1x?x1x8xf32>, tensor<2xindex>) -> tensor<?x8xf32>
// CHECK: %[[S2:.*]] = tensor.from_elements %[[D1]], %[[C1]], %[[C8]] : tensor<3xindex>
// CHECK: %[[B:.*]] = tensor.reshape %[[X]](%[[S2]]) : (tensor<1x?x1x8xf32>, tensor<3xindex>) -> tensor<?x1x8xf32>
// CHECK: return %[[A]], %[[B]]
// CHECK-NOT: onnx.Squeeze
func.func @squeeze(%x: tensor<1x?x1x8xf32>) -> (tensor<?x8xf32>, tensor<?x1x8xf32>) {
  %a = onnx.Squeeze %x : (tensor<1x?x1x8xf32>) -> tensor<?x8xf32>
  %axes = arith.constant dense<0> : tensor<1xi64>
  %b = onnx.Squeeze %x, %axes : (tensor<1x?x1x8xf32>, tensor<1xi64>) -> tensor<?x1x8xf32>
  return %a, %b : tensor<?x8xf32>, tensor<?x1x8xf32>
}

// -----

// Expand [3, 1] to [2, 3, 4]: a new leading dim and a broadcast size-1 dim.
// CHECK-DAG: #[[$IN:.*]] = affine_map<(d0, d1, d2) -> (d1, 0)>
// CHECK-DAG: #[[$OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @expand_static
// CHECK-SAME: (%[[X:.*]]: tensor<3x1xf32>)
// CHECK: %[[INIT:.*]] = tensor.empty() : tensor<2x3x4xf32>
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[$IN]], #[[$OUT]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[X]] : tensor<3x1xf32>) outs(%[[INIT]] : tensor<2x3x4xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: linalg.yield %[[IN]] : f32
// CHECK: return %[[R]]
// CHECK-NOT: onnx.Expand
func.func @expand_static(%x: tensor<3x1xf32>) -> tensor<2x3x4xf32> {
  %s = arith.constant dense<[2, 1, 4]> : tensor<3xi64>
  %r = onnx.Expand %x, %s : (tensor<3x1xf32>, tensor<3xi64>) -> tensor<2x3x4xf32>
  return %r : tensor<2x3x4xf32>
}

// -----

// A run-time target: each dynamic result dim is max(input dim, target).
// CHECK-DAG: #[[$IN:.*]] = affine_map<(d0, d1, d2) -> (d0, 0, d2)>
// CHECK-LABEL: func.func @expand_dynamic
// CHECK-SAME: (%[[X:.*]]: tensor<?x1x16xf32>, %[[T:.*]]: tensor<3xi64>)
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK: %[[D0:.*]] = tensor.dim %[[X]], %[[C0]]
// CHECK: %[[T0:.*]] = tensor.extract %[[T]][%[[C0]]]
// CHECK: %[[T0I:.*]] = arith.index_cast %[[T0]] : i64 to index
// CHECK: %[[N0:.*]] = arith.maxsi %[[D0]], %[[T0I]] : index
// CHECK: %[[T1:.*]] = tensor.extract %[[T]][%[[C1]]]
// CHECK: %[[T1I:.*]] = arith.index_cast %[[T1]] : i64 to index
// CHECK: %[[N1:.*]] = arith.maxsi %[[T1I]], %[[C1]] : index
// CHECK: %[[INIT:.*]] = tensor.empty(%[[N0]], %[[N1]]) : tensor<?x?x16xf32>
// CHECK: linalg.generic {indexing_maps = [#[[$IN]], {{.*}}]{{.*}} ins(%[[X]] : tensor<?x1x16xf32>) outs(%[[INIT]] : tensor<?x?x16xf32>)
func.func @expand_dynamic(%x: tensor<?x1x16xf32>, %s: tensor<3xi64>) -> tensor<?x?x16xf32> {
  %r = onnx.Expand %x, %s : (tensor<?x1x16xf32>, tensor<3xi64>) -> tensor<?x?x16xf32>
  return %r : tensor<?x?x16xf32>
}

// -----

// Range with a run-time limit: max(ceil((limit - start) / delta), 0)
// elements of start + i * delta (here start 0 and delta 1 fold away).
// CHECK-LABEL: func.func @range_dynamic
// CHECK-SAME: (%[[N:.*]]: tensor<i64>)
// CHECK: %[[ZERO:.*]] = arith.constant 0 : i64
// CHECK: %[[LIMIT:.*]] = tensor.extract %[[N]][] : tensor<i64>
// CHECK: %[[COUNT:.*]] = arith.maxsi %[[LIMIT]], %[[ZERO]] : i64
// CHECK: %[[SIZE:.*]] = arith.index_cast %[[COUNT]] : i64 to index
// CHECK: %[[R:.*]] = tensor.generate %[[SIZE]] {
// CHECK-NEXT: ^bb0(%[[I:.*]]: index):
// CHECK-NEXT: %[[V:.*]] = arith.index_cast %[[I]] : index to i64
// CHECK-NEXT: tensor.yield %[[V]] : i64
// CHECK: } : tensor<?xi64>
// CHECK: return %[[R]]
// CHECK-NOT: onnx.Range
func.func @range_dynamic(%n: tensor<i64>) -> tensor<?xi64> {
  %z = arith.constant dense<0> : tensor<i64>
  %one = arith.constant dense<1> : tensor<i64>
  %r = onnx.Range %z, %n, %one : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<?xi64>
  return %r : tensor<?xi64>
}

// -----

// A static count: no size computation, start and delta used as given.
// CHECK-LABEL: func.func @range_static
// CHECK-SAME: (%[[S:.*]]: tensor<i64>)
// CHECK: %[[DELTA:.*]] = arith.constant 3 : i64
// CHECK: %[[START:.*]] = tensor.extract %[[S]][] : tensor<i64>
// CHECK: tensor.generate {
// CHECK-NEXT: ^bb0(%[[I:.*]]: index):
// CHECK-NEXT: %[[II:.*]] = arith.index_cast %[[I]] : index to i64
// CHECK-NEXT: %[[M:.*]] = arith.muli %[[II]], %[[DELTA]] : i64
// CHECK-NEXT: %[[V:.*]] = arith.addi %[[START]], %[[M]] : i64
// CHECK-NEXT: tensor.yield %[[V]] : i64
// CHECK: } : tensor<4xi64>
func.func @range_static(%start: tensor<i64>) -> tensor<4xi64> {
  %l = arith.constant dense<10> : tensor<i64>
  %d = arith.constant dense<3> : tensor<i64>
  %r = onnx.Range %start, %l, %d : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<4xi64>
  return %r : tensor<4xi64>
}

// -----

// Identity is its input.
// CHECK-LABEL: func.func @identity
// CHECK-SAME: (%[[X:.*]]: tensor<?x8xf32>)
// CHECK-NEXT: return %[[X]] : tensor<?x8xf32>
func.func @identity(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %r = onnx.Identity %x : (tensor<?x8xf32>) -> tensor<?x8xf32>
  return %r : tensor<?x8xf32>
}

// -----

// Float Range (RoPE frequency tables of older exporters): the count is
// ceil((limit - start) / delta), clamped at 0; element i is start + i * delta.
// CHECK-LABEL: func.func @float_range
// CHECK-SAME: (%[[S:[a-z0-9]+]]: tensor<f32>, %[[L:[a-z0-9]+]]: tensor<f32>, %[[D:[a-z0-9]+]]: tensor<f32>)
// CHECK-DAG: %[[START:.*]] = tensor.extract %[[S]][]
// CHECK-DAG: %[[LIMIT:.*]] = tensor.extract %[[L]][]
// CHECK-DAG: %[[DELTA:.*]] = tensor.extract %[[D]][]
// CHECK: %[[SPAN:.*]] = arith.subf %[[LIMIT]], %[[START]]
// CHECK: %[[Q:.*]] = arith.divf %[[SPAN]], %[[DELTA]]
// CHECK: %[[C:.*]] = math.ceil %[[Q]]
// CHECK: %[[M:.*]] = arith.maximumf %[[C]]
// CHECK: %[[I:.*]] = arith.fptosi %[[M]] : f32 to i64
// CHECK: %[[N:.*]] = arith.index_cast %[[I]]
// CHECK: tensor.generate %[[N]]
// CHECK: ^bb0(%[[IDX:.*]]: index):
// CHECK: %[[F:.*]] = arith.uitofp
// CHECK: %[[P:.*]] = arith.mulf %[[F]], %[[DELTA]]
// CHECK: %[[V:.*]] = arith.addf %[[START]], %[[P]]
// CHECK: tensor.yield %[[V]] : f32
// CHECK-NOT: onnx.Range
func.func @float_range(%s: tensor<f32>, %l: tensor<f32>, %d: tensor<f32>) -> tensor<?xf32> {
  %r = onnx.Range %s, %l, %d : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<?xf32>
  return %r : tensor<?xf32>
}

// -----

// Not lowered: run-time axes, unranked results.
// CHECK-LABEL: func.func @left_alone
// CHECK: onnx.Unsqueeze
// CHECK: onnx.Reshape
func.func @left_alone(%x: tensor<?x8xf32>, %axes: tensor<1xi64>, %shape: tensor<2xi64>) -> (tensor<1x?x8xf32>, tensor<*xf32>) {
  %u = onnx.Unsqueeze %x, %axes : (tensor<?x8xf32>, tensor<1xi64>) -> tensor<1x?x8xf32>
  %y = onnx.Reshape %x, %shape : (tensor<?x8xf32>, tensor<2xi64>) -> tensor<*xf32>
  return %u, %y : tensor<1x?x8xf32>, tensor<*xf32>
}
