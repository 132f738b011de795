"""Writes the seed models of the fuzz targets and the mutation harness: the
repository's small exported models (python/bitnet/models, the tiny config in
every form the exporter writes) and the importer tests' text models, as
binary .onnx files in one directory.

    $VENV/bin/python fuzz/make_seeds.py -o build-fuzz/fuzz-seeds
"""

import argparse
import glob
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def export(out_dir: str, name: str, args: list) -> None:
    path = os.path.join(out_dir, name + ".onnx")
    if os.path.exists(path):
        return
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "python"))
    subprocess.run([sys.executable, "-m", "bitnet.export", *args, "-o", path],
                   check=True, env=env, stdout=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-o", "--output", required=True)
    parser.add_argument("--no-export", action="store_true",
                        help="only the committed models and the text tests (no torch)")
    args = parser.parse_args()
    os.makedirs(args.output, exist_ok=True)

    for path in glob.glob(os.path.join(ROOT, "python/bitnet/models/*.onnx")):
        shutil.copy(path, os.path.join(args.output, os.path.basename(path)))

    import onnx
    import onnx.parser
    for path in sorted(glob.glob(os.path.join(ROOT, "test/Import/ONNX/*.onnxtxt"))):
        with open(path) as f:
            try:
                model = onnx.parser.parse_model(f.read())
            except Exception:  # a test meant to be unparseable
                continue
        name = os.path.splitext(os.path.basename(path))[0]
        onnx.save(model, os.path.join(args.output, "text-" + name + ".onnx"))

    if not args.no_export:
        for form in ("training", "inference", "kvcache"):
            export(args.output, f"tiny-{form}", ["--config", "tiny", "--form", form])
            export(args.output, f"tiny-{form}-nofold",
                   ["--config", "tiny", "--form", form, "--no-constant-folding"])
    print(f"{len(os.listdir(args.output))} seed models in {args.output}")


if __name__ == "__main__":
    main()
