//===- TensorImport.h - ONNX tensors as MLIR attributes ---------*- C++ -*-===//

#ifndef BITNET_LIB_IMPORT_ONNX_TENSORIMPORT_H
#define BITNET_LIB_IMPORT_ONNX_TENSORIMPORT_H

#include "ExternalData.h"

#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/BuiltinTypes.h"

namespace onnx {
class TensorProto;
class TypeProto;
} // namespace onnx

namespace mlir::bitnet::onnx_import {

/// The MLIR element type of an ONNX TensorProto::DataType, or null for the
/// ones the compiler does not handle (strings, complex, 8-bit floats).
Type convertElementType(MLIRContext *context, int32_t dataType);

/// The tensor type an ONNX value type describes: ranked with `?` for
/// symbolic or unknown dims, unranked without a shape. Null (with `error`
/// set) for non-tensor or unsupported types.
Type convertTensorType(MLIRContext *context, const ::onnx::TypeProto &type,
                       std::string &error);

/// Turns tensors into attributes: dense for small ones, resource blobs for
/// the rest, so weights never go through the context's uniquing tables.
class TensorImporter {
public:
  TensorImporter(MLIRContext *context, ExternalDataResolver &external)
      : context(context), external(external) {}

  /// The value of `tensor`. Its bytes are released from the proto once they
  /// are in the attribute, so a model is held in memory about once. On
  /// failure, `error` completes "tensor 'NAME' ...".
  FailureOr<ElementsAttr> import(::onnx::TensorProto &tensor,
                                 std::string &error);

  /// Bytes an import may still copy or map.
  static uint64_t payloadBytes(const ::onnx::TensorProto &tensor);

private:
  MLIRContext *context;
  ExternalDataResolver &external;
};

} // namespace mlir::bitnet::onnx_import

#endif // BITNET_LIB_IMPORT_ONNX_TENSORIMPORT_H
