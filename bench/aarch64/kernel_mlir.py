"""Writes the BitLinear-only module the llvm-mca report compiles: one
ternary.bitlinear of OUT x IN per-channel weights on one token (decode)."""
import sys

import numpy as np


def kernel_module(out_features=64, in_features=1024, seed=0):
    rng = np.random.default_rng(seed)
    trits = rng.integers(-1, 2, size=(out_features, in_features))
    rows = ", ".join("[" + ", ".join(map(str, r)) + "]" for r in trits)
    scale = ", ".join(["0.5"] * out_features)
    w = f"!ternary.weights<{out_features}x{in_features}xf32, per_channel>"
    return (
        f"func.func @main_graph(%x: tensor<1x1x{in_features}xf32> {{onnx.name = \"x\"}}) -> "
        f"(tensor<1x1x{out_features}xf32> {{onnx.name = \"y\"}}) {{\n"
        f"  %w = ternary.constant dense<[{rows}]> : tensor<{out_features}x{in_features}xi8>,\n"
        f"         scale dense<[{scale}]> : tensor<{out_features}xf32> -> {w}\n"
        f"  %y = ternary.bitlinear %x, %w : tensor<1x1x{in_features}xf32>, {w} -> "
        f"tensor<1x1x{out_features}xf32>\n"
        f"  return %y : tensor<1x1x{out_features}xf32>\n}}\n")


if __name__ == "__main__":
    sys.stdout.write(kernel_module())
