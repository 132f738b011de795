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
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools clang-22
  libonnx-dev protobuf-compiler libprotobuf-dev
  python3 python3-venv
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

# One interpreter, chosen deliberately: Debian's, in a virtualenv of our own.
install_python_packages() {
  if [ ! -x "$VENV/bin/python" ]; then
    say "python: creating $VENV"
    /usr/bin/python3 -m venv "$VENV"
  fi
  local stamp="$VENV/.bitnet-requirements"
  local want files
  files=$(find "$ROOT/python" -maxdepth 1 -name 'requirements*.txt' 2>/dev/null | sort || true)
  want="$(cat /dev/null $files | sha256sum | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return
  fi
  say "python: installing python/requirements*.txt"
  "$VENV/bin/python" -m pip install -q --upgrade pip
  if [ -f "$ROOT/python/requirements.txt" ]; then
    "$VENV/bin/python" -m pip install -q -r "$ROOT/python/requirements.txt"
  fi
  # Wheels whose declared dependencies we do not want (torch's CUDA stack).
  if [ -f "$ROOT/python/requirements-nodeps.txt" ]; then
    "$VENV/bin/python" -m pip install -q --no-deps -r "$ROOT/python/requirements-nodeps.txt"
  fi
  echo "$want" >"$stamp"
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
