// RUN: bitnet-opt %s -bitnet-parallelize-kernels | FileCheck %s

// Only the linalg op marked bitnet.parallel becomes parallel loops, over its
// parallel dims; the other stays for the sequential lowering.
// CHECK-LABEL: func.func @marked
// CHECK-SAME: (%[[A:.*]]: memref<4x8xi32>, %[[B:.*]]: memref<4x8xi32>)
// CHECK: scf.parallel (%[[I:.*]], %[[J:.*]]) = ({{.*}}) to (%c4, %c8)
// CHECK: %[[V:.*]] = arith.index_cast %[[I]] : index to i32
// CHECK: memref.store %[[V]], %[[A]][
// CHECK: linalg.generic
// CHECK-NOT: bitnet.parallel
// CHECK-NOT: scf.parallel
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @marked(%a: memref<4x8xi32>, %b: memref<4x8xi32>) {
  linalg.generic {indexing_maps = [#id], iterator_types = ["parallel", "parallel"]}
      outs(%a : memref<4x8xi32>) attrs = {bitnet.parallel} {
  ^bb0(%out: i32):
    %i = linalg.index 0 : index
    %v = arith.index_cast %i : index to i32
    linalg.yield %v : i32
  }
  linalg.generic {indexing_maps = [#id], iterator_types = ["parallel", "parallel"]}
      outs(%b : memref<4x8xi32>) {
  ^bb0(%out: i32):
    %c = arith.constant 1 : i32
    linalg.yield %c : i32
  }
  return
}
