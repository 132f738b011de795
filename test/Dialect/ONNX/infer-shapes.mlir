// RUN: bitnet-opt %s -onnx-infer-shapes -split-input-file | FileCheck %s
// RUN: bitnet-opt %s -onnx-infer-shapes=batch-size=1 -split-input-file | FileCheck %s --check-prefix=BATCH

// torch.onnx.export's reshape target: [Shape(x)[0], Shape(x)[1], 4, 32],
// with unranked intermediate types. Both taken dims are dynamic, so only
// the constant tail is known, but that is enough for the result type; the
// function result follows.
// CHECK-LABEL: func.func @reshape_chain
// CHECK-SAME: (%[[X:.*]]: tensor<?x?x128xf32>) -> tensor<?x?x4x32xf32>
// CHECK: %[[SHAPE:.*]] = onnx.Shape %[[X]] : (tensor<?x?x128xf32>) -> tensor<3xi64>
// CHECK: %[[B:.*]] = onnx.Gather %[[SHAPE]], %{{.*}} {axis = 0 : i64} : (tensor<3xi64>, tensor<i64>) -> tensor<i64>
// CHECK: %[[S:.*]] = onnx.Gather %[[SHAPE]], %{{.*}} {axis = 0 : i64} : (tensor<3xi64>, tensor<i64>) -> tensor<i64>
// CHECK: %[[B1:.*]] = onnx.Unsqueeze %[[B]], %{{.*}} : (tensor<i64>, tensor<1xi64>) -> tensor<1xi64>
// CHECK: %[[S1:.*]] = onnx.Unsqueeze %[[S]], %{{.*}} : (tensor<i64>, tensor<1xi64>) -> tensor<1xi64>
// CHECK: %[[T:.*]] = onnx.Concat %[[B1]], %[[S1]], %{{.*}} {axis = 0 : i64} : (tensor<1xi64>, tensor<1xi64>, tensor<2xi64>) -> tensor<4xi64>
// CHECK: %[[Y:.*]] = onnx.Reshape %[[X]], %[[T]] : (tensor<?x?x128xf32>, tensor<4xi64>) -> tensor<?x?x4x32xf32>
// CHECK: return %[[Y]] : tensor<?x?x4x32xf32>
//
// With the batch bound to 1, Shape(x)[0] folds to a constant and only the
// sequence length is read at run time: [1, ?, 4, 32].
// BATCH-LABEL: func.func @reshape_chain
// BATCH-SAME: (%[[X:.*]]: tensor<1x?x128xf32>) -> tensor<1x?x4x32xf32>
// BATCH-DAG: %[[ONE:.*]] = arith.constant dense<1> : tensor<1xi64>
// BATCH-DAG: %[[TAIL:.*]] = arith.constant dense<[4, 32]> : tensor<2xi64>
// BATCH: %[[SHAPE:.*]] = onnx.Shape %[[X]] : (tensor<1x?x128xf32>) -> tensor<3xi64>
// BATCH: %[[S:.*]] = onnx.Gather %[[SHAPE]]
// BATCH: %[[S1:.*]] = onnx.Unsqueeze %[[S]]
// BATCH: %[[T:.*]] = onnx.Concat %[[ONE]], %[[S1]], %[[TAIL]] {axis = 0 : i64} : (tensor<1xi64>, tensor<1xi64>, tensor<2xi64>) -> tensor<4xi64>
// BATCH: %[[Y:.*]] = onnx.Reshape %[[X]], %[[T]] : (tensor<1x?x128xf32>, tensor<4xi64>) -> tensor<1x?x4x32xf32>
// BATCH: return %[[Y]] : tensor<1x?x4x32xf32>
func.func @reshape_chain(%x: tensor<?x?x128xf32>) -> tensor<*xf32> {
  %shape = onnx.Shape %x : (tensor<?x?x128xf32>) -> tensor<*xi64>
  %zero = arith.constant dense<0> : tensor<i64>
  %one = arith.constant dense<1> : tensor<i64>
  %b = onnx.Gather %shape, %zero {axis = 0 : i64} : (tensor<*xi64>, tensor<i64>) -> tensor<*xi64>
  %s = onnx.Gather %shape, %one {axis = 0 : i64} : (tensor<*xi64>, tensor<i64>) -> tensor<*xi64>
  %axes = arith.constant dense<0> : tensor<1xi64>
  %b1 = onnx.Unsqueeze %b, %axes : (tensor<*xi64>, tensor<1xi64>) -> tensor<*xi64>
  %s1 = onnx.Unsqueeze %s, %axes : (tensor<*xi64>, tensor<1xi64>) -> tensor<*xi64>
  %heads = arith.constant dense<[4, 32]> : tensor<2xi64>
  %target = onnx.Concat %b1, %s1, %heads {axis = 0 : i64} : (tensor<*xi64>, tensor<*xi64>, tensor<2xi64>) -> tensor<*xi64>
  %y = onnx.Reshape %x, %target : (tensor<?x?x128xf32>, tensor<*xi64>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

// A ranked but dynamic result gets the dims the chain knows: 8 read off
// the static dim 1 of x and the constant 4. The -1 stays dynamic: the
// element counts it divides both hold the dynamic batch.
// CHECK-LABEL: func.func @refine_dynamic_dims
// CHECK-SAME: -> tensor<?x8x4x?xf32>
// CHECK: onnx.Reshape {{.*}} -> tensor<?x8x4x?xf32>
//
// Batch 1 makes everything static, -1 is 8 * 128 / (8 * 4), and the whole
// shape chain folds away.
// BATCH-LABEL: func.func @refine_dynamic_dims
// BATCH-SAME: (%[[X:.*]]: tensor<1x8x128xf32>) -> tensor<1x8x4x32xf32>
// BATCH-NOT: onnx.Shape
// BATCH-NOT: onnx.Gather
// BATCH-NOT: onnx.Concat
// BATCH: %[[T:.*]] = arith.constant dense<[1, 8, 4, -1]> : tensor<4xi64>
// BATCH: onnx.Reshape %[[X]], %[[T]] : (tensor<1x8x128xf32>, tensor<4xi64>) -> tensor<1x8x4x32xf32>
func.func @refine_dynamic_dims(%x: tensor<?x8x128xf32>) -> tensor<?x?x?x?xf32> {
  %shape = onnx.Shape %x : (tensor<?x8x128xf32>) -> tensor<3xi64>
  %i = arith.constant dense<[0, 1]> : tensor<2xi64>
  %bs = onnx.Gather %shape, %i {axis = 0 : i64} : (tensor<3xi64>, tensor<2xi64>) -> tensor<?xi64>
  %rest = arith.constant dense<[4, -1]> : tensor<2xi64>
  %target = onnx.Concat %bs, %rest {axis = 0 : i64} : (tensor<?xi64>, tensor<2xi64>) -> tensor<?xi64>
  %y = onnx.Reshape %x, %target : (tensor<?x8x128xf32>, tensor<?xi64>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

// When every dim of the shape is static, the shape arithmetic is constant
// and folds away.
// CHECK-LABEL: func.func @static_shape_folds
// CHECK-SAME: (%[[X:.*]]: tensor<2x8x64xf32>) -> tensor<2x8x4x16xf32>
// CHECK-NOT: onnx.Shape
// CHECK-NOT: onnx.Gather
// CHECK-NOT: onnx.Concat
// CHECK: %[[T:.*]] = arith.constant dense<[2, 8, 4, 16]> : tensor<4xi64>
// CHECK: %[[Y:.*]] = onnx.Reshape %[[X]], %[[T]] : (tensor<2x8x64xf32>, tensor<4xi64>) -> tensor<2x8x4x16xf32>
// CHECK: return %[[Y]]
func.func @static_shape_folds(%x: tensor<2x8x64xf32>) -> tensor<*xf32> {
  %shape = onnx.Shape %x {end = 2 : i64} : (tensor<2x8x64xf32>) -> tensor<*xi64>
  %heads = arith.constant dense<[4, 16]> : tensor<2xi64>
  %target = onnx.Concat %shape, %heads {axis = 0 : i64} : (tensor<*xi64>, tensor<2xi64>) -> tensor<*xi64>
  %y = onnx.Reshape %x, %target : (tensor<2x8x64xf32>, tensor<*xi64>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

// Reshape's 0 copies the input dim, static or not.
// CHECK-LABEL: func.func @reshape_zero
// CHECK-SAME: -> tensor<?x8x2x32xf32>
func.func @reshape_zero(%x: tensor<?x8x64xf32>) -> tensor<*xf32> {
  %t = arith.constant dense<[0, 0, 2, 32]> : tensor<4xi64>
  %y = onnx.Reshape %x, %t : (tensor<?x8x64xf32>, tensor<4xi64>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

// Slice: a clamped end (INT64_MAX), a negative step from the end, a
// run-time end, and a whole dynamic axis.
// CHECK-LABEL: func.func @slice
// CHECK-SAME: -> (tensor<?x?x32xf32>, tensor<?x?x32xf32>, tensor<?x?x?xf32>, tensor<?x?x64xf32>)
// CHECK: onnx.Slice {{.*}} -> tensor<?x?x32xf32>
// CHECK: onnx.Slice {{.*}} steps {{.*}} -> tensor<?x?x32xf32>
// CHECK: onnx.Slice {{.*}} -> tensor<?x?x?xf32>
// CHECK: onnx.Slice {{.*}} -> tensor<?x?x64xf32>
func.func @slice(%x: tensor<?x?x64xf32>, %e: tensor<1xi64>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %zero = arith.constant dense<0> : tensor<1xi64>
  %max = arith.constant dense<9223372036854775807> : tensor<1xi64>
  %ax2 = arith.constant dense<2> : tensor<1xi64>
  %half = arith.constant dense<32> : tensor<1xi64>
  %a = onnx.Slice %x, %half, %max, axes %ax2 : (tensor<?x?x64xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<*xf32>
  %m1 = arith.constant dense<-1> : tensor<1xi64>
  %m100 = arith.constant dense<-100> : tensor<1xi64>
  %m2 = arith.constant dense<-2> : tensor<1xi64>
  %b = onnx.Slice %x, %m1, %m100, axes %ax2, steps %m2 : (tensor<?x?x64xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<*xf32>
  %c = onnx.Slice %x, %zero, %e, axes %ax2 : (tensor<?x?x64xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<*xf32>
  %ax1 = arith.constant dense<1> : tensor<1xi64>
  %d = onnx.Slice %x, %zero, %max, axes %ax1 : (tensor<?x?x64xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<*xf32>
  return %a, %b, %c, %d : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// Expand: a constant target broadcasts both ways; a target with a run-time
// element keeps the input's dim there.
// CHECK-LABEL: func.func @expand
// CHECK-SAME: -> (tensor<2x?x4x16xf32>, tensor<?x3x16xf32>)
// CHECK: onnx.Expand {{.*}} -> tensor<2x?x4x16xf32>
// CHECK: onnx.Concat
// CHECK: onnx.Expand {{.*}} -> tensor<?x3x16xf32>
func.func @expand(%x: tensor<?x1x16xf32>, %n: tensor<1xi64>) -> (tensor<*xf32>, tensor<*xf32>) {
  %t = arith.constant dense<[2, 1, 4, 1]> : tensor<4xi64>
  %a = onnx.Expand %x, %t : (tensor<?x1x16xf32>, tensor<4xi64>) -> tensor<*xf32>
  %c = arith.constant dense<[3, 16]> : tensor<2xi64>
  %t2 = onnx.Concat %n, %c {axis = 0 : i64} : (tensor<1xi64>, tensor<2xi64>) -> tensor<*xi64>
  %b = onnx.Expand %x, %t2 : (tensor<?x1x16xf32>, tensor<*xi64>) -> tensor<*xf32>
  return %a, %b : tensor<*xf32>, tensor<*xf32>
}

// -----

// The exporters' Expand target Where(Equal(s, -1), 1, s): tracked element
// by element, the known 4 goes through and the dynamic batch stays dynamic.
// CHECK-LABEL: func.func @expand_where_equal_target
// CHECK: onnx.Equal {{.*}} -> tensor<2xi1>
// CHECK: onnx.Where {{.*}} -> tensor<2xi64>
// CHECK: onnx.Expand {{.*}} -> tensor<?x4xf32>
func.func @expand_where_equal_target(%x: tensor<?x1xf32>) -> tensor<*xf32> {
  %shape = onnx.Shape %x {end = 1 : i64} : (tensor<?x1xf32>) -> tensor<1xi64>
  %four = arith.constant dense<4> : tensor<1xi64>
  %s = onnx.Concat %shape, %four {axis = 0 : i64} : (tensor<1xi64>, tensor<1xi64>) -> tensor<*xi64>
  %m1 = arith.constant dense<-1> : tensor<i64>
  %eq = onnx.Equal %s, %m1 : (tensor<*xi64>, tensor<i64>) -> tensor<*xi1>
  %one = arith.constant dense<1> : tensor<i64>
  %w = onnx.Where %eq, %one, %s : (tensor<*xi1>, tensor<i64>, tensor<*xi64>) -> tensor<*xi64>
  %y = onnx.Expand %x, %w : (tensor<?x1xf32>, tensor<*xi64>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

// CHECK-LABEL: func.func @transpose
// CHECK-SAME: -> (tensor<2x4x?x8xf32>, tensor<8x4x?x2xf32>)
// CHECK: onnx.Transpose {{.*}} -> tensor<2x4x?x8xf32>
// CHECK: onnx.Transpose {{.*}} -> tensor<8x4x?x2xf32>
func.func @transpose(%x: tensor<2x?x4x8xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %a = onnx.Transpose %x {perm = [0, 2, 1, 3]} : (tensor<2x?x4x8xf32>) -> tensor<*xf32>
  %b = onnx.Transpose %x : (tensor<2x?x4x8xf32>) -> tensor<*xf32>
  return %a, %b : tensor<*xf32>, tensor<*xf32>
}

// -----

// Unsqueeze at [0, -1], Squeeze of axis 0; Squeeze without axes cannot
// tell whether the dynamic dim is 1, so it stays unranked.
// CHECK-LABEL: func.func @unsqueeze_squeeze
// CHECK-SAME: -> (tensor<1x?x8x1xf32>, tensor<?x8x1xf32>, tensor<*xf32>, tensor<8xf32>)
// CHECK: onnx.Unsqueeze {{.*}} -> tensor<1x?x8x1xf32>
// CHECK: onnx.Squeeze {{.*}} -> tensor<?x8x1xf32>
// CHECK: onnx.Squeeze {{.*}} -> tensor<*xf32>
// CHECK: onnx.Squeeze {{.*}} -> tensor<8xf32>
func.func @unsqueeze_squeeze(%x: tensor<?x8xf32>, %y: tensor<1x8x1xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %axes = arith.constant dense<[0, -1]> : tensor<2xi64>
  %u = onnx.Unsqueeze %x, %axes : (tensor<?x8xf32>, tensor<2xi64>) -> tensor<*xf32>
  %ax = arith.constant dense<0> : tensor<1xi64>
  %s = onnx.Squeeze %u, %ax : (tensor<*xf32>, tensor<1xi64>) -> tensor<*xf32>
  %s2 = onnx.Squeeze %s : (tensor<*xf32>) -> tensor<*xf32>
  %s3 = onnx.Squeeze %y : (tensor<1x8x1xf32>) -> tensor<*xf32>
  return %u, %s, %s2, %s3 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// Concat adds up the axis (dynamic if any input is) and takes the other
// dims from whichever input knows them; MatMul broadcasts the batch dims.
// CHECK-LABEL: func.func @concat_matmul
// CHECK-SAME: -> (tensor<?x4xf32>, tensor<5x4xf32>, tensor<2x?x16xf32>)
// CHECK: onnx.Concat {{.*}} -> tensor<?x4xf32>
// CHECK: onnx.Concat {{.*}} -> tensor<5x4xf32>
// CHECK: onnx.MatMul {{.*}} -> tensor<2x?x16xf32>
func.func @concat_matmul(%x: tensor<?x4xf32>, %y: tensor<3x?xf32>, %z: tensor<2x4xf32>, %w: tensor<2x4x16xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %c = onnx.Concat %x, %y {axis = 0 : i64} : (tensor<?x4xf32>, tensor<3x?xf32>) -> tensor<*xf32>
  %d = onnx.Concat %y, %z {axis = -2 : i64} : (tensor<3x?xf32>, tensor<2x4xf32>) -> tensor<*xf32>
  %m = onnx.MatMul %c, %w : (tensor<*xf32>, tensor<2x4x16xf32>) -> tensor<*xf32>
  return %c, %d, %m : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// ReduceMean keeps the reduced axis as 1 by default and drops it with
// keepdims = 0; without axes every dim is reduced.
// CHECK-LABEL: func.func @reduce
// CHECK-SAME: -> (tensor<?x8x1xf32>, tensor<?x8xf32>, tensor<f32>)
// CHECK: onnx.ReduceMean {{.*}} -> tensor<?x8x1xf32>
// CHECK: onnx.ReduceMean {{.*}} {keepdims = 0 : i64} {{.*}} -> tensor<?x8xf32>
// CHECK: onnx.ReduceSum {{.*}} -> tensor<f32>
func.func @reduce(%x: tensor<?x8x64xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %axes = arith.constant dense<-1> : tensor<1xi64>
  %a = onnx.ReduceMean %x, %axes : (tensor<?x8x64xf32>, tensor<1xi64>) -> tensor<*xf32>
  %b = onnx.ReduceMean %x, %axes {keepdims = 0 : i64} : (tensor<?x8x64xf32>, tensor<1xi64>) -> tensor<*xf32>
  %c = onnx.ReduceSum %x {keepdims = 0 : i64} : (tensor<?x8x64xf32>) -> tensor<*xf32>
  return %a, %b, %c : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// Range: a run-time limit gives [?]; a limit read off a static dim gives
// a static length, and then the range itself folds.
// CHECK-LABEL: func.func @range
// CHECK-SAME: -> (tensor<?xi64>, tensor<8xi64>, tensor<3xi64>)
// CHECK-NOT: onnx.Shape
// CHECK-DAG: %[[POS:.*]] = arith.constant dense<[0, 1, 2, 3, 4, 5, 6, 7]> : tensor<8xi64>
// CHECK-DAG: %[[STEP3:.*]] = arith.constant dense<[1, 4, 7]> : tensor<3xi64>
// CHECK: %[[R:.*]] = onnx.Range {{.*}} -> tensor<?xi64>
// CHECK: return %[[R]], %[[POS]], %[[STEP3]]
func.func @range(%x: tensor<?x8xf32>, %lim: tensor<i64>) -> (tensor<*xi64>, tensor<*xi64>, tensor<*xi64>) {
  %z = arith.constant dense<0> : tensor<i64>
  %one = arith.constant dense<1> : tensor<i64>
  %a = onnx.Range %z, %lim, %one : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<*xi64>
  %shape = onnx.Shape %x : (tensor<?x8xf32>) -> tensor<2xi64>
  %n = onnx.Gather %shape, %one {axis = 0 : i64} : (tensor<2xi64>, tensor<i64>) -> tensor<i64>
  %b = onnx.Range %z, %n, %one : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<*xi64>
  %ten = arith.constant dense<10> : tensor<i64>
  %three = arith.constant dense<3> : tensor<i64>
  %c = onnx.Range %one, %ten, %three : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<*xi64>
  return %a, %b, %c : tensor<*xi64>, tensor<*xi64>, tensor<*xi64>
}

// -----

// The attention mask: Equal and Where broadcast numpy-style, a dynamic dim
// against 1 staying dynamic.
// CHECK-LABEL: func.func @where_equal
// CHECK-SAME: -> (tensor<?x4x8xi1>, tensor<1x?x4x8xf32>)
// CHECK: onnx.Equal {{.*}} -> tensor<?x4x8xi1>
// CHECK: onnx.Where {{.*}} -> tensor<1x?x4x8xf32>
func.func @where_equal(%m: tensor<?x1x8xi64>, %v: tensor<4x1xi64>, %x: tensor<f32>, %y: tensor<1x?x1x8xf32>) -> (tensor<*xi1>, tensor<*xf32>) {
  %e = onnx.Equal %m, %v : (tensor<?x1x8xi64>, tensor<4x1xi64>) -> tensor<*xi1>
  %w = onnx.Where %e, %x, %y : (tensor<*xi1>, tensor<f32>, tensor<1x?x1x8xf32>) -> tensor<*xf32>
  return %e, %w : tensor<*xi1>, tensor<*xf32>
}

// -----

// The embedding lookup of a model: batch-size binds dim 0 of the ids (and
// of every other argument with a dynamic dim 0), and the result types of
// the function follow what the body computes.
// CHECK-LABEL: func.func @bind_batch
// CHECK-SAME: (%{{.*}}: tensor<?x?xi64>, %{{.*}}: tensor<?x2x?x16xf32>, %{{.*}}: tensor<16x8xf32>) -> (tensor<?x?x8xf32>, tensor<?x2x?x16xf32>)
// BATCH-LABEL: func.func @bind_batch
// BATCH-SAME: (%[[IDS:.*]]: tensor<1x?xi64>, %[[KV:.*]]: tensor<1x2x?x16xf32>, %[[W:.*]]: tensor<16x8xf32>) -> (tensor<1x?x8xf32>, tensor<1x2x?x16xf32>)
// BATCH: %[[E:.*]] = onnx.Gather %[[W]], %[[IDS]] {axis = 0 : i64} : (tensor<16x8xf32>, tensor<1x?xi64>) -> tensor<1x?x8xf32>
// BATCH: %[[K:.*]] = onnx.Neg %[[KV]] : (tensor<1x2x?x16xf32>) -> tensor<1x2x?x16xf32>
// BATCH: return %[[E]], %[[K]] : tensor<1x?x8xf32>, tensor<1x2x?x16xf32>
func.func @bind_batch(%ids: tensor<?x?xi64>, %kv: tensor<?x2x?x16xf32>, %w: tensor<16x8xf32>) -> (tensor<*xf32>, tensor<?x2x?x16xf32>) {
  %e = onnx.Gather %w, %ids {axis = 0 : i64} : (tensor<16x8xf32>, tensor<?x?xi64>) -> tensor<*xf32>
  %k = onnx.Neg %kv : (tensor<?x2x?x16xf32>) -> tensor<?x2x?x16xf32>
  return %e, %k : tensor<*xf32>, tensor<?x2x?x16xf32>
}

// -----

// A type only gets more precise. Where the declared type contradicts the
// inference (another rank, another static dim), it is left as it is,
// even for the dims the two would agree on.
// CHECK-LABEL: func.func @inconsistent_types_stay
// CHECK-SAME: -> (tensor<?x5xf32>, tensor<?x?x?xf32>, tensor<3x?xf32>)
// CHECK: onnx.Relu {{.*}} -> tensor<?x5xf32>
// CHECK: onnx.Relu {{.*}} -> tensor<?x?x?xf32>
// CHECK: onnx.Add {{.*}} -> tensor<3x?xf32>
// BATCH-LABEL: func.func @inconsistent_types_stay
// BATCH-SAME: -> (tensor<?x5xf32>, tensor<?x?x?xf32>, tensor<3x?xf32>)
func.func @inconsistent_types_stay(%x: tensor<?x8xf32>, %y: tensor<8x8xf32>) -> (tensor<?x5xf32>, tensor<?x?x?xf32>, tensor<3x?xf32>) {
  %a = onnx.Relu %x : (tensor<?x8xf32>) -> tensor<?x5xf32>
  %b = onnx.Relu %x : (tensor<?x8xf32>) -> tensor<?x?x?xf32>
  %c = onnx.Add %x, %y : (tensor<?x8xf32>, tensor<8x8xf32>) -> tensor<3x?xf32>
  return %a, %b, %c : tensor<?x5xf32>, tensor<?x?x?xf32>, tensor<3x?xf32>
}

// -----

// Types that other ops were built with stay: a called function keeps its
// signature (no batch binding, no result refinement), and a value used
// by a non-onnx op keeps its type; the pass leaves valid IR behind.
// CHECK-LABEL: func.func private @callee
// CHECK-SAME: (%{{.*}}: tensor<?x8xf32>) -> tensor<*xf32>
// CHECK: onnx.Relu {{.*}} -> tensor<*xf32>
// CHECK-LABEL: func.func @caller
// CHECK: call @callee(%{{.*}}) : (tensor<?x8xf32>) -> tensor<*xf32>
// CHECK: onnx.Relu {{.*}} -> tensor<*xf32>
// CHECK: arith.addf {{.*}} : tensor<*xf32>
// BATCH-LABEL: func.func private @callee
// BATCH-SAME: (%{{.*}}: tensor<?x8xf32>) -> tensor<*xf32>
// BATCH-LABEL: func.func @caller
// BATCH-SAME: (%{{.*}}: tensor<?x8xf32>, %{{.*}}: tensor<1x8xf32>, %{{.*}}: tensor<*xf32>) -> tensor<*xf32>
// BATCH: onnx.Relu {{.*}} : (tensor<1x8xf32>) -> tensor<*xf32>
func.func private @callee(%x: tensor<?x8xf32>) -> tensor<*xf32> {
  %a = onnx.Relu %x : (tensor<?x8xf32>) -> tensor<*xf32>
  return %a : tensor<*xf32>
}
func.func @caller(%x: tensor<?x8xf32>, %y: tensor<?x8xf32>, %z: tensor<*xf32>) -> tensor<*xf32> {
  %a = func.call @callee(%x) : (tensor<?x8xf32>) -> tensor<*xf32>
  %b = onnx.Relu %y : (tensor<?x8xf32>) -> tensor<*xf32>
  %c = arith.addf %a, %b : tensor<*xf32>
  %d = arith.addf %c, %z : tensor<*xf32>
  return %d : tensor<*xf32>
}

// -----

// Axes out of range say nothing about the result: it stays as declared.
// CHECK-LABEL: func.func @axes_out_of_range
// CHECK-SAME: -> (tensor<*xf32>, tensor<*xf32>)
// CHECK: onnx.Squeeze {{.*}} -> tensor<*xf32>
// CHECK: onnx.ReduceMean {{.*}} -> tensor<*xf32>
func.func @axes_out_of_range(%x: tensor<1x8xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %five = arith.constant dense<5> : tensor<1xi64>
  %s = onnx.Squeeze %x, %five : (tensor<1x8xf32>, tensor<1xi64>) -> tensor<*xf32>
  %m7 = arith.constant dense<-7> : tensor<1xi64>
  %r = onnx.ReduceMean %x, %m7 : (tensor<1x8xf32>, tensor<1xi64>) -> tensor<*xf32>
  return %s, %r : tensor<*xf32>, tensor<*xf32>
}
