"""Writes the ONNX model given in ONNX's textual syntax (a lit test file whose
`#` lines are comments to the ONNX parser) as a binary .onnx file."""

import argparse
import sys

import onnx
import onnx.parser


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("source")
    parser.add_argument("-o", "--output", required=True)
    parser.add_argument("--no-check", action="store_true",
                        help="skip onnx.checker (for models meant to be bad)")
    args = parser.parse_args()
    with open(args.source) as f:
        model = onnx.parser.parse_model(f.read())
    if not args.no_check:
        onnx.checker.check_model(model)
    onnx.save(model, args.output)


if __name__ == "__main__":
    sys.exit(main())
