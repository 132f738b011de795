//===- bitnet-run.cpp - run a compiled model library ----------------------===//
//
// Loads a library built by `bitnet-opt --emit=lib`, runs a prompt through it,
// then generates greedily, one token per bitnet_model_run, and reports what it
// generated and how fast. Its stdout is meant for scripts: one `key: value`
// line each (see usage()).
//
//===----------------------------------------------------------------------===//
#include "ModelLibrary.h"
#include "NpyFile.h"
#include "Options.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

using namespace bitnet_run;

namespace {

int fail(const std::string &message) {
  std::fprintf(stderr, "bitnet-run: error: %s\n", message.c_str());
  return 1;
}

int usageError(const std::string &message) {
  std::fprintf(stderr, "bitnet-run: error: %s\nrun 'bitnet-run --help' for usage\n",
               message.c_str());
  return 2;
}

// numpy's argmax: the first maximum, or the first NaN if there is one, so
// that bitnet-run and bitnet.runtime pick the same tokens.
int64_t argmax(const float *row, int64_t size) {
  int64_t best = 0;
  for (int64_t v = 1; v < size && !std::isnan(row[best]); ++v)
    if (std::isnan(row[v]) || row[v] > row[best])
      best = v;
  return best;
}

// Generated text may hold any byte; control bytes would garble a terminal.
std::string printable(const std::vector<int64_t> &bytes) {
  std::string text;
  for (int64_t b : bytes) {
    bool control = b < 0x20 || b == 0x7f;
    text += control && b != '\n' && b != '\t' ? '?' : static_cast<char>(b);
  }
  return text;
}

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The prompt's token ids, checked against the vocabulary here so that the
// message can say which option was wrong.
bool promptTokens(const Options &options, int64_t vocab, std::vector<int64_t> &tokens,
                  std::string &error) {
  if (options.havePrompt) {
    if (vocab != 256) {
      error = "--prompt needs a byte-level model (vocabulary 256), but this model's vocabulary "
              "is " + std::to_string(vocab) + "; use --tokens";
      return false;
    }
    for (unsigned char c : options.prompt)
      tokens.push_back(c);
    return true;
  }
  tokens = options.tokens;
  for (int64_t id : tokens)
    if (id >= vocab) {
      error = "token id " + std::to_string(id) + " is out of range: the model's vocabulary has " +
              std::to_string(vocab) + " tokens (ids 0 to " + std::to_string(vocab - 1) + ")";
      return false;
    }
  return true;
}

} // namespace

int main(int argc, char **argv) {
  Options options;
  std::string error;
  if (!parseOptions(argc, argv, options, error))
    return usageError(error);
  if (options.help) {
    std::fputs(usage(), stdout);
    return 0;
  }

  std::unique_ptr<ModelLibrary> library = ModelLibrary::open(options.modelPath, error);
  if (!library)
    return fail(error);
  const ModelApi &api = library->api();
  ModelInstance model(api);
  if (!model.get())
    return fail("out of memory creating the model");
  int64_t vocab = api.vocabSize(model.get());
  if (vocab <= 0)
    return fail("'" + options.modelPath + "' cannot run: " + model.lastError());
  if (options.threads > 0 && api.setThreads(model.get(), options.threads) != 0)
    return fail(model.lastError());

  std::vector<int64_t> prompt;
  if (!promptTokens(options, vocab, prompt, error))
    return fail(error);
  NpyFile npy;
  if (!options.logitsPath.empty() && !npy.create(options.logitsPath, error))
    return fail(error);
  if (!options.quiet)
    std::fprintf(stderr, "bitnet-run: %s: vocabulary %lld, %s\n", options.modelPath.c_str(),
                 static_cast<long long>(vocab),
                 api.hasKVCache(model.get()) ? "KV cache" : "no KV cache (recomputes)");

  // All the prompt's rows: bitnet_model_run returns every row it computes.
  size_t promptLength = prompt.size();
  if (promptLength > SIZE_MAX / sizeof(float) / static_cast<size_t>(vocab))
    return fail("the prompt's logits would not fit in memory");
  // malloc, not a vector: a prompt too big for memory is an error, not an abort.
  std::unique_ptr<float, void (*)(void *)> logits(
      static_cast<float *>(std::malloc(promptLength * static_cast<size_t>(vocab) * sizeof(float))),
      std::free);
  if (!logits)
    return fail("out of memory for the prompt's logits");
  std::vector<float> row(static_cast<size_t>(vocab));

  auto start = std::chrono::steady_clock::now();
  if (api.run(model.get(), prompt.data(), static_cast<int64_t>(promptLength), logits.get()) != 0)
    return fail("running the prompt: " + model.lastError());
  double promptSeconds = secondsSince(start);
  if (!options.logitsPath.empty() &&
      !npy.commit(logits.get(), static_cast<int64_t>(promptLength), vocab, error))
    return fail(error);

  std::vector<int64_t> generated;
  int64_t next = argmax(logits.get() + (promptLength - 1) * static_cast<size_t>(vocab), vocab);
  auto decodeStart = std::chrono::steady_clock::now();
  for (int64_t i = 0; i < options.numGenerate; ++i) {
    generated.push_back(next);
    if (i + 1 == options.numGenerate)
      break;
    if (api.run(model.get(), &next, 1, row.data()) != 0)
      return fail("generating token " + std::to_string(i + 2) + ": " + model.lastError());
    next = argmax(row.data(), vocab);
  }
  double decodeSeconds = secondsSince(decodeStart);

  std::printf("tokens:");
  for (int64_t id : generated)
    std::printf(" %lld", static_cast<long long>(id));
  std::printf("\n");
  if (options.havePrompt) {
    std::vector<int64_t> all(prompt);
    all.insert(all.end(), generated.begin(), generated.end());
    std::printf("text: %s\n", printable(all).c_str());
  }
  if (!options.quiet) {
    double decoded = static_cast<double>(generated.size() > 1 ? generated.size() - 1 : 0);
    std::printf("ttft_ms: %.3f\n", promptSeconds * 1e3);
    std::printf("prompt_tok_s: %.1f\n", static_cast<double>(promptLength) / promptSeconds);
    std::printf("decode_tok_s: %.1f\n", decoded > 0 ? decoded / decodeSeconds : NAN);
  }
  if (std::fflush(stdout) != 0 || std::ferror(stdout))
    return fail("cannot write to standard output");
  return 0;
}
