//===- ModelLibrary.cpp - a model library opened with dlopen --------------===//
//
// Each failure gets its own message: a user who passes the wrong file should
// learn whether it is missing, not a library at all, someone else's library,
// or a model library from another version of bitnet-opt.
//
//===----------------------------------------------------------------------===//
#include "ModelLibrary.h"

#include <cerrno>
#include <cstring>
#include <dlfcn.h>
#include <sys/stat.h>

namespace bitnet_run {

namespace {

// Resolves `name` into `fn`; false if the library lacks it.
template <typename Fn> bool resolve(void *handle, const char *name, Fn &fn) {
  void *symbol = dlsym(handle, name);
  // The POSIX way from void * to a function pointer.
  std::memcpy(&fn, &symbol, sizeof fn);
  return symbol != nullptr;
}

} // namespace

std::unique_ptr<ModelLibrary> ModelLibrary::open(const std::string &path, std::string &error) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    error = "cannot open model library '" + path + "': " + std::strerror(errno);
    return nullptr;
  }
  if (S_ISDIR(st.st_mode)) {
    error = "'" + path + "' is a directory, not a model library";
    return nullptr;
  }
  // Without a slash dlopen would search the library path instead of the file.
  std::string file = path.find('/') == std::string::npos ? "./" + path : path;
  std::unique_ptr<ModelLibrary> library(new ModelLibrary());
  library->handle_ = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!library->handle_) {
    const char *why = dlerror();
    error = "'" + path + "' is not a loadable shared library: " + (why ? why : "unknown error");
    return nullptr;
  }
  ModelApi &api = library->api_;
  if (!resolve(library->handle_, "bitnet_model_abi_version", api.abiVersion)) {
    error = "'" + path + "' is not a bitnet-mlir model library (it has no bitnet_model_abi_version)";
    return nullptr;
  }
  uint32_t version = api.abiVersion();
  if (version != BITNET_MODEL_ABI_VERSION) {
    error = "'" + path + "' was built for model ABI version " + std::to_string(version) +
            ", but this bitnet-run expects version " + std::to_string(BITNET_MODEL_ABI_VERSION) +
            "; rebuild it with the matching bitnet-opt";
    return nullptr;
  }
  const char *missing = nullptr;
  if (!resolve(library->handle_, "bitnet_model_create", api.create))
    missing = "bitnet_model_create";
  else if (!resolve(library->handle_, "bitnet_model_destroy", api.destroy))
    missing = "bitnet_model_destroy";
  else if (!resolve(library->handle_, "bitnet_model_vocab_size", api.vocabSize))
    missing = "bitnet_model_vocab_size";
  else if (!resolve(library->handle_, "bitnet_model_has_kv_cache", api.hasKVCache))
    missing = "bitnet_model_has_kv_cache";
  else if (!resolve(library->handle_, "bitnet_model_run", api.run))
    missing = "bitnet_model_run";
  else if (!resolve(library->handle_, "bitnet_model_last_error", api.lastError))
    missing = "bitnet_model_last_error";
  else if (!resolve(library->handle_, "bitnet_model_set_threads", api.setThreads))
    missing = "bitnet_model_set_threads";
  if (missing) {
    error = "'" + path + "' is an incomplete bitnet-mlir model library (it has no " + missing + ")";
    return nullptr;
  }
  return library;
}

ModelLibrary::~ModelLibrary() {
  if (handle_)
    dlclose(handle_);
}

} // namespace bitnet_run
