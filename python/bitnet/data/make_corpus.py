"""Regenerate corpus.txt: docstrings of CPython's standard library (PSF License).

    PYTHONPATH=python python -m bitnet.data.make_corpus [--stdlib DIR] [-o FILE]

Reads the top-level modules of the stdlib directory (default: the running
interpreter's, e.g. lib/python3.11) in sorted order with `ast` (nothing is imported),
and writes every module, class and function docstring, cleaned with
inspect.cleandoc, each preceded by a header line naming where it comes from
("# module.Class.method"), until the output reaches --max-bytes. Only ASCII
docstrings are kept, so the byte-level model sees one byte per character.
The shipped corpus.txt was produced with CPython 3.11.7's stdlib and the defaults.
"""
import argparse
import ast
import inspect
import os
import sysconfig

SKIP = {"this.py", "antigravity.py"}  # rot13 text / not prose


def docstrings(tree: ast.Module, module: str):
    """(qualified name, cleaned docstring) in source order."""
    def visit(node, prefix):
        doc = ast.get_docstring(node, clean=False)
        if doc:
            yield prefix, inspect.cleandoc(doc)
        for child in node.body:
            if isinstance(child, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                yield from visit(child, f"{prefix}.{child.name}")
    yield from visit(tree, module)


def build(stdlib: str, max_bytes: int) -> str:
    out, size = [], 0
    for fname in sorted(os.listdir(stdlib)):
        if not fname.endswith(".py") or fname.startswith("_") or fname in SKIP:
            continue
        with open(os.path.join(stdlib, fname), encoding="utf-8") as f:
            tree = ast.parse(f.read())
        for name, doc in docstrings(tree, fname[:-3]):
            if not doc.isascii() or len(doc) < 40:
                continue
            entry = f"# {name}\n{doc}\n\n"
            out.append(entry)
            size += len(entry)
            if size >= max_bytes:
                return "".join(out)
    return "".join(out)


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--stdlib", default=sysconfig.get_paths()["stdlib"])
    ap.add_argument("--max-bytes", type=int, default=400_000)
    ap.add_argument("-o", "--output", default=os.path.join(here, "corpus.txt"))
    a = ap.parse_args(argv)
    text = build(a.stdlib, a.max_bytes)
    with open(a.output, "w", encoding="ascii", newline="\n") as f:
        f.write(text)
    print(f"wrote {a.output}: {len(text)} bytes from {a.stdlib}")


if __name__ == "__main__":
    main()
