//===- WeightsSection.cpp - weights beside the code, not through it -------===//
//
// A model's weights are most of its library, and carried as LLVM constants
// they are copied into LLVM IR, again into the assembler's section buffers,
// and walked by code generation, none of which can change a byte of them.
// Instead the model library defines them in assembly that includes the
// bytes from a file (.incbin): the assembler copies them to the object
// untouched. They land in a read-only section of the one shared object,
// which the loader maps; nothing copies them at load. A single file is
// what a deployment wants, so a separate weights file was not chosen.
//
//===----------------------------------------------------------------------===//

#include "WeightsSection.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace {

constexpr uint64_t kWeightAlignment = 64;

/// The bytes of a non-splat constant as the target lays them out (both
/// CPU targets are little-endian, as is every host that builds them), or
/// nothing where MLIR's storage is not that layout (i1, splats).
std::optional<ArrayRef<char>> targetBytes(Attribute value) {
  auto elements = dyn_cast_or_null<ElementsAttr>(value);
  if (!elements)
    return std::nullopt;
  Type elementType = elements.getElementType();
  if (!elementType.isIntOrFloat() ||
      elementType.getIntOrFloatBitWidth() % 8 != 0)
    return std::nullopt;
  uint64_t bytes = elements.getNumElements() *
                   (elementType.getIntOrFloatBitWidth() / 8);
  ArrayRef<char> data;
  if (auto dense = dyn_cast<DenseElementsAttr>(value)) {
    if (dense.isSplat())
      return std::nullopt;
    data = dense.getRawData();
  } else if (auto resource = dyn_cast<DenseResourceElementsAttr>(value)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob)
      return std::nullopt;
    data = blob->getData();
  } else {
    return std::nullopt;
  }
  if (data.size() != bytes)
    return std::nullopt;
  return data;
}

/// Names the assembler takes unquoted.
bool isPlainSymbol(StringRef name) {
  return !name.empty() && !llvm::isDigit(name.front()) &&
         llvm::all_of(name, [](char c) {
           return llvm::isAlnum(c) || c == '_' || c == '.' || c == '$';
         });
}

} // namespace

FailureOr<uint64_t> bitnet::extractWeightsSection(ModuleOp module,
                                                  StringRef blobPath,
                                                  StringRef asmPath) {
  std::error_code ec;
  llvm::raw_fd_ostream blob(blobPath, ec);
  if (ec)
    return module.emitError()
           << "cannot write '" << blobPath << "': " << ec.message();
  llvm::raw_fd_ostream assembly(asmPath, ec);
  if (ec)
    return module.emitError()
           << "cannot write '" << asmPath << "': " << ec.message();

  // One .incbin for the whole file, the symbols at offsets into it:
  // LLVM's assembler reads the file once per .incbin, whatever its range.
  std::string symbols;
  llvm::raw_string_ostream defs(symbols);
  uint64_t offset = 0, alignment = kWeightAlignment;
  for (auto global : module.getOps<LLVM::GlobalOp>()) {
    if (!global.getConstant() || !isPlainSymbol(global.getSymName()))
      continue;
    std::optional<ArrayRef<char>> bytes = targetBytes(global.getValueOrNull());
    if (!bytes || bytes->size() < kWeightsSectionMinBytes)
      continue;
    uint64_t align =
        std::max<uint64_t>(global.getAlignment().value_or(1), kWeightAlignment);
    alignment = std::max(alignment, align);
    uint64_t padding = (align - offset % align) % align;
    blob.write_zeros(padding);
    offset += padding;
    blob.write(bytes->data(), bytes->size());

    StringRef name = global.getSymName();
    defs << "\t.globl " << name << "\n"
         << "\t.hidden " << name << "\n"
         << "\t.type " << name << ", %object\n"
         << "\t.size " << name << ", " << bytes->size() << "\n"
         << "\t.set " << name << ", .Lbitnet_weights + " << offset << "\n";
    offset += bytes->size();

    // A declaration the linker resolves inside the library.
    global.removeValueAttr();
    global.setLinkage(LLVM::Linkage::External);
    global.setVisibility_(LLVM::Visibility::Hidden);
    global.setDsoLocal(true);
  }
  std::string quoted;
  for (char c : blobPath) {
    if (c == '"' || c == '\\')
      quoted.push_back('\\');
    quoted.push_back(c);
  }
  // `%` rather than `@`: on Arm, `@` starts a comment.
  assembly << "\t.section .rodata.bitnet_weights,\"a\",%progbits\n"
           << "\t.p2align " << llvm::Log2_64(alignment) << "\n"
           << ".Lbitnet_weights:\n";
  if (offset)
    assembly << "\t.incbin \"" << quoted << "\"\n";
  assembly << symbols;
  blob.close();
  assembly.close();
  for (llvm::raw_fd_ostream *os : {&blob, &assembly})
    if (os->has_error()) {
      os->clear_error();
      return module.emitError() << "cannot write the weights of the model "
                                   "library: the disk may be full";
    }
  return offset;
}
