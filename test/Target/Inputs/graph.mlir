// A small model for the --emit tests: a BitLinear layer and a float op on
// [batch, seq, 8] activations, with the names the ONNX importer records.
func.func @main_graph(%x: tensor<?x?x8xf32> {onnx.name = "hidden"}) -> (tensor<?x?x4xf32> {onnx.name = "out"}) {
  %w = ternary.constant dense<[[1, 0, -1, 1, 0, 0, 1, -1], [0, 1, 1, -1, 1, 0, 0, 0], [-1, -1, 0, 0, 1, 1, 0, 1], [1, 1, 1, 1, -1, -1, 0, 0]]> : tensor<4x8xi8>,
         scale dense<[0.5, 1.0, 2.0, 0.25]> : tensor<4xf32> -> !ternary.weights<4x8xf32, per_channel>
  %y = ternary.bitlinear %x, %w : tensor<?x?x8xf32>, !ternary.weights<4x8xf32, per_channel> -> tensor<?x?x4xf32>
  %r = onnx.Relu %y : (tensor<?x?x4xf32>) -> tensor<?x?x4xf32>
  return %r : tensor<?x?x4xf32>
}
