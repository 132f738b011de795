//===- OpReport.cpp - what one generated token costs, layer by layer ------===//
//
// For every linear layer of a model after ternary recognition: the
// additions, multiplications and weight bytes one token costs, and the
// BitNet papers' 7 nm energy estimate of the arithmetic next to an FP16
// model of the same shape. A BitLinear adds or subtracts an int8 activation
// per non-zero trit (zeros cost nothing) and multiplies once per output to
// rescale; the FP16 model multiplies and adds per weight. Energies per
// operation are those of BitNet (Wang et al., 2023, Table 2) at 7 nm, which
// BitNet b1.58 uses: INT8 add 0.007 pJ, INT8 mul 0.07 pJ, FP16 add 0.16 pJ,
// FP16 mul 0.34 pJ; f32 layers count as FP16 there too.
//
//===----------------------------------------------------------------------===//

#include "BitNet/Transforms/Passes.h"

#include "BitNet/Dialect/ONNX/IR/ONNXOps.h"
#include "BitNet/Dialect/Ternary/IR/TernaryOps.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/FormatVariadic.h"

namespace mlir::bitnet {
#define GEN_PASS_DEF_OPREPORTPASS
#include "BitNet/Transforms/Passes.h.inc"
} // namespace mlir::bitnet

using namespace mlir;
using namespace mlir::bitnet;

namespace {

constexpr double kInt8AddPJ = 0.007, kInt8MulPJ = 0.07;
constexpr double kFP16AddPJ = 0.16, kFP16MulPJ = 0.34;

struct LayerCost {
  std::string name;
  std::string kind;
  int64_t out = 0, in = 0;
  int64_t adds = 0, muls = 0;
  /// Float multiplies and adds (the float layers).
  int64_t floatMacs = 0;
  int64_t weightBytes = 0;

  double energyPJ() const {
    return adds * kInt8AddPJ + muls * kFP16MulPJ +
           floatMacs * (kFP16MulPJ + kFP16AddPJ);
  }
  /// The same layer in an FP16 model: a multiply and an add per weight.
  double fp16EnergyPJ() const {
    return double(out) * in * (kFP16MulPJ + kFP16AddPJ);
  }
  int64_t fp16Bytes() const { return 2 * out * in; }
};

std::string layerName(Operation *op) {
  if (auto name = dyn_cast<NameLoc>(op->getLoc()))
    return name.getName().str();
  return "(unnamed)";
}

FailureOr<LayerCost> bitLinearCost(ternary::BitLinearOp op) {
  auto constant = op.getWeights().getDefiningOp<ternary::ConstantOp>();
  if (!constant)
    return failure();
  ternary::WeightsType type = constant.getType();
  LayerCost cost{layerName(op), "bitlinear", type.getOutFeatures(),
                 type.getInFeatures()};
  for (int8_t trit : constant.unpackTrits())
    cost.adds += trit != 0;
  // One rescale per output (token scale times weight scale is folded).
  cost.muls = cost.out;
  SmallVector<uint8_t> splat;
  cost.weightBytes = constant.readPackedBytes(splat).size();
  return cost;
}

FailureOr<LayerCost> floatMatMulCost(onnx::MatMulOp op) {
  auto b = dyn_cast<RankedTensorType>(op.getB().getType());
  if (!b || b.getRank() != 2 || !b.hasStaticShape())
    return failure();
  // Only layers with weights: attention's activation products are not.
  Value w = op.getB();
  if (auto t = w.getDefiningOp<onnx::TransposeOp>())
    w = t.getData();
  if (!w.getDefiningOp() || !w.getDefiningOp()->hasTrait<OpTrait::ConstantLike>())
    return failure();
  LayerCost cost{layerName(op), "float", b.getDimSize(1), b.getDimSize(0)};
  cost.floatMacs = cost.out * cost.in;
  cost.weightBytes =
      cost.floatMacs * int64_t(b.getElementTypeBitWidth() / 8);
  return cost;
}

std::string humanBytes(double bytes) {
  if (bytes >= 1e9)
    return llvm::formatv("{0:F2} GB", bytes / 1e9).str();
  if (bytes >= 1e6)
    return llvm::formatv("{0:F2} MB", bytes / 1e6).str();
  return llvm::formatv("{0:F1} kB", bytes / 1e3).str();
}

struct OpReportPass : bitnet::impl::OpReportPassBase<OpReportPass> {
  void runOnOperation() override {
    SmallVector<LayerCost> layers;
    getOperation()->walk([&](Operation *op) {
      FailureOr<LayerCost> cost = failure();
      if (auto b = dyn_cast<ternary::BitLinearOp>(op))
        cost = bitLinearCost(b);
      else if (auto m = dyn_cast<onnx::MatMulOp>(op))
        cost = floatMatMulCost(m);
      if (succeeded(cost))
        layers.push_back(*cost);
    });
    llvm::raw_ostream &os = llvm::outs();
    os << "BitNet op report: per generated token, linear layers only\n";
    os << llvm::formatv("{0,-40} {1,-9} {2,12} {3,12} {4,12} {5,12} {6,10}\n",
                        "layer", "kind", "out x in", "adds", "muls",
                        "weights", "pJ");
    LayerCost total{"total", ""};
    double fp16Energy = 0, fp16Bytes = 0;
    // The ternary layers alone, the papers' "matmul" comparison.
    double ternaryEnergy = 0, ternaryFP16Energy = 0;
    for (const LayerCost &c : layers) {
      os << llvm::formatv("{0,-40} {1,-9} {2,12} {3,12} {4,12} {5,12} {6,10:F1}\n",
                          c.name, c.kind,
                          std::to_string(c.out) + "x" + std::to_string(c.in),
                          c.adds + c.floatMacs, c.muls + c.floatMacs,
                          humanBytes(c.weightBytes), c.energyPJ());
      total.adds += c.adds;
      total.muls += c.muls;
      total.floatMacs += c.floatMacs;
      total.weightBytes += c.weightBytes;
      fp16Energy += c.fp16EnergyPJ();
      fp16Bytes += c.fp16Bytes();
      if (c.kind == "bitlinear") {
        ternaryEnergy += c.energyPJ();
        ternaryFP16Energy += c.fp16EnergyPJ();
      }
    }
    os << llvm::formatv(
        "total: {0} layers, {1} additions ({2} of int8 activations), {3} "
        "multiplications ({4} in float layers, {5} rescaling BitLinear "
        "outputs), {6} of weights read\n",
        layers.size(), total.adds + total.floatMacs, total.adds,
        total.muls + total.floatMacs, total.floatMacs, total.muls,
        humanBytes(total.weightBytes));
    double energy = total.energyPJ();
    os << llvm::formatv(
        "energy (7 nm): {0:F1} nJ per token; an FP16 model of the same "
        "shape: {1:F1} nJ ({2:F1}x), {3} of weights\n",
        energy / 1e3, fp16Energy / 1e3,
        energy > 0 ? fp16Energy / energy : 0.0, humanBytes(fp16Bytes));
    os << llvm::formatv("BitLinear layers alone: {0:F1} nJ against {1:F1} nJ "
                        "in FP16 ({2:F1}x)\n",
                        ternaryEnergy / 1e3, ternaryFP16Energy / 1e3,
                        ternaryEnergy > 0 ? ternaryFP16Energy / ternaryEnergy
                                          : 0.0);
  }
};

} // namespace
