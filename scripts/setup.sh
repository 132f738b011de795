#!/usr/bin/env bash
# Installs what bitnet-mlir needs on Debian 12 and builds it. Safe to re-run:
# each step is skipped when its result is already there.
#
#   scripts/setup.sh            install, configure, build
#   BUILD_DIR=out scripts/setup.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
VENV="${VENV:-$ROOT/.venv}"

APT_PACKAGES=(
  cmake ninja-build g++ git
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools clang-22 libomp-22-dev
  # libFuzzer and the sanitizer runtimes, for the fuzz build (scripts/fuzz.sh).
  libclang-rt-22-dev
  libonnx-dev protobuf-compiler libprotobuf-dev
  python3 python3-venv
  # AArch64 model libraries and bitnet-run for ARM boards, tested under qemu.
  gcc-aarch64-linux-gnu g++-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user-static
  # torch 1.13 and ONNX for Debian's /usr/bin/python3: the oldest exporter the tests run.
  python3-torch python3-onnx python3-numpy
)

say() { printf '\033[1m== %s\033[0m\n' "$*"; }

install_apt_packages() {
  local missing=()
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return
  say "apt: installing ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}

# The interpreters of python/, all Debian's CPython 3.11:
#   .venv            torch 2.5.1 + onnxruntime: the exporter, the tests (requirements.txt,
#                    requirements-nodeps.txt)
#   .venv-torch215   torch 2.15 (dynamo exporter) + transformers 5.23 (HF BitNet)
#                    (requirements-torch215-nodeps.txt); used by the exporter tests
#   /usr/bin/python3 with Debian's python3-torch (1.13) and python3-onnx: the oldest exporter
VENV_TORCH215="${VENV_TORCH215:-$ROOT/.venv-torch215}"

# pip-installs requirement files (with --no-deps for *-nodeps.txt) into a venv, skipped
# when a stamp in the venv records the same file contents.
install_venv() {
  local venv="$1"
  shift
  if [ ! -x "$venv/bin/python" ]; then
    say "python: creating $venv"
    /usr/bin/python3 -m venv "$venv"
  fi
  local stamp="$venv/.bitnet-requirements"
  local want
  want="$(cat /dev/null "$@" | sha256sum | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return
  fi
  say "python: installing $* into $venv"
  "$venv/bin/python" -m pip install -q --upgrade pip
  local f
  for f in "$@"; do
    case "$f" in
      # Wheels whose declared dependencies we do not want (torch's CUDA stack).
      *-nodeps.txt) "$venv/bin/python" -m pip install -q --no-deps -r "$f" ;;
      *) "$venv/bin/python" -m pip install -q -r "$f" ;;
    esac
  done
  echo "$want" >"$stamp"
}

install_python_packages() {
  local files=()
  local f
  for f in requirements.txt requirements-nodeps.txt; do
    [ -f "$ROOT/python/$f" ] && files+=("$ROOT/python/$f")
  done
  install_venv "$VENV" "${files[@]}"
  if [ -f "$ROOT/python/requirements-torch215-nodeps.txt" ]; then
    install_venv "$VENV_TORCH215" "$ROOT/python/requirements-torch215-nodeps.txt"
  fi
}

configure_and_build() {
  if [ ! -f "$BUILD_DIR/build.ninja" ]; then
    say "cmake: configuring $BUILD_DIR"
    cmake -G Ninja -S "$ROOT" -B "$BUILD_DIR" \
      -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
      -DBITNET_PYTHON="$VENV/bin/python" >/dev/null
  fi
  say "ninja: building"
  ninja -C "$BUILD_DIR"
}

install_apt_packages
install_python_packages
configure_and_build
