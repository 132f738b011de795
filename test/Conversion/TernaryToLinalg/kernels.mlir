// The ternary product's kernels, structurally. K = 80 trits is 20 packed
// bytes, padded with zero trits (0x55 = 85: four fields of 1) to two whole
// 16-byte chunks, the activations with zeros to 128: no row has a scalar
// tail.
// RUN: bitnet-opt %s -convert-ternary-to-linalg=kernel=addsub | FileCheck %s --check-prefix=ADDSUB
// RUN: bitnet-opt %s -convert-ternary-to-linalg=kernel=addsub | FileCheck %s --check-prefix=NOMUL
// RUN: bitnet-opt %s -convert-ternary-to-linalg=kernel=dot | FileCheck %s --check-prefix=DOT
// RUN: bitnet-opt %s -convert-ternary-to-linalg | FileCheck %s --check-prefix=ADDSUB
// RUN: not bitnet-opt %s -convert-ternary-to-linalg=kernel=fast 2>&1 | FileCheck %s --check-prefix=BAD

// The activations are permuted once per token. Below a tile's worth of
// tokens (the else branch of the run-time test) each (output, token) sums
// its row, outputs outermost so that a row serves all tokens: 64 fields
// decoded from 16 bytes select +x, -x or nothing in i16 lanes, widened into
// i32 per block.
// ADDSUB-LABEL: func.func @product
// ADDSUB-SAME: (%[[X:.*]]: tensor<?x80xi8>)
// ADDSUB: arith.constant dense<{{\[\[}}40, {{.*}}, 42, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85, 85], {{.*}} : tensor<3x32xi8>
// ADDSUB: tensor.pad %[[X]] low[0, 0] high[0, 48]
// ADDSUB: %[[PERM:.*]] = linalg.transpose ins(%{{.*}} : tensor<?x2x16x4xi8>) {{.*}} permutation = [0, 1, 3, 2]
// ADDSUB: linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]
// ADDSUB: %[[N:.*]] = linalg.index 0
// ADDSUB: %[[T:.*]] = linalg.index 1
// ADDSUB: scf.for
// ADDSUB: scf.for {{.*}} -> (vector<64xi16>)
// ADDSUB: %[[B:.*]] = vector.transfer_read %{{.*}}[%[[N]], %{{.*}}], %{{.*}} {in_bounds = [true]} : tensor<3x32xi8>, vector<16xi8>
// ADDSUB: vector.shuffle %[[B]], %[[B]]
// ADDSUB: arith.shrui {{.*}} : vector<32xi16>
// ADDSUB: vector.transfer_read %{{.*}}[%[[T]], %{{.*}}], %{{.*}} {in_bounds = [true]} : tensor<?x128xi8>, vector<64xi8>
// ADDSUB: arith.cmpi eq, {{.*}} : vector<64xi8>
// ADDSUB: arith.select {{.*}} vector<64xi16>
// ADDSUB: arith.extsi {{.*}} : vector<64xi16> to vector<64xi32>
// ADDSUB: vector.reduction <add>, {{.*}} : vector<64xi32> into i32
// ADDSUB-NOT: tensor.extract %{{.*}}[%{{.*}}, %{{.*}}] : tensor<3x32xi8>
// ADDSUB: return

// The add/subtract kernel multiplies nothing (index arithmetic aside).
// NOMUL-NOT: arith.muli {{.*}} : {{(i8|i16|i32|vector)}}
// NOMUL-NOT: vpdpbusd
// NOMUL-NOT: llvm.call_intrinsic
// NOMUL-NOT: ternary.

// The dot kernel: fields times activations in groups of four, corrected by
// the token's sum.
// DOT-LABEL: func.func @product
// DOT: linalg.generic {{.*}} ins(%{{.*}} : tensor<?x128xi8>)
// DOT: arith.muli {{.*}} : vector<64xi32>
// DOT: vector.shape_cast {{.*}} : vector<64xi32> to vector<16x4xi32>
// DOT: vector.multi_reduction <add>, {{.*}} [1] : vector<16x4xi32> to vector<16xi32>
// DOT: arith.subi

// BAD: error: unknown ternary kernel 'fast' (auto, loops, addsub or dot)

func.func @product(%x: tensor<?x80xi8>) -> tensor<?x3xi32> {
  %w = ternary.constant dense<[[-1, 1, 1, -1, 0, 1, 0, 1, 1, -1, 1, -1, 0, 0, 1, -1, -1, 1, 0, 1, 1, 0, 0, 1, -1, -1, 1, -1, 1, 0, 1, -1, 1, -1, -1, 1, -1, 0, -1, 0, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0, -1, 0, -1, -1, -1, 0, -1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1, 1, 0, 1, -1, 0, 1, -1, 0, 1, 1, 1, -1], [1, 0, 1, 1, 1, -1, 1, 1, -1, 1, 1, 0, 0, -1, -1, 0, 1, 0, -1, 0, -1, 0, -1, -1, 0, 0, 0, -1, -1, 1, 1, -1, 0, 1, 1, 0, 1, 0, 1, -1, -1, 0, -1, -1, -1, 1, 1, -1, -1, 0, 0, 1, 0, -1, 1, -1, 0, 0, 0, -1, 0, 0, 0, 1, 0, 1, 1, 1, 1, -1, 1, 1, 0, 0, 1, 1, 1, -1, 0, 0], [0, 1, 0, 1, 0, -1, 0, 1, 0, -1, 0, 1, 1, 1, -1, -1, 1, 1, 0, 0, 0, 1, 0, 1, 1, 0, 1, 0, -1, 1, -1, 1, -1, 0, 0, 1, 0, 0, 1, 1, 0, -1, 0, -1, 0, 0, 1, 0, 0, 0, -1, -1, 1, 1, 1, -1, 0, 1, -1, 1, 0, -1, 0, -1, 1, 0, 1, 1, -1, -1, 1, 0, 0, 1, -1, 0, -1, -1, 0, 1]]> : tensor<3x80xi8>,
         scale dense<1.0> : tensor<f32> -> !ternary.weights<3x80xf32>
  %acc = ternary.matmul %x, %w : tensor<?x80xi8>, !ternary.weights<3x80xf32> -> tensor<?x3xi32>
  return %acc : tensor<?x3xi32>
}
