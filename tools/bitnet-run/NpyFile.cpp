//===- NpyFile.cpp - write a float32 matrix as a .npy file ----------------===//
//
// Format version 1.0: magic, a little-endian u16 header length, a Python
// dict literal padded with spaces to a multiple of 64 bytes and ended by a
// newline, then the raw little-endian data.
//
//===----------------------------------------------------------------------===//
#include "NpyFile.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace bitnet_run {

namespace {

std::string header(int64_t rows, int64_t cols) {
  std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" +
                     std::to_string(rows) + ", " + std::to_string(cols) + "), }";
  size_t unpadded = 10 + dict.size() + 1;
  dict.append((64 - unpadded % 64) % 64, ' ');
  dict += '\n';
  std::string magic("\x93NUMPY\x01\x00", 8);
  magic += static_cast<char>(dict.size() & 0xff);
  magic += static_cast<char>(dict.size() >> 8);
  return magic + dict;
}

bool isLittleEndian() {
  const uint32_t one = 1;
  unsigned char first;
  std::memcpy(&first, &one, 1);
  return first == 1;
}

bool writeAll(int fd, const void *data, size_t size) {
  const char *p = static_cast<const char *>(data);
  while (size > 0) {
    ssize_t n = ::write(fd, p, size);
    if (n < 0 && errno == EINTR)
      continue;
    if (n == 0)
      errno = EIO;
    if (n <= 0)
      return false;
    p += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

bool writeFloats(int fd, const float *data, size_t count) {
  if (isLittleEndian())
    return writeAll(fd, data, count * sizeof(float));
  std::vector<unsigned char> bytes(count * 4);
  for (size_t i = 0; i < count; ++i) {
    unsigned char b[4];
    std::memcpy(b, &data[i], 4);
    for (int k = 0; k < 4; ++k)
      bytes[i * 4 + k] = b[3 - k];
  }
  return writeAll(fd, bytes.data(), bytes.size());
}

} // namespace

bool NpyFile::create(const std::string &path, std::string &error) {
  struct stat st;
  if (stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    error = "cannot write logits to '" + path + "': it is a directory";
    return false;
  }
  path_ = path;
  std::vector<char> name(path.begin(), path.end());
  const char suffix[] = ".tmp.XXXXXX";
  name.insert(name.end(), suffix, suffix + sizeof suffix);
  fd_ = mkstemp(name.data());
  if (fd_ < 0) {
    error = "cannot write logits to '" + path + "': " + std::strerror(errno);
    return false;
  }
  tempPath_ = name.data();
  // mkstemp makes the file private; the result should get the usual mode.
  mode_t mask = umask(0);
  umask(mask);
  fchmod(fd_, 0666 & ~mask);
  return true;
}

bool NpyFile::commit(const float *data, int64_t rows, int64_t cols, std::string &error) {
  std::string head = header(rows, cols);
  bool ok = writeAll(fd_, head.data(), head.size()) &&
            writeFloats(fd_, data, static_cast<size_t>(rows * cols));
  int savedErrno = errno;
  if (::close(fd_) != 0 && ok) {
    ok = false;
    savedErrno = errno;
  }
  fd_ = -1;
  if (ok && std::rename(tempPath_.c_str(), path_.c_str()) != 0) {
    ok = false;
    savedErrno = errno;
  }
  if (!ok) {
    error = "cannot write logits to '" + path_ + "': " + std::strerror(savedErrno);
    return false;
  }
  tempPath_.clear();
  return true;
}

NpyFile::~NpyFile() {
  if (fd_ >= 0)
    ::close(fd_);
  if (!tempPath_.empty())
    ::unlink(tempPath_.c_str());
}

} // namespace bitnet_run
