//===- Progress.h - progress of long imports --------------------*- C++ -*-===//

#ifndef BITNET_LIB_IMPORT_ONNX_PROGRESS_H
#define BITNET_LIB_IMPORT_ONNX_PROGRESS_H

#include "llvm/ADT/StringRef.h"

#include <chrono>
#include <cstdint>
#include <string>

namespace mlir::bitnet::onnx_import {

/// Prints "what: 42% (3.1 of 7.4 GB), 12 s" on stderr at most every few
/// seconds, and only for work big enough to be worth watching.
class ProgressReporter {
public:
  ProgressReporter(llvm::StringRef what, uint64_t totalBytes, bool enabled);
  void advance(uint64_t bytes);
  void finish();

private:
  void print(bool last);

  std::string what;
  uint64_t totalBytes, doneBytes = 0;
  bool enabled;
  std::chrono::steady_clock::time_point start, lastPrint;
};

} // namespace mlir::bitnet::onnx_import

#endif // BITNET_LIB_IMPORT_ONNX_PROGRESS_H
