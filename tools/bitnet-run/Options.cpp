//===- Options.cpp - bitnet-run's command line ----------------------------===//
//
// Long options take their value as the next argument or after '='; every
// value is checked here so that main only sees meaningful requests.
//
//===----------------------------------------------------------------------===//
#include "Options.h"

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>

namespace bitnet_run {

const char *usage() {
  return "usage: bitnet-run MODEL.so (--tokens \"1 2 3\" | --prompt TEXT) [options]\n"
         "\n"
         "Runs a model library built by `bitnet-opt --emit=lib` on a prompt, then\n"
         "greedily generates tokens (argmax, ties to the lowest id).\n"
         "\n"
         "  --tokens LIST    prompt token ids, separated by spaces or commas\n"
         "  --prompt TEXT    prompt text for a byte-level model (vocabulary 256)\n"
         "  -n N             number of tokens to generate (default 16)\n"
         "  --logits FILE    write the prompt's logits as float32 .npy [seq, vocab]\n"
         "  --threads T      threads for the ternary kernels (OpenMP; default 1)\n"
         "  --quiet          print only the tokens (and text), no timings\n"
         "  --help           print this help\n"
         "\n"
         "Output (stdout): `tokens: <ids>`, with --prompt `text: <prompt+generated>`,\n"
         "then `ttft_ms:`, `prompt_tok_s:` and `decode_tok_s:` (nan below 2 tokens).\n";
}

namespace {

// A whole argument as a decimal integer in [min, max].
bool parseInteger(const char *text, long long min, long long max, long long &value) {
  if (!*text || std::strchr(" \t\n+", *text))
    return false;
  char *end = nullptr;
  errno = 0;
  value = std::strtoll(text, &end, 10);
  return errno == 0 && *end == '\0' && value >= min && value <= max;
}

bool isSeparator(char c) { return c == ',' || std::strchr(" \t\r\n", c); }

} // namespace

bool parseTokenList(const std::string &text, std::vector<int64_t> &tokens, std::string &error) {
  tokens.clear();
  size_t pos = 0;
  while (true) {
    while (pos < text.size() && isSeparator(text[pos]))
      ++pos;
    if (pos == text.size())
      break;
    size_t end = pos;
    while (end < text.size() && !isSeparator(text[end]))
      ++end;
    std::string word = text.substr(pos, end - pos);
    long long id = 0;
    if (word[0] == '-' && parseInteger(word.c_str(), LLONG_MIN, -1, id)) {
      error = "negative token id " + word + " in --tokens";
      return false;
    }
    if (!parseInteger(word.c_str(), 0, INT64_MAX, id)) {
      error = "'" + word + "' in --tokens is not a token id (a non-negative integer)";
      return false;
    }
    tokens.push_back(id);
    pos = end;
  }
  if (tokens.empty()) {
    error = "--tokens has no token ids";
    return false;
  }
  return true;
}

bool parseOptions(int argc, char **argv, Options &options, std::string &error) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      options.help = true;
      return true;
    }
    if (arg == "--quiet" || arg == "-q") {
      options.quiet = true;
      continue;
    }
    if (arg.size() < 2 || arg[0] != '-') {
      if (!options.modelPath.empty()) {
        error = "unexpected argument '" + arg + "' (only one model library)";
        return false;
      }
      options.modelPath = arg;
      continue;
    }
    // An option with a value: `--name value`, `--name=value`, `-n value`.
    std::string name = arg, value;
    bool inlineValue = false;
    size_t eq = arg.find('=');
    if (arg.compare(0, 2, "--") == 0 && eq != std::string::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
      inlineValue = true;
    }
    if (name != "--tokens" && name != "--prompt" && name != "-n" && name != "--logits" &&
        name != "--threads") {
      error = "unknown option '" + arg + "'";
      return false;
    }
    if (!inlineValue) {
      if (i + 1 >= argc) {
        error = "option '" + name + "' needs a value";
        return false;
      }
      value = argv[++i];
    }
    long long number = 0;
    if (name == "--tokens") {
      options.haveTokens = true;
      if (!parseTokenList(value, options.tokens, error))
        return false;
    } else if (name == "--prompt") {
      options.havePrompt = true;
      options.prompt = value;
    } else if (name == "-n") {
      if (!parseInteger(value.c_str(), 0, INT32_MAX, number)) {
        error = "bad value '" + value + "' for -n (expected a number of tokens >= 0)";
        return false;
      }
      options.numGenerate = number;
    } else if (name == "--logits") {
      if (value.empty()) {
        error = "option '--logits' needs a file name";
        return false;
      }
      options.logitsPath = value;
    } else {
      if (!parseInteger(value.c_str(), 1, INT_MAX, number)) {
        error = "bad value '" + value + "' for --threads (expected an integer >= 1)";
        return false;
      }
      options.threads = static_cast<int>(number);
    }
  }
  if (options.modelPath.empty()) {
    error = "no model library given";
    return false;
  }
  if (options.haveTokens == options.havePrompt) {
    error = options.haveTokens ? "give either --tokens or --prompt, not both"
                               : "no prompt given (use --tokens or --prompt)";
    return false;
  }
  if (options.havePrompt && options.prompt.empty()) {
    error = "--prompt is empty";
    return false;
  }
  return true;
}

} // namespace bitnet_run
