//===- Progress.h - progress of long work -----------------------*- C++ -*-===//

#ifndef BITNET_SUPPORT_PROGRESS_H
#define BITNET_SUPPORT_PROGRESS_H

#include "llvm/ADT/StringRef.h"

#include <chrono>
#include <cstdint>
#include <string>

namespace mlir::bitnet {

/// Prints "what: 42% (3.1 of 7.4 GB), 12 s" (or "12 of 210 layers") on
/// stderr at most every few seconds, and only for work big enough to be
/// worth watching.
class ProgressReporter {
public:
  /// `unit` names what is counted; empty means bytes.
  ProgressReporter(llvm::StringRef what, uint64_t totalBytes, bool enabled,
                   llvm::StringRef unit = "");
  void advance(uint64_t bytes);
  void finish();

private:
  void print(bool last);

  std::string what, unit;
  uint64_t totalBytes, doneBytes = 0;
  bool enabled;
  std::chrono::steady_clock::time_point start, lastPrint;
};

} // namespace mlir::bitnet

#endif // BITNET_SUPPORT_PROGRESS_H
