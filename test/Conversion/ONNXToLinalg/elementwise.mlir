// RUN: bitnet-opt %s -convert-onnx-to-linalg -split-input-file | FileCheck %s

// A broadcasting add: [?, 8] + [8], the batch dim read off the operand that
// has it.
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @broadcast_add
// CHECK-SAME: (%[[A:.*]]: tensor<?x8xf32>, %[[B:.*]]: tensor<8xf32>)
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[D0:.*]] = tensor.dim %[[A]], %[[C0]]
// CHECK: %[[INIT:.*]] = tensor.empty(%[[D0]]) : tensor<?x8xf32>
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ROW]], #[[$ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[A]], %[[B]] : tensor<?x8xf32>, tensor<8xf32>) outs(%[[INIT]] : tensor<?x8xf32>)
// CHECK: arith.addf
// CHECK: return %[[R]]
// CHECK-NOT: onnx.Add
func.func @broadcast_add(%a: tensor<?x8xf32>, %b: tensor<8xf32>) -> tensor<?x8xf32> {
  %0 = onnx.Add %a, %b : (tensor<?x8xf32>, tensor<8xf32>) -> tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}

// -----

// A per-token scale [?, 1] against [?, 8]: the size-1 dim reads index 0.
// CHECK-DAG: #[[$TOK:.*]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-LABEL: func.func @per_token_scale
// CHECK: linalg.generic {{.*}}#[[$TOK]]
// CHECK: arith.mulf
func.func @per_token_scale(%x: tensor<?x8xf32>, %s: tensor<?x1xf32>) -> tensor<?x8xf32> {
  %0 = onnx.Mul %x, %s : (tensor<?x8xf32>, tensor<?x1xf32>) -> tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}

// -----

// The squared-ReLU GLU of BitNet's MLP, element by element. A constant
// exponent of 2 is a multiply, not a libm call.
// CHECK-LABEL: func.func @squared_relu_glu
// CHECK: arith.maximumf
// CHECK: ^bb0(%[[R:.*]]: f32, %{{.*}}: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[SQ:.*]] = arith.mulf %[[R]], %[[R]] : f32
// CHECK-NEXT: linalg.yield %[[SQ]]
// CHECK: arith.mulf
// CHECK-NOT: math.powf
// CHECK-NOT: onnx.
func.func @squared_relu_glu(%gate: tensor<2x?x16xf32>, %up: tensor<2x?x16xf32>) -> tensor<2x?x16xf32> {
  %two = arith.constant dense<2.0> : tensor<f32>
  %r = onnx.Relu %gate : (tensor<2x?x16xf32>) -> tensor<2x?x16xf32>
  %sq = onnx.Pow %r, %two : (tensor<2x?x16xf32>, tensor<f32>) -> tensor<2x?x16xf32>
  %y = onnx.Mul %sq, %up : (tensor<2x?x16xf32>, tensor<2x?x16xf32>) -> tensor<2x?x16xf32>
  return %y : tensor<2x?x16xf32>
}

// -----

// Comparisons give i1, Where selects; integer math stays integer.
// CHECK-LABEL: func.func @compare_select
// CHECK: arith.cmpi slt
// CHECK: arith.select
// CHECK: arith.addi
func.func @compare_select(%a: tensor<4xi64>, %b: tensor<4xi64>) -> tensor<4xi64> {
  %lt = onnx.Less %a, %b : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi1>
  %m = onnx.Where %lt, %a, %b : (tensor<4xi1>, tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  %s = onnx.Add %m, %a : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  return %s : tensor<4xi64>
}

// -----

// What is not lowered yet stays, and so do unsigned (weight-side) tensors.
// CHECK-LABEL: func.func @not_yet
// CHECK: onnx.Tile
// CHECK: onnx.BitShift
func.func @not_yet(%x: tensor<2x8xf32>, %p: tensor<4xui8>, %s: tensor<4xui8>) -> (tensor<4x8xf32>, tensor<4xui8>) {
  %r = arith.constant dense<[2, 1]> : tensor<2xi64>
  %y = onnx.Tile %x, %r : (tensor<2x8xf32>, tensor<2xi64>) -> tensor<4x8xf32>
  %z = onnx.BitShift %p, %s {direction = "RIGHT"} : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  return %y, %z : tensor<4x8xf32>, tensor<4xui8>
}

// -----

// Variadic Max/Min/Sum/Mean fold every operand; one operand is itself.
// CHECK-LABEL: func.func @variadic
// CHECK-SAME: (%[[A:[a-z0-9]+]]: tensor<4xf32>, %[[B:[a-z0-9]+]]: tensor<4xf32>, %[[C:[a-z0-9]+]]: tensor<4xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[A]], %[[B]], %[[C]] : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>)
// CHECK: ^bb0(%[[X:.*]]: f32, %[[Y:.*]]: f32, %[[Z:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[M:.*]] = arith.maximumf %[[X]], %[[Y]]
// CHECK: %[[M2:.*]] = arith.maximumf %[[M]], %[[Z]]
// CHECK: linalg.yield %[[M2]]
// CHECK: linalg.generic {{.*}} ins(%[[A]] : tensor<4xf32>)
// CHECK: ^bb0(%[[X1:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: linalg.yield %[[X1]]
// CHECK: arith.addf
// CHECK: arith.addf
// CHECK: arith.addf
// CHECK: arith.constant 3.000000e+00 : f32
// CHECK: arith.divf
// CHECK-NOT: onnx.
func.func @variadic(%a: tensor<4xf32>, %b: tensor<4xf32>, %c: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %m = onnx.Max %a, %b, %c : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %one = onnx.Min %a : (tensor<4xf32>) -> tensor<4xf32>
  %s = onnx.Sum %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %mean = onnx.Mean %a, %b, %c : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %m, %one, %s, %mean : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// An integer exponent is converted to the base's float type.
// CHECK-LABEL: func.func @pow_int_exponent
// CHECK: ^bb0(%[[X:.*]]: f32, %[[E:.*]]: i64, %{{.*}}: f32):
// CHECK: %[[F:.*]] = arith.sitofp %[[E]] : i64 to f32
// CHECK: math.powf %[[X]], %[[F]] : f32
func.func @pow_int_exponent(%x: tensor<4xf32>, %e: tensor<i64>) -> tensor<4xf32> {
  %y = onnx.Pow %x, %e : (tensor<4xf32>, tensor<i64>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// Constant exponents: 1 is the base itself, an integer 2 a multiply, and
// any other (3 here, whose powf rounds once) stays powf.
// CHECK-LABEL: func.func @pow_constant_exponents
// CHECK: ^bb0(%[[A:.*]]: f32, %{{.*}}: f32, %{{.*}}: f32):
// CHECK-NEXT: linalg.yield %[[A]] : f32
// CHECK: ^bb0(%[[B:.*]]: f32, %{{.*}}: i64, %{{.*}}: f32):
// CHECK-NEXT: %[[SQ:.*]] = arith.mulf %[[B]], %[[B]] : f32
// CHECK-NEXT: linalg.yield %[[SQ]]
// CHECK: ^bb0(%[[C:.*]]: f32, %[[E:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: math.powf %[[C]], %[[E]] : f32
func.func @pow_constant_exponents(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %one = arith.constant dense<1.0> : tensor<f32>
  %two = arith.constant dense<2> : tensor<i64>
  %three = arith.constant dense<3.0> : tensor<f32>
  %a = onnx.Pow %x, %one : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %b = onnx.Pow %x, %two : (tensor<4xf32>, tensor<i64>) -> tensor<4xf32>
  %c = onnx.Pow %x, %three : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %a, %b, %c : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// IsInf counts the infinities its attributes select.
// CHECK-LABEL: func.func @is_inf
// CHECK: arith.cmpf oeq, %{{.*}}, %[[PINF:.*]] : f32
// CHECK: arith.cmpf oeq, %{{.*}}, %[[NINF:.*]] : f32
// CHECK: arith.ori
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: i1):
// CHECK-NEXT: %[[NEG:.*]] = arith.constant 0xFF800000 : f32
// CHECK-NEXT: arith.cmpf oeq, %[[X]], %[[NEG]] : f32
// CHECK-NOT: arith.ori
func.func @is_inf(%x: tensor<4xf32>) -> (tensor<4xi1>, tensor<4xi1>) {
  %both = onnx.IsInf %x : (tensor<4xf32>) -> tensor<4xi1>
  %neg = onnx.IsInf %x {detect_positive = 0 : i64} : (tensor<4xf32>) -> tensor<4xi1>
  return %both, %neg : tensor<4xi1>, tensor<4xi1>
}
