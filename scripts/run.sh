#!/usr/bin/env bash
# The main job: builds bitnet-mlir (scripts/setup.sh), then
#  1. compiles the example layer, folding its absmean weight quantization
#     into a packed ternary constant;
#  2. exports the tiny BitNet b1.58 from python/ to ONNX, imports it and
#     recognizes its BitLinear layers.
# (Compiling the whole model to a runnable library comes next.)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
VENV="${VENV:-$ROOT/.venv}"
export BUILD_DIR VENV

"$ROOT/scripts/setup.sh"
OPT="$BUILD_DIR/bin/bitnet-opt"

echo "== bitnet-opt examples/quantize-bitlinear.mlir -canonicalize"
"$OPT" "$ROOT/examples/quantize-bitlinear.mlir" -canonicalize

MODEL="$BUILD_DIR/models/tiny-training.onnx"
mkdir -p "$(dirname "$MODEL")"
echo "== exporting the tiny BitNet b1.58 (training form) to $MODEL"
PYTHONPATH="$ROOT/python" "$VENV/bin/python" -m bitnet.export \
  --config tiny --form training -o "$MODEL"
echo "== bitnet-opt $MODEL --convert-onnx-to-ternary --canonicalize"
OUT="$BUILD_DIR/models/tiny-ternary.mlir"
"$OPT" "$MODEL" --convert-onnx-to-ternary --canonicalize -o "$OUT"
echo "$(grep -c 'ternary.bitlinear' "$OUT") BitLinear layers recognized; the first:"
grep -m 2 -E 'ternary.(constant|bitlinear)' "$OUT" | cut -c1-200
echo "(whole module: $OUT)"
