// RUN: bitnet-opt %s -convert-onnx-to-linalg -split-input-file | FileCheck %s

// Scores against a grouped-query cache: 4 query heads over 2 kv heads.
// Each score is a row dot product of Q and the cache itself, query head h
// reading kv head h / 2: neither the repeat nor the transpose is built.
// CHECK-LABEL: func.func @scores_gqa
// CHECK-SAME: (%[[Q:.*]]: tensor<1x4x?x16xf32>, %[[K:.*]]: tensor<1x2x?x16xf32>
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "parallel"]{{.*}} attrs = {bitnet.parallel}
// CHECK: %[[B:.*]] = linalg.index 0
// CHECK: %[[H:.*]] = linalg.index 1
// CHECK: %[[M:.*]] = linalg.index 2
// CHECK: %[[N:.*]] = linalg.index 3
// CHECK: %[[G:.*]] = arith.divui %[[H]], %c2
// CHECK: vector.transfer_read %[[Q]][%[[B]], %[[H]], %[[M]], %{{.*}}]{{.*}} : tensor<1x4x?x16xf32>, vector<64xf32>
// CHECK: vector.transfer_read %[[K]][%[[B]], %[[G]], %[[N]], %{{.*}}]{{.*}} : tensor<1x2x?x16xf32>, vector<64xf32>
// CHECK: vector.fma
// CHECK: vector.reduction <add>, %{{.*}} fastmath<reassoc>
// CHECK-NOT: linalg.transpose
// CHECK-NOT: onnx.
// CHECK: return
func.func @scores_gqa(%q: tensor<1x4x?x16xf32>, %k: tensor<1x2x?x16xf32>, %axes: tensor<1xi64>, %e: tensor<5xi64>, %r: tensor<4xi64>) -> tensor<1x4x?x?xf32> {
  %u = onnx.Unsqueeze %k, %axes : (tensor<1x2x?x16xf32>, tensor<1xi64>) -> tensor<1x2x1x?x16xf32>
  %x = onnx.Expand %u, %e : (tensor<1x2x1x?x16xf32>, tensor<5xi64>) -> tensor<1x2x2x?x16xf32>
  %kr = onnx.Reshape %x, %r {allowzero = 0 : i64} : (tensor<1x2x2x?x16xf32>, tensor<4xi64>) -> tensor<1x4x?x16xf32>
  %kt = onnx.Transpose %kr {perm = [0, 1, 3, 2]} : (tensor<1x4x?x16xf32>) -> tensor<1x4x16x?xf32>
  %s = onnx.MatMul %q, %kt : (tensor<1x4x?x16xf32>, tensor<1x4x16x?xf32>) -> tensor<1x4x?x?xf32>
  return %s : tensor<1x4x?x?xf32>
}

// -----

// P V: rows of V scaled by P's entries, accumulated 16 columns wide (the
// row of V, rounded up to 16 lanes) and written with a mask.
// CHECK-LABEL: func.func @weighted_values
// CHECK-SAME: (%[[P:.*]]: tensor<1x2x?x?xf32>, %[[V:.*]]: tensor<1x2x?x12xf32>)
// CHECK: scf.for
// CHECK: scf.for
// CHECK: scf.for
// CHECK: scf.for
// CHECK: %[[ACC:.*]] = scf.for {{.*}} -> (vector<16xf32>)
// CHECK: %[[PK:.*]] = tensor.extract %[[P]]
// CHECK: %[[ROW:.*]] = vector.transfer_read %[[V]]{{.*}} : tensor<1x2x?x12xf32>, vector<16xf32>
// CHECK: %[[PS:.*]] = vector.broadcast %[[PK]] : f32 to vector<16xf32>
// CHECK: vector.fma %[[PS]], %[[ROW]]
// CHECK: vector.transfer_write %[[ACC]]{{.*}} : vector<16xf32>, tensor<1x2x?x12xf32>
// CHECK-NOT: linalg.generic
func.func @weighted_values(%p: tensor<1x2x?x?xf32>, %v: tensor<1x2x?x12xf32>) -> tensor<1x2x?x12xf32> {
  %y = onnx.MatMul %p, %v : (tensor<1x2x?x?xf32>, tensor<1x2x?x12xf32>) -> tensor<1x2x?x12xf32>
  return %y : tensor<1x2x?x12xf32>
}

// -----

// Heads that do not line up (3 query heads over a 2-head cache) are not
// attention's products: the generic MatMul lowering takes them.
// CHECK-LABEL: func.func @mismatched_heads
// CHECK-NOT: vector.fma
// CHECK: linalg.generic
func.func @mismatched_heads(%a: tensor<1x3x?x8xf32>, %b: tensor<1x1x8x?xf32>) -> tensor<1x3x?x?xf32> {
  %y = onnx.MatMul %a, %b : (tensor<1x3x?x8xf32>, tensor<1x1x8x?xf32>) -> tensor<1x3x?x?xf32>
  return %y : tensor<1x3x?x?xf32>
}
