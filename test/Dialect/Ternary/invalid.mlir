// RUN: bitnet-opt %s -split-input-file -verify-diagnostics

// One case per diagnostic of the ternary dialect's types, parsers and
// verifiers.

// expected-error @+1 {{expected positive dimensions, got 0x4}}
func.func private @zero_dim(!ternary.weights<0x4xf32>)

// -----

// expected-error @+1 {{expected a group size that divides the 6 input features, got 4}}
func.func private @bad_group(!ternary.weights<2x6xf32, group = 4>)

// -----

// expected-error @+1 {{expected a group size that divides the 6 input features, got -2}}
func.func private @negative_group(!ternary.weights<2x6xf32, group = -2>)

// -----

// expected-error @+1 {{expected OUTxINxF (two dimensions), got 3 dimensions}}
func.func private @rank3(!ternary.weights<2x3x4xf32>)

// -----

// expected-error @+1 {{expected a float scale type, got 'i32'}}
func.func private @int_scale(!ternary.weights<2x3xi32>)

// -----

// expected-error @+1 {{expected 'per_channel', 'group', 'packing' or 'row_align', got 'per_row'}}
func.func private @bad_granularity(!ternary.weights<2x3xf32, per_row>)

// -----

// expected-error @+1 {{expected packing base4 or base3, got 'base2'}}
func.func private @bad_packing(!ternary.weights<2x3xf32, packing = base2>)

// -----

// The granularity comes before the layout.
// expected-error @+1 {{expected 'packing' or 'row_align', got 'per_channel'}}
func.func private @late_granularity(!ternary.weights<2x3xf32, packing = base3, per_channel>)

// -----

// expected-error @+1 {{expected a row alignment in [1, 4096] bytes, got 0}}
func.func private @zero_align(!ternary.weights<2x3xf32, row_align = 0>)

// -----

func.func @base3_packed_type() {
  // Seven trits take two base3 bytes, padded to a row of 32.
  // expected-error @+1 {{'ternary.constant' op expected packed storage of type 'tensor<2x32xi8>' for '!ternary.weights<2x7xf32, packing = base3, row_align = 32>', got 'tensor<2x2xi8>'}}
  %w = ternary.constant packed dense<121> : tensor<2x2xi8>, scale dense<1.0> : tensor<f32> -> !ternary.weights<2x7xf32, packing = base3, row_align = 32>
  return
}

// -----

func.func @packed_type() {
  // expected-error @+1 {{'ternary.constant' op expected packed storage of type 'tensor<2x2xi8>' for '!ternary.weights<2x5xf32>', got 'tensor<2x1xi8>'}}
  %w = ternary.constant packed dense<85> : tensor<2x1xi8>, scale dense<1.0> : tensor<f32> -> !ternary.weights<2x5xf32>
  return
}

// -----

func.func @scale_type() {
  // expected-error @+1 {{'ternary.constant' op expected a scale of type 'tensor<2xf32>' for '!ternary.weights<2x3xf32, per_channel>', got 'tensor<f32>'}}
  %w = ternary.constant dense<0> : tensor<2x3xi8>, scale dense<1.0> : tensor<f32> -> !ternary.weights<2x3xf32, per_channel>
  return
}

// -----

func.func @field_three() {
  // 87 = 0x57 = 0b01'01'01'11: its lowest field is 3.
  // expected-error @+1 {{'ternary.constant' op packed byte 1 holds the field 3, which is no trit (fields hold trit + 1)}}
  %w = ternary.constant packed dense<[[85], [87]]> : tensor<2x1xi8>, scale dense<1.0> : tensor<f32> -> !ternary.weights<2x4xf32>
  return
}

// -----

func.func @missing_resource() {
  // expected-error @+1 {{'ternary.constant' op packed storage refers to the resource 'nowhere', which has no data}}
  %w = ternary.constant packed dense_resource<nowhere> : tensor<2x1xi8>, scale dense<1.0> : tensor<f32> -> !ternary.weights<2x4xf32>
  return
}

// -----

func.func @not_dense() {
  // expected-error @+1 {{'ternary.constant' op expected packed storage in a dense or dense_resource attribute}}
  %w = ternary.constant packed sparse<[[0, 0]], [85]> : tensor<2x1xi8>, scale dense<1.0> : tensor<f32> -> !ternary.weights<2x4xf32>
  return
}

// -----

func.func @result_not_weights() {
  // expected-error @+1 {{expected !ternary.weights, got 'tensor<2x3xf32>'}}
  %w = ternary.constant dense<0> : tensor<2x3xi8>, scale dense<1.0> : tensor<f32> -> tensor<2x3xf32>
  return
}

// -----

func.func @scale_not_elements() {
  // expected-error @+1 {{expected an elements attribute for the scale}}
  %w = ternary.constant dense<0> : tensor<2x3xi8>, scale 1.0 : f32 -> !ternary.weights<2x3xf32>
  return
}

// -----

func.func @packed_not_elements() {
  // expected-error @+1 {{expected an elements attribute of packed bytes}}
  %w = ternary.constant packed 85 : i8, scale dense<1.0> : tensor<f32> -> !ternary.weights<2x3xf32>
  return
}

// -----

func.func @trits_type() {
  // expected-error @+1 {{expected trits of type 'tensor<2x3xi8>', got dense<0> : tensor<3x2xi8>}}
  %w = ternary.constant dense<0> : tensor<3x2xi8>, scale dense<1.0> : tensor<f32> -> !ternary.weights<2x3xf32>
  return
}

// -----

func.func @not_a_trit() {
  // expected-error @+1 {{expected trits in {-1, 0, +1}, got 2 at row 1, column 0}}
  %w = ternary.constant dense<[[1, 0, -1], [2, 0, 0]]> : tensor<2x3xi8>, scale dense<1.0> : tensor<f32> -> !ternary.weights<2x3xf32>
  return
}

// -----

func.func @absmean_shape(%w: tensor<16x8xf32>) {
  // expected-error @+1 {{'ternary.absmean_quant' op expected input of shape 8x16 to match '!ternary.weights<8x16xf32>', got 16x8}}
  %t = ternary.absmean_quant %w : tensor<16x8xf32> -> !ternary.weights<8x16xf32>
  return
}

// -----

func.func @absmean_dynamic(%w: tensor<?x16xf32>) {
  // expected-error @+1 {{'ternary.absmean_quant' op expected input of shape 8x16 to match '!ternary.weights<8x16xf32>', got ?x16}}
  %t = ternary.absmean_quant %w : tensor<?x16xf32> -> !ternary.weights<8x16xf32>
  return
}

// -----

func.func @absmean_scale_type(%w: tensor<8x16xf16>) {
  // expected-error @+1 {{'ternary.absmean_quant' op expected the scale type of '!ternary.weights<8x16xf32>' to be the input element type 'f16'}}
  %t = ternary.absmean_quant %w : tensor<8x16xf16> -> !ternary.weights<8x16xf32>
  return
}

// -----

func.func @absmean_epsilon(%w: tensor<8x16xf32>) {
  // expected-error @+1 {{'ternary.absmean_quant' op expected a positive epsilon, got 0}}
  %t = ternary.absmean_quant %w {epsilon = 0.0 : f64} : tensor<8x16xf32> -> !ternary.weights<8x16xf32>
  return
}

// -----

func.func @pack_trits(%t: tensor<8x15xi8>, %s: tensor<f32>) {
  // expected-error @+1 {{'ternary.pack' op expected trits of type 'tensor<8x16xi8>' for '!ternary.weights<8x16xf32>', got 'tensor<8x15xi8>'}}
  %w = ternary.pack %t, %s : tensor<8x15xi8>, tensor<f32> -> !ternary.weights<8x16xf32>
  return
}

// -----

func.func @pack_scale(%t: tensor<8x16xi8>, %s: tensor<8xf32>) {
  // expected-error @+1 {{'ternary.pack' op expected a scale of type 'tensor<8x4xf32>' for '!ternary.weights<8x16xf32, group = 4>', got 'tensor<8xf32>'}}
  %w = ternary.pack %t, %s : tensor<8x16xi8>, tensor<8xf32> -> !ternary.weights<8x16xf32, group = 4>
  return
}

// -----

func.func @pack_element_type(%t: tensor<8x16xi32>, %s: tensor<f32>) {
  // expected-error @+1 {{'ternary.pack' op operand #0 must be ranked tensor of 8-bit signless integer values}}
  %w = ternary.pack %t, %s : tensor<8x16xi32>, tensor<f32> -> !ternary.weights<8x16xf32>
  return
}

// -----

func.func @unpack_scale(%w: !ternary.weights<8x16xf32, per_channel>) {
  // expected-error @+1 {{'ternary.unpack' op expected a scale of type 'tensor<8xf32>' for '!ternary.weights<8x16xf32, per_channel>', got 'tensor<f32>'}}
  %t, %s = ternary.unpack %w : !ternary.weights<8x16xf32, per_channel> -> tensor<8x16xi8>, tensor<f32>
  return
}

// -----

func.func @dequantize_type(%w: !ternary.weights<8x16xf32>) {
  // expected-error @+1 {{'ternary.dequantize' op expected a result of type 'tensor<8x16xf32>' for '!ternary.weights<8x16xf32>', got 'tensor<8x16xf16>'}}
  %f = ternary.dequantize %w : !ternary.weights<8x16xf32> -> tensor<8x16xf16>
  return
}

// -----

func.func @absmax_rank0(%x: tensor<f32>) {
  // expected-error @+1 {{'ternary.absmax_quant' op expected activations of rank 1 or more}}
  %q, %s = ternary.absmax_quant %x : tensor<f32> -> tensor<i8>, tensor<f32>
  return
}

// -----

func.func @absmax_quantized_shape(%x: tensor<4x16xf32>) {
  // expected-error @+1 {{'ternary.absmax_quant' op expected quantized activations of the input shape 4x16, got 4x8}}
  %q, %s = ternary.absmax_quant %x : tensor<4x16xf32> -> tensor<4x8xi8>, tensor<4x1xf32>
  return
}

// -----

func.func @absmax_scale_shape(%x: tensor<?x16xf32>) {
  // expected-error @+1 {{'ternary.absmax_quant' op expected a per-token scale of shape ?x1, got ?}}
  %q, %s = ternary.absmax_quant %x : tensor<?x16xf32> -> tensor<?x16xi8>, tensor<?xf32>
  return
}

// -----

func.func @absmax_scale_type(%x: tensor<4x16xf32>) {
  // expected-error @+1 {{'ternary.absmax_quant' op expected the scale to have the input element type 'f32', got 'f16'}}
  %q, %s = ternary.absmax_quant %x : tensor<4x16xf32> -> tensor<4x16xi8>, tensor<4x1xf16>
  return
}

// -----

func.func @absmax_epsilon(%x: tensor<4x16xf32>) {
  // expected-error @+1 {{'ternary.absmax_quant' op expected a positive epsilon, got -1}}
  %q, %s = ternary.absmax_quant %x {epsilon = -1.0 : f64} : tensor<4x16xf32> -> tensor<4x16xi8>, tensor<4x1xf32>
  return
}

// -----

func.func @matmul_group(%q: tensor<4x16xi8>, %w: !ternary.weights<8x16xf32, group = 8>) {
  // expected-error @+1 {{'ternary.matmul' op cannot take weights scaled per group ('!ternary.weights<8x16xf32, group = 8>'): each group's sum needs its own scale; use ternary.bitlinear}}
  %acc = ternary.matmul %q, %w : tensor<4x16xi8>, !ternary.weights<8x16xf32, group = 8> -> tensor<4x8xi32>
  return
}

// -----

func.func @matmul_rank0(%q: tensor<i8>, %w: !ternary.weights<8x16xf32>) {
  // expected-error @+1 {{'ternary.matmul' op expected activations of rank 1 or more}}
  %acc = ternary.matmul %q, %w : tensor<i8>, !ternary.weights<8x16xf32> -> tensor<8xi32>
  return
}

// -----

func.func @matmul_features(%q: tensor<4x15xi8>, %w: !ternary.weights<8x16xf32>) {
  // expected-error @+1 {{'ternary.matmul' op expected the last dimension of the activations 4x15 to be the 16 input features of '!ternary.weights<8x16xf32>'}}
  %acc = ternary.matmul %q, %w : tensor<4x15xi8>, !ternary.weights<8x16xf32> -> tensor<4x8xi32>
  return
}

// -----

func.func @matmul_accumulator(%q: tensor<4x16xi8>, %w: !ternary.weights<8x16xf32>) {
  // expected-error @+1 {{'ternary.matmul' op result #0 must be ranked tensor of 32-bit signless integer values}}
  %acc = ternary.matmul %q, %w : tensor<4x16xi8>, !ternary.weights<8x16xf32> -> tensor<4x8xi16>
  return
}

// -----

func.func @bitlinear_result_shape(%x: tensor<2x?x16xf32>, %w: !ternary.weights<8x16xf32>) {
  // expected-error @+1 {{'ternary.bitlinear' op expected a result of shape 2x?x8, got 2x?x16}}
  %y = ternary.bitlinear %x, %w : tensor<2x?x16xf32>, !ternary.weights<8x16xf32> -> tensor<2x?x16xf32>
  return
}

// -----

func.func @bitlinear_result_rank(%x: tensor<2x4x16xf32>, %w: !ternary.weights<8x16xf32>) {
  // expected-error @+1 {{'ternary.bitlinear' op expected a result of shape 2x4x8, got 8x8}}
  %y = ternary.bitlinear %x, %w : tensor<2x4x16xf32>, !ternary.weights<8x16xf32> -> tensor<8x8xf32>
  return
}

// -----

func.func @bitlinear_element_type(%x: tensor<4x16xf32>, %w: !ternary.weights<8x16xf32>) {
  // expected-error @+1 {{'ternary.bitlinear' op expected the result element type to be the input element type 'f32', got 'f16'}}
  %y = ternary.bitlinear %x, %w : tensor<4x16xf32>, !ternary.weights<8x16xf32> -> tensor<4x8xf16>
  return
}

// -----

func.func @bitlinear_epsilon(%x: tensor<4x16xf32>, %w: !ternary.weights<8x16xf32>) {
  // expected-error @+1 {{'ternary.bitlinear' op expected a positive epsilon, got 0}}
  %y = ternary.bitlinear %x, %w {epsilon = 0.0 : f64} : tensor<4x16xf32>, !ternary.weights<8x16xf32> -> tensor<4x8xf32>
  return
}

// -----

func.func @short_resource() {
  // expected-error @+1 {{'ternary.constant' op packed storage holds 3 bytes, expected 4}}
  %w = ternary.constant packed dense_resource<short> : tensor<2x2xi8>, scale dense<1.0> : tensor<f32> -> !ternary.weights<2x5xf32>
  return
}
{-#
  dialect_resources: {
    builtin: {
      short: "0x01000000555555"
    }
  }
#-}
