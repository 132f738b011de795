//===- Options.h - bitnet-run's command line ------------------*- C++ -*-===//
//
// The command line, parsed without a library so that bitnet-run depends on
// nothing but libc.
//
//===----------------------------------------------------------------------===//
#ifndef BITNET_RUN_OPTIONS_H
#define BITNET_RUN_OPTIONS_H

#include <cstdint>
#include <string>
#include <vector>

namespace bitnet_run {

struct Options {
  std::string modelPath;
  bool haveTokens = false;
  std::vector<int64_t> tokens; // from --tokens
  bool havePrompt = false;
  std::string prompt;          // from --prompt: its bytes are the tokens
  int64_t numGenerate = 16;
  std::string logitsPath;      // empty: no .npy
  int threads = 0;             // 0: not given
  bool quiet = false;
  bool help = false;
};

// Fills `options` from argv; on a bad command line returns false with a
// message in `error`.
bool parseOptions(int argc, char **argv, Options &options, std::string &error);

// Parses a list of non-negative decimal ids separated by spaces or commas.
bool parseTokenList(const std::string &text, std::vector<int64_t> &tokens, std::string &error);

const char *usage();

} // namespace bitnet_run

#endif // BITNET_RUN_OPTIONS_H
