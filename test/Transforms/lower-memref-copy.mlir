// RUN: bitnet-opt %s -bitnet-lower-memref-copy | FileCheck %s
// RUN: bitnet-opt %s -bitnet-lower-memref-copy -convert-linalg-to-loops | FileCheck %s --check-prefix=LOOPS

// memref.copy, which lowers to a call of the runner-utils `memrefCopy`
// for strided buffers, becomes linalg.copy with the same operands,
// whatever the layouts and dims.
// CHECK-LABEL: func.func @strided_copy
// CHECK-SAME: (%[[SRC:.*]]: memref<4x8xf32>, %[[DST:.*]]: memref<4x4xf32>)
// CHECK: %[[SUB:.*]] = memref.subview %[[SRC]][0, 2] [4, 4] [1, 1]
// CHECK: linalg.copy ins(%[[SUB]] : memref<4x4xf32, strided<[8, 1], offset: 2>>) outs(%[[DST]] : memref<4x4xf32>)
// CHECK-NOT: memref.copy
// LOOPS-LABEL: func.func @strided_copy
// LOOPS: scf.for
// LOOPS: scf.for
// LOOPS: memref.load
// LOOPS: memref.store
// LOOPS-NOT: memref.copy
// LOOPS-NOT: linalg.copy
func.func @strided_copy(%src: memref<4x8xf32>, %dst: memref<4x4xf32>) {
  %sub = memref.subview %src[0, 2] [4, 4] [1, 1] : memref<4x8xf32> to memref<4x4xf32, strided<[8, 1], offset: 2>>
  memref.copy %sub, %dst : memref<4x4xf32, strided<[8, 1], offset: 2>> to memref<4x4xf32>
  return
}

// CHECK-LABEL: func.func @dynamic_copies
// CHECK-SAME: (%[[A:[^:]*]]: memref<?x?xi64>, %[[B:[^:]*]]: memref<?x?xi64>, %[[S:[^:]*]]: memref<f32>, %[[T:[^:]*]]: memref<f32>, %{{.*}}: i1)
// CHECK: linalg.copy ins(%[[A]] : memref<?x?xi64>) outs(%[[B]] : memref<?x?xi64>)
// CHECK: scf.if
// CHECK: linalg.copy ins(%[[S]] : memref<f32>) outs(%[[T]] : memref<f32>)
// CHECK-NOT: memref.copy
// LOOPS-LABEL: func.func @dynamic_copies
// LOOPS-NOT: memref.copy
// LOOPS-NOT: linalg.copy
func.func @dynamic_copies(%a: memref<?x?xi64>, %b: memref<?x?xi64>, %s: memref<f32>, %t: memref<f32>, %cond: i1) {
  memref.copy %a, %b : memref<?x?xi64> to memref<?x?xi64>
  scf.if %cond {
    memref.copy %s, %t : memref<f32> to memref<f32>
  }
  return
}
