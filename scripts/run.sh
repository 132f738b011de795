#!/usr/bin/env bash
# The main job: builds bitnet-mlir (scripts/setup.sh) and compiles the
# example layer, folding its absmean weight quantization into ternary
# constants.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
export BUILD_DIR

"$ROOT/scripts/setup.sh"
echo "== bitnet-opt examples/quantize-bitlinear.mlir -canonicalize"
"$BUILD_DIR/bin/bitnet-opt" "$ROOT/examples/quantize-bitlinear.mlir" -canonicalize
