#!/usr/bin/env bash
# Runs every bitnet-mlir test: the lit suite (check-bitnet) and the Python
# tests, after installing and building what they need (scripts/setup.sh).
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
VENV="${VENV:-$ROOT/.venv}"
export BUILD_DIR VENV

"$ROOT/scripts/setup.sh" || exit 1

LOG="$(mktemp)"
trap 'rm -f "$LOG"' EXIT
status=0

# The lit suite: dialect, passes, importer, end-to-end.
ninja -C "$BUILD_DIR" check-bitnet 2>&1 | tee "$LOG" || status=1
lit_passed=$(grep -oE '^ *Passed *: *[0-9]+' "$LOG" | grep -oE '[0-9]+$' || echo 0)
lit_failed=$(grep -oE '^ *Failed *: *[0-9]+' "$LOG" | grep -oE '[0-9]+$' || echo 0)

# The Python tests (the reference model and its exporter).
py_passed=0
py_failed=0
if [ -d "$ROOT/python/tests" ]; then
  (cd "$ROOT" && "$VENV/bin/python" -m pytest -q python/tests) 2>&1 | tee "$LOG"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  py_passed=$(grep -oE '[0-9]+ passed' "$LOG" | tail -1 | grep -oE '[0-9]+' || echo 0)
  py_failed=$(grep -oE '[0-9]+ (failed|errors?)' "$LOG" | awk '{n += $1} END {print n + 0}')
fi

# Every fuzz target, in the release build's standalone driver: the seeds,
# then 10 s of unguided mutants each; a crash or a hang fails (docs/Fuzzing.md).
fuzz_passed=0
"$ROOT/scripts/fuzz.sh" replay "${BITNET_FUZZ_REPLAY_SECONDS:-10}" && fuzz_passed=1 ||
  { status=1; lit_failed=$((lit_failed + 1)); }

# The benchmark's smoke mode: every installed system on the tiny config (bench/README.md).
bench_passed=0
"$ROOT/bench/run.sh" --smoke && bench_passed=1 || { status=1; py_failed=$((py_failed + 1)); }

# The sanitized build (scripts/fuzz.sh): when it exists, or when
# BITNET_SANITIZERS=1 asks for it, the lit suite under ASan + UBSan and a
# few seconds of each fuzz target. Building it costs more than CI's budget
# on two cores, so a clean clone skips it (docs/Fuzzing.md).
FUZZ_BUILD_DIR="${FUZZ_BUILD_DIR:-$ROOT/build-fuzz}"
export FUZZ_BUILD_DIR
if [ "${BITNET_SANITIZERS:-0}" = 1 ] || [ -f "$FUZZ_BUILD_DIR/build.ninja" ]; then
  "$ROOT/scripts/fuzz.sh" lit 2>&1 | tee "$LOG"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  san_passed=$(grep -oE '^ *Passed *: *[0-9]+' "$LOG" | grep -oE '[0-9]+$' || echo 0)
  san_failed=$(grep -oE '^ *Failed *: *[0-9]+' "$LOG" | grep -oE '[0-9]+$' || echo 0)
  lit_passed=$((lit_passed + san_passed))
  lit_failed=$((lit_failed + san_failed))
  if "$ROOT/scripts/fuzz.sh" smoke "${BITNET_FUZZ_SMOKE_SECONDS:-5}"; then
    lit_passed=$((lit_passed + 1))
  else
    status=1
    lit_failed=$((lit_failed + 1))
  fi
fi

passed=$((lit_passed + py_passed + bench_passed + fuzz_passed))
failed=$((lit_failed + py_failed))
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "tests: $passed passed, $failed failed"
exit "$status"
