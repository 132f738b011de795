// The kernels on base3 weights (5 trits a byte), structurally. K = 80 trits
// is 16 bytes, padded by ternary-repack to one 32-byte chunk of 160 trits
// (128 = five zero trits), the activations with zeros to 160. A chunk is
// five groups of 32 fields: each group's digits are the carries of its
// bytes times three, (x >= 86) + (x >= 171), and the next group's bytes are
// x + x + x (no byte multiply).
// RUN: bitnet-opt %s -ternary-repack="kernel=addsub packing=base3" -convert-ternary-to-linalg=kernel=addsub | FileCheck %s --check-prefix=ADDSUB
// RUN: bitnet-opt %s -ternary-repack="kernel=addsub packing=base3" -convert-ternary-to-linalg=kernel=addsub | FileCheck %s --check-prefix=NOMUL
// RUN: bitnet-opt %s -ternary-repack="kernel=dot packing=base3" -convert-ternary-to-linalg=kernel=dot | FileCheck %s --check-prefix=DOT
// Without the repack, the lowering copies the weights into the layout
// itself (base4 here, as the type says):
// RUN: bitnet-opt %s -convert-ternary-to-linalg=kernel=dot | FileCheck %s --check-prefix=COPY

// ADDSUB-LABEL: func.func @product
// ADDSUB-SAME: (%[[X:.*]]: tensor<?x80xi8>)
// ADDSUB: arith.constant dense<{{.*}}-128, -128]{{.*}} : tensor<3x32xi8>
// ADDSUB: tensor.pad %[[X]] low[0, 0] high[0, 80]
// ADDSUB: linalg.transpose ins(%{{.*}} : tensor<?x1x32x5xi8>) {{.*}} permutation = [0, 1, 3, 2]
// ADDSUB: scf.for {{.*}} -> (vector<32xi16>)
// ADDSUB: %[[B:.*]] = vector.transfer_read %{{.*}} : tensor<3x32xi8>, vector<32xi8>
// ADDSUB: arith.cmpi uge, %[[B]], %{{.*}} : vector<32xi8>
// ADDSUB: arith.cmpi uge, %[[B]], %{{.*}} : vector<32xi8>
// ADDSUB: arith.select {{.*}} vector<32xi16>
// ADDSUB: %[[B2:.*]] = arith.addi %[[B]], %[[B]] : vector<32xi8>
// ADDSUB: %[[B3:.*]] = arith.addi %[[B2]], %[[B]] : vector<32xi8>
// ADDSUB: arith.cmpi uge, %[[B3]], %{{.*}} : vector<32xi8>
// ADDSUB: vector.reduction <add>, {{.*}} : vector<32xi32> into i32
// ADDSUB-NOT: tensor.extract %{{.*}}[%{{.*}}, %{{.*}}] : tensor<3x32xi8>
// ADDSUB: return

// NOMUL-NOT: arith.muli {{.*}} : {{(i8|i16|i32|vector)}}
// NOMUL-NOT: ternary.

// DOT-LABEL: func.func @product
// DOT: tensor<?x160xi8>
// DOT: vector.shape_cast {{.*}} : vector<32xi32> to vector<8x4xi32>
// DOT: vector.multi_reduction <add>, {{.*}} [1] : vector<8x4xi32> to vector<8xi32>

// COPY-LABEL: func.func @product
// COPY: arith.constant dense<{{.*}} : tensor<3x32xi8>
// COPY: vector<16x4xi32>

func.func @product(%x: tensor<?x80xi8>) -> tensor<?x3xi32> {
  %w = ternary.constant dense<[[-1, 1, 1, -1, 0, 1, 0, 1, 1, -1, 1, -1, 0, 0, 1, -1, -1, 1, 0, 1, 1, 0, 0, 1, -1, -1, 1, -1, 1, 0, 1, -1, 1, -1, -1, 1, -1, 0, -1, 0, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0, -1, 0, -1, -1, -1, 0, -1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1, 1, 0, 1, -1, 0, 1, -1, 0, 1, 1, 1, -1], [1, 0, 1, 1, 1, -1, 1, 1, -1, 1, 1, 0, 0, -1, -1, 0, 1, 0, -1, 0, -1, 0, -1, -1, 0, 0, 0, -1, -1, 1, 1, -1, 0, 1, 1, 0, 1, 0, 1, -1, -1, 0, -1, -1, -1, 1, 1, -1, -1, 0, 0, 1, 0, -1, 1, -1, 0, 0, 0, -1, 0, 0, 0, 1, 0, 1, 1, 1, 1, -1, 1, 1, 0, 0, 1, 1, 1, -1, 0, 0], [0, 1, 0, 1, 0, -1, 0, 1, 0, -1, 0, 1, 1, 1, -1, -1, 1, 1, 0, 0, 0, 1, 0, 1, 1, 0, 1, 0, -1, 1, -1, 1, -1, 0, 0, 1, 0, 0, 1, 1, 0, -1, 0, -1, 0, 0, 1, 0, 0, 0, -1, -1, 1, 1, 1, -1, 0, 1, -1, 1, 0, -1, 0, -1, 1, 0, 1, 1, -1, -1, 1, 0, 0, 1, -1, 0, -1, -1, 0, 1]]> : tensor<3x80xi8>,
         scale dense<1.0> : tensor<f32> -> !ternary.weights<3x80xf32>
  %acc = ternary.matmul %x, %w : tensor<?x80xi8>, !ternary.weights<3x80xf32> -> tensor<?x3xi32>
  return %acc : tensor<?x3xi32>
}
