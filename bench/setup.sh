#!/usr/bin/env bash
# Installs the bench's big optional systems into the project's venv, once: llama.cpp
# (llama-cpp-python, built from its sdist for this CPU: many minutes on 2 cores) and IREE
# (compiler + runtime wheels). Idempotent: what already imports is left alone. The smoke
# mode does not need these; it uses them when they are there.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$ROOT/.venv}"
PY="$VENV/bin/python"
LLAMA_CPP_PYTHON=0.3.36
IREE=3.13.0

[ -x "$PY" ] || "$ROOT/scripts/setup.sh"

if ! "$PY" -c "import llama_cpp" 2>/dev/null; then
  echo "bench/setup.sh: building llama-cpp-python $LLAMA_CPP_PYTHON (llama.cpp for this CPU)"
  # GGML_NATIVE: -march=native, so the TQ kernels use AVX-512/VNNI as on a local build.
  # LLAVA_BUILD=OFF: no multimodal library. --no-deps: its declared deps would move
  # numpy; diskcache is the one it imports.
  start=$(date +%s)
  CMAKE_ARGS="-DGGML_NATIVE=ON -DLLAVA_BUILD=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF" \
  CMAKE_BUILD_PARALLEL_LEVEL="$(nproc)" \
    "$VENV/bin/pip" install --no-deps --no-binary llama-cpp-python \
      "llama-cpp-python==$LLAMA_CPP_PYTHON" diskcache==5.6.3
  echo "bench/setup.sh: llama-cpp-python built in $(( $(date +%s) - start )) s"
fi

if ! "$PY" -c "import iree.runtime, iree.compiler" 2>/dev/null; then
  echo "bench/setup.sh: installing IREE $IREE"
  "$VENV/bin/pip" install --no-deps "iree-base-compiler==$IREE" "iree-base-runtime==$IREE"
fi

"$PY" -c "import gguf" 2>/dev/null || "$VENV/bin/pip" install --no-deps -r "$ROOT/python/requirements-nodeps.txt"
