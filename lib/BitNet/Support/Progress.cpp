//===- Progress.cpp - progress of long work -------------------------------===//

#include "BitNet/Support/Progress.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir::bitnet;

ProgressReporter::ProgressReporter(llvm::StringRef what, uint64_t totalBytes,
                                   bool enabled, llvm::StringRef unit)
    : what(what.str()), unit(unit.str()), totalBytes(totalBytes),
      enabled(enabled),
      start(std::chrono::steady_clock::now()), lastPrint(start) {
  if (enabled)
    print(/*last=*/false);
}

void ProgressReporter::advance(uint64_t bytes) {
  doneBytes += bytes;
  if (!enabled)
    return;
  auto now = std::chrono::steady_clock::now();
  if (now - lastPrint >= std::chrono::seconds(2)) {
    lastPrint = now;
    print(/*last=*/false);
  }
}

void ProgressReporter::finish() {
  if (enabled)
    print(/*last=*/true);
}

namespace {
/// ", ETA 12 s" once a tenth is done (earlier guesses are noise), else "".
std::string eta(double seconds, uint64_t done, uint64_t total, bool last) {
  if (last || !total || done * 10 < total || done >= total)
    return "";
  double left = seconds * double(total - done) / double(done);
  return llvm::formatv(", ETA {0:F0} s", left).str();
}

bool stagesEnabled = false;
// From the start of the process: the lines say how long the compile has run.
const std::chrono::steady_clock::time_point stagesStart =
    std::chrono::steady_clock::now();
} // namespace

void mlir::bitnet::enableStageProgress(bool enabled) {
  stagesEnabled = enabled;
}

void mlir::bitnet::reportStage(llvm::StringRef stage, llvm::StringRef detail) {
  if (!stagesEnabled)
    return;
  double seconds = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - stagesStart)
                       .count();
  llvm::errs() << "bitnet-opt: " << stage << (detail.empty() ? "" : " (")
               << detail << (detail.empty() ? "" : ")")
               << llvm::format(", %.1f s in", seconds) << "\n";
}

void ProgressReporter::print(bool last) {
  double seconds = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - start)
                       .count();
  double percent = totalBytes ? 100.0 * doneBytes / totalBytes : 100.0;
  std::string left = eta(seconds, doneBytes, totalBytes, last);
  if (!unit.empty()) {
    llvm::errs() << what << ": "
                 << llvm::format("%3.0f%% (%llu of %llu %s), %.1f s", percent,
                                 (unsigned long long)doneBytes,
                                 (unsigned long long)totalBytes, unit.c_str(),
                                 seconds)
                 << left << (last ? ", done" : "") << "\n";
    return;
  }
  bool gigabytes = totalBytes >= 1000000000;
  double unit = gigabytes ? 1e9 : 1e6;
  llvm::errs() << what << ": "
               << llvm::format("%3.0f%% (%.2f of %.2f %s), %.1f s", percent,
                               doneBytes / unit, totalBytes / unit,
                               gigabytes ? "GB" : "MB", seconds)
               << left << (last ? ", done" : "") << "\n";
}
