// Decode streams every packed row once, back to back: the per-token
// product prefetches 4 KiB ahead of its loads (one line per 64 bytes of
// chunks, clamped to the matrix's last byte) from a read-only view of the
// rows. The register tiles (prefill) reuse each row across tokens and do
// not prefetch. K = 512 is eight 16-byte chunks, two turns of the four
// interleaved accumulators.
// RUN: bitnet-opt %s -convert-ternary-to-linalg=kernel=dot | FileCheck %s
// The add/subtract kernel prefetches once per chunk:
// RUN: bitnet-opt %s -convert-ternary-to-linalg=kernel=addsub | FileCheck %s --check-prefix=ADDSUB
// The whole CPU pipeline keeps it, down to LLVM's prefetch intrinsic:
// RUN: bitnet-opt %s --bitnet-set-target="triple=x86_64-linux-gnu cpu=znver3" --bitnet-cpu-pipeline | FileCheck %s --check-prefix=LLVM

// CHECK-LABEL: func.func @stream
// CHECK: scf.forall
// CHECK-NOT: memref.prefetch
// CHECK: scf.forall.in_parallel
// CHECK: %[[BUF:.*]] = bufferization.to_buffer %[[W:.*]] read_only : tensor<2x128xi8> to memref<2x128xi8>
// CHECK: %[[FLAT:.*]] = memref.collapse_shape %[[BUF]] {{\[\[}}0, 1]] : memref<2x128xi8> into memref<256xi8>
// CHECK: linalg.generic
// CHECK: %[[ROW:.*]] = linalg.index 0
// CHECK: scf.for %[[C:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args
// CHECK: %[[OFF:.*]] = arith.muli %[[C]], %{{.*}} : index
// CHECK: %[[BASE:.*]] = arith.muli %[[ROW]], %{{.*}} : index
// CHECK: %[[AT:.*]] = arith.addi %[[BASE]], %[[OFF]] : index
// CHECK: %[[AHEAD:.*]] = arith.addi %[[AT]], %c4096 : index
// CHECK: %[[CLAMPED:.*]] = arith.minui %[[AHEAD]], %c255 : index
// CHECK: memref.prefetch %[[FLAT]][%[[CLAMPED]]], read, locality<3>, data : memref<256xi8>
// CHECK-NOT: memref.prefetch
// CHECK: vector.transfer_read %[[W]]

// ADDSUB-LABEL: func.func @stream
// ADDSUB: %[[FLAT:.*]] = memref.collapse_shape
// ADDSUB: linalg.generic
// ADDSUB: scf.for
// ADDSUB: memref.prefetch %[[FLAT]][%{{.*}}], read, locality<3>, data : memref<256xi8>
// ADDSUB: vector.transfer_read

// LLVM: llvm.func @stream_kernel
// LLVM: llvm.intr.prefetch

func.func @stream(%x: tensor<?x512xi8>) -> tensor<?x2xi32> {
  %w = ternary.constant dense<[[-1,1,1,-1,0,1,0,1,1,-1,1,-1,0,0,1,-1,-1,1,0,1,1,0,0,1,-1,-1,1,-1,1,0,1,-1,1,-1,-1,1,-1,0,-1,0,0,1,1,0,1,0,0,1,1,0,-1,0,-1,-1,-1,0,-1,0,1,0,1,0,0,1,0,1,0,1,1,0,1,-1,0,1,-1,0,1,1,1,-1,1,0,1,1,1,-1,1,1,-1,1,1,0,0,-1,-1,0,1,0,-1,0,-1,0,-1,-1,0,0,0,-1,-1,1,1,-1,0,1,1,0,1,0,1,-1,-1,0,-1,-1,-1,1,1,-1,-1,0,0,1,0,-1,1,-1,0,0,0,-1,0,0,0,1,0,1,1,1,1,-1,1,1,0,0,1,1,1,-1,0,0,0,1,0,1,0,-1,0,1,0,-1,0,1,1,1,-1,-1,1,1,0,0,0,1,0,1,1,0,1,0,-1,1,-1,1,-1,0,0,1,0,0,1,1,0,-1,0,-1,0,0,1,0,0,0,-1,-1,1,1,1,-1,0,1,-1,1,0,-1,0,-1,1,0,1,1,-1,-1,1,0,0,1,-1,0,-1,-1,0,1,1,-1,1,0,0,-1,-1,-1,1,-1,0,1,-1,0,0,1,-1,1,0,1,-1,0,0,1,0,0,0,1,0,0,0,1,0,-1,0,-1,-1,-1,0,1,1,0,1,1,-1,-1,1,0,1,1,1,0,1,0,-1,-1,1,0,-1,-1,-1,-1,1,1,-1,0,1,-1,-1,0,1,-1,-1,1,0,-1,1,-1,1,1,0,-1,1,-1,0,-1,0,1,0,-1,0,-1,-1,-1,1,-1,-1,-1,0,-1,-1,0,1,1,0,-1,0,-1,0,1,1,1,0,-1,0,0,-1,-1,-1,-1,-1,-1,-1,0,-1,1,-1,1,1,0,0,-1,0,-1,0,0,1,0,1,0,0,0,-1,0,0,-1,-1,1,-1,1,1,0,-1,1,-1,-1,0,0,1,1,1,0,1,-1,1,0,-1,0,1,0,1,0,0,1,0,0,-1,-1,-1,1,0,1,1,-1,0,-1,0,-1,-1,0,0,1,0,-1,0,1,-1,1,1,1,0,1,-1,1,0,1,1,-1,1,1,-1,0,-1,-1,0,-1,1,-1,1,-1,1,0,-1,-1,0,-1,-1,-1,1,0,1,0,1,0,-1,-1,1,1,1,1,-1,-1,1,1,-1,1,-1,1,0,1,-1,-1,-1,-1,1,-1,0,1,1,0,0,0,1,0,0,1,0,-1,0,1,-1,0],[1,-1,0,1,1,1,1,1,1,0,-1,1,0,-1,-1,-1,0,1,0,1,1,0,1,1,-1,-1,0,-1,-1,1,1,0,-1,1,1,0,1,1,0,1,1,1,0,-1,0,-1,0,0,0,-1,-1,1,0,-1,0,0,-1,0,1,0,1,1,-1,0,1,1,1,-1,0,1,-1,0,1,-1,0,-1,-1,1,1,1,-1,-1,0,-1,-1,0,-1,-1,1,1,1,-1,0,-1,-1,0,-1,0,-1,1,-1,-1,-1,0,0,-1,0,0,1,1,1,0,-1,-1,0,0,0,0,0,-1,-1,1,1,1,0,0,-1,1,0,-1,0,-1,1,0,-1,0,1,0,-1,1,1,0,1,0,0,0,1,1,1,1,0,-1,0,1,1,1,1,-1,1,0,1,0,-1,1,0,1,1,1,1,-1,1,1,1,1,-1,-1,0,1,0,-1,-1,1,-1,0,1,1,1,1,0,1,0,1,-1,0,0,0,-1,1,-1,-1,1,-1,1,1,1,1,0,0,-1,0,0,0,-1,-1,-1,0,1,0,-1,1,1,0,0,0,0,1,-1,0,0,-1,-1,0,1,-1,1,-1,1,1,-1,-1,1,-1,1,0,1,1,0,1,-1,1,1,-1,0,-1,1,1,-1,1,-1,-1,0,0,0,-1,0,0,0,0,1,1,0,1,0,1,1,1,0,1,0,-1,1,-1,1,1,-1,-1,1,-1,0,-1,1,1,0,-1,-1,1,-1,-1,1,1,0,-1,1,0,1,-1,-1,0,-1,1,-1,-1,0,1,-1,1,-1,0,1,-1,0,0,0,0,1,1,-1,-1,1,-1,1,-1,1,0,-1,-1,-1,0,1,-1,0,0,-1,-1,0,-1,-1,1,-1,0,0,0,1,-1,1,0,-1,1,0,0,-1,0,0,1,0,0,-1,0,-1,1,0,0,0,0,1,0,1,0,-1,-1,-1,0,0,-1,0,1,-1,-1,-1,-1,-1,1,0,1,-1,1,-1,-1,-1,1,-1,0,0,-1,-1,-1,0,0,0,0,-1,1,1,-1,-1,0,-1,0,0,-1,-1,-1,-1,0,0,-1,-1,0,1,-1,0,-1,1,-1,1,0,0,0,0,0,-1,1,0,-1,0,1,0,0,-1,-1,1,0,-1,1,1,-1,-1,-1,1,-1,-1,-1,1,-1,0,-1,-1,1,1,0,-1,0,0,0,0,1,-1,0,0,1,1,0,-1,0,-1,0,-1,1,0,1,0,1,1,0,-1,1,1,0,1,0,-1,0,0,0,-1,0,1,0,0,0,-1,1]]> : tensor<2x512xi8>,
         scale dense<1.0> : tensor<f32> -> !ternary.weights<2x512xf32>
  %acc = ternary.matmul %x, %w : tensor<?x512xi8>, !ternary.weights<2x512xf32> -> tensor<?x2xi32>
  return %acc : tensor<?x2xi32>
}
