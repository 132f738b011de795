#!/usr/bin/env bash
# The whole benchmark: install what it measures (bench/setup.sh), then bench/bench.py.
#   bench/run.sh                       # full run: bytelm, bitnet-100m, bitnet-700m
#   bench/run.sh --models bitnet-100m  # any bench.py options
#   bench/run.sh --smoke               # seconds long, no installs (what scripts/test.sh runs)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$ROOT/.venv}"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
export BITNET_OPT="${BITNET_OPT:-$BUILD_DIR/bin/bitnet-opt}"

case " $* " in
  *" --smoke "* | *" --help "* | *" -h "*) ;;
  *) "$ROOT/bench/setup.sh" ;;
esac
[ -x "$BITNET_OPT" ] || { echo "bench: $BITNET_OPT missing; run scripts/setup.sh or ninja -C build" >&2; exit 1; }
exec "$VENV/bin/python" "$ROOT/bench/bench.py" "$@"
