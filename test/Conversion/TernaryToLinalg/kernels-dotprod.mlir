// The dot kernel reads the module's target: with AArch64's dotprod
// (int8_dot = "dotprod") each 64-trit chunk multiplies the signed trits
// (field - 1) by the activations and reduces them into a scalar, which LLVM
// selects as four sdot (aarch64-kernels.test), with no per-token
// correction; other targets keep the unsigned fields (trit + 1), grouped
// in fours, in arith, corrected by the token's sum, which the x86 back end
// turns into vpdpbusd or vpmaddubsw. The same K = 80 product as
// kernels.mlir, and a K = 640 one for VNNI's interleaved accumulators.
// Without a kernel option, the target decides: dot where it has the dot
// products the kernel calls, addsub elsewhere.
// RUN: bitnet-opt %s -split-input-file -convert-ternary-to-linalg=kernel=dot | FileCheck %s
// RUN: bitnet-opt %s -split-input-file -convert-ternary-to-linalg | FileCheck %s --check-prefix=AUTO

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
// AUTO-LABEL: func.func @product
// AUTO-NOT: arith.cmpi eq, {{.*}} : vector<64xi8>
// AUTO: vector.reduction <add>, %{{.*}} : vector<64xi32> into i32
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
// AUTO-LABEL: func.func @product
// AUTO-NOT: arith.muli {{.*}} : vector
// AUTO: arith.cmpi eq, {{.*}} : vector<64xi8>
module attributes {bitnet.target = {backend = "llvm-cpu", cpu = "cortex-a53", features = "", int8_dot = "", l1_bytes = 65536 : i64, l2_bytes = 1048576 : i64, l3_bytes = 8388608 : i64, threads = "", triple = "aarch64-linux-gnu", vector_bits = 128 : i64}} {
  func.func @product(%x: tensor<?x80xi8>) -> tensor<?x3xi32> {
    %w = ternary.constant dense<[[-1, 1, 1, -1, 0, 1, 0, 1, 1, -1, 1, -1, 0, 0, 1, -1, -1, 1, 0, 1, 1, 0, 0, 1, -1, -1, 1, -1, 1, 0, 1, -1, 1, -1, -1, 1, -1, 0, -1, 0, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0, -1, 0, -1, -1, -1, 0, -1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1, 1, 0, 1, -1, 0, 1, -1, 0, 1, 1, 1, -1], [1, 0, 1, 1, 1, -1, 1, 1, -1, 1, 1, 0, 0, -1, -1, 0, 1, 0, -1, 0, -1, 0, -1, -1, 0, 0, 0, -1, -1, 1, 1, -1, 0, 1, 1, 0, 1, 0, 1, -1, -1, 0, -1, -1, -1, 1, 1, -1, -1, 0, 0, 1, 0, -1, 1, -1, 0, 0, 0, -1, 0, 0, 0, 1, 0, 1, 1, 1, 1, -1, 1, 1, 0, 0, 1, 1, 1, -1, 0, 0], [0, 1, 0, 1, 0, -1, 0, 1, 0, -1, 0, 1, 1, 1, -1, -1, 1, 1, 0, 0, 0, 1, 0, 1, 1, 0, 1, 0, -1, 1, -1, 1, -1, 0, 0, 1, 0, 0, 1, 1, 0, -1, 0, -1, 0, 0, 1, 0, 0, 0, -1, -1, 1, 1, 1, -1, 0, 1, -1, 1, 0, -1, 0, -1, 1, 0, 1, 1, -1, -1, 1, 0, 0, 1, -1, 0, -1, -1, 0, 1]]> : tensor<3x80xi8>,
           scale dense<1.0> : tensor<f32> -> !ternary.weights<3x80xf32>
    %acc = ternary.matmul %x, %w : tensor<?x80xi8>, !ternary.weights<3x80xf32> -> tensor<?x3xi32>
    return %acc : tensor<?x3xi32>
  }
}

// -----

// x86 with AVX-512 VNNI: the same grouped form, which the x86 back end
// turns into vpdpbusd after bufferization (x86-int8-dot.mlir). K = 80 is
// one chunk: one accumulator, no interleaved loop.
// CHECK-LABEL: func.func @product
// CHECK-NOT: llvm.call_intrinsic
// CHECK: scf.for {{.*}} -> (vector<16xi32>)
// CHECK: vector.multi_reduction <add>, {{.*}} [1] : vector<16x4xi32> to vector<16xi32>
// CHECK: vector.reduction <add>, %{{.*}} : vector<16xi32> into i32
// CHECK: arith.subi
// AUTO-LABEL: func.func @product
// AUTO: vector.multi_reduction <add>, {{.*}} [1] : vector<16x4xi32> to vector<16xi32>
module attributes {bitnet.target = {backend = "llvm-cpu", cpu = "cascadelake", features = "", int8_dot = "avx512-vnni", l1_bytes = 65536 : i64, l2_bytes = 1048576 : i64, l3_bytes = 8388608 : i64, threads = "openmp", triple = "x86_64-linux-gnu", vector_bits = 512 : i64}} {
  func.func @product(%x: tensor<?x80xi8>) -> tensor<?x3xi32> {
    %w = ternary.constant dense<[[-1, 1, 1, -1, 0, 1, 0, 1, 1, -1, 1, -1, 0, 0, 1, -1, -1, 1, 0, 1, 1, 0, 0, 1, -1, -1, 1, -1, 1, 0, 1, -1, 1, -1, -1, 1, -1, 0, -1, 0, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0, -1, 0, -1, -1, -1, 0, -1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1, 1, 0, 1, -1, 0, 1, -1, 0, 1, 1, 1, -1], [1, 0, 1, 1, 1, -1, 1, 1, -1, 1, 1, 0, 0, -1, -1, 0, 1, 0, -1, 0, -1, 0, -1, -1, 0, 0, 0, -1, -1, 1, 1, -1, 0, 1, 1, 0, 1, 0, 1, -1, -1, 0, -1, -1, -1, 1, 1, -1, -1, 0, 0, 1, 0, -1, 1, -1, 0, 0, 0, -1, 0, 0, 0, 1, 0, 1, 1, 1, 1, -1, 1, 1, 0, 0, 1, 1, 1, -1, 0, 0], [0, 1, 0, 1, 0, -1, 0, 1, 0, -1, 0, 1, 1, 1, -1, -1, 1, 1, 0, 0, 0, 1, 0, 1, 1, 0, 1, 0, -1, 1, -1, 1, -1, 0, 0, 1, 0, 0, 1, 1, 0, -1, 0, -1, 0, 0, 1, 0, 0, 0, -1, -1, 1, 1, 1, -1, 0, 1, -1, 1, 0, -1, 0, -1, 1, 0, 1, 1, -1, -1, 1, 0, 0, 1, -1, 0, -1, -1, 0, 1]]> : tensor<3x80xi8>,
           scale dense<1.0> : tensor<f32> -> !ternary.weights<3x80xf32>
    %acc = ternary.matmul %x, %w : tensor<?x80xi8>, !ternary.weights<3x80xf32> -> tensor<?x3xi32>
    return %acc : tensor<?x3xi32>
  }
}

// -----

// VNNI, K = 640: ten chunks, eight through four accumulators that take
// turns (so that each vpdpbusd the back end makes waits on one issued four
// chunks earlier), summed, then two through one.
// CHECK-LABEL: func.func @product640
// CHECK: %[[L:.*]]:4 = scf.for {{.*}} -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>)
// CHECK-COUNT-4: vector.multi_reduction <add>
// CHECK: scf.yield
// CHECK: %[[A:.*]] = arith.addi %[[L]]#0, %[[L]]#1 : vector<16xi32>
// CHECK: %[[B:.*]] = arith.addi %[[A]], %[[L]]#2 : vector<16xi32>
// CHECK: %[[C:.*]] = arith.addi %[[B]], %[[L]]#3 : vector<16xi32>
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %[[C]]) -> (vector<16xi32>)
// CHECK: vector.multi_reduction <add>
// CHECK-NOT: vector.multi_reduction
// CHECK: vector.reduction <add>
// AUTO-LABEL: func.func @product640
// AUTO: vector.multi_reduction <add>
module attributes {bitnet.target = {backend = "llvm-cpu", cpu = "cascadelake", features = "", int8_dot = "avx512-vnni", l1_bytes = 65536 : i64, l2_bytes = 1048576 : i64, l3_bytes = 8388608 : i64, threads = "openmp", triple = "x86_64-linux-gnu", vector_bits = 512 : i64}} {
  func.func @product640(%x: tensor<?x640xi8>) -> tensor<?x2xi32> {
    %w = ternary.constant dense<-1> : tensor<2x640xi8>, scale dense<1.0> : tensor<f32> -> !ternary.weights<2x640xf32>
    %acc = ternary.matmul %x, %w : tensor<?x640xi8>, !ternary.weights<2x640xf32> -> tensor<?x2xi32>
    return %acc : tensor<?x2xi32>
  }
}

// -----

// AVX2 (int8_dot = "avx2"): in tiles, each chunk sums pairs of byte
// products in i16 lanes (vpmaddubsw's shape, no vpmaddwd), 63 chunks at
// most before the lanes are widened into i32; a lone (row, token) sum
// keeps the quads, with the token-sum correction either way.
// CHECK-LABEL: func.func @avx2_pairs
// CHECK: scf.forall
// CHECK: scf.for {{.*}} -> (vector<32xi32>, vector<32xi32>, vector<32xi32>, vector<32xi32>, vector<32xi32>)
// CHECK: %[[TO:.*]] = arith.minsi
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[TO]] {{.*}} -> (vector<32xi16>, vector<32xi16>, vector<32xi16>, vector<32xi16>, vector<32xi16>)
// CHECK: arith.muli {{.*}} : vector<64xi16>
// CHECK: vector.shape_cast {{.*}} : vector<64xi16> to vector<32x2xi16>
// CHECK: vector.multi_reduction <add>, {{.*}} [1] : vector<32x2xi16> to vector<32xi16>
// CHECK: arith.extsi {{.*}} : vector<32xi16> to vector<32xi32>
// CHECK: } else {
// CHECK: linalg.generic
// CHECK: vector.multi_reduction <add>, {{.*}} [1] : vector<16x4xi32> to vector<16xi32>
// CHECK-NOT: vector<32x2xi16>
// CHECK: return
module attributes {bitnet.target = {backend = "llvm-cpu", cpu = "znver3", features = "", int8_dot = "avx2", l1_bytes = 32768 : i64, l2_bytes = 524288 : i64, l3_bytes = 33554432 : i64, threads = "openmp", triple = "x86_64-linux-gnu", vector_bits = 256 : i64}} {
  func.func @avx2_pairs(%x: tensor<?x80xi8>) -> tensor<?x3xi32> {
    %w = ternary.constant dense<1> : tensor<3x80xi8>,
           scale dense<1.0> : tensor<f32> -> !ternary.weights<3x80xf32>
    %acc = ternary.matmul %x, %w : tensor<?x80xi8>, !ternary.weights<3x80xf32> -> tensor<?x3xi32>
    return %acc : tensor<?x3xi32>
  }
}
