// An AArch64 target that asks for OpenMP, which only the host's
// architecture has here (aarch64-no-toolchain.test).
module attributes {bitnet.target = {backend = "llvm-cpu", cpu = "cortex-a76", features = "", int8_dot = "dotprod", l1_bytes = 65536 : i64, l2_bytes = 1048576 : i64, l3_bytes = 8388608 : i64, threads = "openmp", triple = "aarch64-linux-gnu", vector_bits = 128 : i64}} {
  func.func @main_graph(%x: tensor<?x?x8xf32> {onnx.name = "hidden"}) -> (tensor<?x?x8xf32> {onnx.name = "out"}) {
    %r = onnx.Relu %x : (tensor<?x?x8xf32>) -> tensor<?x?x8xf32>
    return %r : tensor<?x?x8xf32>
  }
}
