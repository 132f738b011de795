#!/usr/bin/env bash
# The main job: builds bitnet-mlir (scripts/setup.sh), compiles the trained
# byte-level BitNet b1.58 that ships in python/bitnet/models to a native
# library, and lets it continue a text prompt.
#   PROMPT="..." N=64 scripts/run.sh   to choose the prompt and length.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
VENV="${VENV:-$ROOT/.venv}"
export BUILD_DIR VENV

"$ROOT/scripts/setup.sh"
OPT="$BUILD_DIR/bin/bitnet-opt"
RUN="$BUILD_DIR/bin/bitnet-run"

MODEL="$ROOT/python/bitnet/models/bytelm-inference.onnx"
LIB="$BUILD_DIR/models/bytelm.so"
mkdir -p "$(dirname "$LIB")"
echo "== bitnet-opt $(basename "$MODEL") --emit=lib -o $LIB"
if [[ ! -f "$LIB" || "$LIB" -ot "$MODEL" || "$LIB" -ot "$OPT" ]]; then
  start=$(date +%s%N)
  log="$BUILD_DIR/models/bytelm.log"
  status=0
  "$OPT" "$MODEL" --emit=lib -o "$LIB" 2>"$log" || status=$?
  # The remark naming the float head (lm_head) is expected; the rest is not.
  grep -v 'remark:' "$log" >&2 || true
  [[ $status == 0 ]] || { echo "compilation failed" >&2; exit "$status"; }
  echo "compiled in $(( ($(date +%s%N) - start) / 1000000 )) ms, $(stat -c %s "$LIB") bytes"
fi

PROMPT="${PROMPT:-def read_file(path):
    \"\"\"}"
N="${N:-64}"
echo "== bitnet-run $(basename "$LIB") --prompt ... -n $N"
"$RUN" "$LIB" --prompt "$PROMPT" -n "$N"
