// RUN: bitnet-opt %s | bitnet-opt | FileCheck %s
// RUN: bitnet-opt %s --mlir-print-op-generic | bitnet-opt | FileCheck %s
// RUN: bitnet-opt %s --emit-bytecode | bitnet-opt | FileCheck %s

// Every op of the onnx dialect, printed back in its custom form.

// Element-wise operators: unary, binary with broadcasting, logic,
// comparisons, and the variadic Sum/Mean/Max/Min.
// CHECK-LABEL: func.func @elementwise(
// CHECK-SAME: %[[X:[^:]*]]: tensor<?x4xf32>, %[[ROW:[^:]*]]: tensor<4xf32>, %[[I:[^:]*]]: tensor<3xi64>, %[[U:[^:]*]]: tensor<3xui8>, %[[B:[^:]*]]: tensor<3xi1>
// CHECK: %[[ABS:.*]] = onnx.Abs %[[X]] : (tensor<?x4xf32>) -> tensor<?x4xf32>
// CHECK: %[[CEIL:.*]] = onnx.Ceil %[[X]] : (tensor<?x4xf32>) -> tensor<?x4xf32>
// CHECK: %[[COS:.*]] = onnx.Cos %[[X]] : (tensor<?x4xf32>) -> tensor<?x4xf32>
// CHECK: %[[ERF:.*]] = onnx.Erf %[[X]] : (tensor<?x4xf32>) -> tensor<?x4xf32>
// CHECK: %[[EXP:.*]] = onnx.Exp %[[X]] : (tensor<?x4xf32>) -> tensor<?x4xf32>
// CHECK: %[[FLOOR:.*]] = onnx.Floor %[[X]] : (tensor<?x4xf32>) -> tensor<?x4xf32>
// CHECK: %[[LOG:.*]] = onnx.Log %[[X]] : (tensor<?x4xf32>) -> tensor<?x4xf32>
// CHECK: %[[NEG:.*]] = onnx.Neg %[[I]] : (tensor<3xi64>) -> tensor<3xi64>
// CHECK: %[[RECIP:.*]] = onnx.Reciprocal %[[X]] : (tensor<?x4xf32>) -> tensor<?x4xf32>
// CHECK: %[[RELU:.*]] = onnx.Relu %[[X]] : (tensor<?x4xf32>) -> tensor<?x4xf32>
// CHECK: %[[ROUND:.*]] = onnx.Round %[[X]] : (tensor<?x4xf32>) -> tensor<?x4xf32>
// CHECK: %[[SIGMOID:.*]] = onnx.Sigmoid %[[X]] : (tensor<?x4xf32>) -> tensor<?x4xf32>
// CHECK: %[[SIGN:.*]] = onnx.Sign %[[X]] : (tensor<?x4xf32>) -> tensor<?x4xf32>
// CHECK: %[[SIN:.*]] = onnx.Sin %[[X]] : (tensor<?x4xf32>) -> tensor<?x4xf32>
// CHECK: %[[SQRT:.*]] = onnx.Sqrt %[[X]] : (tensor<?x4xf32>) -> tensor<?x4xf32>
// CHECK: %[[TANH:.*]] = onnx.Tanh %[[X]] : (tensor<?x4xf32>) -> tensor<*xf32>
// CHECK: %[[BNOT:.*]] = onnx.BitwiseNot %[[U]] : (tensor<3xui8>) -> tensor<3xui8>
// CHECK: %[[NOT:.*]] = onnx.Not %[[B]] : (tensor<3xi1>) -> tensor<3xi1>
// CHECK: %[[NAN:.*]] = onnx.IsNaN %[[X]] : (tensor<?x4xf32>) -> tensor<?x4xi1>
// CHECK: %[[INF:.*]] = onnx.IsInf %[[X]] {detect_negative = 0 : i64} : (tensor<?x4xf32>) -> tensor<?x4xi1>
// CHECK: %[[ADD:.*]] = onnx.Add %[[X]], %[[ROW]] : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
// CHECK: %[[SUB:.*]] = onnx.Sub %[[X]], %[[ROW]] : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
// CHECK: %[[MUL:.*]] = onnx.Mul %[[X]], %[[ROW]] : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
// CHECK: %[[DIV:.*]] = onnx.Div %[[X]], %[[ROW]] : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
// CHECK: %[[MOD:.*]] = onnx.Mod %[[X]], %[[ROW]] {fmod = 1 : i64} : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
// CHECK: %[[POW:.*]] = onnx.Pow %[[X]], %[[I]] : (tensor<?x4xf32>, tensor<3xi64>) -> tensor<?x4xf32>
// CHECK: %[[BAND:.*]] = onnx.BitwiseAnd %[[U]], %[[U]] : (tensor<3xui8>, tensor<3xui8>) -> tensor<3xui8>
// CHECK: %[[BOR:.*]] = onnx.BitwiseOr %[[U]], %[[U]] : (tensor<3xui8>, tensor<3xui8>) -> tensor<3xui8>
// CHECK: %[[BXOR:.*]] = onnx.BitwiseXor %[[U]], %[[U]] : (tensor<3xui8>, tensor<3xui8>) -> tensor<3xui8>
// CHECK: %[[SHL:.*]] = onnx.BitShift %[[U]], %[[U]] {direction = "LEFT"} : (tensor<3xui8>, tensor<3xui8>) -> tensor<3xui8>
// CHECK: %[[AND:.*]] = onnx.And %[[B]], %[[B]] : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
// CHECK: %[[OR:.*]] = onnx.Or %[[B]], %[[B]] : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
// CHECK: %[[XOR:.*]] = onnx.Xor %[[B]], %[[B]] : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
// CHECK: %[[EQ:.*]] = onnx.Equal %[[I]], %[[I]] : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi1>
// CHECK: %[[GT:.*]] = onnx.Greater %[[X]], %[[ROW]] : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xi1>
// CHECK: %[[GE:.*]] = onnx.GreaterOrEqual %[[X]], %[[ROW]] : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xi1>
// CHECK: %[[LT:.*]] = onnx.Less %[[I]], %[[I]] : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi1>
// CHECK: %[[LE:.*]] = onnx.LessOrEqual %[[I]], %[[I]] : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi1>
// CHECK: %[[SUM:.*]] = onnx.Sum %[[X]], %[[ROW]], %[[X]] : (tensor<?x4xf32>, tensor<4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
// CHECK: %[[MEAN:.*]] = onnx.Mean %[[X]], %[[ROW]] : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
// CHECK: %[[MAX:.*]] = onnx.Max %[[I]] : (tensor<3xi64>) -> tensor<3xi64>
// CHECK: %[[MIN:.*]] = onnx.Min %[[I]], %[[I]] : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
func.func @elementwise(%x: tensor<?x4xf32>, %row: tensor<4xf32>, %i: tensor<3xi64>, %u: tensor<3xui8>, %b: tensor<3xi1>) {
  %abs = onnx.Abs %x : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %ceil = onnx.Ceil %x : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %cos = onnx.Cos %x : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %erf = onnx.Erf %x : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %exp = onnx.Exp %x : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %floor = onnx.Floor %x : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %log = onnx.Log %x : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %neg = onnx.Neg %i : (tensor<3xi64>) -> tensor<3xi64>
  %recip = onnx.Reciprocal %x : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %relu = onnx.Relu %x : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %round = onnx.Round %x : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %sigmoid = onnx.Sigmoid %x : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %sign = onnx.Sign %x : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %sin = onnx.Sin %x : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %sqrt = onnx.Sqrt %x : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %tanh = onnx.Tanh %x : (tensor<?x4xf32>) -> tensor<*xf32>
  %bnot = onnx.BitwiseNot %u : (tensor<3xui8>) -> tensor<3xui8>
  %not = onnx.Not %b : (tensor<3xi1>) -> tensor<3xi1>
  %nan = onnx.IsNaN %x : (tensor<?x4xf32>) -> tensor<?x4xi1>
  %inf = onnx.IsInf %x {detect_negative = 0 : i64} : (tensor<?x4xf32>) -> tensor<?x4xi1>
  %add = onnx.Add %x, %row : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %sub = onnx.Sub %x, %row : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %mul = onnx.Mul %x, %row : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %div = onnx.Div %x, %row : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %mod = onnx.Mod %x, %row {fmod = 1 : i64} : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %pow = onnx.Pow %x, %i : (tensor<?x4xf32>, tensor<3xi64>) -> tensor<?x4xf32>
  %band = onnx.BitwiseAnd %u, %u : (tensor<3xui8>, tensor<3xui8>) -> tensor<3xui8>
  %bor = onnx.BitwiseOr %u, %u : (tensor<3xui8>, tensor<3xui8>) -> tensor<3xui8>
  %bxor = onnx.BitwiseXor %u, %u : (tensor<3xui8>, tensor<3xui8>) -> tensor<3xui8>
  %shl = onnx.BitShift %u, %u {direction = "LEFT"} : (tensor<3xui8>, tensor<3xui8>) -> tensor<3xui8>
  %and = onnx.And %b, %b : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
  %or = onnx.Or %b, %b : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
  %xor = onnx.Xor %b, %b : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
  %eq = onnx.Equal %i, %i : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi1>
  %gt = onnx.Greater %x, %row : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xi1>
  %ge = onnx.GreaterOrEqual %x, %row : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xi1>
  %lt = onnx.Less %i, %i : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi1>
  %le = onnx.LessOrEqual %i, %i : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi1>
  %sum = onnx.Sum %x, %row, %x : (tensor<?x4xf32>, tensor<4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  %mean = onnx.Mean %x, %row : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %max = onnx.Max %i : (tensor<3xi64>) -> tensor<3xi64>
  %min = onnx.Min %i, %i : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
  return
}

// Linear algebra and normalization; Gemm's C and LayerNormalization's
// Mean/InvStdDev are optional.
// CHECK-LABEL: func.func @linear(
// CHECK-SAME: %[[X:[^:]*]]: tensor<2x?x64xf32>, %[[W:[^:]*]]: tensor<64x32xf32>, %[[A:[^:]*]]: tensor<8x64xf32>, %[[C:[^:]*]]: tensor<32xf32>, %[[G:[^:]*]]: tensor<64xf32>
// CHECK: %[[MM:.*]] = onnx.MatMul %[[X]], %[[W]] : (tensor<2x?x64xf32>, tensor<64x32xf32>) -> tensor<2x?x32xf32>
// CHECK: %[[GEMM:.*]] = onnx.Gemm %[[A]], %[[W]], %[[C]] {alpha = 5.000000e-01 : f32, transB = 0 : i64} : (tensor<8x64xf32>, tensor<64x32xf32>, tensor<32xf32>) -> tensor<8x32xf32>
// CHECK: %[[GEMM2:.*]] = onnx.Gemm %[[A]], %[[W]] : (tensor<8x64xf32>, tensor<64x32xf32>) -> tensor<8x32xf32>
// CHECK: %[[SM:.*]] = onnx.Softmax %[[X]] {axis = -1 : i64} : (tensor<2x?x64xf32>) -> tensor<2x?x64xf32>
// CHECK: %[[LSM:.*]] = onnx.LogSoftmax %[[X]] : (tensor<2x?x64xf32>) -> tensor<2x?x64xf32>
// CHECK: %[[LN:.*]] = onnx.LayerNormalization %[[X]], %[[G]], %[[G]] {epsilon = 9.99999974E-6 : f32} : (tensor<2x?x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<2x?x64xf32>
// CHECK: %[[LN2:.*]], %[[LN2_STATS:.*]]:2 = onnx.LayerNormalization %[[X]], %[[G]] {axis = 2 : i64} : (tensor<2x?x64xf32>, tensor<64xf32>) -> (tensor<2x?x64xf32>, tensor<2x?x1xf32>, tensor<2x?x1xf32>)
func.func @linear(%x: tensor<2x?x64xf32>, %w: tensor<64x32xf32>, %a: tensor<8x64xf32>, %c: tensor<32xf32>, %g: tensor<64xf32>) {
  %mm = onnx.MatMul %x, %w : (tensor<2x?x64xf32>, tensor<64x32xf32>) -> tensor<2x?x32xf32>
  %gemm = onnx.Gemm %a, %w, %c {alpha = 5.000000e-01 : f32, transB = 0 : i64} : (tensor<8x64xf32>, tensor<64x32xf32>, tensor<32xf32>) -> tensor<8x32xf32>
  %gemm2 = onnx.Gemm %a, %w : (tensor<8x64xf32>, tensor<64x32xf32>) -> tensor<8x32xf32>
  %sm = onnx.Softmax %x {axis = -1 : i64} : (tensor<2x?x64xf32>) -> tensor<2x?x64xf32>
  %lsm = onnx.LogSoftmax %x : (tensor<2x?x64xf32>) -> tensor<2x?x64xf32>
  %ln = onnx.LayerNormalization %x, %g, %g {epsilon = 9.99999974E-6 : f32} : (tensor<2x?x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<2x?x64xf32>
  %ln2:3 = onnx.LayerNormalization %x, %g {axis = 2 : i64} : (tensor<2x?x64xf32>, tensor<64xf32>) -> (tensor<2x?x64xf32>, tensor<2x?x1xf32>, tensor<2x?x1xf32>)
  return
}

// Reductions take `axes` as an optional operand.
// CHECK-LABEL: func.func @reductions(
// CHECK-SAME: %[[X:[^:]*]]: tensor<?x?x64xf32>, %[[AXES:[^:]*]]: tensor<1xi64>, %[[K:[^:]*]]: tensor<1xi64>, %[[AX:[^:]*]]: tensor<i64>
// CHECK: %[[L2:.*]] = onnx.ReduceL2 %[[X]], %[[AXES]] : (tensor<?x?x64xf32>, tensor<1xi64>) -> tensor<?x?x1xf32>
// CHECK: %[[MAX:.*]] = onnx.ReduceMax %[[X]], %[[AXES]] {keepdims = 0 : i64} : (tensor<?x?x64xf32>, tensor<1xi64>) -> tensor<?x?xf32>
// CHECK: %[[MEAN:.*]] = onnx.ReduceMean %[[X]], %[[AXES]] {keepdims = 1 : i64} : (tensor<?x?x64xf32>, tensor<1xi64>) -> tensor<?x?x1xf32>
// CHECK: %[[MIN:.*]] = onnx.ReduceMin %[[X]], %[[AXES]] : (tensor<?x?x64xf32>, tensor<1xi64>) -> tensor<?x?x1xf32>
// CHECK: %[[PROD:.*]] = onnx.ReduceProd %[[X]], %[[AXES]] : (tensor<?x?x64xf32>, tensor<1xi64>) -> tensor<?x?x1xf32>
// CHECK: %[[ALL:.*]] = onnx.ReduceSum %[[X]] {keepdims = 0 : i64} : (tensor<?x?x64xf32>) -> tensor<f32>
// CHECK: %[[NOOP:.*]] = onnx.ReduceSum %[[X]] {noop_with_empty_axes = 1 : i64} : (tensor<?x?x64xf32>) -> tensor<?x?x64xf32>
// CHECK: %[[ARG:.*]] = onnx.ArgMax %[[X]] {axis = -1 : i64, keepdims = 0 : i64} : (tensor<?x?x64xf32>) -> tensor<?x?xi64>
// CHECK: %[[VALUES:.*]], %[[INDICES:.*]] = onnx.TopK %[[X]], %[[K]] {largest = 1 : i64} : (tensor<?x?x64xf32>, tensor<1xi64>) -> (tensor<?x?x?xf32>, tensor<?x?x?xi64>)
// CHECK: %[[CUM:.*]] = onnx.CumSum %[[X]], %[[AX]] {exclusive = 1 : i64} : (tensor<?x?x64xf32>, tensor<i64>) -> tensor<?x?x64xf32>
func.func @reductions(%x: tensor<?x?x64xf32>, %axes: tensor<1xi64>, %k: tensor<1xi64>, %ax: tensor<i64>) {
  %l2 = onnx.ReduceL2 %x, %axes : (tensor<?x?x64xf32>, tensor<1xi64>) -> tensor<?x?x1xf32>
  %max = onnx.ReduceMax %x, %axes {keepdims = 0 : i64} : (tensor<?x?x64xf32>, tensor<1xi64>) -> tensor<?x?xf32>
  %mean = onnx.ReduceMean %x, %axes {keepdims = 1 : i64} : (tensor<?x?x64xf32>, tensor<1xi64>) -> tensor<?x?x1xf32>
  %min = onnx.ReduceMin %x, %axes : (tensor<?x?x64xf32>, tensor<1xi64>) -> tensor<?x?x1xf32>
  %prod = onnx.ReduceProd %x, %axes : (tensor<?x?x64xf32>, tensor<1xi64>) -> tensor<?x?x1xf32>
  %all = onnx.ReduceSum %x {keepdims = 0 : i64} : (tensor<?x?x64xf32>) -> tensor<f32>
  %noop = onnx.ReduceSum %x {noop_with_empty_axes = 1 : i64} : (tensor<?x?x64xf32>) -> tensor<?x?x64xf32>
  %arg = onnx.ArgMax %x {axis = -1 : i64, keepdims = 0 : i64} : (tensor<?x?x64xf32>) -> tensor<?x?xi64>
  %values, %indices = onnx.TopK %x, %k {largest = 1 : i64} : (tensor<?x?x64xf32>, tensor<1xi64>) -> (tensor<?x?x?xf32>, tensor<?x?x?xi64>)
  %cum = onnx.CumSum %x, %ax {exclusive = 1 : i64} : (tensor<?x?x64xf32>, tensor<i64>) -> tensor<?x?x64xf32>
  return
}

// Shape computations, on ranked and unranked tensors.
// CHECK-LABEL: func.func @shapes(
// CHECK-SAME: %[[X:[^:]*]]: tensor<2x?x64xf32>, %[[SHAPE:[^:]*]]: tensor<4xi64>, %[[AXES:[^:]*]]: tensor<1xi64>, %[[U:[^:]*]]: tensor<*xf32>
// CHECK: %[[S:.*]] = onnx.Shape %[[X]] : (tensor<2x?x64xf32>) -> tensor<3xi64>
// CHECK: %[[TAIL:.*]] = onnx.Shape %[[X]] {end = -1 : i64, start = 1 : i64} : (tensor<2x?x64xf32>) -> tensor<1xi64>
// CHECK: %[[N:.*]] = onnx.Size %[[X]] : (tensor<2x?x64xf32>) -> tensor<i64>
// CHECK: %[[R:.*]] = onnx.Reshape %[[X]], %[[SHAPE]] {allowzero = 0 : i64} : (tensor<2x?x64xf32>, tensor<4xi64>) -> tensor<2x?x4x16xf32>
// CHECK: %[[F:.*]] = onnx.Flatten %[[X]] {axis = 2 : i64} : (tensor<2x?x64xf32>) -> tensor<?x64xf32>
// CHECK: %[[SQ:.*]] = onnx.Squeeze %[[U]] : (tensor<*xf32>) -> tensor<*xf32>
// CHECK: %[[SQ2:.*]] = onnx.Squeeze %[[X]], %[[AXES]] : (tensor<2x?x64xf32>, tensor<1xi64>) -> tensor<*xf32>
// CHECK: %[[US:.*]] = onnx.Unsqueeze %[[X]], %[[AXES]] : (tensor<2x?x64xf32>, tensor<1xi64>) -> tensor<1x2x?x64xf32>
// CHECK: %[[T:.*]] = onnx.Transpose %[[X]] {perm = [1, 0, 2]} : (tensor<2x?x64xf32>) -> tensor<?x2x64xf32>
// CHECK: %[[T2:.*]] = onnx.Transpose %[[U]] : (tensor<*xf32>) -> tensor<*xf32>
// CHECK: %[[E:.*]] = onnx.Expand %[[X]], %[[SHAPE]] : (tensor<2x?x64xf32>, tensor<4xi64>) -> tensor<?x2x?x64xf32>
// CHECK: %[[TILE:.*]] = onnx.Tile %[[X]], %[[S]] : (tensor<2x?x64xf32>, tensor<3xi64>) -> tensor<?x?x?xf32>
func.func @shapes(%x: tensor<2x?x64xf32>, %shape: tensor<4xi64>, %axes: tensor<1xi64>, %u: tensor<*xf32>) {
  %s = onnx.Shape %x : (tensor<2x?x64xf32>) -> tensor<3xi64>
  %tail = onnx.Shape %x {end = -1 : i64, start = 1 : i64} : (tensor<2x?x64xf32>) -> tensor<1xi64>
  %n = onnx.Size %x : (tensor<2x?x64xf32>) -> tensor<i64>
  %r = onnx.Reshape %x, %shape {allowzero = 0 : i64} : (tensor<2x?x64xf32>, tensor<4xi64>) -> tensor<2x?x4x16xf32>
  %f = onnx.Flatten %x {axis = 2 : i64} : (tensor<2x?x64xf32>) -> tensor<?x64xf32>
  %sq = onnx.Squeeze %u : (tensor<*xf32>) -> tensor<*xf32>
  %sq2 = onnx.Squeeze %x, %axes : (tensor<2x?x64xf32>, tensor<1xi64>) -> tensor<*xf32>
  %us = onnx.Unsqueeze %x, %axes : (tensor<2x?x64xf32>, tensor<1xi64>) -> tensor<1x2x?x64xf32>
  %t = onnx.Transpose %x {perm = [1, 0, 2]} : (tensor<2x?x64xf32>) -> tensor<?x2x64xf32>
  %t2 = onnx.Transpose %u : (tensor<*xf32>) -> tensor<*xf32>
  %e = onnx.Expand %x, %shape : (tensor<2x?x64xf32>, tensor<4xi64>) -> tensor<?x2x?x64xf32>
  %tile = onnx.Tile %x, %s : (tensor<2x?x64xf32>, tensor<3xi64>) -> tensor<?x?x?xf32>
  return
}

// Joining, splitting and selecting. Slice and Clip name their optional
// operand groups; Split has variadic results.
// CHECK-LABEL: func.func @select(
// CHECK-SAME: %[[X:[^:]*]]: tensor<4x6xf32>, %[[I:[^:]*]]: tensor<2xi64>, %[[I32:[^:]*]]: tensor<2xi32>, %[[IDX:[^:]*]]: tensor<2x1xi64>, %[[UPD:[^:]*]]: tensor<2x6xf32>, %[[COND:[^:]*]]: tensor<4x6xi1>, %[[LO:[^:]*]]: tensor<f32>, %[[HI:[^:]*]]: tensor<f32>, %[[K:[^:]*]]: tensor<i64>
// CHECK: %[[C:.*]] = onnx.Concat %[[X]], %[[X]] {axis = 0 : i64} : (tensor<4x6xf32>, tensor<4x6xf32>) -> tensor<8x6xf32>
// CHECK: %[[P:.*]]:2 = onnx.Split %[[X]], %[[I]] {axis = 1 : i64} : (tensor<4x6xf32>, tensor<2xi64>) -> (tensor<4x2xf32>, tensor<4x4xf32>)
// CHECK: %[[Q:.*]]:3 = onnx.Split %[[X]] {axis = 1 : i64, num_outputs = 3 : i64} : (tensor<4x6xf32>) -> (tensor<4x2xf32>, tensor<4x2xf32>, tensor<4x2xf32>)
// CHECK: %[[S1:.*]] = onnx.Slice %[[X]], %[[I]], %[[I]] : (tensor<4x6xf32>, tensor<2xi64>, tensor<2xi64>) -> tensor<?x?xf32>
// CHECK: %[[S2:.*]] = onnx.Slice %[[X]], %[[I]], %[[I]], axes %[[I]] : (tensor<4x6xf32>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>) -> tensor<?x?xf32>
// CHECK: %[[S3:.*]] = onnx.Slice %[[X]], %[[I32]], %[[I32]], steps %[[I32]] : (tensor<4x6xf32>, tensor<2xi32>, tensor<2xi32>, tensor<2xi32>) -> tensor<?x?xf32>
// CHECK: %[[S4:.*]] = onnx.Slice %[[X]], %[[I]], %[[I]], axes %[[I]], steps %[[I]] : (tensor<4x6xf32>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>) -> tensor<?x?xf32>
// CHECK: %[[G:.*]] = onnx.Gather %[[X]], %[[I]] {axis = 1 : i64} : (tensor<4x6xf32>, tensor<2xi64>) -> tensor<4x2xf32>
// CHECK: %[[GE:.*]] = onnx.GatherElements %[[X]], %[[IDX]] : (tensor<4x6xf32>, tensor<2x1xi64>) -> tensor<2x1xf32>
// CHECK: %[[GN:.*]] = onnx.GatherND %[[X]], %[[IDX]] {batch_dims = 0 : i64} : (tensor<4x6xf32>, tensor<2x1xi64>) -> tensor<2x6xf32>
// CHECK: %[[SE:.*]] = onnx.ScatterElements %[[X]], %[[IDX]], %[[UPD]] {axis = 0 : i64, reduction = "add"} : (tensor<4x6xf32>, tensor<2x1xi64>, tensor<2x6xf32>) -> tensor<4x6xf32>
// CHECK: %[[SN:.*]] = onnx.ScatterND %[[X]], %[[IDX]], %[[UPD]] : (tensor<4x6xf32>, tensor<2x1xi64>, tensor<2x6xf32>) -> tensor<4x6xf32>
// CHECK: %[[W:.*]] = onnx.Where %[[COND]], %[[X]], %[[LO]] : (tensor<4x6xi1>, tensor<4x6xf32>, tensor<f32>) -> tensor<4x6xf32>
// CHECK: %[[TRI:.*]] = onnx.Trilu %[[X]], %[[K]] {upper = 0 : i64} : (tensor<4x6xf32>, tensor<i64>) -> tensor<4x6xf32>
// CHECK: %[[TRI2:.*]] = onnx.Trilu %[[X]] : (tensor<4x6xf32>) -> tensor<4x6xf32>
// CHECK: %[[CLIP:.*]] = onnx.Clip %[[X]], min %[[LO]], max %[[HI]] : (tensor<4x6xf32>, tensor<f32>, tensor<f32>) -> tensor<4x6xf32>
// CHECK: %[[CLIP2:.*]] = onnx.Clip %[[X]], max %[[HI]] : (tensor<4x6xf32>, tensor<f32>) -> tensor<4x6xf32>
// CHECK: %[[CLIP3:.*]] = onnx.Clip %[[X]], min %[[LO]] : (tensor<4x6xf32>, tensor<f32>) -> tensor<4x6xf32>
// CHECK: %[[CLIP4:.*]] = onnx.Clip %[[X]] : (tensor<4x6xf32>) -> tensor<4x6xf32>
func.func @select(%x: tensor<4x6xf32>, %i: tensor<2xi64>, %i32: tensor<2xi32>, %idx: tensor<2x1xi64>, %upd: tensor<2x6xf32>, %cond: tensor<4x6xi1>, %lo: tensor<f32>, %hi: tensor<f32>, %k: tensor<i64>) {
  %c = onnx.Concat %x, %x {axis = 0 : i64} : (tensor<4x6xf32>, tensor<4x6xf32>) -> tensor<8x6xf32>
  %p:2 = onnx.Split %x, %i {axis = 1 : i64} : (tensor<4x6xf32>, tensor<2xi64>) -> (tensor<4x2xf32>, tensor<4x4xf32>)
  %q:3 = onnx.Split %x {axis = 1 : i64, num_outputs = 3 : i64} : (tensor<4x6xf32>) -> (tensor<4x2xf32>, tensor<4x2xf32>, tensor<4x2xf32>)
  %s1 = onnx.Slice %x, %i, %i : (tensor<4x6xf32>, tensor<2xi64>, tensor<2xi64>) -> tensor<?x?xf32>
  %s2 = onnx.Slice %x, %i, %i, axes %i : (tensor<4x6xf32>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>) -> tensor<?x?xf32>
  %s3 = onnx.Slice %x, %i32, %i32, steps %i32 : (tensor<4x6xf32>, tensor<2xi32>, tensor<2xi32>, tensor<2xi32>) -> tensor<?x?xf32>
  %s4 = onnx.Slice %x, %i, %i, axes %i, steps %i : (tensor<4x6xf32>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>) -> tensor<?x?xf32>
  %g = onnx.Gather %x, %i {axis = 1 : i64} : (tensor<4x6xf32>, tensor<2xi64>) -> tensor<4x2xf32>
  %ge = onnx.GatherElements %x, %idx : (tensor<4x6xf32>, tensor<2x1xi64>) -> tensor<2x1xf32>
  %gn = onnx.GatherND %x, %idx {batch_dims = 0 : i64} : (tensor<4x6xf32>, tensor<2x1xi64>) -> tensor<2x6xf32>
  %se = onnx.ScatterElements %x, %idx, %upd {axis = 0 : i64, reduction = "add"} : (tensor<4x6xf32>, tensor<2x1xi64>, tensor<2x6xf32>) -> tensor<4x6xf32>
  %sn = onnx.ScatterND %x, %idx, %upd : (tensor<4x6xf32>, tensor<2x1xi64>, tensor<2x6xf32>) -> tensor<4x6xf32>
  %w = onnx.Where %cond, %x, %lo : (tensor<4x6xi1>, tensor<4x6xf32>, tensor<f32>) -> tensor<4x6xf32>
  %tri = onnx.Trilu %x, %k {upper = 0 : i64} : (tensor<4x6xf32>, tensor<i64>) -> tensor<4x6xf32>
  %tri2 = onnx.Trilu %x : (tensor<4x6xf32>) -> tensor<4x6xf32>
  %clip = onnx.Clip %x, min %lo, max %hi : (tensor<4x6xf32>, tensor<f32>, tensor<f32>) -> tensor<4x6xf32>
  %clip2 = onnx.Clip %x, max %hi : (tensor<4x6xf32>, tensor<f32>) -> tensor<4x6xf32>
  %clip3 = onnx.Clip %x, min %lo : (tensor<4x6xf32>, tensor<f32>) -> tensor<4x6xf32>
  %clip4 = onnx.Clip %x : (tensor<4x6xf32>) -> tensor<4x6xf32>
  return
}

// An omitted input in the middle is the `none` of onnx.NoValue.
// CHECK-LABEL: func.func @pad(
// CHECK-SAME: %[[X:[^:]*]]: tensor<4x4xf32>, %[[PADS:[^:]*]]: tensor<2xi64>, %[[V:[^:]*]]: tensor<f32>, %[[AXES:[^:]*]]: tensor<1xi64>
// CHECK: %[[NONE:.*]] = onnx.NoValue
// CHECK: %[[P0:.*]] = onnx.Pad %[[X]], %[[PADS]] {mode = "reflect"} : (tensor<4x4xf32>, tensor<2xi64>) -> tensor<6x4xf32>
// CHECK: %[[P1:.*]] = onnx.Pad %[[X]], %[[PADS]], %[[V]] : (tensor<4x4xf32>, tensor<2xi64>, tensor<f32>) -> tensor<6x4xf32>
// CHECK: %[[P2:.*]] = onnx.Pad %[[X]], %[[PADS]], %[[NONE]], %[[AXES]] : (tensor<4x4xf32>, tensor<2xi64>, none, tensor<1xi64>) -> tensor<6x4xf32>
func.func @pad(%x: tensor<4x4xf32>, %pads: tensor<2xi64>, %v: tensor<f32>, %axes: tensor<1xi64>) {
  %none = onnx.NoValue
  %p0 = onnx.Pad %x, %pads {mode = "reflect"} : (tensor<4x4xf32>, tensor<2xi64>) -> tensor<6x4xf32>
  %p1 = onnx.Pad %x, %pads, %v : (tensor<4x4xf32>, tensor<2xi64>, tensor<f32>) -> tensor<6x4xf32>
  %p2 = onnx.Pad %x, %pads, %none, %axes : (tensor<4x4xf32>, tensor<2xi64>, none, tensor<1xi64>) -> tensor<6x4xf32>
  return
}

// Generators and conversions.
// CHECK-LABEL: func.func @generators(
// CHECK-SAME: %[[SHAPE:[^:]*]]: tensor<2xi64>, %[[X:[^:]*]]: tensor<?x4xf32>, %[[START:[^:]*]]: tensor<i64>, %[[LIMIT:[^:]*]]: tensor<i64>, %[[DELTA:[^:]*]]: tensor<i64>, %[[H:[^:]*]]: tensor<1xf16>
// CHECK: %[[FILL:.*]] = onnx.ConstantOfShape %[[SHAPE]] {value = dense<1> : tensor<1xi64>} : (tensor<2xi64>) -> tensor<?x?xi64>
// CHECK: %[[ZERO:.*]] = onnx.ConstantOfShape %[[SHAPE]] : (tensor<2xi64>) -> tensor<?x?xf32>
// CHECK: %[[RANGE:.*]] = onnx.Range %[[START]], %[[LIMIT]], %[[DELTA]] : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<?xi64>
// CHECK: %[[CAST:.*]] = onnx.Cast %[[X]] {to = 10 : i64} : (tensor<?x4xf32>) -> tensor<?x4xf16>
// CHECK: %[[LIKE:.*]] = onnx.CastLike %[[X]], %[[H]] {saturate = 1 : i64} : (tensor<?x4xf32>, tensor<1xf16>) -> tensor<?x4xf16>
// CHECK: %[[ID:.*]] = onnx.Identity %[[X]] : (tensor<?x4xf32>) -> tensor<?x4xf32>
func.func @generators(%shape: tensor<2xi64>, %x: tensor<?x4xf32>, %start: tensor<i64>, %limit: tensor<i64>, %delta: tensor<i64>, %h: tensor<1xf16>) {
  %fill = onnx.ConstantOfShape %shape {value = dense<1> : tensor<1xi64>} : (tensor<2xi64>) -> tensor<?x?xi64>
  %zero = onnx.ConstantOfShape %shape : (tensor<2xi64>) -> tensor<?x?xf32>
  %range = onnx.Range %start, %limit, %delta : (tensor<i64>, tensor<i64>, tensor<i64>) -> tensor<?xi64>
  %cast = onnx.Cast %x {to = 10 : i64} : (tensor<?x4xf32>) -> tensor<?x4xf16>
  %like = onnx.CastLike %x, %h {saturate = 1 : i64} : (tensor<?x4xf32>, tensor<1xf16>) -> tensor<?x4xf16>
  %id = onnx.Identity %x : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return
}
