//===- RunOptionsFuzzer.cpp - bitnet-run's command line and .npy output ---===//
//
// The input is a command line: NUL-separated arguments after the program
// name. Each parse also goes through the token-list parser, and when the
// command line names --logits, a small matrix is written as .npy to a
// private directory (never to a path from the input).
//
//===----------------------------------------------------------------------===//

#include "NpyFile.h"
#include "Options.h"

#include <cstring>
#include <string>
#include <unistd.h>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::vector<std::string> args = {"bitnet-run"};
  std::string current;
  for (size_t i = 0; i < size; ++i) {
    if (data[i] == 0) {
      args.push_back(current);
      current.clear();
    } else {
      current.push_back(char(data[i]));
    }
  }
  args.push_back(current);
  std::vector<char *> argv;
  for (std::string &arg : args)
    argv.push_back(arg.data());
  argv.push_back(nullptr);

  bitnet_run::Options options;
  std::string error;
  bool ok = bitnet_run::parseOptions(int(args.size()), argv.data(), options,
                                     error);
  std::vector<int64_t> tokens;
  (void)bitnet_run::parseTokenList(std::string(reinterpret_cast<const char *>(data), size),
                                   tokens, error);
  if (!ok || options.logitsPath.empty())
    return 0;

  // The sizes come from the parsed options, bounded: the writer's framing
  // (header padding, row-major order) is what is under test, not the disk.
  int64_t rows = int64_t(options.tokens.size() % 5);
  int64_t cols = options.numGenerate > 0 ? options.numGenerate % 7 : 1;
  std::vector<float> values(size_t(rows * cols), 0.5f);
  std::string path =
      "/tmp/bitnet-fuzz-npy-" + std::to_string(getpid()) + ".npy";
  bitnet_run::NpyFile file;
  if (file.create(path, error))
    (void)file.commit(values.data(), rows, cols, error);
  unlink(path.c_str());
  return 0;
}
