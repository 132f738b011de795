// RUN: bitnet-opt %s -bitnet-outline-kernels -split-input-file | FileCheck %s
// RUN: bitnet-opt %s -bitnet-outline-kernels -duplicate-function-elimination -split-input-file | FileCheck %s --check-prefix=DEDUP

// Two layers whose loops differ only in their weights: each nest becomes a
// never-inlined function taking the weights and buffers as arguments, with
// the scalar constants cloned in, so the second is the first again.
memref.global "private" constant @w0 : memref<8xf32> = dense<1.0>
memref.global "private" constant @w1 : memref<8xf32> = dense<2.0>

// CHECK-LABEL: func.func private @main_graph_kernel(
// CHECK-SAME: %[[W:.*]]: memref<8xf32>, %[[X:.*]]: memref<8xf32>, %[[Y:.*]]: memref<8xf32>)
// CHECK-SAME: attributes {passthrough = ["noinline"]}
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C8:.*]] = arith.constant 8 : index
// CHECK: scf.for %[[I:.*]] = %[[C0]] to %[[C8]]
// CHECK: memref.load %[[W]][%[[I]]]
// CHECK: memref.load %[[X]][%[[I]]]
// CHECK: memref.store {{.*}}, %[[Y]][%[[I]]]
// CHECK: return
// CHECK-LABEL: func.func private @main_graph_kernel_0(
// CHECK-LABEL: func.func @main_graph(
// CHECK-SAME: %[[A:.*]]: memref<8xf32>, %[[B:.*]]: memref<8xf32>, %[[C:.*]]: memref<8xf32>)
// CHECK: %[[G0:.*]] = memref.get_global @w0
// CHECK: call @main_graph_kernel(%[[G0]], %[[A]], %[[B]])
// CHECK: %[[G1:.*]] = memref.get_global @w1
// CHECK: call @main_graph_kernel_0(%[[G1]], %[[B]], %[[C]])
// CHECK-NOT: scf.for
// CHECK: return

// DEDUP-LABEL: func.func private @main_graph_kernel(
// DEDUP-NOT: func.func private
// DEDUP-LABEL: func.func @main_graph(
// DEDUP: call @main_graph_kernel(%{{.*}}, %{{.*}}, %{{.*}})
// DEDUP: call @main_graph_kernel(%{{.*}}, %{{.*}}, %{{.*}})
func.func @main_graph(%a: memref<8xf32>, %b: memref<8xf32>, %c: memref<8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %w0 = memref.get_global @w0 : memref<8xf32>
  scf.for %i = %c0 to %c8 step %c1 {
    %w = memref.load %w0[%i] : memref<8xf32>
    %x = memref.load %a[%i] : memref<8xf32>
    %y = arith.mulf %w, %x : f32
    memref.store %y, %b[%i] : memref<8xf32>
  }
  %w1 = memref.get_global @w1 : memref<8xf32>
  scf.for %i = %c0 to %c8 step %c1 {
    %w = memref.load %w1[%i] : memref<8xf32>
    %x = memref.load %b[%i] : memref<8xf32>
    %y = arith.mulf %w, %x : f32
    memref.store %y, %c[%i] : memref<8xf32>
  }
  return
}

// -----

// A nest's results come back from its function; a nest with a different
// constant is a different function, even after deduplication.
// CHECK-LABEL: func.func private @sum_kernel(
// CHECK-SAME: %[[X:.*]]: memref<8xf32>) -> f32
// CHECK: %[[R:.*]] = scf.for {{.*}} iter_args(%{{.*}} = %{{.*}}) -> (f32)
// CHECK: return %[[R]] : f32
// CHECK-LABEL: func.func @sum(
// CHECK: %[[S:.*]] = call @sum_kernel(%{{.*}}) : (memref<8xf32>) -> f32
// CHECK: %[[T:.*]] = call @sum_kernel_0(%{{.*}}) : (memref<8xf32>) -> f32
// CHECK: arith.addf %[[S]], %[[T]]
// DEDUP-LABEL: func.func private @sum_kernel(
// DEDUP-LABEL: func.func private @sum_kernel_0(
// DEDUP-LABEL: func.func @sum(
func.func @sum(%x: memref<8xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c8 = arith.constant 8 : index
  %zero = arith.constant 0.0 : f32
  %s = scf.for %i = %c0 to %c8 step %c1 iter_args(%acc = %zero) -> (f32) {
    %v = memref.load %x[%i] : memref<8xf32>
    %n = arith.addf %acc, %v : f32
    scf.yield %n : f32
  }
  %t = scf.for %i = %c0 to %c8 step %c2 iter_args(%acc = %zero) -> (f32) {
    %v = memref.load %x[%i] : memref<8xf32>
    %n = arith.addf %acc, %v : f32
    scf.yield %n : f32
  }
  %r = arith.addf %s, %t : f32
  return %r : f32
}

// -----

// A nest yielding a buffer stays: what it allocates may live on the
// function's stack, which a callee cannot return.
// CHECK-LABEL: func.func @pick(
// CHECK-NOT: call
// CHECK: scf.if
// CHECK: memref.alloca
// CHECK-NOT: func.func private
func.func @pick(%p: i1, %x: memref<8xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %m = scf.if %p -> memref<8xf32> {
    %a = memref.alloca() : memref<8xf32>
    scf.yield %a : memref<8xf32>
  } else {
    scf.yield %x : memref<8xf32>
  }
  %v = memref.load %m[%c0] : memref<8xf32>
  return %v : f32
}
