// The shape and data-movement lowerings of the onnx dialect, run on the CPU
// against values worked out by hand. The ops sit in private functions with
// dynamic dims, so the run-time size computations are what is exercised.
//
// RUN: bitnet-opt %s --convert-onnx-to-linalg --bitnet-cpu-pipeline \
// RUN:   | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils,%libomp \
// RUN:   | FileCheck %s

func.func private @printMemrefF32(tensor<*xf32> {bufferization.access = "read"})
func.func private @printMemrefI64(tensor<*xi64> {bufferization.access = "read"})

// Rows of a [4, 3] table; -1 is the last row.
func.func private @gather(%table: tensor<?x3xf32>, %ids: tensor<?x?xi64>) -> tensor<?x?x3xf32> {
  %e = onnx.Gather %table, %ids {axis = 0 : i64} : (tensor<?x3xf32>, tensor<?x?xi64>) -> tensor<?x?x3xf32>
  return %e : tensor<?x?x3xf32>
}

// x[:, -4:INT64_MAX] and x[:, 0:end:2].
func.func private @slices(%x: tensor<?x?xf32>, %end: tensor<1xi64>) -> (tensor<?x?xf32>, tensor<?x?xf32>) {
  %start = arith.constant dense<-4> : tensor<1xi64>
  %max = arith.constant dense<9223372036854775807> : tensor<1xi64>
  %axis = arith.constant dense<1> : tensor<1xi64>
  %a = onnx.Slice %x, %start, %max, axes %axis : (tensor<?x?xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?x?xf32>
  %zero = arith.constant dense<0> : tensor<1xi64>
  %two = arith.constant dense<2> : tensor<1xi64>
  %b = onnx.Slice %x, %zero, %end, axes %axis, steps %two : (tensor<?x?xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?x?xf32>
  return %a, %b : tensor<?x?xf32>, tensor<?x?xf32>
}

func.func private @concat(%a: tensor<?x?xf32>, %b: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %c = onnx.Concat %a, %b {axis = -1 : i64} : (tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
  return %c : tensor<?x?xf32>
}

// [0, -1, 2]: keep dim 0, infer the middle one.
func.func private @reshape(%x: tensor<?x?xf32>) -> tensor<?x?x2xf32> {
  %shape = arith.constant dense<[0, -1, 2]> : tensor<3xi64>
  %r = onnx.Reshape %x, %shape : (tensor<?x?xf32>, tensor<3xi64>) -> tensor<?x?x2xf32>
  return %r : tensor<?x?x2xf32>
}

func.func private @expand(%x: tensor<?x1xf32>, %shape: tensor<3xi64>) -> tensor<?x?x?xf32> {
  %r = onnx.Expand %x, %shape : (tensor<?x1xf32>, tensor<3xi64>) -> tensor<?x?x?xf32>
  return %r : tensor<?x?x?xf32>
}

func.func private @transpose(%x: tensor<?x?x2xf32>) -> tensor<2x?x?xf32> {
  %r = onnx.Transpose %x {perm = [2, 0, 1]} : (tensor<?x?x2xf32>) -> tensor<2x?x?xf32>
  return %r : tensor<2x?x?xf32>
}

func.func private @means(%x: tensor<?x?xf32>) -> (tensor<?x1xf32>, tensor<?xf32>) {
  %last = arith.constant dense<-1> : tensor<1xi64>
  %a = onnx.ReduceMean %x, %last {keepdims = 1 : i64} : (tensor<?x?xf32>, tensor<1xi64>) -> tensor<?x1xf32>
  %first = arith.constant dense<0> : tensor<1xi64>
  %b = onnx.ReduceMean %x, %first {keepdims = 0 : i64} : (tensor<?x?xf32>, tensor<1xi64>) -> tensor<?xf32>
  return %a, %b : tensor<?x1xf32>, tensor<?xf32>
}

// Range(1, dim 1 of x times 3, 3): the positions exporters compute from
// Shape.
func.func private @range(%x: tensor<?x?xf32>) -> (tensor<2xi64>, tensor<?xi64>) {
  %shape = onnx.Shape %x : (tensor<?x?xf32>) -> tensor<2xi64>
  %one = arith.constant dense<1> : tensor<i64>
  %n = onnx.Gather %shape, %one {axis = 0 : i64} : (tensor<2xi64>, tensor<i64>) -> tensor<i64>
  %three = arith.constant dense<3> : tensor<i64>
  %limit = onnx.Mul %n, %three : (tensor<i64>, tensor<i64>) -> tensor<i64>
  %r = onnx.Range %one, %limit, %three : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<?xi64>
  return %shape, %r : tensor<2xi64>, tensor<?xi64>
}

func.func private @casts(%x: tensor<?xf32>) -> (tensor<?xi64>, tensor<?xf32>) {
  %i = onnx.Cast %x {to = 7 : i64} : (tensor<?xf32>) -> tensor<?xi64>
  %b = onnx.Cast %x {to = 9 : i64} : (tensor<?xf32>) -> tensor<?xi1>
  %f = onnx.Cast %b {to = 1 : i64} : (tensor<?xi1>) -> tensor<?xf32>
  return %i, %f : tensor<?xi64>, tensor<?xf32>
}

func.func private @unsqueeze_squeeze(%x: tensor<?xf32>) -> (tensor<1x?x1xf32>, tensor<?xf32>) {
  %axes = arith.constant dense<[0, 2]> : tensor<2xi64>
  %u = onnx.Unsqueeze %x, %axes : (tensor<?xf32>, tensor<2xi64>) -> tensor<1x?x1xf32>
  %s = onnx.Squeeze %u, %axes : (tensor<1x?x1xf32>, tensor<2xi64>) -> tensor<?xf32>
  return %u, %s : tensor<1x?x1xf32>, tensor<?xf32>
}

func.func @main() {
  %table = arith.constant dense<[[0.0, 0.5, 1.0], [10.0, 10.5, 11.0], [20.0, 20.5, 21.0], [30.0, 30.5, 31.0]]> : tensor<4x3xf32>
  %ids = arith.constant dense<[[0, -1], [2, 1]]> : tensor<2x2xi64>
  %t = tensor.cast %table : tensor<4x3xf32> to tensor<?x3xf32>
  %i = tensor.cast %ids : tensor<2x2xi64> to tensor<?x?xi64>
  %g = call @gather(%t, %i) : (tensor<?x3xf32>, tensor<?x?xi64>) -> tensor<?x?x3xf32>
  %gu = tensor.cast %g : tensor<?x?x3xf32> to tensor<*xf32>
  call @printMemrefF32(%gu) : (tensor<*xf32>) -> ()

  %x = arith.constant dense<[[0.0, 1.0, 2.0, 3.0, 4.0, 5.0], [6.0, 7.0, 8.0, 9.0, 10.0, 11.0]]> : tensor<2x6xf32>
  %xd = tensor.cast %x : tensor<2x6xf32> to tensor<?x?xf32>
  %end = arith.constant dense<-1> : tensor<1xi64>
  %s:2 = call @slices(%xd, %end) : (tensor<?x?xf32>, tensor<1xi64>) -> (tensor<?x?xf32>, tensor<?x?xf32>)
  %s0 = tensor.cast %s#0 : tensor<?x?xf32> to tensor<*xf32>
  call @printMemrefF32(%s0) : (tensor<*xf32>) -> ()
  %s1 = tensor.cast %s#1 : tensor<?x?xf32> to tensor<*xf32>
  call @printMemrefF32(%s1) : (tensor<*xf32>) -> ()

  %c = call @concat(%s#1, %s#0) : (tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
  %cu = tensor.cast %c : tensor<?x?xf32> to tensor<*xf32>
  call @printMemrefF32(%cu) : (tensor<*xf32>) -> ()

  %r = call @reshape(%xd) : (tensor<?x?xf32>) -> tensor<?x?x2xf32>
  %ru = tensor.cast %r : tensor<?x?x2xf32> to tensor<*xf32>
  call @printMemrefF32(%ru) : (tensor<*xf32>) -> ()

  %tr = call @transpose(%r) : (tensor<?x?x2xf32>) -> tensor<2x?x?xf32>
  %tru = tensor.cast %tr : tensor<2x?x?xf32> to tensor<*xf32>
  call @printMemrefF32(%tru) : (tensor<*xf32>) -> ()

  %col = arith.constant dense<[[1.0], [2.0], [3.0]]> : tensor<3x1xf32>
  %cold = tensor.cast %col : tensor<3x1xf32> to tensor<?x1xf32>
  %target = arith.constant dense<[2, 1, 2]> : tensor<3xi64>
  %e = call @expand(%cold, %target) : (tensor<?x1xf32>, tensor<3xi64>) -> tensor<?x?x?xf32>
  %eu = tensor.cast %e : tensor<?x?x?xf32> to tensor<*xf32>
  call @printMemrefF32(%eu) : (tensor<*xf32>) -> ()

  %m:2 = call @means(%xd) : (tensor<?x?xf32>) -> (tensor<?x1xf32>, tensor<?xf32>)
  %m0 = tensor.cast %m#0 : tensor<?x1xf32> to tensor<*xf32>
  call @printMemrefF32(%m0) : (tensor<*xf32>) -> ()
  %m1 = tensor.cast %m#1 : tensor<?xf32> to tensor<*xf32>
  call @printMemrefF32(%m1) : (tensor<*xf32>) -> ()

  %q:2 = call @range(%xd) : (tensor<?x?xf32>) -> (tensor<2xi64>, tensor<?xi64>)
  %q0 = tensor.cast %q#0 : tensor<2xi64> to tensor<*xi64>
  call @printMemrefI64(%q0) : (tensor<*xi64>) -> ()
  %q1 = tensor.cast %q#1 : tensor<?xi64> to tensor<*xi64>
  call @printMemrefI64(%q1) : (tensor<*xi64>) -> ()

  %v = arith.constant dense<[-1.5, 0.0, 2.7, -0.25]> : tensor<4xf32>
  %vd = tensor.cast %v : tensor<4xf32> to tensor<?xf32>
  %k:2 = call @casts(%vd) : (tensor<?xf32>) -> (tensor<?xi64>, tensor<?xf32>)
  %k0 = tensor.cast %k#0 : tensor<?xi64> to tensor<*xi64>
  call @printMemrefI64(%k0) : (tensor<*xi64>) -> ()
  %k1 = tensor.cast %k#1 : tensor<?xf32> to tensor<*xf32>
  call @printMemrefF32(%k1) : (tensor<*xf32>) -> ()

  %u:2 = call @unsqueeze_squeeze(%vd) : (tensor<?xf32>) -> (tensor<1x?x1xf32>, tensor<?xf32>)
  %u0 = tensor.cast %u#0 : tensor<1x?x1xf32> to tensor<*xf32>
  call @printMemrefF32(%u0) : (tensor<*xf32>) -> ()
  %u1 = tensor.cast %u#1 : tensor<?xf32> to tensor<*xf32>
  call @printMemrefF32(%u1) : (tensor<*xf32>) -> ()
  return
}

// Gather: rows 0, 3 (for -1), 2, 1.
// CHECK: sizes = [2, 2, 3]
// CHECK-NEXT: {{\[\[\[}}0, {{ *}}0.5, {{ *}}1],
// CHECK-NEXT: [30, {{ *}}30.5, {{ *}}31]],
// CHECK-NEXT: {{\[\[}}20, {{ *}}20.5, {{ *}}21],
// CHECK-NEXT: [10, {{ *}}10.5, {{ *}}11]]]

// Slice x[:, -4:]: columns 2..5.
// CHECK: sizes = [2, 4]
// CHECK-NEXT: {{\[\[}}2, {{ *}}3, {{ *}}4, {{ *}}5],
// CHECK-NEXT: [8, {{ *}}9, {{ *}}10, {{ *}}11]]

// Slice x[:, 0:-1:2]: columns 0, 2, 4.
// CHECK: sizes = [2, 3]
// CHECK-NEXT: {{\[\[}}0, {{ *}}2, {{ *}}4],
// CHECK-NEXT: [6, {{ *}}8, {{ *}}10]]

// Concat of the two slices on the last axis.
// CHECK: sizes = [2, 7]
// CHECK-NEXT: {{\[\[}}0, {{ *}}2, {{ *}}4, {{ *}}2, {{ *}}3, {{ *}}4, {{ *}}5],
// CHECK-NEXT: [6, {{ *}}8, {{ *}}10, {{ *}}8, {{ *}}9, {{ *}}10, {{ *}}11]]

// Reshape [2, 6] to [0, -1, 2] = [2, 3, 2].
// CHECK: sizes = [2, 3, 2]
// CHECK-NEXT: {{\[\[\[}}0, {{ *}}1],
// CHECK-NEXT: [2, {{ *}}3],
// CHECK-NEXT: [4, {{ *}}5]],
// CHECK-NEXT: {{\[\[}}6, {{ *}}7],
// CHECK-NEXT: [8, {{ *}}9],
// CHECK-NEXT: [10, {{ *}}11]]]

// Transpose [2, 3, 2] by [2, 0, 1]: the even and the odd elements.
// CHECK: sizes = [2, 2, 3]
// CHECK-NEXT: {{\[\[\[}}0, {{ *}}2, {{ *}}4],
// CHECK-NEXT: [6, {{ *}}8, {{ *}}10]],
// CHECK-NEXT: {{\[\[}}1, {{ *}}3, {{ *}}5],
// CHECK-NEXT: [7, {{ *}}9, {{ *}}11]]]

// Expand [3, 1] to [2, 1, 2] -> [2, 3, 2].
// CHECK: sizes = [2, 3, 2]
// CHECK-NEXT: {{\[\[\[}}1, {{ *}}1],
// CHECK-NEXT: [2, {{ *}}2],
// CHECK-NEXT: [3, {{ *}}3]],
// CHECK-NEXT: {{\[\[}}1, {{ *}}1],
// CHECK-NEXT: [2, {{ *}}2],
// CHECK-NEXT: [3, {{ *}}3]]]

// ReduceMean over the last axis, keepdims: (0+...+5)/6, (6+...+11)/6.
// CHECK: sizes = [2, 1]
// CHECK-NEXT: {{\[\[}}2.5],
// CHECK-NEXT: [8.5]]
// ReduceMean over axis 0, no keepdims.
// CHECK: sizes = [6]
// CHECK-NEXT: [3, {{ *}}4, {{ *}}5, {{ *}}6, {{ *}}7, {{ *}}8]

// Shape, and Range(1, 6 * 3, 3).
// CHECK: sizes = [2]
// CHECK-NEXT: [2, {{ *}}6]
// CHECK: sizes = [6]
// CHECK-NEXT: [1, {{ *}}4, {{ *}}7, {{ *}}10, {{ *}}13, {{ *}}16]

// Cast to i64 truncates toward zero; to bool and back is x != 0.
// CHECK: sizes = [4]
// CHECK-NEXT: [-1, {{ *}}0, {{ *}}2, {{ *}}0]
// CHECK: sizes = [4]
// CHECK-NEXT: [1, {{ *}}0, {{ *}}1, {{ *}}1]

// Unsqueeze at 0 and 2, and Squeeze back.
// CHECK: sizes = [1, 4, 1]
// CHECK-NEXT: {{\[\[\[}}-1.5],
// CHECK-NEXT: [0],
// CHECK-NEXT: [2.7],
// CHECK-NEXT: [-0.25]]]
// CHECK: sizes = [4]
// CHECK-NEXT: [-1.5, {{ *}}0, {{ *}}2.7, {{ *}}-0.25]
