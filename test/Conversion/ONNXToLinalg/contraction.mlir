// RUN: bitnet-opt %s -convert-onnx-to-linalg -split-input-file | FileCheck %s
// RUN: bitnet-opt %s -convert-onnx-to-linalg=weights=f16 -split-input-file | FileCheck %s --check-prefix=F16
// RUN: bitnet-opt %s -convert-onnx-to-linalg=weights=i8 -split-input-file | FileCheck %s --check-prefix=I8
// RUN: not bitnet-opt %s -convert-onnx-to-linalg=weights=f8 -split-input-file 2>&1 | FileCheck %s --check-prefix=BADWEIGHTS

// Attention scores: batched [B, H, S, D] x [B, H, D, T].
// CHECK-DAG: #[[$A:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d4)>
// CHECK-DAG: #[[$B:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d4, d3)>
// CHECK-DAG: #[[$Y:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @scores
// CHECK-SAME: (%[[Q:.*]]: tensor<?x4x?x16xf32>, %[[K:.*]]: tensor<?x4x16x?xf32>)
// CHECK: %[[FILL:.*]] = linalg.fill
// CHECK: linalg.generic {indexing_maps = [#[[$A]], #[[$B]], #[[$Y]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%[[Q]], %[[K]] : {{.*}}) outs(%[[FILL]] : tensor<?x4x?x?xf32>)
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK-NOT: onnx.MatMul
func.func @scores(%q: tensor<?x4x?x16xf32>, %k: tensor<?x4x16x?xf32>) -> tensor<?x4x?x?xf32> {
  %s = onnx.MatMul %q, %k : (tensor<?x4x?x16xf32>, tensor<?x4x16x?xf32>) -> tensor<?x4x?x?xf32>
  return %s : tensor<?x4x?x?xf32>
}

// -----

// The head: [B, S, D] activations times a [D, V] matrix.
// CHECK-DAG: #[[$W:.*]] = affine_map<(d0, d1, d2, d3) -> (d3, d2)>
// CHECK-LABEL: func.func @head
// CHECK: linalg.generic {indexing_maps = [{{.*}}, #[[$W]], {{.*}}]
func.func @head(%x: tensor<?x?x8xf32>, %w: tensor<8x32xf32>) -> tensor<?x?x32xf32> {
  %y = onnx.MatMul %x, %w : (tensor<?x?x8xf32>, tensor<8x32xf32>) -> tensor<?x?x32xf32>
  return %y : tensor<?x?x32xf32>
}

// -----

// CHECK-LABEL: func.func @softmax
// CHECK: %[[MAX:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK: arith.maximumf
// CHECK: %[[EXP:.*]] = linalg.generic {{.*}} ins(%{{.*}}, %[[MAX]]
// CHECK: math.exp
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}} ins(%[[EXP]]
// CHECK: %[[Y:.*]] = linalg.generic {{.*}} ins(%[[EXP]], %[[SUM]]
// CHECK: arith.divf
// CHECK: return %[[Y]]
func.func @softmax(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %y = onnx.Softmax %x {axis = -1 : i64} : (tensor<?x8xf32>) -> tensor<?x8xf32>
  return %y : tensor<?x8xf32>
}

// -----

// A MatMul by compile-time weights reads them as rows W = B^T: one parallel
// element per output, FMAs over 64-lane chunks of K and, for the last
// partial chunk (all of K = 20 here), a masked read; the lanes are summed as
// a tree. The transpose of a constant is read in place: W is the constant
// itself (the transpose, lowered first by the walk, is dead and folds away).
// CHECK-LABEL: func.func @tied_head_rows
// CHECK-SAME: (%[[X:.*]]: tensor<1x?x20xf32>)
// CHECK: %[[E:.*]] = arith.constant {{.*}} : tensor<3x20xf32>
// CHECK: %[[X2:.*]] = tensor.collapse_shape %[[X]] {{\[\[}}0, 1], [2]]
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]{{.*}} attrs = {bitnet.parallel}
// CHECK: %[[XS:.*]] = vector.transfer_read %[[X2]]{{.*}} : tensor<?x20xf32>, vector<64xf32>
// CHECK: %[[WS:.*]] = vector.transfer_read %[[E]]{{.*}} : tensor<3x20xf32>, vector<64xf32>
// CHECK: %[[ACC:.*]] = vector.fma %[[XS]], %[[WS]]
// CHECK: vector.reduction <add>, %[[ACC]] fastmath<reassoc>
// CHECK-NOT: tensor.extract
// CHECK: tensor.expand_shape
// With weights=f16 the rows are a half-width copy, widened in registers.
// F16-LABEL: func.func @tied_head_rows
// F16: %[[H:.*]] = arith.constant dense<5.000000e-01> : tensor<3x20xf16>
// F16: vector.transfer_read %[[H]]{{.*}} : tensor<3x20xf16>, vector<64xf16>
// F16: arith.extf %{{.*}} : vector<64xf16> to vector<64xf32>
// F16: vector.fma
// With weights=i8 each row is round(w / s), s = max|row| / 127, and the
// row's sum is scaled once.
// I8-LABEL: func.func @tied_head_rows
// I8-DAG: %[[Q:.*]] = arith.constant dense<127> : tensor<3x20xi8>
// I8-DAG: %[[S:.*]] = arith.constant dense<0.00393700786> : tensor<3xf32>
// I8: %[[ROW:.*]] = linalg.index 0
// I8: vector.transfer_read %[[Q]]{{.*}} : tensor<3x20xi8>, vector<64xi8>
// I8: arith.sitofp %{{.*}} : vector<64xi8> to vector<64xf32>
// I8: %[[SUM:.*]] = vector.reduction <add>
// I8: %[[SCALE:.*]] = tensor.extract %[[S]][%[[ROW]]]
// I8: arith.mulf %[[SUM]], %[[SCALE]]
// BADWEIGHTS: error: unknown weight storage 'f8' (f32, f16, bf16 or i8)
func.func @tied_head_rows(%x: tensor<1x?x20xf32>) -> tensor<1x?x3xf32> {
  %e = arith.constant dense<0.5> : tensor<3x20xf32>
  %w = onnx.Transpose %e {perm = [1, 0]} : (tensor<3x20xf32>) -> tensor<20x3xf32>
  %y = onnx.MatMul %x, %w : (tensor<1x?x20xf32>, tensor<20x3xf32>) -> tensor<1x?x3xf32>
  return %y : tensor<1x?x3xf32>
}

// -----

// A constant B is transposed once, at compile time.
// CHECK-LABEL: func.func @constant_weights
// CHECK: arith.constant dense<{{\[\[}}1.000000e+00, 3.000000e+00], [2.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
// CHECK: linalg.generic {{.*}} attrs = {bitnet.parallel}
func.func @constant_weights(%x: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %b = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %y = onnx.MatMul %x, %b : (tensor<4x2xf32>, tensor<2x2xf32>) -> tensor<4x2xf32>
  return %y : tensor<4x2xf32>
}

// -----

// Prefill's tokens share each weight row. From a tile's worth of tokens (6;
// T is dynamic here, so the choice is made at run time) the product is an
// scf.forall over (panel, token tile, row tile), run on threads, whose
// body keeps 2 rows x 6 tokens of accumulators: each chunk of a row is read
// once for all six tokens. Fewer tokens take the per-(row, token) dot.
// Without a target the tile is AVX2's: 8 lanes, 16 registers.
// CHECK-LABEL: func.func @head_tokens
// CHECK-SAME: (%[[X:.*]]: tensor<?x20xf32>)
// CHECK: %[[E:.*]] = arith.constant dense<5.000000e-01> : tensor<5x20xf32>
// CHECK: %[[MANY:.*]] = arith.cmpi uge, %{{.*}}, %{{.*}} : index
// CHECK: scf.if %[[MANY]] -> (tensor<?x5xf32>)
// CHECK: scf.forall ({{.*}}) in (1, %{{.*}}, 3) shared_outs(
// CHECK: scf.for {{.*}} -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>)
// CHECK: %[[W0:.*]] = vector.transfer_read %[[E]]
// CHECK: %[[W1:.*]] = vector.transfer_read %[[E]]
// CHECK: %[[X0:.*]] = vector.transfer_read %[[X]]
// CHECK-NEXT: vector.fma %[[W0]], %[[X0]]
// CHECK-NEXT: vector.fma %[[W1]], %[[X0]]
// CHECK: vector.transfer_write
// CHECK: scf.forall.in_parallel
// CHECK-NEXT: tensor.parallel_insert_slice
// CHECK: }
// CHECK: } else {
// CHECK: linalg.generic {{.*}} attrs = {bitnet.parallel}
// CHECK-NOT: scf.forall (
// CHECK: return
func.func @head_tokens(%x: tensor<?x20xf32>) -> tensor<?x5xf32> {
  %e = arith.constant dense<0.5> : tensor<5x20xf32>
  %w = onnx.Transpose %e {perm = [1, 0]} : (tensor<5x20xf32>) -> tensor<20x5xf32>
  %y = onnx.MatMul %x, %w : (tensor<?x20xf32>, tensor<20x5xf32>) -> tensor<?x5xf32>
  return %y : tensor<?x5xf32>
}

// -----

// A static token count chooses at compile time: 6 tokens are blocked with
// no run-time test, 5 take the per-token dot.
// CHECK-LABEL: func.func @head_static_tokens
// CHECK-NOT: arith.cmpi uge
// CHECK: scf.forall (
// CHECK-NOT: scf.forall (
// CHECK: linalg.generic
// CHECK-NOT: scf.forall (
// CHECK: return
func.func @head_static_tokens(%x: tensor<6x20xf32>, %x5: tensor<5x20xf32>) -> (tensor<6x5xf32>, tensor<5x5xf32>) {
  %e = arith.constant dense<0.5> : tensor<5x20xf32>
  %w = onnx.Transpose %e {perm = [1, 0]} : (tensor<5x20xf32>) -> tensor<20x5xf32>
  %y = onnx.MatMul %x, %w : (tensor<6x20xf32>, tensor<20x5xf32>) -> tensor<6x5xf32>
  %y5 = onnx.MatMul %x5, %w : (tensor<5x20xf32>, tensor<20x5xf32>) -> tensor<5x5xf32>
  return %y, %y5 : tensor<6x5xf32>, tensor<5x5xf32>
}

// -----

// Panels are the rows that fill half of L2 (256 KiB without a target: 3276
// rows of 80 bytes), split evenly: 2000 row tiles of 2 rows make 2 panels
// of 1000 tiles, not 1638 + 362 with the second panel padded by empty
// tiles that would sum and write nothing.
// CHECK-LABEL: func.func @head_panels
// CHECK: scf.forall ({{.*}}) in (2, %{{.*}}, 1000) shared_outs(
func.func @head_panels(%x: tensor<?x20xf32>) -> tensor<?x4000xf32> {
  %e = arith.constant dense<0.5> : tensor<4000x20xf32>
  %w = onnx.Transpose %e {perm = [1, 0]} : (tensor<4000x20xf32>) -> tensor<20x4000xf32>
  %y = onnx.MatMul %x, %w : (tensor<?x20xf32>, tensor<20x4000xf32>) -> tensor<?x4000xf32>
  return %y : tensor<?x4000xf32>
}

// -----

// A decode step streams every head row once: the per-token dot prefetches
// 4 KiB ahead of its loads from a read-only flat view of the rows (in
// elements: 1024 f32, 2048 f16), one line per 64 bytes of a chunk.
// CHECK-LABEL: func.func @head_stream
// CHECK: %[[FLAT:.*]] = memref.collapse_shape %{{.*}} {{\[\[}}0, 1]] : memref<4x128xf32> into memref<512xf32>
// CHECK: linalg.generic
// CHECK: scf.for
// CHECK-COUNT-4: memref.prefetch %[[FLAT]][%{{.*}}], read, locality<3>, data : memref<512xf32>
// CHECK-NOT: memref.prefetch
// CHECK: vector.fma
// F16-LABEL: func.func @head_stream
// F16: memref.collapse_shape %{{.*}} {{\[\[}}0, 1]] : memref<4x128xf16> into memref<512xf16>
// F16: arith.constant 2048 : index
// F16-COUNT-2: memref.prefetch
// F16-NOT: memref.prefetch
// F16: vector.fma
func.func @head_stream(%x: tensor<1x128xf32>) -> tensor<1x4xf32> {
  %e = arith.constant dense<0.5> : tensor<4x128xf32>
  %w = onnx.Transpose %e {perm = [1, 0]} : (tensor<4x128xf32>) -> tensor<128x4xf32>
  %y = onnx.MatMul %x, %w : (tensor<1x128xf32>, tensor<128x4xf32>) -> tensor<1x4xf32>
  return %y : tensor<1x4xf32>
}
