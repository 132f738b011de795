// RUN: bitnet-opt %s -split-input-file -verify-diagnostics

// One case per diagnostic of the onnx dialect's verifiers and parsers.

func.func @cast_bad_code(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'onnx.Cast' op expected `to` to be a TensorProto data type code in [1, 23], got 0}}
  %0 = onnx.Cast %x {to = 0 : i64} : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @cast_wrong_result(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{expected result element type 'i64' for to = 7, got 'f32'}}
  %0 = onnx.Cast %x {to = 7 : i64} : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @transpose_repeated_dim(%x: tensor<2x3x4xf32>) -> tensor<2x2x3xf32> {
  // expected-error @+1 {{expected `perm` to be a permutation of the 3 dimensions, got [0, 0, 1]}}
  %0 = onnx.Transpose %x {perm = [0, 0, 1]} : (tensor<2x3x4xf32>) -> tensor<2x2x3xf32>
  return %0 : tensor<2x2x3xf32>
}

// -----

func.func @transpose_short_perm(%x: tensor<2x3x4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{expected `perm` to be a permutation of the 3 dimensions, got [1, 0]}}
  %0 = onnx.Transpose %x {perm = [1, 0]} : (tensor<2x3x4xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @concat_axis(%x: tensor<2x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{expected `axis` in [-2, 1] for a rank-2 input, got 2}}
  %0 = onnx.Concat %x, %x {axis = 2 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @concat_ranks(%x: tensor<2x3xf32>, %y: tensor<3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{expected inputs of one rank, got ranks 2 and 1}}
  %0 = onnx.Concat %x, %y {axis = 0 : i64} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @concat_nothing() -> tensor<*xf32> {
  // expected-error @+1 {{'onnx.Concat' op expected 1 or more operands, but found 0}}
  %0 = onnx.Concat {axis = 0 : i64} : () -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @sum_nothing() -> tensor<*xf32> {
  // expected-error @+1 {{'onnx.Sum' op expected 1 or more operands, but found 0}}
  %0 = onnx.Sum : () -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// The default axis, -1, counts from the back.
func.func @gather_axis(%x: tensor<2x3xf32>, %i: tensor<2xi64>) -> tensor<*xf32> {
  // expected-error @+1 {{'onnx.Gather' op expected `axis` in [-2, 1] for a rank-2 input, got -3}}
  %0 = onnx.Gather %x, %i {axis = -3 : i64} : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @softmax_scalar(%x: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{'onnx.Softmax' op expected `axis` in [0, -1] for a rank-0 input, got -1}}
  %0 = onnx.Softmax %x : (tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// Flatten's axis names a position between dimensions, so it may be the rank.
func.func @flatten_axis(%x: tensor<2x3x4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{'onnx.Flatten' op expected `axis` in [-3, 3] for a rank-3 input, got 4}}
  %0 = onnx.Flatten %x {axis = 4 : i64} : (tensor<2x3x4xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @flatten_result_rank(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  // expected-error @+1 {{'onnx.Flatten' op expected a 2-D result, got rank 3}}
  %0 = onnx.Flatten %x : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

func.func @split_nothing(%x: tensor<6xf32>) {
  // expected-error @+1 {{'onnx.Split' op expected at least one result}}
  onnx.Split %x : (tensor<6xf32>) -> ()
  return
}

// -----

func.func @split_both(%x: tensor<6xf32>, %s: tensor<2xi64>) {
  // expected-error @+1 {{expected either the `split` input or `num_outputs`, not both}}
  %0:2 = onnx.Split %x, %s {num_outputs = 2 : i64} : (tensor<6xf32>, tensor<2xi64>) -> (tensor<3xf32>, tensor<3xf32>)
  return
}

// -----

func.func @split_num_outputs(%x: tensor<6xf32>) {
  // expected-error @+1 {{expected 3 results for num_outputs = 3, got 2}}
  %0:2 = onnx.Split %x {num_outputs = 3 : i64} : (tensor<6xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  return
}

// -----

func.func @split_sizes(%x: tensor<6xf32>, %s: tensor<2xi64>) {
  // expected-error @+1 {{expected one result per entry of `split` (2), got 3}}
  %0:3 = onnx.Split %x, %s : (tensor<6xf32>, tensor<2xi64>) -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>)
  return
}

// -----

func.func @shape_rank(%x: tensor<2x3xf32>) -> tensor<1x2xi64> {
  // expected-error @+1 {{'onnx.Shape' op expected a 1-D result, got rank 2}}
  %0 = onnx.Shape %x : (tensor<2x3xf32>) -> tensor<1x2xi64>
  return %0 : tensor<1x2xi64>
}

// -----

func.func @shape_size(%x: tensor<2x3x4xf32>) -> tensor<3xi64> {
  // expected-error @+1 {{'onnx.Shape' op expected a result of size 1 for dimensions [1, 2) of a rank-3 input, got 3}}
  %0 = onnx.Shape %x {start = 1 : i64, end = -1 : i64} : (tensor<2x3x4xf32>) -> tensor<3xi64>
  return %0 : tensor<3xi64>
}

// -----

func.func @shape_i32(%x: tensor<2x3xf32>) -> tensor<2xi32> {
  // expected-error @+1 {{'onnx.Shape' op result #0 must be tensor of 64-bit signless integer values, but got 'tensor<2xi32>'}}
  %0 = onnx.Shape %x : (tensor<2x3xf32>) -> tensor<2xi32>
  return %0 : tensor<2xi32>
}

// -----

func.func @size_rank(%x: tensor<2x3xf32>) -> tensor<1xi64> {
  // expected-error @+1 {{'onnx.Size' op expected a 0-D result, got rank 1}}
  %0 = onnx.Size %x : (tensor<2x3xf32>) -> tensor<1xi64>
  return %0 : tensor<1xi64>
}

// -----

func.func @clip_bound_type(%x: tensor<4xf32>, %lo: tensor<f16>) -> tensor<4xf32> {
  // expected-error @+1 {{expected `min` of the input's element type 'f32', got 'f16'}}
  %0 = onnx.Clip %x, min %lo : (tensor<4xf32>, tensor<f16>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @clip_syntax(%x: tensor<4xf32>, %hi: tensor<f32>) -> tensor<4xf32> {
  // expected-error @+1 {{expected 'min' or 'max'}}
  %0 = onnx.Clip %x, %hi : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @slice_order(%x: tensor<8xf32>, %i: tensor<1xi64>) -> tensor<*xf32> {
  // expected-error @+1 {{expected 'steps'}}
  %0 = onnx.Slice %x, %i, %i, axes %i, axes %i : (tensor<8xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @where_types(%c: tensor<4xi1>, %x: tensor<4xf32>, %y: tensor<4xf16>) -> tensor<4xf32> {
  // expected-error @+1 {{expected X, Y and the result to have one element type, got 'f32', 'f16' and 'f32'}}
  %0 = onnx.Where %c, %x, %y : (tensor<4xi1>, tensor<4xf32>, tensor<4xf16>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @where_condition(%c: tensor<4xi8>, %x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'onnx.Where' op operand #0 must be tensor of 1-bit signless integer values, but got 'tensor<4xi8>'}}
  %0 = onnx.Where %c, %x, %x : (tensor<4xi8>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @range_vector(%a: tensor<1xi64>, %b: tensor<i64>) -> tensor<?xi64> {
  // expected-error @+1 {{expected `start` to be a scalar (rank 0), got rank 1}}
  %0 = onnx.Range %a, %b, %b : (tensor<1xi64>, tensor<i64>, tensor<i64>) -> tensor<?xi64>
  return %0 : tensor<?xi64>
}

// -----

func.func @gemm_rank(%a: tensor<2x3x4xf32>, %b: tensor<4x5xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{expected `A` to be a matrix (rank 2), got rank 3}}
  %0 = onnx.Gemm %a, %b : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @mod_fmod_value(%a: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{expected `fmod` to be 0 or 1, got 2}}
  %0 = onnx.Mod %a, %a {fmod = 2 : i64} : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @mod_float(%a: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{expected fmod = 1 for floating-point operands ('f32')}}
  %0 = onnx.Mod %a, %a : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @bitshift_direction(%a: tensor<4xui8>) -> tensor<4xui8> {
  // expected-error @+1 {{expected `direction` to be one of "LEFT", "RIGHT", got "UP"}}
  %0 = onnx.BitShift %a, %a {direction = "UP"} : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

func.func @pad_mode(%x: tensor<4xf32>, %p: tensor<2xi64>) -> tensor<6xf32> {
  // expected-error @+1 {{expected `mode` to be one of "constant", "reflect", "edge", "wrap", got "mirror"}}
  %0 = onnx.Pad %x, %p {mode = "mirror"} : (tensor<4xf32>, tensor<2xi64>) -> tensor<6xf32>
  return %0 : tensor<6xf32>
}

// -----

func.func @pad_inputs(%x: tensor<4xf32>, %p: tensor<2xi64>, %v: tensor<f32>, %a: tensor<1xi64>) -> tensor<6xf32> {
  // expected-error @+1 {{expected at most 2 optional inputs (constant_value, axes), got 3}}
  %0 = onnx.Pad %x, %p, %v, %a, %a : (tensor<4xf32>, tensor<2xi64>, tensor<f32>, tensor<1xi64>, tensor<1xi64>) -> tensor<6xf32>
  return %0 : tensor<6xf32>
}

// -----

func.func @scatter_reduction(%x: tensor<4xf32>, %i: tensor<1x1xi64>, %u: tensor<1xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{expected `reduction` to be one of "none", "add", "mul", "max", "min", got "sub"}}
  %0 = onnx.ScatterND %x, %i, %u {reduction = "sub"} : (tensor<4xf32>, tensor<1x1xi64>, tensor<1xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @trilu_vector(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{expected an input of rank 2 or more, got rank 1}}
  %0 = onnx.Trilu %x : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @layernorm_results(%x: tensor<2x4xf32>, %s: tensor<4xf32>) {
  // expected-error @+1 {{expected at most 2 optional results (Mean, InvStdDev), got 3}}
  %0:4 = onnx.LayerNormalization %x, %s : (tensor<2x4xf32>, tensor<4xf32>) -> (tensor<2x4xf32>, tensor<2x1xf32>, tensor<2x1xf32>, tensor<2x1xf32>)
  return
}

// -----

func.func @constant_of_shape_value(%s: tensor<1xi64>) -> tensor<4xi64> {
  // expected-error @+1 {{expected `value` to hold one element, got 2}}
  %0 = onnx.ConstantOfShape %s {value = dense<[1, 2]> : tensor<2xi64>} : (tensor<1xi64>) -> tensor<4xi64>
  return %0 : tensor<4xi64>
}

// -----

// Without `value`, the fill is 0.0 : f32.
func.func @constant_of_shape_type(%s: tensor<1xi64>) -> tensor<4xi64> {
  // expected-error @+1 {{expected the result element type to be 'f32', the type of `value`, got 'i64'}}
  %0 = onnx.ConstantOfShape %s : (tensor<1xi64>) -> tensor<4xi64>
  return %0 : tensor<4xi64>
}

// -----

func.func @equal_result(%a: tensor<4xi64>) -> tensor<4xi64> {
  // expected-error @+1 {{'onnx.Equal' op result #0 must be tensor of 1-bit signless integer values, but got 'tensor<4xi64>'}}
  %0 = onnx.Equal %a, %a : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  return %0 : tensor<4xi64>
}

// -----

func.func @add_types(%a: tensor<4xf32>, %b: tensor<4xf16>) -> tensor<4xf32> {
  // expected-error @+1 {{'onnx.Add' op requires the same element type for all operands and results}}
  %0 = onnx.Add %a, %b : (tensor<4xf32>, tensor<4xf16>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
