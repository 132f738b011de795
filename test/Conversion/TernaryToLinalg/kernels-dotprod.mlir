// The dot kernel reads the module's target: with AArch64's dotprod
// (int8_dot = "dotprod") each 64-trit chunk multiplies the signed trits
// (field - 1) by the activations and reduces them into a scalar, which LLVM
// selects as four sdot (aarch64-kernels.test), with no per-token
// correction; other targets keep the unsigned fields, grouped in fours, and
// the correction. The same K = 80 product as kernels.mlir.
// RUN: bitnet-opt %s -split-input-file -convert-ternary-to-linalg=kernel=dot | FileCheck %s

// CHECK-LABEL: func.func @product
// CHECK-NOT: linalg.generic {{.*}} ins(
// CHECK: linalg.generic
// CHECK: scf.for {{.*}} -> (i32)
// CHECK: %[[T:.*]] = arith.subi %{{.*}}, %{{.*}} : vector<64xi8>
// CHECK-DAG: arith.extsi %[[T]] : vector<64xi8> to vector<64xi32>
// CHECK-DAG: arith.extsi %{{.*}} : vector<64xi8> to vector<64xi32>
// CHECK: %[[P:.*]] = arith.muli %{{.*}}, %{{.*}} : vector<64xi32>
// CHECK: %[[S:.*]] = vector.reduction <add>, %[[P]] : vector<64xi32> into i32
// CHECK: arith.addi %{{.*}}, %[[S]] : i32
// CHECK-NOT: vector.multi_reduction
// CHECK: linalg.yield
module attributes {bitnet.target = {backend = "llvm-cpu", cpu = "cortex-a76", features = "", int8_dot = "dotprod", l1_bytes = 65536 : i64, l2_bytes = 1048576 : i64, l3_bytes = 8388608 : i64, threads = "", triple = "aarch64-linux-gnu", vector_bits = 128 : i64}} {
  func.func @product(%x: tensor<?x80xi8>) -> tensor<?x3xi32> {
    %w = ternary.constant dense<[[-1, 1, 1, -1, 0, 1, 0, 1, 1, -1, 1, -1, 0, 0, 1, -1, -1, 1, 0, 1, 1, 0, 0, 1, -1, -1, 1, -1, 1, 0, 1, -1, 1, -1, -1, 1, -1, 0, -1, 0, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0, -1, 0, -1, -1, -1, 0, -1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1, 1, 0, 1, -1, 0, 1, -1, 0, 1, 1, 1, -1], [1, 0, 1, 1, 1, -1, 1, 1, -1, 1, 1, 0, 0, -1, -1, 0, 1, 0, -1, 0, -1, 0, -1, -1, 0, 0, 0, -1, -1, 1, 1, -1, 0, 1, 1, 0, 1, 0, 1, -1, -1, 0, -1, -1, -1, 1, 1, -1, -1, 0, 0, 1, 0, -1, 1, -1, 0, 0, 0, -1, 0, 0, 0, 1, 0, 1, 1, 1, 1, -1, 1, 1, 0, 0, 1, 1, 1, -1, 0, 0], [0, 1, 0, 1, 0, -1, 0, 1, 0, -1, 0, 1, 1, 1, -1, -1, 1, 1, 0, 0, 0, 1, 0, 1, 1, 0, 1, 0, -1, 1, -1, 1, -1, 0, 0, 1, 0, 0, 1, 1, 0, -1, 0, -1, 0, 0, 1, 0, 0, 0, -1, -1, 1, 1, 1, -1, 0, 1, -1, 1, 0, -1, 0, -1, 1, 0, 1, 1, -1, -1, 1, 0, 0, 1, -1, 0, -1, -1, 0, 1]]> : tensor<3x80xi8>,
           scale dense<1.0> : tensor<f32> -> !ternary.weights<3x80xf32>
    %acc = ternary.matmul %x, %w : tensor<?x80xi8>, !ternary.weights<3x80xf32> -> tensor<?x3xi32>
    return %acc : tensor<?x3xi32>
  }
}

// -----

// A CPU without dotprod: the grouped form.
// CHECK-LABEL: func.func @product
// CHECK-NOT: llvm.call_intrinsic
// CHECK: arith.extui %{{.*}} : vector<64xi8> to vector<64xi32>
// CHECK: vector.multi_reduction <add>, {{.*}} [1] : vector<16x4xi32> to vector<16xi32>
module attributes {bitnet.target = {backend = "llvm-cpu", cpu = "cortex-a53", features = "", int8_dot = "", l1_bytes = 65536 : i64, l2_bytes = 1048576 : i64, l3_bytes = 8388608 : i64, threads = "", triple = "aarch64-linux-gnu", vector_bits = 128 : i64}} {
  func.func @product(%x: tensor<?x80xi8>) -> tensor<?x3xi32> {
    %w = ternary.constant dense<[[-1, 1, 1, -1, 0, 1, 0, 1, 1, -1, 1, -1, 0, 0, 1, -1, -1, 1, 0, 1, 1, 0, 0, 1, -1, -1, 1, -1, 1, 0, 1, -1, 1, -1, -1, 1, -1, 0, -1, 0, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0, -1, 0, -1, -1, -1, 0, -1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1, 1, 0, 1, -1, 0, 1, -1, 0, 1, 1, 1, -1], [1, 0, 1, 1, 1, -1, 1, 1, -1, 1, 1, 0, 0, -1, -1, 0, 1, 0, -1, 0, -1, 0, -1, -1, 0, 0, 0, -1, -1, 1, 1, -1, 0, 1, 1, 0, 1, 0, 1, -1, -1, 0, -1, -1, -1, 1, 1, -1, -1, 0, 0, 1, 0, -1, 1, -1, 0, 0, 0, -1, 0, 0, 0, 1, 0, 1, 1, 1, 1, -1, 1, 1, 0, 0, 1, 1, 1, -1, 0, 0], [0, 1, 0, 1, 0, -1, 0, 1, 0, -1, 0, 1, 1, 1, -1, -1, 1, 1, 0, 0, 0, 1, 0, 1, 1, 0, 1, 0, -1, 1, -1, 1, -1, 0, 0, 1, 0, 0, 1, 1, 0, -1, 0, -1, 0, 0, 1, 0, 0, 0, -1, -1, 1, 1, 1, -1, 0, 1, -1, 1, 0, -1, 0, -1, 1, 0, 1, 1, -1, -1, 1, 0, 0, 1, -1, 0, -1, -1, 0, 1]]> : tensor<3x80xi8>,
           scale dense<1.0> : tensor<f32> -> !ternary.weights<3x80xf32>
    %acc = ternary.matmul %x, %w : tensor<?x80xi8>, !ternary.weights<3x80xf32> -> tensor<?x3xi32>
    return %acc : tensor<?x3xi32>
  }
}

// -----

// x86 with VNNI: the grouped form, as before the target was read.
// CHECK-LABEL: func.func @product
// CHECK-NOT: llvm.call_intrinsic
// CHECK: vector.multi_reduction <add>, {{.*}} [1] : vector<16x4xi32> to vector<16xi32>
module attributes {bitnet.target = {backend = "llvm-cpu", cpu = "cascadelake", features = "", int8_dot = "avx512-vnni", l1_bytes = 65536 : i64, l2_bytes = 1048576 : i64, l3_bytes = 8388608 : i64, threads = "openmp", triple = "x86_64-linux-gnu", vector_bits = 512 : i64}} {
  func.func @product(%x: tensor<?x80xi8>) -> tensor<?x3xi32> {
    %w = ternary.constant dense<[[-1, 1, 1, -1, 0, 1, 0, 1, 1, -1, 1, -1, 0, 0, 1, -1, -1, 1, 0, 1, 1, 0, 0, 1, -1, -1, 1, -1, 1, 0, 1, -1, 1, -1, -1, 1, -1, 0, -1, 0, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0, -1, 0, -1, -1, -1, 0, -1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1, 1, 0, 1, -1, 0, 1, -1, 0, 1, 1, 1, -1], [1, 0, 1, 1, 1, -1, 1, 1, -1, 1, 1, 0, 0, -1, -1, 0, 1, 0, -1, 0, -1, 0, -1, -1, 0, 0, 0, -1, -1, 1, 1, -1, 0, 1, 1, 0, 1, 0, 1, -1, -1, 0, -1, -1, -1, 1, 1, -1, -1, 0, 0, 1, 0, -1, 1, -1, 0, 0, 0, -1, 0, 0, 0, 1, 0, 1, 1, 1, 1, -1, 1, 1, 0, 0, 1, 1, 1, -1, 0, 0], [0, 1, 0, 1, 0, -1, 0, 1, 0, -1, 0, 1, 1, 1, -1, -1, 1, 1, 0, 0, 0, 1, 0, 1, 1, 0, 1, 0, -1, 1, -1, 1, -1, 0, 0, 1, 0, 0, 1, 1, 0, -1, 0, -1, 0, 0, 1, 0, 0, 0, -1, -1, 1, 1, 1, -1, 0, 1, -1, 1, 0, -1, 0, -1, 1, 0, 1, 1, -1, -1, 1, 0, 0, 1, -1, 0, -1, -1, 0, 1]]> : tensor<3x80xi8>,
           scale dense<1.0> : tensor<f32> -> !ternary.weights<3x80xf32>
    %acc = ternary.matmul %x, %w : tensor<?x80xi8>, !ternary.weights<3x80xf32> -> tensor<?x3xi32>
    return %acc : tensor<?x3xi32>
  }
}
