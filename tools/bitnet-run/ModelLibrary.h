//===- ModelLibrary.h - a model library opened with dlopen -----*- C++ -*-===//
//
// bitnet-run never links a model: it opens the library at run time, checks
// that it is one (bitnet_model_abi_version) and of the right version, and
// resolves the whole API of BitNetModel.h by name.
//
//===----------------------------------------------------------------------===//
#ifndef BITNET_RUN_MODELLIBRARY_H
#define BITNET_RUN_MODELLIBRARY_H

#include "BitNet/Runtime/BitNetModel.h"

#include <memory>
#include <string>

namespace bitnet_run {

struct ModelApi {
  uint32_t (*abiVersion)(void);
  BitNetModel *(*create)(void);
  void (*destroy)(BitNetModel *);
  int64_t (*vocabSize)(const BitNetModel *);
  int (*hasKVCache)(const BitNetModel *);
  int (*run)(BitNetModel *, const int64_t *, int64_t, float *);
  const char *(*lastError)(const BitNetModel *);
  int (*setThreads)(BitNetModel *, int);
};

class ModelLibrary {
public:
  // Returns null with a message naming `path` in `error` if the file is
  // missing, not a shared library, not a model library, or of another ABI.
  static std::unique_ptr<ModelLibrary> open(const std::string &path, std::string &error);
  ~ModelLibrary();
  ModelLibrary(const ModelLibrary &) = delete;
  ModelLibrary &operator=(const ModelLibrary &) = delete;

  const ModelApi &api() const { return api_; }

private:
  ModelLibrary() = default;
  void *handle_ = nullptr;
  ModelApi api_ = {};
};

// One model instance, destroyed with its library's destroy.
class ModelInstance {
public:
  explicit ModelInstance(const ModelApi &api) : api_(api), model_(api.create()) {}
  ~ModelInstance() { api_.destroy(model_); }
  ModelInstance(const ModelInstance &) = delete;
  ModelInstance &operator=(const ModelInstance &) = delete;

  BitNetModel *get() const { return model_; }
  std::string lastError() const { return api_.lastError(model_); }

private:
  const ModelApi &api_;
  BitNetModel *model_;
};

} // namespace bitnet_run

#endif // BITNET_RUN_MODELLIBRARY_H
