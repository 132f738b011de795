//===- TernaryPacking.h - how trits are stored ------------------*- C++ -*-===//
//
// The storage formats of ternary weights, shared by the dialect's constants,
// the importer and the kernels. A row of IN trits is stored in whole bytes,
// padded with zero trits to a multiple of the layout's row alignment, so a
// kernel reading whole chunks needs no tail. Two packings:
//
//   base4 (2 bits a trit): trit k of a row sits in bits [2*(k%4), 2*(k%4)+1]
//     of byte k/4 as the unsigned field `trit + 1`; the field 3 is not a
//     trit. Decoding is a shift and a mask.
//   base3 (1.6 bits a trit): byte b holds trits 5b..5b+4 as the base-3
//     digits d_j = trit + 1 of v = sum_j d_j * 3^(4-j), stored as
//     q = ceil(v * 256 / 243) (the encoding of llama.cpp's TQ1_0). Then
//     digit j is the carry of x_j * 3 out of a byte, x_0 = q and
//     x_{j+1} = x_j * 3 mod 256: d_j = (x_j >= 86) + (x_j >= 171), byte
//     adds and compares with no table and no division. 20% fewer bytes than
//     base4, for more work per byte.
//
//===----------------------------------------------------------------------===//

#ifndef BITNET_SUPPORT_TERNARYPACKING_H
#define BITNET_SUPPORT_TERNARYPACKING_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>

namespace mlir::bitnet {

enum class TritPacking : uint8_t { Base4 = 0, Base3 = 1 };

/// "base4" or "base3", as the weights type prints it.
llvm::StringRef stringifyTritPacking(TritPacking packing);
std::optional<TritPacking> parseTritPacking(llvm::StringRef name);

/// Trits one byte holds.
inline int64_t tritsPerByte(TritPacking packing) {
  return packing == TritPacking::Base3 ? 5 : 4;
}

/// A byte of zero trits: four fields of 1 (0x55), or five digits of 1
/// (v = 121, stored as 128).
inline uint8_t zeroTritsByte(TritPacking packing) {
  return packing == TritPacking::Base3 ? 128 : 0x55;
}

/// The base4 layout without padding is the default.
inline constexpr int64_t kTritsPerByte = 4;

struct TritLayout {
  TritPacking packing = TritPacking::Base4;
  /// Rows are padded to a multiple of this many bytes.
  int64_t rowAlign = 1;

  /// Bytes one packed row of `inFeatures` trits takes, padding included.
  int64_t rowBytes(int64_t inFeatures) const {
    int64_t per = tritsPerByte(packing);
    int64_t bytes = (inFeatures + per - 1) / per;
    return (bytes + rowAlign - 1) / rowAlign * rowAlign;
  }
  bool operator==(const TritLayout &o) const {
    return packing == o.packing && rowAlign == o.rowAlign;
  }
};

/// Base-3 digit `j` (0..4) of the base3 byte `q`.
inline unsigned base3Digit(uint8_t q, int64_t j) {
  unsigned x = q;
  for (int64_t i = 0; i < j; ++i)
    x = (x * 3) & 0xffu;
  return (x * 3) >> 8;
}

/// Decodes trit `k` of a packed row.
inline int8_t tritAt(const uint8_t *row, int64_t k,
                     TritPacking packing = TritPacking::Base4) {
  int64_t per = tritsPerByte(packing);
  unsigned field = packing == TritPacking::Base3
                       ? base3Digit(row[k / per], k % per)
                       : (row[k / per] >> (2 * (k % per))) & 3u;
  return static_cast<int8_t>(static_cast<int>(field) - 1);
}

/// Packs `trits` (row-major, out x in, each in {-1, 0, 1}) into `packed`
/// (out x layout.rowBytes(in) bytes).
void packTrits(llvm::ArrayRef<int8_t> trits, int64_t outFeatures,
               int64_t inFeatures, llvm::MutableArrayRef<uint8_t> packed,
               TritLayout layout = {});

/// The inverse of packTrits.
void unpackTrits(llvm::ArrayRef<uint8_t> packed, int64_t outFeatures,
                 int64_t inFeatures, llvm::MutableArrayRef<int8_t> trits,
                 TritLayout layout = {});

/// The index of the first byte that holds no trits of `packing`, if any:
/// a base4 byte with the field 3. Every byte decodes in base3 (each carry
/// is 0, 1 or 2).
std::optional<int64_t> findInvalidPackedByte(
    llvm::ArrayRef<uint8_t> packed, TritPacking packing = TritPacking::Base4);

} // namespace mlir::bitnet

#endif // BITNET_SUPPORT_TERNARYPACKING_H
