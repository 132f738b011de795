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

/// Stage lines of a long compile on stderr ("bitnet-opt: LLVM code
/// generation (79 functions), 41.2 s in"), so that each step of a
/// minutes-long compile is visible. Off until the driver enables them for
/// an input big enough to be worth it; times count from the start.
void enableStageProgress(bool enabled);
void reportStage(llvm::StringRef stage, llvm::StringRef detail = "");

} // namespace mlir::bitnet

#endif // BITNET_SUPPORT_PROGRESS_H
