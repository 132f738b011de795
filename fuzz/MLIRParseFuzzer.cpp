//===- MLIRParseFuzzer.cpp - MLIR text and bytecode with our dialects -----===//
//
// What bitnet-opt reads when its input is not ONNX: text or bytecode in the
// dialects the importer and the ternary passes produce. A module that
// parses and verifies is printed and written as bytecode too, since custom
// printers and the resource writer see it next in every pipeline.
//
//===----------------------------------------------------------------------===//

#include "BitNet/Dialect/ONNX/IR/ONNXDialect.h"
#include "BitNet/Dialect/Ternary/IR/TernaryDialect.h"
#include "BitNet/Support/CheckedAttributes.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"

#include "llvm/Support/raw_ostream.h"

using namespace mlir;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  DialectRegistry registry;
  registry.insert<arith::ArithDialect, func::FuncDialect, tensor::TensorDialect,
                  bitnet::onnx::ONNXDialect, bitnet::ternary::TernaryDialect>();
  MLIRContext context(registry, MLIRContext::Threading::DISABLED);
  context.allowUnregisteredDialects(false);
  ScopedDiagnosticHandler quiet(&context,
                                [](Diagnostic &) { return success(); });
  ParserConfig config(&context, /*verifyAfterParse=*/true);
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(
      StringRef(reinterpret_cast<const char *>(data), size), config);
  // What bitnet-opt checks after reading bytecode, before anything reads
  // the elements (BitNet/Support/CheckedAttributes.h).
  if (!module || failed(verify(*module)) ||
      failed(bitnet::checkDenseAttributes(*module)))
    return 0;
  std::string text;
  llvm::raw_string_ostream os(text);
  module->print(os);
  std::string bytes;
  llvm::raw_string_ostream bos(bytes);
  (void)writeBytecodeToFile(*module, bos);
  return 0;
}
