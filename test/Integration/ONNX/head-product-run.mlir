// The head's product y = x @ B (B a compile-time [K, N] table): per token
// below a tile of tokens, register-blocked from there on. Any T, K and N:
// here K = 21 (two 8-lane chunks and a masked tail on AVX2), N = 7 (row
// tiles of 2 and a partial one), and T from 1 to 9 (tiles of 6 tokens from
// T = 6, with a partial one from T = 7), against linalg.matmul
// on the same integer-valued inputs, whose sums are exact in f32 in any
// order: every difference printed must be 0.
//
// RUN: bitnet-opt %s --convert-onnx-to-linalg --bitnet-cpu-pipeline \
// RUN:   | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils,%libomp \
// RUN:   | FileCheck %s
// With the tiles of an AVX-512 target: 4 rows (32 registers) of 16 lanes
// (the JIT compiles for the host; only the tile shape changes):
// RUN: bitnet-opt %s --bitnet-set-target="cpu=x86-64-v4" --convert-onnx-to-linalg --bitnet-cpu-pipeline \
// RUN:   | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils,%libomp \
// RUN:   | FileCheck %s

func.func private @printF32(f32)
func.func private @printNewline()

func.func private @head(%x: tensor<?x21xf32>) -> tensor<?x7xf32> {
  %b = arith.constant dense<[[-2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0], [0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0], [2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0], [-1.0, 2.0, 0.0, -2.0, 1.0, -1.0, 2.0], [1.0, -1.0, 2.0, 0.0, -2.0, 1.0, -1.0], [-2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0], [0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0], [2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0], [-1.0, 2.0, 0.0, -2.0, 1.0, -1.0, 2.0], [1.0, -1.0, 2.0, 0.0, -2.0, 1.0, -1.0], [-2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0], [0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0], [2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0], [-1.0, 2.0, 0.0, -2.0, 1.0, -1.0, 2.0], [1.0, -1.0, 2.0, 0.0, -2.0, 1.0, -1.0], [-2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0], [0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0], [2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0], [-1.0, 2.0, 0.0, -2.0, 1.0, -1.0, 2.0], [1.0, -1.0, 2.0, 0.0, -2.0, 1.0, -1.0], [-2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0]]> : tensor<21x7xf32>
  %y = onnx.MatMul %x, %b : (tensor<?x21xf32>, tensor<21x7xf32>) -> tensor<?x7xf32>
  return %y : tensor<?x7xf32>
}

// sum |head(x) - x @ B| for x[t, k] = (3t + 5k) mod 7 - 3, t < T.
func.func private @error(%t: index) -> f32 {
  %b = arith.constant dense<[[-2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0], [0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0], [2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0], [-1.0, 2.0, 0.0, -2.0, 1.0, -1.0, 2.0], [1.0, -1.0, 2.0, 0.0, -2.0, 1.0, -1.0], [-2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0], [0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0], [2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0], [-1.0, 2.0, 0.0, -2.0, 1.0, -1.0, 2.0], [1.0, -1.0, 2.0, 0.0, -2.0, 1.0, -1.0], [-2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0], [0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0], [2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0], [-1.0, 2.0, 0.0, -2.0, 1.0, -1.0, 2.0], [1.0, -1.0, 2.0, 0.0, -2.0, 1.0, -1.0], [-2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0], [0.0, -2.0, 1.0, -1.0, 2.0, 0.0, -2.0], [2.0, 0.0, -2.0, 1.0, -1.0, 2.0, 0.0], [-1.0, 2.0, 0.0, -2.0, 1.0, -1.0, 2.0], [1.0, -1.0, 2.0, 0.0, -2.0, 1.0, -1.0], [-2.0, 1.0, -1.0, 2.0, 0.0, -2.0, 1.0]]> : tensor<21x7xf32>
  %e = tensor.empty(%t) : tensor<?x21xf32>
  %x = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} outs(%e : tensor<?x21xf32>) {
  ^bb0(%out: f32):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %c3 = arith.constant 3 : index
    %c5 = arith.constant 5 : index
    %c7 = arith.constant 7 : index
    %a = arith.muli %i, %c3 : index
    %bb = arith.muli %j, %c5 : index
    %s = arith.addi %a, %bb : index
    %m = arith.remui %s, %c7 : index
    %v = arith.index_cast %m : index to i64
    %f = arith.sitofp %v : i64 to f32
    %c = arith.constant 3.0 : f32
    %r = arith.subf %f, %c : f32
    linalg.yield %r : f32
  } -> tensor<?x21xf32>
  %y = call @head(%x) : (tensor<?x21xf32>) -> tensor<?x7xf32>
  %zero = arith.constant 0.0 : f32
  %e2 = tensor.empty(%t) : tensor<?x7xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e2 : tensor<?x7xf32>) -> tensor<?x7xf32>
  %ref = linalg.matmul ins(%x, %b : tensor<?x21xf32>, tensor<21x7xf32>) outs(%z : tensor<?x7xf32>) -> tensor<?x7xf32>
  %e0 = tensor.empty() : tensor<f32>
  %acc = linalg.fill ins(%zero : f32) outs(%e0 : tensor<f32>) -> tensor<f32>
  %d = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> ()>], iterator_types = ["reduction", "reduction"]} ins(%y, %ref : tensor<?x7xf32>, tensor<?x7xf32>) outs(%acc : tensor<f32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %s = arith.subf %p, %q : f32
    %a = math.absf %s : f32
    %n = arith.addf %o, %a : f32
    linalg.yield %n : f32
  } -> tensor<f32>
  %r = tensor.extract %d[] : tensor<f32>
  return %r : f32
}

func.func @main() {
  %c1 = arith.constant 1 : index
  %c10 = arith.constant 10 : index
  scf.for %t = %c1 to %c10 step %c1 {
    %err = func.call @error(%t) : (index) -> f32
    func.call @printF32(%err) : (f32) -> ()
    func.call @printNewline() : () -> ()
  }
  return
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
