"""Checks docs/ONNXOps.md against the sources it describes.

usage: check_op_table.py SRC_ROOT [--doc FILE]

The table must list every op of the onnx dialect (the records of
include/BitNet/Dialect/ONNX/IR/*.td that derive from ONNX_Op) exactly once,
and nothing else. Its columns must agree with the code:
  evaluated  yes iff ConstantEvaluator.cpp names the op ("onnx.<Name>" in its
             rule table, or onnx::<Name>Op where it dispatches by class)
  folds      yes iff the record, or a class it derives from, has hasFolder = 1
  lowered    starts with "yes" iff a file of lib/BitNet/Conversion/ONNXToLinalg/
             names the op ("onnx.<Name>" or onnx::<Name>Op), "no" otherwise
  status     "evaluated + lowered", "lowered", "evaluated" or "rejected: ..."
             as the two columns say
Every disagreement is printed, naming the op; the exit status is 1 if any.
"""

import argparse
import glob
import os
import re
import sys


def strip_td(text):
    """The TableGen text without code blocks and comments."""
    text = re.sub(r"\[\{.*?\}\]", "[{}]", text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def skip_string(text, i):
    """The index after the string literal that starts at text[i]."""
    i += 1
    while text[i] != '"':
        i += 2 if text[i] == "\\" else 1
    return i + 1


def skip_balanced(text, i, open_char, close_char):
    """The index after the group that opens at text[i]."""
    depth = 0
    while True:
        c = text[i]
        if c == '"':
            i = skip_string(text, i)
            continue
        if c == open_char:
            depth += 1
        elif c == close_char:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1


def parse_td(paths, problems):
    """{op type: has folder} for every record deriving from ONNX_Op."""
    # Classes and defs have separate namespaces: `def ONNX_SoftmaxOp :
    # ONNX_SoftmaxOp<"Softmax", ...>` is a record of the class of that name.
    # Each maps a name to (parent class, hasFolder or None, op type or None).
    classes, defs = {}, {}
    header = re.compile(r"^\s*(def|class)\s+(\w+)\s*", re.M)
    for path in paths:
        text = strip_td(open(path).read())
        for m in header.finditer(text):
            kind, name = m.groups()
            i = m.end()
            if kind == "class" and text.startswith("<", i):
                i = skip_balanced(text, i, "<", ">")
            parent = re.compile(r"\s*:\s*(\w+)\s*").match(text, i)
            if not parent:
                continue
            i = parent.end()
            first = None
            if text.startswith("<", i):
                args_end = skip_balanced(text, i, "<", ">")
                first = re.match(r'<\s*"(\w+)"', text[i:args_end])
                i = args_end
            folder = None
            body = re.compile(r"\s*\{").match(text, i)
            if body:
                start = body.end() - 1
                block = text[start:skip_balanced(text, start, "{", "}")]
                flag = re.search(r"\bhasFolder\s*=\s*([01])\s*;", block)
                if flag:
                    folder = flag.group(1) == "1"
            table = defs if kind == "def" else classes
            table[name] = (parent.group(1), folder, first.group(1) if first else None)

    def class_chain(name):
        """The class `name` and the classes it derives from, nearest first."""
        chain = []
        while name in classes and name not in chain:
            chain.append(name)
            name = classes[name][0]
        return chain + [name]

    ops = {}
    for record, (parent, folder, mnemonic) in defs.items():
        chain = class_chain(parent)
        if "ONNX_Op" not in chain:
            continue
        if mnemonic is None:
            problems.append("%s: cannot read its op type (the first template "
                            "argument is not a string)" % record)
            continue
        for c in chain:
            if folder is not None:
                break
            folder = classes[c][1] if c in classes else None
        ops[mnemonic] = bool(folder)
    return ops


def parse_doc(path, problems):
    """[(op, {column: cell})] for the rows of the table, in order."""
    rows, columns = [], None
    for lineno, line in enumerate(open(path), 1):
        line = line.strip()
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        if cells[0] == "op":
            columns = [c.lower() for c in cells]
            continue
        m = re.fullmatch(r"`(\w+)`", cells[0])
        if not m:
            continue
        if columns is None or len(cells) != len(columns):
            problems.append("%s:%d: row of %s does not match the table's header"
                            % (path, lineno, m.group(1)))
            continue
        rows.append((m.group(1), dict(zip(columns, cells))))
    return rows


def names_in(paths, op_classes):
    """The op types named as "onnx.<Name>" (and onnx::<Name>Op if op_classes)."""
    names = set()
    for path in paths:
        text = open(path).read()
        names |= set(re.findall(r'"onnx\.(\w+)"', text))
        if op_classes:
            names |= set(re.findall(r"\bonnx::(\w+)Op\b", text))
    return names


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("src")
    parser.add_argument("--doc")
    args = parser.parse_args()
    src = args.src
    doc = args.doc or os.path.join(src, "docs/ONNXOps.md")
    td = sorted(glob.glob(os.path.join(src, "include/BitNet/Dialect/ONNX/IR/*.td")))
    evaluator = os.path.join(src, "lib/BitNet/Conversion/ONNXToTernary/ConstantEvaluator.cpp")
    lowering = sorted(glob.glob(os.path.join(src, "lib/BitNet/Conversion/ONNXToLinalg/*.cpp")))

    problems = []
    ops = parse_td(td, problems)
    if not ops:
        problems.append("no ONNX_Op records found in %s" % ", ".join(td))
    rows = parse_doc(doc, problems)
    evaluated = names_in([evaluator], True) & set(ops)
    lowered = names_in(lowering, True) & set(ops)

    seen = set()
    for op, cells in rows:
        if op in seen:
            problems.append("%s: listed twice in %s" % (op, doc))
        seen.add(op)
        if op not in ops:
            problems.append("%s: in %s but not an op of the onnx dialect" % (op, doc))
            continue
        ev, folds = cells.get("evaluated"), cells.get("folds")
        low, status = cells.get("lowered", ""), cells.get("status", "")
        if ev not in ("yes", "no"):
            problems.append("%s: evaluated is '%s', not yes or no" % (op, ev))
        elif (ev == "yes") != (op in evaluated):
            problems.append("%s: marked evaluated = %s, but ConstantEvaluator.cpp %s"
                            % (op, ev, "has a rule for it" if op in evaluated
                               else "does not name \"onnx.%s\" or onnx::%sOp" % (op, op)))
        if folds not in ("yes", "no"):
            problems.append("%s: folds is '%s', not yes or no" % (op, folds))
        elif (folds == "yes") != ops[op]:
            problems.append("%s: marked folds = %s, but its record %s hasFolder"
                            % (op, folds, "has" if ops[op] else "does not have"))
        if not (low == "no" or low == "yes" or low.startswith("yes:")):
            problems.append("%s: lowered is '%s', not no or yes[: conditions]" % (op, low))
        elif low.startswith("yes") != (op in lowered):
            problems.append("%s: marked lowered = %s, but ONNXToLinalg/ %s"
                            % (op, low.split(":")[0], "lowers it" if op in lowered
                               else "has no pattern naming it"))
        is_ev, is_low = ev == "yes", low.startswith("yes")
        expected = ("evaluated + lowered" if is_ev and is_low else
                    "lowered" if is_low else "evaluated" if is_ev else "rejected")
        if expected == "rejected":
            if not re.match(r"rejected: \S", status):
                problems.append("%s: status is '%s', expected 'rejected: <why>'" % (op, status))
        elif status != expected:
            problems.append("%s: status is '%s', expected '%s'" % (op, status, expected))
    for op in sorted(set(ops) - seen):
        problems.append("%s: an op of the onnx dialect missing from %s" % (op, doc))

    for p in problems:
        print("error: " + p, file=sys.stderr)
    if problems:
        return 1
    print("%d ops, %d evaluated, %d lowered: %s agrees with the sources"
          % (len(ops), len(evaluated), len(lowered), os.path.basename(doc)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
