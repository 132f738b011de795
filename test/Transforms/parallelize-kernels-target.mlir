// RUN: bitnet-opt %s -split-input-file -bitnet-parallelize-kernels | FileCheck %s

// A target without a thread runtime (a cross-compiled AArch64 library links
// no libomp) keeps its kernels sequential: no scf.parallel, which
// convert-scf-to-openmp would turn into calls to libomp.
// CHECK-LABEL: func.func @no_threads
// CHECK-NOT: scf.parallel
// CHECK: linalg.generic
// CHECK-SAME: bitnet.parallel
#id = affine_map<(d0, d1) -> (d0, d1)>
module attributes {bitnet.target = {backend = "llvm-cpu", cpu = "cortex-a76", features = "", int8_dot = "dotprod", l1_bytes = 65536 : i64, l2_bytes = 1048576 : i64, l3_bytes = 8388608 : i64, threads = "", triple = "aarch64-linux-gnu", vector_bits = 128 : i64}} {
  func.func @no_threads(%a: memref<4x8xi32>) {
    linalg.generic {indexing_maps = [#id], iterator_types = ["parallel", "parallel"]}
        outs(%a : memref<4x8xi32>) attrs = {bitnet.parallel} {
    ^bb0(%out: i32):
      %c = arith.constant 1 : i32
      linalg.yield %c : i32
    }
    return
  }
}

// -----

// threads = "openmp", as on the host, parallelizes the marked kernel.
// CHECK-LABEL: func.func @openmp
// CHECK: scf.parallel
#id = affine_map<(d0, d1) -> (d0, d1)>
module attributes {bitnet.target = {backend = "llvm-cpu", cpu = "skylake", features = "", int8_dot = "", l1_bytes = 32768 : i64, l2_bytes = 1048576 : i64, l3_bytes = 33554432 : i64, threads = "openmp", triple = "x86_64-linux-gnu", vector_bits = 256 : i64}} {
  func.func @openmp(%a: memref<4x8xi32>) {
    linalg.generic {indexing_maps = [#id], iterator_types = ["parallel", "parallel"]}
        outs(%a : memref<4x8xi32>) attrs = {bitnet.parallel} {
    ^bb0(%out: i32):
      %c = arith.constant 1 : i32
      linalg.yield %c : i32
    }
    return
  }
}

// -----

// A blocked kernel's tiles, an scf.forall on buffers, become one
// scf.parallel over all its dims with threads, and a sequential scf.for
// nest without.
// CHECK-LABEL: func.func @tiles_openmp
// CHECK-SAME: (%[[A:.*]]: memref<4x8xi32>)
// CHECK: scf.parallel (%[[I:.*]], %[[J:.*]]) = ({{.*}}) to ({{.*}})
// CHECK: memref.store %{{.*}}, %[[A]][%[[I]], %[[J]]]
// CHECK-NOT: scf.forall
module attributes {bitnet.target = {backend = "llvm-cpu", cpu = "skylake", features = "", int8_dot = "", l1_bytes = 32768 : i64, l2_bytes = 1048576 : i64, l3_bytes = 33554432 : i64, threads = "openmp", triple = "x86_64-linux-gnu", vector_bits = 256 : i64}} {
  func.func @tiles_openmp(%a: memref<4x8xi32>) {
    scf.forall (%i, %j) in (4, 8) {
      %c = arith.constant 1 : i32
      memref.store %c, %a[%i, %j] : memref<4x8xi32>
    }
    return
  }
}

// -----

// CHECK-LABEL: func.func @tiles_no_threads
// CHECK: scf.for %[[I:.*]] =
// CHECK: scf.for %[[J:.*]] =
// CHECK: memref.store %{{.*}}, %{{.*}}[%[[I]], %[[J]]]
// CHECK-NOT: scf.parallel
// CHECK-NOT: scf.forall
module attributes {bitnet.target = {backend = "llvm-cpu", cpu = "cortex-a76", features = "", int8_dot = "dotprod", l1_bytes = 65536 : i64, l2_bytes = 1048576 : i64, l3_bytes = 8388608 : i64, threads = "", triple = "aarch64-linux-gnu", vector_bits = 128 : i64}} {
  func.func @tiles_no_threads(%a: memref<4x8xi32>) {
    scf.forall (%i, %j) in (4, 8) {
      %c = arith.constant 1 : i32
      memref.store %c, %a[%i, %j] : memref<4x8xi32>
    }
    return
  }
}
