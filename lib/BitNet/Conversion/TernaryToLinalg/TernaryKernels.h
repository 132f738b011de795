//===- TernaryKernels.h - SIMD kernels of the ternary product ---*- C++ -*-===//
//
// The int32 sums of int8 activations against packed trits, as vector code
// walking the packed rows 16 bytes (64 trits) at a time. Below a tile's
// worth of tokens (decode) each (token, output) pair is one linalg.generic
// element; from there on (prefill) tiles of rows x tokens keep their sums
// in registers (RegisterTiles.h), each decoded chunk serving all the tile's
// tokens. Two kinds of chunk step:
//
//   addsub: the BitNet b1.58 promise, no multiplication. A trit's field
//     selects +x, -x or nothing; sums run in i16 lanes, widened to i32
//     every 128 chunks, so no lane can overflow.
//   dot:    int8 dot products (x86 VNNI `vpdpbusd`): fields (trit + 1) are
//     unsigned bytes, sum((t + 1) * x) - sum(x) is the product. For a
//     target whose `bitnet.target` has int8_dot = "dotprod" (AArch64), the
//     trits themselves (field - 1) times x, one reduction per chunk, which
//     LLVM selects as `sdot` (no correction).
//
// Within a chunk the fields come out grouped by their position in the
// byte (all first fields, then all second ones, ...), so the activations
// are permuted the same way once per token. A base4 chunk (16 bytes) is
// decoded as one group of 64 fields by shifts; a base3 chunk (32 bytes) as
// five groups of 32, each the carries of the previous group's bytes times
// three (TernaryPacking.h). Rows the layout does not pad to whole chunks
// (base4 only) end in a scalar loop over the last bytes.
//
//===----------------------------------------------------------------------===//

#ifndef BITNET_LIB_CONVERSION_TERNARYTOLINALG_TERNARYKERNELS_H
#define BITNET_LIB_CONVERSION_TERNARYTOLINALG_TERNARYKERNELS_H

#include "BitNet/Conversion/RegisterTiles.h"
#include "BitNet/Dialect/Ternary/IR/TernaryTypes.h"
#include "BitNet/Support/TernaryPacking.h"

#include "mlir/IR/Builders.h"

namespace mlir::bitnet {

/// The unit the vector kernels read packed rows in, which ternary-repack
/// pads rows to.
struct ChunkFormat {
  TritPacking packing;
  /// Packed bytes a chunk.
  int64_t bytes;
  /// Vectors of fields a chunk decodes to, and fields in each.
  int64_t groups;
  int64_t groupTrits;

  int64_t trits() const { return groups * groupTrits; }
  static ChunkFormat of(TritPacking packing) {
    if (packing == TritPacking::Base3)
      return {packing, 32, 5, 32};
    return {packing, 16, 1, 64};
  }
};

enum class TernaryKernel {
  /// Scalar loops over (token, output, byte, field); any target.
  Loops,
  AddSub,
  /// Unsigned fields (trit + 1) in groups of four, corrected by the
  /// token's sum: the form x86 back ends turn into vpdpbusd or vpmaddubsw.
  Dot,
  /// Dot for AVX2: pairs of fields times activations summed in i16 lanes
  /// (vpmaddubsw alone), widened to i32 every 63 chunks rather than by a
  /// vpmaddwd each chunk. convert-ternary-to-linalg picks it for dot where
  /// the module's target has int8_dot = "avx2".
  PairDot,
  /// The signed trits times the activations, one reduction per chunk: the
  /// form LLVM selects as AArch64's sdot. convert-ternary-to-linalg picks it
  /// for dot where the module's target has int8_dot = "dotprod".
  SignedDot,
};

/// The kernel an option names; "auto" asks the module's
/// `bitnet.ternary_kernel` (bitnet-opt --ternary-kernel), else takes the
/// measured default for the module's target: dot wherever the target has
/// int8 dot products the back end calls (VNNI's vpdpbusd, AVX2's
/// vpmaddubsw, AArch64's sdot), addsub elsewhere. The figures behind that
/// are in docs/Kernels.md.
FailureOr<TernaryKernel> chooseTernaryKernel(Operation *root, StringRef name);

/// The layout `kernel` reads `weights` in: the weights' packing with rows
/// in whole chunks for the vector kernels (a row's last partial chunk
/// would otherwise go through the scalar tail once per (row, token), as
/// costly as the vector chunks at K = 1000); unpadded base4 for the loops,
/// which groups stay on.
TritLayout kernelLayout(ternary::WeightsType weights, TernaryKernel kernel);

/// [T, N] int32 sums of `q` ([T, Kp * trits a byte] int8, padded with
/// zeros) against `packed` ([N, Kp] bytes in `packing`; base3 rows in whole
/// chunks) with the SIMD kernel `kind` (not Loops): one
/// (row, token) sum per generic element below a tile's worth of tokens,
/// tiles of rows x tokens for `target`'s registers from there on, each
/// decoded chunk serving all the tile's tokens.
Value buildVectorTernaryProduct(OpBuilder &b, Location loc, Value q,
                                Value packed, TritPacking packing,
                                TernaryKernel kind,
                                const TargetRegisters &target);

} // namespace mlir::bitnet

#endif // BITNET_LIB_CONVERSION_TERNARYTOLINALG_TERNARYKERNELS_H
