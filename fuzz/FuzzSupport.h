//===- FuzzSupport.h - what the ONNX fuzz targets share ---------*- C++ -*-===//
//
// The importer reads a path (external data is found beside it), so each
// input is written to a file in a directory of the fuzzer's own.
//
//===----------------------------------------------------------------------===//

#ifndef BITNET_FUZZ_FUZZSUPPORT_H
#define BITNET_FUZZ_FUZZSUPPORT_H

#include <cstddef>
#include <cstdint>
#include <string>

namespace bitnet_fuzz {

/// Writes the input to `<private dir>/model.onnx` and returns that path;
/// empty if it cannot be written (the input is then skipped).
std::string writeModelFile(const uint8_t *data, size_t size);

} // namespace bitnet_fuzz

#endif // BITNET_FUZZ_FUZZSUPPORT_H
