// The ternary product's kernels on any token count: per (row, token) below
// a tile's worth of tokens, tiles of rows x tokens from there on (the
// token count is dynamic, so the choice is made at run time). K = 200
// trits is three 16-byte chunks and a 2-byte scalar tail, N = 7 rows leave
// a partial row tile, and T runs from 1 to 13 (partial token tiles; token
// 1 is all -128, the extreme sum against the all +1 row 0). Each kernel is
// compared with linalg.matmul of the same integers: every difference
// printed must be 0. A second product, K = 4200 (65 chunks and a 10-byte
// tail), sums rows of all +1 and all -1 against tokens alternating between
// all 127 and all -128: the extreme sums, past the 63 chunks after which
// the i16 lanes are widened.
//
// RUN: sed 's/KERNEL/dot/;s/PACKING/auto/' %s | bitnet-opt --bitnet-cpu-pipeline \
// RUN:   | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils,%libomp \
// RUN:   | FileCheck %s
// RUN: sed 's/KERNEL/addsub/;s/PACKING/auto/' %s | bitnet-opt --bitnet-cpu-pipeline \
// RUN:   | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils,%libomp \
// RUN:   | FileCheck %s
// An AVX2 target's dot is the pair-sum kernel (i16 lanes widened every 63
// chunks), rewritten to vpmaddubsw by the x86 pass:
// RUN: sed 's/KERNEL/auto/;s/PACKING/auto/' %s | bitnet-opt --bitnet-set-target="triple=x86_64-linux-gnu cpu=znver3" --bitnet-cpu-pipeline \
// RUN:   | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils,%libomp \
// RUN:   | FileCheck %s
// The same products with the weights in base3 (5 trits a byte, 32-byte
// chunks of 160 trits: K = 200 is two chunks, K = 4200 twenty-seven, past
// the 12 chunks after which the pair sums are widened):
// RUN: sed 's/KERNEL/dot/;s/PACKING/base3/' %s | bitnet-opt --bitnet-cpu-pipeline \
// RUN:   | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils,%libomp \
// RUN:   | FileCheck %s
// RUN: sed 's/KERNEL/addsub/;s/PACKING/base3/' %s | bitnet-opt --bitnet-cpu-pipeline \
// RUN:   | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils,%libomp \
// RUN:   | FileCheck %s
// RUN: sed 's/KERNEL/auto/;s/PACKING/base3/' %s | bitnet-opt --bitnet-set-target="triple=x86_64-linux-gnu cpu=znver3" --bitnet-cpu-pipeline \
// RUN:   | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils,%libomp \
// RUN:   | FileCheck %s
// The tiles of an AVX-512 target (the JIT compiles for the host; only the
// tile shape changes):
// RUN: sed 's/KERNEL/dot/;s/PACKING/auto/' %s | bitnet-opt --bitnet-set-target="cpu=x86-64-v4" --bitnet-cpu-pipeline \
// RUN:   | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils,%libomp \
// RUN:   | FileCheck %s

module attributes {bitnet.ternary_kernel = "KERNEL", bitnet.ternary_packing = "PACKING"} {
  func.func private @printI64(i64)
  func.func private @printNewline()

  func.func private @product(%x: tensor<?x200xi8>) -> tensor<?x7xi32> {
    %w = ternary.constant dense<[[1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [-1, -1, -1, -1, 0, -1, -1, 0, 1, -1, -1, -1, 1, -1, 1, -1, 0, 1, -1, -1, -1, 1, 0, -1, 1, 0, 0, 1, 0, 0, -1, -1, 0, 0, 0, 0, 0, -1, -1, -1, 1, 0, 1, 0, 0, 1, -1, 1, -1, -1, 1, 0, -1, 1, 1, -1, 1, 0, 1, -1, 1, 0, 1, 0, -1, 0, -1, 1, 1, 1, 0, 1, -1, 1, -1, -1, 0, 1, -1, -1, 1, 0, 0, 1, -1, -1, 0, 0, 0, -1, 1, 1, 0, 0, 1, 0, 0, -1, -1, -1, -1, 0, -1, 0, -1, 0, 1, 1, -1, 0, 1, 0, 1, -1, 1, -1, 0, 1, -1, 0, -1, 0, 1, 0, -1, 1, 0, 0, 0, 1, -1, 1, -1, -1, -1, -1, -1, 1, 0, 1, -1, 1, 1, 0, 1, 0, -1, 1, 1, -1, -1, -1, 1, 1, -1, 1, 1, -1, 0, -1, -1, -1, 0, -1, 0, 1, -1, 1, 0, 0, 1, 0, -1, -1, 1, 0, 0, 1, 1, 1, 0, 1, -1, 1, -1, 1, 1, -1, 0, -1, 1, -1, -1, -1, -1, 0, 1, 1, -1, 1], [-1, 0, 1, 1, 1, 1, 0, -1, 1, -1, -1, -1, 0, -1, -1, 1, 0, 1, -1, -1, 0, 0, 1, 1, 1, 1, -1, 1, 0, 0, 1, 1, 0, 1, -1, 1, 1, 0, 1, -1, 0, -1, 0, -1, 0, 0, 0, -1, 1, -1, 0, -1, -1, 1, 0, -1, -1, 1, 1, 1, 0, -1, 0, -1, 0, -1, 1, -1, 0, 0, -1, 1, -1, -1, 1, 0, 1, 0, 0, 0, -1, 0, 0, -1, 1, 0, -1, 0, 1, 0, 0, 1, -1, 0, 0, 1, 1, 0, 1, -1, -1, -1, -1, -1, 0, 0, -1, -1, 0, -1, 0, 1, 0, 0, -1, 1, 1, 1, 0, 1, 0, -1, 0, -1, 1, -1, 0, -1, 0, -1, 1, -1, 0, -1, 1, -1, -1, 0, -1, 0, -1, 0, 1, 0, 0, 1, -1, -1, 1, 1, -1, -1, -1, 0, -1, -1, -1, 0, 1, 0, 1, -1, 0, 0, 1, 1, -1, 0, 0, -1, 0, -1, -1, -1, 1, 1, 1, -1, 1, 0, -1, 0, -1, 1, 1, 0, 1, 0, 1, 0, 1, 0, 1, -1, -1, 0, -1, 1, 1, 1], [-1, 0, 0, -1, -1, -1, -1, 1, 1, 0, 0, -1, -1, -1, 1, 0, 1, 1, 0, 1, -1, 1, 0, -1, 0, -1, -1, 0, 0, -1, 0, 0, 0, 1, 0, -1, -1, 0, -1, 0, -1, -1, 0, 0, -1, 0, 0, 1, 1, -1, -1, 1, -1, -1, 0, -1, -1, 0, 1, -1, 0, -1, 0, 0, 1, -1, -1, 1, 1, -1, 1, 1, 1, 0, 0, 1, 0, -1, 0, 1, 1, 1, -1, -1, 1, 1, 1, 0, 1, 1, 1, -1, 1, 1, 1, -1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1, 1, 0, -1, 0, 0, 1, -1, 1, -1, 1, 1, 1, -1, 0, 0, -1, 0, -1, 1, 1, 1, -1, 1, 1, -1, 1, 1, 0, 0, -1, 0, -1, 1, -1, -1, 1, 1, 0, 0, 0, -1, 0, 1, 0, -1, 1, 1, 1, -1, -1, 1, -1, 0, 0, 1, 1, 1, 0, 1, 1, -1, -1, 0, -1, 0, 0, 1, -1, 1, -1, 1, 0, 0, 1, 1, 0, 0, 0, 0, -1, 1, -1, 0, -1, 0, -1, 0, 0, -1, 1, 0, 0, 0], [-1, -1, -1, 1, -1, -1, 1, 1, 0, 0, -1, 1, 1, 1, 0, -1, 1, 0, -1, 0, 0, 0, -1, -1, -1, 0, 1, 0, 0, 0, 1, -1, 0, 0, 0, 0, -1, 0, -1, 0, 0, 0, -1, -1, 1, -1, 1, 0, 0, 0, -1, 0, 0, 1, -1, 0, 0, 0, -1, 0, -1, -1, 1, 0, 1, -1, -1, 0, 0, 1, 0, -1, 0, 0, -1, 1, 0, 1, 1, -1, 1, -1, -1, 1, 0, 0, 1, -1, 1, 0, 0, -1, 1, -1, -1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 1, -1, 0, 0, 1, 1, 0, -1, -1, 1, -1, -1, -1, 1, 0, 1, -1, 0, 0, 0, 0, -1, 1, -1, -1, -1, -1, 0, 1, -1, 0, -1, 0, 0, 1, -1, -1, 1, 0, 0, 0, 1, 1, -1, 0, 0, 0, -1, 0, 0, 1, 0, -1, 1, 1, 1, 1, -1, -1, 0, -1, 0, 0, 1, 0, 0, 0, -1, -1, -1, 0, 1, 0, 1, 0, -1, -1, 0, 1, 0, 0, -1, -1, -1, -1, -1, 1, 1, -1, 1, 1, 1, 0, -1], [1, -1, -1, -1, -1, 1, -1, 1, 1, 0, -1, 1, 0, 1, 1, 0, 1, -1, -1, -1, 0, 1, 1, -1, 0, 0, -1, 1, -1, -1, 1, 0, 0, 0, 0, 1, -1, 0, 1, -1, 1, -1, -1, 0, 1, 1, 0, -1, -1, -1, 0, 1, 1, 0, -1, 0, -1, 1, 0, 0, -1, 0, -1, 1, 0, 1, 0, 0, 1, 0, -1, -1, 0, 1, 1, -1, -1, 0, -1, 0, -1, -1, 0, -1, 0, 0, -1, 1, 0, 1, -1, -1, 0, 0, 1, -1, 1, -1, 0, -1, -1, -1, 1, -1, 0, -1, 1, -1, -1, 0, 0, 1, 0, 1, -1, -1, -1, 0, -1, -1, 1, 1, 1, 0, -1, 0, 1, 1, 0, 0, 0, 0, -1, -1, -1, -1, 0, -1, 0, 0, -1, 1, -1, 0, 0, 0, 0, -1, -1, 1, 0, -1, 0, 1, 0, -1, 0, 0, 1, 0, -1, 1, 0, -1, 1, 0, -1, 0, -1, 0, -1, -1, 0, -1, 1, -1, 1, 0, 0, 0, 0, 1, -1, 0, 1, 1, 1, 0, 0, 0, -1, 1, 1, 1, -1, -1, -1, -1, 0, 1], [0, 0, 0, 0, 0, -1, 0, -1, -1, 1, 0, 1, -1, 1, -1, 0, 0, 0, 0, 1, -1, 1, -1, 0, -1, -1, 0, -1, 1, -1, 0, 1, 1, 0, -1, 0, -1, -1, 0, 1, -1, -1, -1, 0, 0, 1, 0, -1, -1, -1, 0, 0, 1, 1, -1, 1, 1, 1, -1, 0, 0, 0, 1, 0, 0, 0, 1, 0, -1, 0, -1, -1, -1, -1, -1, 0, 1, -1, 0, -1, 0, 0, -1, 1, 1, -1, 1, -1, 1, 0, -1, -1, -1, 0, -1, 0, 0, -1, 0, -1, -1, -1, -1, 1, 1, -1, -1, 0, 1, -1, 0, 1, 0, 1, -1, -1, 1, 1, 1, 1, 0, -1, -1, 0, 0, -1, -1, -1, 0, -1, 1, 1, 1, -1, -1, 0, 0, 1, 0, -1, 1, 0, -1, -1, -1, 0, 1, 0, -1, 0, -1, 0, 1, 1, -1, 1, 1, -1, 1, -1, 0, 1, 0, 0, 0, 1, 0, 0, -1, 0, 1, 1, 0, 0, 0, -1, 0, 1, -1, 0, 1, 0, -1, -1, 0, -1, 0, -1, -1, 0, 1, 0, 0, -1, -1, -1, -1, 1, -1, 1]]> : tensor<7x200xi8>,
           scale dense<1.0> : tensor<f32> -> !ternary.weights<7x200xf32>
    %acc = ternary.matmul %x, %w : tensor<?x200xi8>, !ternary.weights<7x200xf32> -> tensor<?x7xi32>
    return %acc : tensor<?x7xi32>
  }

  // sum |product(x) - x @ W^T| for x[t, k] = (37t + 11k) mod 256 - 128, and
  // token 1 all -128.
  func.func private @error(%t: index) -> i64 {
    %wt = arith.constant dense<[[1, -1, -1, -1, -1, 1, 0], [1, -1, 0, 0, -1, -1, 0], [1, -1, 1, 0, -1, -1, 0], [1, -1, 1, -1, 1, -1, 0], [1, 0, 1, -1, -1, -1, 0], [1, -1, 1, -1, -1, 1, -1], [1, -1, 0, -1, 1, -1, 0], [1, 0, -1, 1, 1, 1, -1], [1, 1, 1, 1, 0, 1, -1], [1, -1, -1, 0, 0, 0, 1], [1, -1, -1, 0, -1, -1, 0], [1, -1, -1, -1, 1, 1, 1], [1, 1, 0, -1, 1, 0, -1], [1, -1, -1, -1, 1, 1, 1], [1, 1, -1, 1, 0, 1, -1], [1, -1, 1, 0, -1, 0, 0], [1, 0, 0, 1, 1, 1, 0], [1, 1, 1, 1, 0, -1, 0], [1, -1, -1, 0, -1, -1, 0], [1, -1, -1, 1, 0, -1, 1], [1, -1, 0, -1, 0, 0, -1], [1, 1, 0, 1, 0, 1, 1], [1, 0, 1, 0, -1, 1, -1], [1, -1, 1, -1, -1, -1, 0], [1, 1, 1, 0, -1, 0, -1], [1, 0, 1, -1, 0, 0, -1], [1, 0, -1, -1, 1, -1, 0], [1, 1, 1, 0, 0, 1, -1], [1, 0, 0, 0, 0, -1, 1], [1, 0, 0, -1, 0, -1, -1], [1, -1, 1, 0, 1, 1, 0], [1, -1, 1, 0, -1, 0, 1], [1, 0, 0, 0, 0, 0, 1], [1, 0, 1, 1, 0, 0, 0], [1, 0, -1, 0, 0, 0, -1], [1, 0, 1, -1, 0, 1, 0], [1, 0, 1, -1, -1, -1, -1], [1, -1, 0, 0, 0, 0, -1], [1, -1, 1, -1, -1, 1, 0], [1, -1, -1, 0, 0, -1, 1], [1, 1, 0, -1, 0, 1, -1], [1, 0, -1, -1, 0, -1, -1], [1, 1, 0, 0, -1, -1, -1], [1, 0, -1, 0, -1, 0, 0], [1, 0, 0, -1, 1, 1, 0], [1, 1, 0, 0, -1, 1, 1], [1, -1, 0, 0, 1, 0, 0], [1, 1, -1, 1, 0, -1, -1], [1, -1, 1, 1, 0, -1, -1], [1, -1, -1, -1, 0, -1, -1], [1, 1, 0, -1, -1, 0, 0], [1, 0, -1, 1, 0, 1, 0], [1, -1, -1, -1, 0, 1, 1], [1, 1, 1, -1, 1, 0, 1], [1, 1, 0, 0, -1, -1, -1], [1, -1, -1, -1, 0, 0, 1], [1, 1, -1, -1, 0, -1, 1], [1, 0, 1, 0, 0, 1, 1], [1, 1, 1, 1, -1, 0, -1], [1, -1, 1, -1, 0, 0, 0], [1, 1, 0, 0, -1, -1, 0], [1, 0, -1, -1, -1, 0, 0], [1, 1, 0, 0, 1, -1, 1], [1, 0, -1, 0, 0, 1, 0], [1, -1, 0, 1, 1, 0, 0], [1, 0, -1, -1, -1, 1, 0], [1, -1, 1, -1, -1, 0, 1], [1, 1, -1, 1, 0, 0, 0], [1, 1, 0, 1, 0, 1, -1], [1, 1, 0, -1, 1, 0, 0], [1, 0, -1, 1, 0, -1, -1], [1, 1, 1, 1, -1, -1, -1], [1, -1, -1, 1, 0, 0, -1], [1, 1, -1, 0, 0, 1, -1], [1, -1, 1, 0, -1, 1, -1], [1, -1, 0, 1, 1, -1, 0], [1, 0, 1, 0, 0, -1, 1], [1, 1, 0, -1, 1, 0, -1], [1, -1, 0, 0, 1, -1, 0], [1, -1, 0, 1, -1, 0, -1], [1, 1, -1, 1, 1, -1, 0], [1, 0, 0, 1, -1, -1, 0], [1, 0, 0, -1, -1, 0, -1], [1, 1, -1, -1, 1, -1, 1], [1, -1, 1, 1, 0, 0, 1], [1, -1, 0, 1, 0, 0, -1], [1, 0, -1, 1, 1, -1, 1], [1, 0, 0, 0, -1, 1, -1], [1, 0, 1, 1, 1, 0, 1], [1, -1, 0, 1, 0, 1, 0], [1, 1, 0, 1, 0, -1, -1], [1, 1, 1, -1, -1, -1, -1], [1, 0, -1, 1, 1, 0, -1], [1, 0, 0, 1, -1, 0, 0], [1, 1, 0, 1, -1, 1, -1], [1, 0, 1, -1, 0, -1, 0], [1, 0, 1, 1, 0, 1, 0], [1, -1, 0, 1, 0, -1, -1], [1, -1, 1, 1, 0, 0, 0], [1, -1, -1, 1, 0, -1, -1], [1, -1, -1, 1, 0, -1, -1], [1, 0, -1, 1, 1, -1, -1], [1, -1, -1, -1, 1, 1, -1], [1, 0, -1, -1, 1, -1, 1], [1, -1, 0, -1, 0, 0, 1], [1, 0, 0, -1, 0, -1, -1], [1, 1, -1, -1, 1, 1, -1], [1, 1, -1, 1, -1, -1, 0], [1, -1, 0, 0, 0, -1, 1], [1, 0, -1, -1, 0, 0, -1], [1, 1, 0, 0, 1, 0, 0], [1, 0, 1, 0, 1, 1, 1], [1, 1, 0, 1, 0, 0, 0], [1, -1, 0, -1, -1, 1, 1], [1, 1, -1, 1, -1, -1, -1], [1, -1, 1, -1, 1, -1, -1], [1, 0, 1, 1, -1, -1, 1], [1, 1, 1, 1, -1, 0, 1], [1, -1, 0, 1, -1, -1, 1], [1, 0, 1, -1, 1, -1, 1], [1, -1, 0, 0, 0, 1, 0], [1, 0, -1, 0, 1, 1, -1], [1, 1, 0, -1, -1, 1, -1], [1, 0, -1, 0, 0, 0, 0], [1, -1, 1, -1, 0, -1, 0], [1, 1, -1, 1, 0, 0, -1], [1, 0, 0, 1, 0, 1, -1], [1, 0, -1, 1, -1, 1, -1], [1, 0, 0, -1, 1, 0, 0], [1, 1, -1, 1, -1, 0, -1], [1, -1, 1, 1, -1, 0, 1], [1, 1, -1, -1, -1, 0, 1], [1, -1, 0, 1, -1, -1, 1], [1, -1, -1, 1, 0, -1, -1], [1, -1, 1, 0, 1, -1, -1], [1, -1, -1, 0, -1, -1, 0], [1, -1, -1, -1, 0, 0, 0], [1, 1, 0, 0, -1, -1, 1], [1, 0, -1, -1, 0, 0, 0], [1, 1, 0, 1, 0, 0, -1], [1, -1, -1, -1, 1, -1, 1], [1, 1, 0, -1, -1, 1, 0], [1, 1, 1, 1, -1, -1, -1], [1, 0, 0, 1, 1, 0, -1], [1, 1, 0, 0, 0, 0, -1], [1, 0, 1, 0, 0, 0, 0], [1, -1, -1, 0, 0, 0, 1], [1, 1, -1, -1, 1, -1, 0], [1, 1, 1, 0, 1, -1, -1], [1, -1, 1, 1, -1, 1, 0], [1, -1, -1, 0, 0, 0, -1], [1, -1, -1, -1, 0, -1, 0], [1, 1, -1, 1, 0, 0, 1], [1, 1, 0, 1, -1, 1, 1], [1, -1, -1, 1, 0, 0, -1], [1, 1, -1, -1, 0, -1, 1], [1, 1, -1, -1, 1, 0, 1], [1, -1, 0, 1, 0, 0, -1], [1, 0, 1, -1, -1, 1, 1], [1, -1, 0, 0, 1, 0, -1], [1, -1, 1, 0, 1, -1, 0], [1, -1, -1, 1, 1, 1, 1], [1, 0, 0, 1, 1, 0, 0], [1, -1, 0, 1, -1, -1, 0], [1, 0, 1, 0, -1, 1, 0], [1, 1, 1, 1, 0, 0, 1], [1, -1, -1, 1, -1, -1, 0], [1, 1, 0, -1, 0, 0, 0], [1, 0, 0, -1, 0, -1, -1], [1, 0, -1, 0, 1, 0, 0], [1, 1, 0, -1, 0, -1, 1], [1, 0, -1, 0, 0, -1, 1], [1, -1, -1, 0, 0, 0, 0], [1, -1, -1, 1, -1, -1, 0], [1, 1, 1, -1, -1, 1, 0], [1, 0, 1, 1, -1, -1, -1], [1, 0, 1, -1, 0, 1, 0], [1, 1, -1, 1, 1, 0, 1], [1, 1, 1, 0, 0, 0, -1], [1, 1, 0, 0, 1, 0, 0], [1, 0, -1, 1, 0, 0, 1], [1, 1, 0, 1, -1, 1, 0], [1, -1, -1, 0, -1, -1, -1], [1, 1, 1, 0, 0, 0, -1], [1, -1, 1, 0, 1, 1, 0], [1, 1, 0, 0, 0, 1, -1], [1, 1, 1, -1, 0, 1, 0], [1, -1, 0, 1, -1, 0, -1], [1, 0, 1, -1, -1, 0, -1], [1, -1, 0, 0, -1, 0, 0], [1, 1, 1, -1, -1, -1, 1], [1, -1, 0, 0, -1, 1, 0], [1, -1, 1, -1, 1, 1, 0], [1, -1, -1, 0, 1, 1, -1], [1, -1, -1, 0, -1, -1, -1], [1, 0, 0, -1, 1, -1, -1], [1, 1, -1, 1, 1, -1, -1], [1, 1, 1, 0, 1, -1, 1], [1, -1, 1, 0, 0, 0, -1], [1, 1, 1, 0, -1, 1, 1]]> : tensor<200x7xi32>
    %e = tensor.empty(%t) : tensor<?x200xi8>
    %x = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} outs(%e : tensor<?x200xi8>) {
    ^bb0(%out: i8):
      %i = linalg.index 0 : index
      %j = linalg.index 1 : index
      %c37 = arith.constant 37 : index
      %c11 = arith.constant 11 : index
      %c256 = arith.constant 256 : index
      %c1 = arith.constant 1 : index
      %a = arith.muli %i, %c37 : index
      %b = arith.muli %j, %c11 : index
      %s = arith.addi %a, %b : index
      %m = arith.remui %s, %c256 : index
      %v = arith.index_cast %m : index to i64
      %v8 = arith.trunci %v : i64 to i8
      %one = arith.cmpi eq, %i, %c1 : index
      %min = arith.constant -128 : i8
      %r = arith.select %one, %min, %v8 : i8
      linalg.yield %r : i8
    } -> tensor<?x200xi8>
    %y = call @product(%x) : (tensor<?x200xi8>) -> tensor<?x7xi32>
    %e32 = tensor.empty(%t) : tensor<?x200xi32>
    %x32 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<?x200xi8>) outs(%e32 : tensor<?x200xi32>) {
    ^bb0(%in: i8, %out: i32):
      %w = arith.extsi %in : i8 to i32
      linalg.yield %w : i32
    } -> tensor<?x200xi32>
    %zero = arith.constant 0 : i32
    %eo = tensor.empty(%t) : tensor<?x7xi32>
    %z = linalg.fill ins(%zero : i32) outs(%eo : tensor<?x7xi32>) -> tensor<?x7xi32>
    %ref = linalg.matmul ins(%x32, %wt : tensor<?x200xi32>, tensor<200x7xi32>) outs(%z : tensor<?x7xi32>) -> tensor<?x7xi32>
    %zero64 = arith.constant 0 : i64
    %e0 = tensor.empty() : tensor<i64>
    %acc = linalg.fill ins(%zero64 : i64) outs(%e0 : tensor<i64>) -> tensor<i64>
    %d = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> ()>], iterator_types = ["reduction", "reduction"]} ins(%y, %ref : tensor<?x7xi32>, tensor<?x7xi32>) outs(%acc : tensor<i64>) {
    ^bb0(%p: i32, %q: i32, %o: i64):
      %s = arith.subi %p, %q : i32
      %a = math.absi %s : i32
      %a64 = arith.extsi %a : i32 to i64
      %n = arith.addi %o, %a64 : i64
      linalg.yield %n : i64
    } -> tensor<i64>
    %r = tensor.extract %d[] : tensor<i64>
    return %r : i64
  }


  func.func private @wide(%x: tensor<?x4200xi8>) -> (tensor<?x3xi32>, tensor<?x3xi32>) {
    %p = ternary.constant dense<1> : tensor<3x4200xi8>,
           scale dense<1.0> : tensor<f32> -> !ternary.weights<3x4200xf32>
    %m = ternary.constant dense<-1> : tensor<3x4200xi8>,
           scale dense<1.0> : tensor<f32> -> !ternary.weights<3x4200xf32>
    %a = ternary.matmul %x, %p : tensor<?x4200xi8>, !ternary.weights<3x4200xf32> -> tensor<?x3xi32>
    %b = ternary.matmul %x, %m : tensor<?x4200xi8>, !ternary.weights<3x4200xf32> -> tensor<?x3xi32>
    return %a, %b : tensor<?x3xi32>, tensor<?x3xi32>
  }

  // sum over tokens and rows of |wide(x) - (+-4200 * x[t])|.
  func.func private @wide_error(%t: index) -> i64 {
    %e = tensor.empty(%t) : tensor<?x4200xi8>
    %x = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} outs(%e : tensor<?x4200xi8>) {
    ^bb0(%out: i8):
      %i = linalg.index 0 : index
      %c2 = arith.constant 2 : index
      %r = arith.remui %i, %c2 : index
      %c0 = arith.constant 0 : index
      %even = arith.cmpi eq, %r, %c0 : index
      %hi = arith.constant 127 : i8
      %lo = arith.constant -128 : i8
      %v = arith.select %even, %hi, %lo : i8
      linalg.yield %v : i8
    } -> tensor<?x4200xi8>
    %a, %b = call @wide(%x) : (tensor<?x4200xi8>) -> (tensor<?x3xi32>, tensor<?x3xi32>)
    %zero64 = arith.constant 0 : i64
    %e0 = tensor.empty() : tensor<i64>
    %acc = linalg.fill ins(%zero64 : i64) outs(%e0 : tensor<i64>) -> tensor<i64>
    %d = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> ()>], iterator_types = ["reduction", "reduction"]} ins(%a, %b : tensor<?x3xi32>, tensor<?x3xi32>) outs(%acc : tensor<i64>) {
    ^bb0(%p: i32, %q: i32, %o: i64):
      %i = linalg.index 0 : index
      %c2 = arith.constant 2 : index
      %r = arith.remui %i, %c2 : index
      %c0 = arith.constant 0 : index
      %even = arith.cmpi eq, %r, %c0 : index
      %hi = arith.constant 533400 : i32
      %lo = arith.constant -537600 : i32
      %want = arith.select %even, %hi, %lo : i32
      %da = arith.subi %p, %want : i32
      %db = arith.addi %q, %want : i32
      %aa = math.absi %da : i32
      %ab = math.absi %db : i32
      %s = arith.addi %aa, %ab : i32
      %s64 = arith.extsi %s : i32 to i64
      %n = arith.addi %o, %s64 : i64
      linalg.yield %n : i64
    } -> tensor<i64>
    %r = tensor.extract %d[] : tensor<i64>
    return %r : i64
  }

  func.func @main() {
    %c1 = arith.constant 1 : index
    %c14 = arith.constant 14 : index
    scf.for %t = %c1 to %c14 step %c1 {
      %err = func.call @error(%t) : (index) -> i64
      %werr = func.call @wide_error(%t) : (index) -> i64
      %sum = arith.addi %err, %werr : i64
      func.call @printI64(%sum) : (i64) -> ()
      func.call @printNewline() : () -> ()
    }
    return
  }
}

// CHECK: {{^}}0{{$}}
// CHECK-NEXT: {{^}}0{{$}}
// CHECK-NEXT: {{^}}0{{$}}
// CHECK-NEXT: {{^}}0{{$}}
// CHECK-NEXT: {{^}}0{{$}}
// CHECK-NEXT: {{^}}0{{$}}
// CHECK-NEXT: {{^}}0{{$}}
// CHECK-NEXT: {{^}}0{{$}}
// CHECK-NEXT: {{^}}0{{$}}
// CHECK-NEXT: {{^}}0{{$}}
// CHECK-NEXT: {{^}}0{{$}}
// CHECK-NEXT: {{^}}0{{$}}
// CHECK-NEXT: {{^}}0{{$}}
