// A BitLinear layer whose latent weights are known at compile time:
//   scripts/run.sh   (or: build/bin/bitnet-opt examples/quantize-bitlinear.mlir -canonicalize)
// folds the absmean quantization into a packed ternary constant.
func.func @layer(%x: tensor<?x8xf32>) -> tensor<?x4xf32> {
  %latent = arith.constant dense<[
    [ 0.31, -0.02,  0.77, -0.45,  0.05,  0.12, -0.66,  0.29],
    [-0.18,  0.52, -0.03,  0.08, -0.91,  0.37,  0.01, -0.24],
    [ 0.44,  0.06, -0.35,  0.63,  0.02, -0.58,  0.21,  0.09],
    [-0.07, -0.49,  0.15, -0.01,  0.72,  0.04, -0.33,  0.56]]> : tensor<4x8xf32>
  %w = ternary.absmean_quant %latent : tensor<4x8xf32> -> !ternary.weights<4x8xf32>
  %y = ternary.bitlinear %x, %w : tensor<?x8xf32>, !ternary.weights<4x8xf32> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}
