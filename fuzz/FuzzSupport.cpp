//===- FuzzSupport.cpp - what the ONNX fuzz targets share -----------------===//

#include "FuzzSupport.h"

#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace {
/// One directory per process: parallel fuzzing jobs (-jobs=N) must not
/// read each other's inputs as external data. Under /dev/shm when it
/// exists, so that an input costs no disk write.
const std::string &privateDir() {
  static const std::string dir = [] {
    const char *base = std::getenv("BITNET_FUZZ_TMPDIR");
    std::string root = base ? base : (access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
    std::string path = root + "/bitnet-fuzz-" + std::to_string(getpid());
    mkdir(path.c_str(), 0700);
    return path;
  }();
  return dir;
}
} // namespace

std::string bitnet_fuzz::writeModelFile(const uint8_t *data, size_t size) {
  std::string path = privateDir() + "/model.onnx";
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    return {};
  size_t done = 0;
  while (done < size) {
    ssize_t n = write(fd, data + done, size - done);
    if (n <= 0) {
      close(fd);
      return {};
    }
    done += size_t(n);
  }
  close(fd);
  return path;
}
