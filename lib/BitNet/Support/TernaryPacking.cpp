//===- TernaryPacking.cpp - the 2-bit trit storage format -----------------===//

#include "BitNet/Support/TernaryPacking.h"

#include <cassert>

using namespace mlir::bitnet;

void mlir::bitnet::packTrits(llvm::ArrayRef<int8_t> trits, int64_t outFeatures,
                             int64_t inFeatures,
                             llvm::MutableArrayRef<uint8_t> packed) {
  int64_t rowBytes = packedRowBytes(inFeatures);
  assert(static_cast<int64_t>(trits.size()) == outFeatures * inFeatures &&
         static_cast<int64_t>(packed.size()) == outFeatures * rowBytes &&
         "buffer sizes disagree with the shape");
  // 0x55 is four zero trits: the tail of a row that IN does not fill stays 0.
  std::fill(packed.begin(), packed.end(), uint8_t{0x55});
  for (int64_t n = 0; n < outFeatures; ++n) {
    const int8_t *src = trits.data() + n * inFeatures;
    uint8_t *dst = packed.data() + n * rowBytes;
    for (int64_t k = 0; k < inFeatures; ++k) {
      unsigned shift = 2 * (k % kTritsPerByte);
      uint8_t &byte = dst[k / kTritsPerByte];
      byte = static_cast<uint8_t>((byte & ~(3u << shift)) |
                                  (unsigned(src[k] + 1) << shift));
    }
  }
}

void mlir::bitnet::unpackTrits(llvm::ArrayRef<uint8_t> packed,
                               int64_t outFeatures, int64_t inFeatures,
                               llvm::MutableArrayRef<int8_t> trits) {
  int64_t rowBytes = packedRowBytes(inFeatures);
  assert(static_cast<int64_t>(trits.size()) == outFeatures * inFeatures &&
         static_cast<int64_t>(packed.size()) == outFeatures * rowBytes &&
         "buffer sizes disagree with the shape");
  for (int64_t n = 0; n < outFeatures; ++n)
    for (int64_t k = 0; k < inFeatures; ++k)
      trits[n * inFeatures + k] = tritAt(packed.data() + n * rowBytes, k);
}

std::optional<int64_t>
mlir::bitnet::findInvalidPackedByte(llvm::ArrayRef<uint8_t> packed) {
  for (size_t i = 0; i < packed.size(); ++i) {
    uint8_t b = packed[i];
    // A field is 3 exactly when both of its bits are set.
    if ((b & (b >> 1) & 0x55) != 0)
      return static_cast<int64_t>(i);
  }
  return std::nullopt;
}
