#!/usr/bin/env bash
# The sanitized build (ASan + UBSan + libFuzzer coverage, clang-22) and what
# runs in it: the lit suite under the sanitizers, and the fuzz targets.
#
#   scripts/fuzz.sh build             configure and build $FUZZ_BUILD_DIR (default build-fuzz)
#   scripts/fuzz.sh seeds             write the seed corpora (the repository's small models)
#   scripts/fuzz.sh lit [LIT ARGS]    the lit suite, every binary sanitized
#   scripts/fuzz.sh smoke [SECONDS]   each fuzz target for SECONDS (default 5)
#   scripts/fuzz.sh run SECONDS [TARGET...]
#                                     long runs, one target after another, corpora and
#                                     crashes kept in $FUZZ_BUILD_DIR/fuzz-work/TARGET
#   scripts/fuzz.sh replay [SECONDS]  the release build's targets ($BUILD_DIR, the
#                                     standalone driver: seeds, then unguided mutants
#                                     for SECONDS each, default 10); what test.sh runs
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FUZZ_BUILD_DIR="${FUZZ_BUILD_DIR:-$ROOT/build-fuzz}"
VENV="${VENV:-$ROOT/.venv}"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
TARGETS=(bitnet-fuzz-onnx-import bitnet-fuzz-onnx-compile bitnet-fuzz-mlir-parse
         bitnet-fuzz-run-options)
WORK="$FUZZ_BUILD_DIR/fuzz-work"
# The binaries the seeds and targets come from: the sanitized build, or the
# release build for `replay`.
BIN_DIR="$FUZZ_BUILD_DIR/bin"

# Leaks are findings too; the suppressions name only the uninstrumented
# third-party libraries' one-time allocations.
# allow_user_poisoning=0: LLVM's BumpPtrAllocator poisons the unused part
# of a new slab when the code that grows it is instrumented (our types'
# storage, inlined from the headers), but Debian's libMLIR is not, and
# never unpoisons what it then allocates from the same slab: without this,
# MLIR's own type storage writes look like use-after-poison (the compile
# target's first seed hit it once !ternary.weights grew its layout fields).
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1:allow_user_poisoning=0}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$ROOT/fuzz/lsan.supp:print_suppressions=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

say() { printf '\033[1m== %s\033[0m\n' "$*"; }

build() {
  if [ ! -f "$FUZZ_BUILD_DIR/build.ninja" ]; then
    say "cmake: configuring $FUZZ_BUILD_DIR (ASan + UBSan + fuzzers)"
    CC=clang-22 CXX=clang++-22 cmake -G Ninja -S "$ROOT" -B "$FUZZ_BUILD_DIR" \
      -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
      -DBITNET_PYTHON="$VENV/bin/python" -DBITNET_ENABLE_FUZZERS=ON >/dev/null || return 1
  fi
  say "ninja: building $FUZZ_BUILD_DIR"
  ninja -C "$FUZZ_BUILD_DIR" all bitnet-fuzzers
}

# One corpus per target: ONNX models for the ONNX targets, their imported
# modules (text and bytecode) for the parser, command lines for bitnet-run.
seeds() {
  local models="$WORK/seed-models"
  if [ ! -d "$models" ] || [ -z "$(ls -A "$models" 2>/dev/null)" ]; then
    mkdir -p "$models"
    "$VENV/bin/python" "$ROOT/fuzz/make_seeds.py" -o "$models" ${SEEDS_NO_EXPORT:+--no-export} || return 1
  fi
  local onnx="$WORK/bitnet-fuzz-onnx-import/seeds"
  mkdir -p "$onnx" "$WORK/bitnet-fuzz-onnx-compile/seeds" "$WORK/bitnet-fuzz-mlir-parse/seeds" \
    "$WORK/bitnet-fuzz-run-options/seeds"
  local f
  for f in "$models"/*.onnx; do
    # Inputs above a megabyte make single executions take seconds.
    [ "$(stat -c %s "$f")" -le 1048576 ] || continue
    cp -n "$f" "$onnx/"
    cp -n "$f" "$WORK/bitnet-fuzz-onnx-compile/seeds/"
    local base
    base="$(basename "$f" .onnx)"
    "$BIN_DIR/bitnet-opt" "$f" -o "$WORK/bitnet-fuzz-mlir-parse/seeds/$base.mlir" \
      2>/dev/null || rm -f "$WORK/bitnet-fuzz-mlir-parse/seeds/$base.mlir"
    "$BIN_DIR/bitnet-opt" "$f" --emit-bytecode \
      -o "$WORK/bitnet-fuzz-mlir-parse/seeds/$base.mlirbc" 2>/dev/null ||
      rm -f "$WORK/bitnet-fuzz-mlir-parse/seeds/$base.mlirbc"
  done
  cp -n "$ROOT"/test/Dialect/ONNX/*.mlir "$ROOT"/test/Dialect/Ternary/*.mlir \
    "$WORK/bitnet-fuzz-mlir-parse/seeds/" 2>/dev/null
  local i=0 line
  while IFS= read -r line; do
    printf '%s' "$line" | tr ' ' '\0' >"$WORK/bitnet-fuzz-run-options/seeds/cmd-$i"
    i=$((i + 1))
  done <<'CMDS'
model.so --tokens 1,2,3 -n 16
model.so --prompt hello -n 64 --threads 2
model.so --tokens 1 2 3 --logits out.npy
model.so -q --tokens 255 -n 0
--help
model.so --tokens 99999999999999999999 -n -1
CMDS
}

# Runs one target: $1 name, $2 seconds, then extra libFuzzer flags.
fuzz_target() {
  local target="$1" seconds="$2"
  shift 2
  local dir="$WORK/$target"
  mkdir -p "$dir/corpus" "$dir/crashes"
  local max_len=1048576 timeout=60
  [ "$target" = bitnet-fuzz-run-options ] && max_len=4096
  # A tiny model's compile takes a second in the release build and can take
  # a minute under ASan on a loaded machine: not a hang.
  [ "$target" = bitnet-fuzz-onnx-compile ] && timeout=300
  "$BIN_DIR/$target" "$dir/corpus" "${FUZZ_SEEDS:-$dir/seeds}" \
    -max_total_time="$seconds" -max_len="$max_len" -timeout="$timeout" -rss_limit_mb=6144 \
    -artifact_prefix="$dir/crashes/" -print_final_stats=1 -close_fd_mask=1 "$@" \
    >"$dir/last.log" 2>&1
  local rc=$?
  local execs
  execs="$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$dir/last.log" | grep -oE '[0-9]+$')"
  echo "$target: ${execs:-0} executions in ${seconds}s, exit $rc, $(ls "$dir/crashes" | wc -l) crash files (log: $dir/last.log)"
  return $rc
}

cmd="${1:-smoke}"
shift || true
case "$cmd" in
  build) build ;;
  seeds) seeds ;;
  lit)
    build || exit 1
    /usr/lib/llvm-22/bin/lit "$FUZZ_BUILD_DIR/test" -q "$@"
    ;;
  smoke)
    seconds="${1:-5}"
    build || exit 1
    SEEDS_NO_EXPORT="${SEEDS_NO_EXPORT-1}" seeds || exit 1
    status=0
    for t in "${TARGETS[@]}"; do
      fuzz_target "$t" "$seconds" || status=1
    done
    exit $status
    ;;
  run)
    seconds="${1:?seconds per target}"
    shift
    build || exit 1
    seeds || exit 1
    [ $# -gt 0 ] || set -- "${TARGETS[@]}"
    status=0
    for t in "$@"; do
      fuzz_target "$t" "$seconds" || status=1
    done
    exit $status
    ;;
  replay)
    # No sanitizers and no coverage: a crash (signal) or a timeout fails it.
    seconds="${1:-10}"
    WORK="$BUILD_DIR/fuzz-work"
    BIN_DIR="$BUILD_DIR/bin"
    for t in "${TARGETS[@]}"; do
      [ -x "$BIN_DIR/$t" ] || { echo "fuzz: $BIN_DIR/$t missing (ninja -C $BUILD_DIR)" >&2; exit 1; }
    done
    SEEDS_NO_EXPORT="${SEEDS_NO_EXPORT-1}" seeds || exit 1
    # The parser's mutants come from its text seeds only: mutated bytecode
    # soon hits MLIR 22's bytecode-reader hang (fuzz/known-upstream), which
    # an unguided replay would report on every run. Its bytecode inputs are
    # the lit tests' (test/Tools/corrupt-bytecode.test).
    text="$WORK/bitnet-fuzz-mlir-parse/seeds-text"
    mkdir -p "$text"
    cp -n "$WORK/bitnet-fuzz-mlir-parse/seeds/"*.mlir "$text/" 2>/dev/null
    status=0
    for t in "${TARGETS[@]}"; do
      seeds=""
      [ "$t" = bitnet-fuzz-mlir-parse ] && seeds="$text"
      FUZZ_SEEDS="$seeds" fuzz_target "$t" "$seconds" -runs=100000000 -seed=1 || status=1
    done
    exit $status
    ;;
  *) echo "usage: $0 build|seeds|lit|smoke [SECONDS]|run SECONDS [TARGET...]|replay [SECONDS]" >&2; exit 2 ;;
esac
