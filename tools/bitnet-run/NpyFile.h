//===- NpyFile.h - write a float32 matrix as a .npy file -------*- C++ -*-===//
//
// The file appears complete or not at all: it is written to a temporary file
// in the same directory and renamed over the destination at the end.
//
//===----------------------------------------------------------------------===//
#ifndef BITNET_RUN_NPYFILE_H
#define BITNET_RUN_NPYFILE_H

#include <cstdint>
#include <string>

namespace bitnet_run {

class NpyFile {
public:
  // Creates the temporary file now, so that an unwritable destination is
  // reported before any work is done.
  bool create(const std::string &path, std::string &error);
  // Writes `rows` x `cols` floats (row-major) as '<f4' and renames the file
  // into place.
  bool commit(const float *data, int64_t rows, int64_t cols, std::string &error);
  // Removes the temporary file unless commit succeeded.
  ~NpyFile();

private:
  std::string path_, tempPath_;
  int fd_ = -1;
};

} // namespace bitnet_run

#endif // BITNET_RUN_NPYFILE_H
