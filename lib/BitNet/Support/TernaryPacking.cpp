//===- TernaryPacking.cpp - how trits are stored --------------------------===//

#include "BitNet/Support/TernaryPacking.h"

#include <algorithm>
#include <cassert>

using namespace mlir::bitnet;

llvm::StringRef mlir::bitnet::stringifyTritPacking(TritPacking packing) {
  return packing == TritPacking::Base3 ? "base3" : "base4";
}

std::optional<TritPacking> mlir::bitnet::parseTritPacking(llvm::StringRef name) {
  if (name == "base4")
    return TritPacking::Base4;
  if (name == "base3")
    return TritPacking::Base3;
  return std::nullopt;
}

namespace {

void packBase4Row(const int8_t *src, int64_t inFeatures, uint8_t *dst) {
  for (int64_t k = 0; k < inFeatures; ++k) {
    unsigned shift = 2 * (k % kTritsPerByte);
    uint8_t &byte = dst[k / kTritsPerByte];
    byte = static_cast<uint8_t>((byte & ~(3u << shift)) |
                                (unsigned(src[k] + 1) << shift));
  }
}

void packBase3Row(const int8_t *src, int64_t inFeatures, uint8_t *dst) {
  for (int64_t first = 0; first < inFeatures; first += 5) {
    unsigned v = 0;
    for (int64_t j = 0; j < 5; ++j) {
      // Past the row's end the digit is 1, a zero trit.
      unsigned digit = first + j < inFeatures ? unsigned(src[first + j] + 1) : 1;
      v = v * 3 + digit;
    }
    // ceil(v * 256 / 243): the scaling that makes each digit a carry.
    dst[first / 5] = static_cast<uint8_t>((v * 256 + 242) / 243);
  }
}

} // namespace

void mlir::bitnet::packTrits(llvm::ArrayRef<int8_t> trits, int64_t outFeatures,
                             int64_t inFeatures,
                             llvm::MutableArrayRef<uint8_t> packed,
                             TritLayout layout) {
  int64_t rowBytes = layout.rowBytes(inFeatures);
  assert(static_cast<int64_t>(trits.size()) == outFeatures * inFeatures &&
         static_cast<int64_t>(packed.size()) == outFeatures * rowBytes &&
         "buffer sizes disagree with the shape");
  // Bytes past a row's trits hold zero trits.
  std::fill(packed.begin(), packed.end(), zeroTritsByte(layout.packing));
  for (int64_t n = 0; n < outFeatures; ++n) {
    const int8_t *src = trits.data() + n * inFeatures;
    uint8_t *dst = packed.data() + n * rowBytes;
    if (layout.packing == TritPacking::Base3)
      packBase3Row(src, inFeatures, dst);
    else
      packBase4Row(src, inFeatures, dst);
  }
}

void mlir::bitnet::unpackTrits(llvm::ArrayRef<uint8_t> packed,
                               int64_t outFeatures, int64_t inFeatures,
                               llvm::MutableArrayRef<int8_t> trits,
                               TritLayout layout) {
  int64_t rowBytes = layout.rowBytes(inFeatures);
  assert(static_cast<int64_t>(trits.size()) == outFeatures * inFeatures &&
         static_cast<int64_t>(packed.size()) == outFeatures * rowBytes &&
         "buffer sizes disagree with the shape");
  for (int64_t n = 0; n < outFeatures; ++n)
    for (int64_t k = 0; k < inFeatures; ++k)
      trits[n * inFeatures + k] =
          tritAt(packed.data() + n * rowBytes, k, layout.packing);
}

std::optional<int64_t>
mlir::bitnet::findInvalidPackedByte(llvm::ArrayRef<uint8_t> packed,
                                    TritPacking packing) {
  if (packing == TritPacking::Base3)
    return std::nullopt;
  for (size_t i = 0; i < packed.size(); ++i) {
    uint8_t b = packed[i];
    // A field is 3 exactly when both of its bits are set.
    if ((b & (b >> 1) & 0x55) != 0)
      return static_cast<int64_t>(i);
  }
  return std::nullopt;
}
