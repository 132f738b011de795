//===- TernaryPacking.h - the 2-bit trit storage format ---------*- C++ -*-===//
//
// One packing format is shared by the dialect's constants, the importer and
// the runtime: a row of IN trits takes ceil(IN/4) bytes, and trit k sits in
// bits [2*(k%4), 2*(k%4)+1] of byte k/4 as the unsigned field `trit + 1`.
// The field value 3 is not a trit. Padding fields at the end of a row are 1
// (a zero trit), so whole bytes can be summed without masking the tail.
//
//===----------------------------------------------------------------------===//

#ifndef BITNET_SUPPORT_TERNARYPACKING_H
#define BITNET_SUPPORT_TERNARYPACKING_H

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <optional>

namespace mlir::bitnet {

inline constexpr int64_t kTritsPerByte = 4;

/// Bytes one packed row of `inFeatures` trits takes.
inline int64_t packedRowBytes(int64_t inFeatures) {
  return (inFeatures + kTritsPerByte - 1) / kTritsPerByte;
}

/// Decodes trit `k` of a packed row.
inline int8_t tritAt(const uint8_t *row, int64_t k) {
  unsigned field = (row[k / kTritsPerByte] >> (2 * (k % kTritsPerByte))) & 3u;
  return static_cast<int8_t>(static_cast<int>(field) - 1);
}

/// Packs `trits` (row-major, out x in, each in {-1, 0, 1}) into `packed`
/// (out x packedRowBytes(in) bytes).
void packTrits(llvm::ArrayRef<int8_t> trits, int64_t outFeatures,
               int64_t inFeatures, llvm::MutableArrayRef<uint8_t> packed);

/// The inverse of packTrits.
void unpackTrits(llvm::ArrayRef<uint8_t> packed, int64_t outFeatures,
                 int64_t inFeatures, llvm::MutableArrayRef<int8_t> trits);

/// The index of the first byte holding the non-trit field 3, if any.
std::optional<int64_t> findInvalidPackedByte(llvm::ArrayRef<uint8_t> packed);

} // namespace mlir::bitnet

#endif // BITNET_SUPPORT_TERNARYPACKING_H
