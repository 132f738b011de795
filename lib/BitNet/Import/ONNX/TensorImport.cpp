//===- TensorImport.cpp - ONNX tensors as MLIR attributes -----------------===//
//
// A tensor's bytes come from one of three places (raw_data, a typed repeated
// field, or an external file); all are checked against the dims before any
// attribute is made, since the file is untrusted.
//
//===----------------------------------------------------------------------===//

#include "TensorImport.h"

#include "BitNet/Support/ElementsStorage.h"

#include "onnx/onnx_pb.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringExtras.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include <cstring>

using namespace mlir;
using namespace mlir::bitnet::onnx_import;

namespace {
std::string dataTypeName(int32_t dataType) {
  if (::onnx::TensorProto_DataType_IsValid(dataType))
    return ::onnx::TensorProto_DataType_Name(
        static_cast<::onnx::TensorProto_DataType>(dataType));
  return "data type " + std::to_string(dataType);
}

/// Resource keys are printed as bare identifiers; torch names such as
/// `::onnx::MatMul_12` are not.
std::string blobKey(StringRef name) {
  std::string key = name.empty() ? "tensor" : name.str();
  for (char &c : key)
    if (!llvm::isAlnum(c) && c != '_' && c != '.')
      c = '_';
  if (llvm::isDigit(key.front()) || key.front() == '.')
    key.insert(key.begin(), '_');
  return key;
}

/// Copies a typed repeated field into little-endian element bytes.
template <typename Field, typename Convert>
void appendElements(const Field &field, std::vector<char> &bytes,
                    size_t elementBytes, Convert convert) {
  bytes.resize(field.size() * elementBytes);
  char *out = bytes.data();
  for (const auto &value : field) {
    auto element = convert(value);
    std::memcpy(out, &element, elementBytes);
    out += elementBytes;
  }
}

/// The bytes of a tensor stored in its typed fields, or failure if the
/// field that its data type uses is not the one holding the values.
FailureOr<std::vector<char>> typedFieldBytes(const ::onnx::TensorProto &t,
                                             size_t elementBytes) {
  std::vector<char> bytes;
  using DT = ::onnx::TensorProto_DataType;
  switch (t.data_type()) {
  case DT::TensorProto_DataType_FLOAT:
    appendElements(t.float_data(), bytes, 4, [](float v) { return v; });
    return bytes;
  case DT::TensorProto_DataType_DOUBLE:
    appendElements(t.double_data(), bytes, 8, [](double v) { return v; });
    return bytes;
  case DT::TensorProto_DataType_INT64:
    appendElements(t.int64_data(), bytes, 8, [](int64_t v) { return v; });
    return bytes;
  case DT::TensorProto_DataType_UINT32:
  case DT::TensorProto_DataType_UINT64:
    appendElements(t.uint64_data(), bytes, elementBytes,
                   [](uint64_t v) { return v; });
    return bytes;
  case DT::TensorProto_DataType_INT32:
  case DT::TensorProto_DataType_INT16:
  case DT::TensorProto_DataType_INT8:
  case DT::TensorProto_DataType_UINT16:
  case DT::TensorProto_DataType_UINT8:
  case DT::TensorProto_DataType_BOOL:
  case DT::TensorProto_DataType_FLOAT16:
  case DT::TensorProto_DataType_BFLOAT16:
    // One int32 per element; narrower types keep their bits in the low end
    // (16-bit floats as their bit pattern), which little-endian memcpy of
    // the first elementBytes bytes extracts.
    appendElements(t.int32_data(), bytes, elementBytes,
                   [](int32_t v) { return v; });
    return bytes;
  default:
    return failure();
  }
}

} // namespace

Type mlir::bitnet::onnx_import::convertElementType(MLIRContext *context,
                                                    int32_t dataType) {
  Builder b(context);
  using DT = ::onnx::TensorProto_DataType;
  switch (dataType) {
  case DT::TensorProto_DataType_FLOAT:
    return b.getF32Type();
  case DT::TensorProto_DataType_FLOAT16:
    return b.getF16Type();
  case DT::TensorProto_DataType_BFLOAT16:
    return b.getBF16Type();
  case DT::TensorProto_DataType_DOUBLE:
    return b.getF64Type();
  case DT::TensorProto_DataType_INT8:
    return b.getIntegerType(8);
  case DT::TensorProto_DataType_INT16:
    return b.getIntegerType(16);
  case DT::TensorProto_DataType_INT32:
    return b.getIntegerType(32);
  case DT::TensorProto_DataType_INT64:
    return b.getIntegerType(64);
  case DT::TensorProto_DataType_UINT8:
    return b.getIntegerType(8, /*isSigned=*/false);
  case DT::TensorProto_DataType_UINT16:
    return b.getIntegerType(16, /*isSigned=*/false);
  case DT::TensorProto_DataType_UINT32:
    return b.getIntegerType(32, /*isSigned=*/false);
  case DT::TensorProto_DataType_UINT64:
    return b.getIntegerType(64, /*isSigned=*/false);
  case DT::TensorProto_DataType_BOOL:
    return b.getI1Type();
  default:
    return {};
  }
}

Type mlir::bitnet::onnx_import::convertTensorType(MLIRContext *context,
                                                   const ::onnx::TypeProto &type,
                                                   std::string &error) {
  if (!type.has_tensor_type()) {
    error = "is not a tensor (sequences, maps and optionals are not "
            "supported)";
    return {};
  }
  const auto &tensorType = type.tensor_type();
  Type elementType = convertElementType(context, tensorType.elem_type());
  if (!elementType) {
    error = "has the unsupported element type " +
            dataTypeName(tensorType.elem_type());
    return {};
  }
  if (!tensorType.has_shape())
    return UnrankedTensorType::get(elementType);
  SmallVector<int64_t> shape;
  for (const auto &dim : tensorType.shape().dim()) {
    if (dim.has_dim_value() && dim.dim_value() < 0) {
      error = "has the negative dimension " + std::to_string(dim.dim_value());
      return {};
    }
    shape.push_back(dim.has_dim_value() ? dim.dim_value()
                                        : ShapedType::kDynamic);
  }
  return RankedTensorType::get(shape, elementType);
}

uint64_t TensorImporter::payloadBytes(const ::onnx::TensorProto &tensor) {
  uint64_t count = 1;
  for (int64_t dim : tensor.dims())
    if (dim < 0 || __builtin_mul_overflow(count, uint64_t(dim), &count))
      return 0;
  switch (tensor.data_type()) {
  case ::onnx::TensorProto_DataType_DOUBLE:
  case ::onnx::TensorProto_DataType_INT64:
  case ::onnx::TensorProto_DataType_UINT64:
    return count * 8;
  case ::onnx::TensorProto_DataType_FLOAT:
  case ::onnx::TensorProto_DataType_INT32:
  case ::onnx::TensorProto_DataType_UINT32:
    return count * 4;
  case ::onnx::TensorProto_DataType_FLOAT16:
  case ::onnx::TensorProto_DataType_BFLOAT16:
  case ::onnx::TensorProto_DataType_INT16:
  case ::onnx::TensorProto_DataType_UINT16:
    return count * 2;
  default:
    return count;
  }
}

FailureOr<ElementsAttr> TensorImporter::import(::onnx::TensorProto &tensor,
                                               std::string &error) {
  Type elementType = convertElementType(context, tensor.data_type());
  if (!elementType) {
    error = "has the unsupported element type " +
            dataTypeName(tensor.data_type());
    return failure();
  }
  uint64_t elementBytes =
      elementType.isInteger(1) ? 1 : elementType.getIntOrFloatBitWidth() / 8;

  SmallVector<int64_t> shape;
  uint64_t numElements = 1;
  for (int64_t dim : tensor.dims()) {
    if (dim < 0) {
      error = "has the negative dimension " + std::to_string(dim);
      return failure();
    }
    uint64_t bytes;
    if (__builtin_mul_overflow(numElements, uint64_t(dim), &numElements) ||
        __builtin_mul_overflow(numElements, elementBytes, &bytes) ||
        numElements > uint64_t(INT64_MAX)) {
      error = "has dimensions whose product overflows";
      return failure();
    }
    shape.push_back(dim);
  }
  uint64_t expectedBytes = numElements * elementBytes;
  auto type = RankedTensorType::get(shape, elementType);

  auto sizeMismatch = [&](uint64_t actual, StringRef what) {
    std::string dims;
    for (int64_t d : shape)
      dims += (dims.empty() ? "" : "x") + std::to_string(d);
    error = "holds " + std::to_string(actual) + " " + what.str() +
            ", but its dims " + (dims.empty() ? "[]" : dims) + " of " +
            dataTypeName(tensor.data_type()) + " need " +
            std::to_string(what == "bytes" ? expectedBytes : numElements);
    return failure();
  };

  // Where the bytes are: a view plus, for external data, the mapping that
  // owns it; typed fields are converted into `converted`.
  ArrayRef<char> bytes;
  std::shared_ptr<llvm::MemoryBuffer> mapping;
  std::vector<char> converted;
  if (tensor.data_location() == ::onnx::TensorProto_DataLocation_EXTERNAL) {
    FailureOr<ExternalBytes> ext = external.read(tensor, error);
    if (failed(ext))
      return failure();
    bytes = ext->bytes;
    mapping = ext->owner;
    if (bytes.size() != expectedBytes)
      return sizeMismatch(bytes.size(), "bytes");
  } else if (tensor.has_raw_data()) {
    bytes = ArrayRef<char>(tensor.raw_data().data(), tensor.raw_data().size());
    if (bytes.size() != expectedBytes)
      return sizeMismatch(bytes.size(), "bytes");
  } else {
    FailureOr<std::vector<char>> fieldBytes =
        typedFieldBytes(tensor, elementBytes);
    if (failed(fieldBytes)) {
      error = "stores " + dataTypeName(tensor.data_type()) +
              " values in a field the importer does not read";
      return failure();
    }
    // Only the field the data type uses counts; values elsewhere are not
    // this tensor's.
    if (fieldBytes->size() != expectedBytes)
      return sizeMismatch(fieldBytes->size() / elementBytes, "values");
    converted = std::move(*fieldBytes);
    bytes = converted;
  }

  ElementsAttr result;
  if (elementType.isInteger(1)) {
    // Booleans are bit-packed in dense attributes; build them value by value.
    SmallVector<bool> values(bytes.begin(), bytes.end());
    result = DenseElementsAttr::get(type, ArrayRef<bool>(values));
  } else if (expectedBytes > kDenseLimitBytes && mapping &&
             reinterpret_cast<uintptr_t>(bytes.data()) % elementBytes == 0) {
    // Keep large external data in its mapping: the blob holds the file
    // open, and a multi-gigabyte model is not copied into memory.
    AsmResourceBlob blob(
        bytes, elementBytes,
        [mapping](void *, size_t, size_t) mutable { mapping.reset(); },
        /*dataIsMutable=*/false);
    result = DenseResourceElementsAttr::get(type, blobKey(tensor.name()),
                                            std::move(blob));
  } else {
    result = buildElementsAttr(type, bytes, blobKey(tensor.name()));
  }

  // The bytes now live in the attribute; drop the proto's copy.
  std::string().swap(*tensor.mutable_raw_data());
  tensor.clear_float_data();
  tensor.clear_int32_data();
  tensor.clear_int64_data();
  tensor.clear_double_data();
  tensor.clear_uint64_data();
  return result;
}
