"""Makes and checks a module holding one large ternary weight.

`generate` writes MLIR text whose packed trits sit in a `dense_resource` blob
(hex, the only way text can carry them); `check` asserts that a bytecode file
carries the same bytes raw, not as text. The trits are pseudo-random but
fixed by the shape, so both commands agree without sharing a file.
"""

import argparse
import random
import sys

# Every byte whose four 2-bit fields are trits (0, 1 or 2; 3 is no trit).
VALID_BYTES = bytes(b for b in range(256) if all((b >> s) & 3 != 3 for s in (0, 2, 4, 6)))


def packed_weights(rows: int, cols: int) -> bytes:
    assert cols % 4 == 0, "keep the test simple: whole bytes per row"
    rng = random.Random(rows * 1_000_003 + cols)
    return bytes(rng.choice(VALID_BYTES) for _ in range(rows * cols // 4))


def generate(args) -> None:
    data = packed_weights(args.rows, args.cols)
    packed_type = f"tensor<{args.rows}x{args.cols // 4}xi8>"
    weights_type = f"!ternary.weights<{args.rows}x{args.cols}xf32>"
    with open(args.out, "w") as f:
        f.write(f"func.func @large() -> {weights_type} {{\n")
        f.write(f"  %w = ternary.constant packed dense_resource<big> : {packed_type},\n")
        f.write(f"         scale dense<0.0125> : tensor<f32> -> {weights_type}\n")
        f.write(f"  return %w : {weights_type}\n}}\n")
        # The blob's hex starts with its alignment as a little-endian u32.
        f.write('{-#\n  dialect_resources: {\n    builtin: {\n      big: "0x01000000')
        f.write(data.hex().upper())
        f.write('"\n    }\n  }\n#-}\n')


def check(args) -> None:
    data = packed_weights(args.rows, args.cols)
    with open(args.bytecode, "rb") as f:
        bytecode = f.read()
    # Raw bytes plus a few kilobytes of IR; hex text would double the size.
    limit = len(data) + 16 * 1024
    if len(bytecode) > limit:
        sys.exit(f"bytecode is {len(bytecode)} bytes, expected at most {limit}")
    if data not in bytecode:
        sys.exit("bytecode does not hold the packed weights as raw bytes")
    print(f"ok: {len(bytecode)} bytes of bytecode for {len(data)} packed bytes")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate")
    gen.add_argument("--out", required=True)
    chk = sub.add_parser("check")
    chk.add_argument("bytecode")
    for p in (gen, chk):
        p.add_argument("--rows", type=int, default=4096)
        p.add_argument("--cols", type=int, default=4096)
    args = parser.parse_args()
    generate(args) if args.command == "generate" else check(args)


if __name__ == "__main__":
    main()
