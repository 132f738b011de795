//===- ExternalData.cpp - tensors stored beside the model -----------------===//

#include "ExternalData.h"

#include "onnx/onnx_pb.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace mlir;
using namespace mlir::bitnet::onnx_import;

ExternalDataResolver::ExternalDataResolver(StringRef modelPath) {
  SmallString<256> real;
  if (llvm::sys::fs::real_path(modelPath, real))
    real = modelPath;
  modelDir = llvm::sys::path::parent_path(real).str();
  if (modelDir.empty())
    modelDir = ".";
}

namespace {
struct ExternalDataFields {
  std::string location;
  std::optional<uint64_t> offset, length;
};

LogicalResult parseFields(const ::onnx::TensorProto &tensor,
                          ExternalDataFields &fields, std::string &error) {
  for (const auto &entry : tensor.external_data()) {
    uint64_t value;
    if (entry.key() == "location") {
      fields.location = entry.value();
    } else if (entry.key() == "offset" || entry.key() == "length") {
      if (!llvm::to_integer(entry.value(), value, 10)) {
        error = "has external data " + entry.key() + " '" + entry.value() +
                "', which is not a non-negative integer";
        return failure();
      }
      (entry.key() == "offset" ? fields.offset : fields.length) = value;
    }
  }
  if (fields.location.empty()) {
    error = "is stored externally but names no location";
    return failure();
  }
  return success();
}
} // namespace

FailureOr<ExternalBytes>
ExternalDataResolver::read(const ::onnx::TensorProto &tensor,
                           std::string &error) {
  ExternalDataFields fields;
  if (failed(parseFields(tensor, fields, error)))
    return failure();
  const std::string &location = fields.location;

  // Refuse before touching the file system: absolute paths and `..` could
  // name anything on the machine.
  if (llvm::sys::path::is_absolute(location) || location.front() == '/' ||
      location.front() == '\\') {
    error = "has the absolute external data location '" + location +
            "'; locations must be relative to the model's folder";
    return failure();
  }
  for (StringRef part : llvm::make_range(llvm::sys::path::begin(location),
                                         llvm::sys::path::end(location))) {
    if (part == "..") {
      error = "has the external data location '" + location +
              "', which leaves the model's folder";
      return failure();
    }
  }

  SmallString<256> path(modelDir);
  llvm::sys::path::append(path, location);
  SmallString<256> real;
  if (std::error_code ec = llvm::sys::fs::real_path(path, real)) {
    error = "has external data in '" + location +
            "', which cannot be opened: " + ec.message();
    return failure();
  }
  // A link inside the folder may still point out of it.
  StringRef realRef = real;
  if (!realRef.starts_with(modelDir) ||
      (realRef.size() > modelDir.size() &&
       !llvm::sys::path::is_separator(realRef[modelDir.size()]))) {
    error = "has the external data location '" + location +
            "', which resolves to '" + real.str().str() +
            "', outside the model's folder";
    return failure();
  }
  if (!llvm::sys::fs::is_regular_file(real)) {
    error = "has external data in '" + location + "', which is not a file";
    return failure();
  }

  std::shared_ptr<llvm::MemoryBuffer> &file = files[real];
  if (!file) {
    auto buffer = llvm::MemoryBuffer::getFile(real, /*IsText=*/false,
                                              /*RequiresNullTerminator=*/false);
    if (!buffer) {
      error = "has external data in '" + location +
              "', which cannot be read: " + buffer.getError().message();
      return failure();
    }
    file = std::move(*buffer);
  }

  uint64_t size = file->getBufferSize();
  uint64_t offset = fields.offset.value_or(0);
  if (offset > size) {
    error = "has external data at offset " + std::to_string(offset) +
            " of '" + location + "', which has " + std::to_string(size) +
            " bytes";
    return failure();
  }
  uint64_t length = fields.length.value_or(size - offset);
  if (length > size - offset) {
    error = "has external data at bytes [" + std::to_string(offset) + ", " +
            std::to_string(offset + length) + ") of '" + location +
            "', which has " + std::to_string(size) + " bytes";
    return failure();
  }
  return ExternalBytes{
      ArrayRef<char>(file->getBufferStart() + offset, length), file};
}
